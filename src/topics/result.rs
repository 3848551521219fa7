//! 提交调研成果 (`/topics/<id>/result`): a member of a unit that claimed the topic sends a research
//! result (title, 摘要, body, attachments); anyone else is told why not and what to do.

use api::{
    topic::{MemberTopicView, TopicId, TopicState, UnitTopicState},
    MemberMe,
};
use leptos::prelude::*;

use super::{send::SendForm, TopicsRoute};
use crate::{
    client::{self, ClientError},
    load::load,
};

#[component]
pub fn ResultPage(id: i64, me: MemberMe) -> impl IntoView {
    let (topic, reload) = load(move || client::member_topic(TopicId(id)));
    let me = StoredValue::new(me);
    // Loaded once: a later reload of the topic must not throw away the form being typed.
    let shown = Memo::new(move |_| {
        topic.with(|answer| {
            answer
                .as_ref()
                .map(|answer| answer.as_ref().map(|t| t.can_submit).map_err(Clone::clone))
        })
    });
    move || match shown.get() {
        None => view! { <h1>"提交调研成果"</h1><p class="loading">"正在加载…"</p> }.into_any(),
        Some(Ok(true)) => {
            let Some(Ok(topic)) = topic.get_untracked() else {
                return ().into_any();
            };
            view! {
                <h1>"提交调研成果"</h1>
                <SendForm
                    me=me.get_value()
                    topic=(topic.id, topic.title.clone())
                    draft_key=draft_key(id)
                    back=("返回课题", TopicsRoute::Topic { id }.href())
                />
            }
            .into_any()
        }
        Some(Ok(false)) => {
            let why = topic
                .get_untracked()
                .and_then(Result::ok)
                .map(|topic| why_not(&topic, &me.get_value()))
                .unwrap_or_default();
            view! {
                <h1>"提交调研成果"</h1>
                <p class="notice">{why}</p>
                <p><a href=TopicsRoute::Topic { id }.href()>"查看课题"</a></p>
            }
            .into_any()
        }
        Some(Err(ClientError::Api { status: 404, .. })) => view! {
            <h1>"提交调研成果"</h1>
            <p class="notice">"没有找到这个课题：它不存在、已撤回，或者不是发给本单位的。"</p>
            <p><a href=TopicsRoute::List.href()>"查看本单位的课题"</a></p>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <h1>"提交调研成果"</h1>
            <p class="error" role="alert">{error.message()}</p>
            <button type="button" on:click=move |_| reload.notify()>"重试"</button>
        }
        .into_any(),
    }
}

/// Why this member cannot send a result on `topic`, and what to do.
fn why_not(topic: &MemberTopicView, me: &MemberMe) -> String {
    if topic.state == TopicState::Closed {
        "这个课题已结束，不再接收调研成果。".into()
    } else if topic.own_state == UnitTopicState::Unclaimed && me.is_contact {
        "本单位还没有认领这个课题。请先在课题页面点“认领”，认领后本单位成员都可以提交调研成果。"
            .into()
    } else if topic.own_state == UnitTopicState::Unclaimed {
        "本单位还没有认领这个课题，认领后才能提交调研成果。认领由本单位联络员办理，请联系联络员。"
            .into()
    } else {
        "现在不能对这个课题提交调研成果。如有疑问，请联系本单位联络员或统战部。".into()
    }
}

/// Where the result's draft is kept: one per topic.
fn draft_key(id: i64) -> String {
    format!("jianyan.topics.draft.{id}")
}
