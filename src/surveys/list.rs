//! 问卷 (`/surveys/`): the surveys open to the member, each with its closing date and whether they have
//! answered it (or has a response still waiting on this phone).

use api::survey::{MemberSurveyItem, SurveyStatus};
use leptos::prelude::*;

use super::{outbox::SurveyOutbox, survey_href};
use crate::{
    client::{self, ClientError, SurveyRef},
    format::china_time,
    load::load,
};

#[component]
pub fn ListPage() -> impl IntoView {
    let outbox = expect_context::<SurveyOutbox>();
    let (list, reload) = load(client::my_surveys);
    view! {
        <h1>"问卷"</h1>
        <p class="intro">"统战部发布给您所在单位的问卷。每份问卷每人填写一次，截止后不再接收。"</p>
        {move || match list.get() {
            None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
            Some(Ok(items)) if items.is_empty() => {
                view! { <p class="empty">"目前没有需要您填写的问卷。"</p> }.into_any()
            }
            Some(Ok(items)) => view! {
                <ul class="receipts survey-list">
                    {items.into_iter().map(|item| {
                        // A response still on this phone: the member should know it has not gone yet.
                        let waiting = outbox.pending(&SurveyRef::Member(item.id)).is_some();
                        view! { <Item item waiting /> }
                    }).collect_view()}
                </ul>
            }
            .into_any(),
            Some(Err(ClientError::Api { status: 401, .. })) => view! {
                <p class="notice">
                    "问卷面向已加入的成员。请打开统战部或本单位联络员发给您的个人邀请链接（或扫描邀请二维码）加入，"
                    "加入后这里会列出发给您所在单位的问卷。"
                </p>
                <p><a href="/me/">"我的"</a>" · "<a href="/">"返回首页"</a></p>
            }
            .into_any(),
            Some(Err(error)) => view! {
                <p class="error" role="alert">{error.message()}</p>
                <button type="button" on:click=move |_| reload.notify()>"重试"</button>
            }
            .into_any(),
        }}
    }
}

#[component]
fn Item(item: MemberSurveyItem, waiting: bool) -> impl IntoView {
    let (badge, class) = match (item.status, item.answered) {
        _ if waiting => ("待发送", "badge warn"),
        (_, true) => ("已填写", "badge done"),
        (SurveyStatus::Collecting, false) => ("未填写", "badge warn"),
        (SurveyStatus::Closed, false) => ("已结束", "badge"),
        (_, false) => ("未开始", "badge active"),
    };
    let when = match item.status {
        SurveyStatus::Scheduled | SurveyStatus::Draft => {
            format!("{} 开始", china_time(&item.opens_at))
        }
        _ => format!("截止 {}", china_time(&item.closes_at)),
    };
    view! {
        <li>
            <a href=survey_href(item.id.0)>
                <span class="title">{item.title}</span>
                <span class="meta">
                    {when} " · " {format!("{} 题", item.questions)}
                    {item.anonymous.then_some(" · 匿名")} " " <span class=class>{badge}</span>
                </span>
            </a>
        </li>
    }
}
