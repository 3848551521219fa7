//! One topic (`/topics/<id>`): its full text, which other units claimed it, the unit's claim and results;
//! 认领 and 放弃认领 for the unit's 联络员, each after a confirm; 提交调研成果 for a member of a claiming unit.

use api::{
    topic::{MemberTopicView, TopicId, TopicState, UnitTopicState},
    MemberMe,
};
use leptos::{prelude::*, task::spawn_local};

use super::{
    list::{Deadline, UnitStateBadge},
    TopicsRoute,
};
use crate::{
    client::{self, ClientError},
    components::status_badge::StatusBadge,
    format::china_time,
    load::load,
};

#[component]
pub fn TopicPage(id: i64, me: MemberMe) -> impl IntoView {
    let (loaded, reload) = load(move || client::member_topic(TopicId(id)));
    // A claim or a give-back answers with the topic as it is now: shown in place of the loaded one.
    let changed = RwSignal::new(None::<MemberTopicView>);
    let me = StoredValue::new(me);
    move || {
        match (changed.get(), loaded.get()) {
        (Some(topic), _) | (None, Some(Ok(topic))) => {
            view! { <TopicView topic me=me.get_value() changed /> }.into_any()
        }
        (None, None) => view! { <h1>"课题"</h1><p class="loading">"正在加载…"</p> }.into_any(),
        (None, Some(Err(ClientError::Api { status: 404, .. }))) => view! {
            <h1>"没有找到这个课题"</h1>
            <p class="intro">
                "这个课题不存在、已撤回，或者不是发给本单位的。课题只对它面向的单位开放；如有疑问，请联系本单位联络员或统战部。"
            </p>
            <p><a href=TopicsRoute::List.href()>"查看本单位的课题"</a></p>
        }
        .into_any(),
        (None, Some(Err(error))) => view! {
            <h1>"课题"</h1>
            <p class="error" role="alert">{error.message()}</p>
            <button type="button" on:click=move |_| reload.notify()>"重试"</button>
        }
        .into_any(),
    }
    }
}

#[component]
fn TopicView(
    topic: MemberTopicView,
    me: MemberMe,
    changed: RwSignal<Option<MemberTopicView>>,
) -> impl IntoView {
    let closed = topic.state == TopicState::Closed;
    let claimed_by = if topic.claimed_by.is_empty() {
        "暂无其他单位认领".to_owned()
    } else {
        topic.claimed_by.join("、")
    };
    view! {
        <article class="topic">
            <h1>{topic.title.clone()}</h1>
            <p class="topic-marks">
                <Deadline days_left=topic.days_left />
                <UnitStateBadge state=topic.own_state />
                {closed.then(|| view! { <span class="badge warn">"已结束"</span> })}
            </p>
            <dl>
                <dt>"出题单位"</dt><dd>{topic.issuer.label()}</dd>
                <dt>"类别"</dt><dd>{topic.category.clone()} " · " {topic.origin.label()}</dd>
                <dt>"截止日期"</dt><dd>{topic.deadline.clone()}</dd>
                <dt>"其他单位"</dt><dd>{claimed_by}</dd>
            </dl>
            <h2>"背景"</h2>
            <p class="topic-text">{topic.background.clone()}</p>
            <h2>"需要回答的问题"</h2>
            <p class="topic-text">{topic.questions.clone()}</p>
        </article>
        <section aria-labelledby="own-unit">
            <h2 id="own-unit">{format!("本单位（{}）", me.unit)}</h2>
            <ClaimPanel topic=topic.clone() me changed />
            <Results topic=topic.clone() />
        </section>
        <p><a href=TopicsRoute::List.href()>"返回课题列表"</a></p>
    }
}

