//! 课题 (`/topics/`): the open topics for the member's unit, each with its deadline and the unit's own
//! state; for the unit's 联络员, 自主选题 and the unit's proposals with their decisions.

use api::{
    topic::{deadline_words, MemberTopic, ProposalState, ProposalView, UnitTopicState},
    MemberMe,
};
use leptos::prelude::*;

use super::TopicsRoute;
use crate::{client, format::china_time, load::load};

#[component]
pub fn TopicListPage(me: MemberMe) -> impl IntoView {
    let (topics, reload) = load(client::member_topics);
    let is_contact = me.is_contact;
    view! {
        <h1>"课题"</h1>
        <p class="intro">
            {format!("{}（{}）", me.name, me.unit)}
            {is_contact.then(|| view! { " " <span class="badge">"联络员"</span> })}
        </p>
        <section aria-labelledby="open-topics">
            <h2 id="open-topics">"本单位的课题"</h2>
            {move || match topics.get() {
                None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
                Some(Ok(list)) => view! { <TopicList list is_contact /> }.into_any(),
                Some(Err(error)) => view! {
                    <p class="error" role="alert">{error.message()}</p>
                    <button type="button" on:click=move |_| reload.notify()>"重试"</button>
                }
                .into_any(),
            }}
        </section>
        {if is_contact {
            view! { <Proposals /> }.into_any()
        } else {
            view! {
                <p class="hint">"认领课题和自主选题由本单位联络员办理；本单位认领后，每位成员都可以提交调研成果。"</p>
            }
            .into_any()
        }}
        <nav class="actions" aria-label="其他">
            <a href=TopicsRoute::Submit.href() class="action">
                <span>"提交建言（可附文件）"</span>
                <small>"意见建议、调研成果、社情民意，可附 PDF、Word、Excel、图片"</small>
            </a>
        </nav>
    }
}

#[component]
fn TopicList(list: Vec<MemberTopic>, is_contact: bool) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">"目前没有给本单位的课题。统战部发布课题后会显示在这里。"</p> }
            .into_any();
    }
    view! {
        <ul class="topic-list">
            {list.into_iter().map(|topic| {
                let href = TopicsRoute::Topic { id: topic.id.0 }.href();
                let unclaimed = topic.own_state == UnitTopicState::Unclaimed;
                view! {
                    <li>
                        <a href=href>
                            <span class="title">{topic.title}</span>
                            <span class="meta">
                                {topic.issuer.label()} " · " {topic.category} " · 截止 " {topic.deadline}
                            </span>
                            <span class="topic-marks">
                                <Deadline days_left=topic.days_left />
                                <UnitStateBadge state=topic.own_state />
                                {(unclaimed && is_contact).then(|| view! { <span class="hint">"可认领"</span> })}
                            </span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// 还剩 12 天 / 今天截止 / 已逾期 3 天, overdue in red.
#[component]
pub fn Deadline(days_left: i64) -> impl IntoView {
    let class = if days_left < 0 {
        "deadline overdue"
    } else if days_left <= 3 {
        "deadline soon"
    } else {
        "deadline"
    };
    view! { <span class=class>{deadline_words(days_left)}</span> }
}

/// The unit's own state on a topic (未认领 … 已采用).
#[component]
pub fn UnitStateBadge(state: UnitTopicState) -> impl IntoView {
    let tone = match state {
        UnitTopicState::Unclaimed => "idle",
        UnitTopicState::Reviewed | UnitTopicState::Adopted => "done",
        _ => "active",
    };
    view! { <span class=format!("badge {tone}")>"本单位：" {state.label()}</span> }
}

/// 自主选题: the way to propose, and the unit's proposals with their decisions.
#[component]
fn Proposals() -> impl IntoView {
    let (proposals, reload) = load(client::unit_proposals);
    view! {
        <section aria-labelledby="proposals">
            <h2 id="proposals">"自主选题"</h2>
            <p class="hint">"本单位也可以提出自己的调研课题，统战部同意后即成为本单位的课题。"</p>
            <p><a href=TopicsRoute::Propose.href() class="button">"申报自主选题"</a></p>
            {move || match proposals.get() {
                None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p class="empty">"本单位还没有申报过自主选题。"</p> }.into_any()
                }
                Some(Ok(list)) => view! {
                    <ul class="proposal-list">
                        {list.into_iter().map(|proposal| view! { <ProposalItem proposal /> }).collect_view()}
                    </ul>
                }
                .into_any(),
                Some(Err(error)) => view! {
                    <p class="error" role="alert">{error.message()}</p>
                    <button type="button" on:click=move |_| reload.notify()>"重试"</button>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn ProposalItem(proposal: ProposalView) -> impl IntoView {
    let tone = match proposal.state {
        ProposalState::Pending => "active",
        ProposalState::Approved => "done",
        ProposalState::Declined => "warn",
    };
    view! {
        <li class="proposal">
            <span class="title">{proposal.title}</span>
            <span class="meta">
                {proposal.contact} " 申报于 " {china_time(&proposal.created_at)} " "
                <span class=format!("badge {tone}")>{proposal.state.label()}</span>
            </span>
            {proposal.reason.map(|reason| view! { <p class="reason">"未同意的理由：" {reason}</p> })}
            {proposal.topic_id.map(|id| view! {
                <p><a href=TopicsRoute::Topic { id: id.0 }.href()>"查看立项后的课题"</a></p>
            })}
        </li>
    }
}