/// The unit's claim: who and when; 认领 / 放弃认领 for the 联络员; what others can do.
#[component]
fn ClaimPanel(
    topic: MemberTopicView,
    me: MemberMe,
    changed: RwSignal<Option<MemberTopicView>>,
) -> impl IntoView {
    let id = topic.id;
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let mark_researching = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let answer = client::mark_researching(id).await;
            busy.try_set(false);
            match answer {
                Ok(topic) => {
                    changed.try_set(Some(topic));
                }
                Err(failed) => {
                    error.try_set(Some(failed.message()));
                }
            }
        });
    };
    let can_mark_researching = me.is_contact
        && topic.own_state == UnitTopicState::Claimed
        && topic.state == TopicState::Published;
    let act = move |claim: bool| {
        let question = if claim {
            "确定为本单位认领这个课题吗？认领后，本单位成员都可以提交调研成果。"
        } else {
            "确定放弃认领吗？放弃后本单位不再承担这个课题，需要时可以重新认领。"
        };
        if !window().confirm_with_message(question).unwrap_or(false) {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let answer = if claim {
                client::claim_topic(id).await
            } else {
                client::give_back_topic(id).await
            };
            busy.try_set(false);
            match answer {
                Ok(topic) => {
                    changed.try_set(Some(topic));
                }
                Err(failed) => {
                    error.try_set(Some(failed.message()));
                }
            }
        });
    };
    let claim_line = topic.own_claim.as_ref().map(|claim| {
        let by = if claim.by_staff {
            format!("统战部（{}）", claim.by)
        } else {
            claim.by.clone()
        };
        view! {
            <p>
                {format!("{by} 于 {} 为本单位认领", china_time(&claim.at))}
                {claim.researching_since.as_ref().map(|since| format!("，{} 开始调研", china_time(since)))}
                "。"
            </p>
        }
    });
    let unclaimed = topic.own_state == UnitTopicState::Unclaimed;
    let others_note = if !unclaimed || topic.can_claim {
        None
    } else if topic.state == TopicState::Closed {
        Some("这个课题已结束，不能再认领。")
    } else if me.is_contact {
        None
    } else {
        Some("本单位还没有认领这个课题。认领由本单位联络员办理，请联系联络员；认领后您就可以提交调研成果。")
    };
    let give_back_blocked =
        me.is_contact && !unclaimed && !topic.can_give_back && !topic.own_results.is_empty();
    view! {
        {claim_line}
        {others_note.map(|note| view! { <p class="notice">{note}</p> })}
        <div class="form-actions">
            {topic.can_claim.then(|| view! {
                <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| act(true)>
                    "认领"
                </button>
            })}
            {topic.can_submit.then(|| view! {
                <a href=TopicsRoute::Result { id: id.0 }.href() class="button primary">"提交调研成果"</a>
            })}
            {can_mark_researching.then(|| view! {
                <button type="button" disabled=move || busy.get() on:click=mark_researching>
                    "开始调研"
                </button>
            })}
            {topic.can_give_back.then(|| view! {
                <button type="button" disabled=move || busy.get() on:click=move |_| act(false)>
                    "放弃认领"
                </button>
            })}
        </div>
        {give_back_blocked.then(|| view! {
            <p class="hint">"本单位已提交调研成果，不能再放弃认领。"</p>
        })}
        {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
    }
}

/// The unit's results on the topic, with their status and grade.
#[component]
fn Results(topic: MemberTopicView) -> impl IntoView {
    if topic.own_results.is_empty() {
        return view! {
            <h3>"本单位的调研成果"</h3>
            <p class="empty">"还没有提交调研成果。"</p>
        }
        .into_any();
    }
    view! {
        <h3>"本单位的调研成果"</h3>
        <ul class="receipts">
            {topic.own_results.into_iter().map(|result| view! {
                <li>
                    <div class="result-line">
                        <span class="title">{result.title}</span>
                        <span class="meta">
                            {result.code} " · " {china_time(&result.submitted_at)} " "
                            <StatusBadge status=result.status />
                            {result.grade.map(|grade| view! { " " <span class="badge done">"评审：" {grade.label()}</span> })}
                            {result.adopted.then(|| view! { " " <span class="badge done">"已采用"</span> })}
                        </span>
                    </div>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
