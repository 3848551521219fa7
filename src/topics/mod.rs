//! The members' topics app under `/topics/`: 党委出题 (the open topics for the member's unit, a topic's
//! page, 认领 and 放弃认领 by the unit's 联络员), 自主选题, the research-result form, and the ordinary
//! submission form with attachments (`/topics/submit`).
//! A bundle of its own (topics.html, built into dist/topics), so neither the submit form's first load nor
//! 我的 carry its code or the upload code; its pages link to the other apps with ordinary links.
//!
//! Every page is for a joined member: the app asks who the device is first, and a device that has not
//! joined is told how to join.

mod fields;
mod list;
mod pending;
mod propose;
mod receipt;
mod result;
mod route;
mod send;
mod submit;
mod topic;

use api::MemberMe;
use leptos::prelude::*;

use crate::{
    client::{self, ClientError},
    load::load,
    membership,
    uploads::FileOutbox,
};
pub use route::TopicsRoute;

/// The page for the address the member opened, once the device's member is known.
#[component]
pub fn TopicsApp() -> impl IntoView {
    let path = window().location().pathname().unwrap_or_default();
    let route = TopicsRoute::parse(&path);
    // Results and submissions with files waiting from an earlier visit go on being sent from any page.
    FileOutbox::provide();
    let (me, reload) = load(client::current_member);
    let page = move || match me.get() {
        None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
        Some(Ok(me)) => {
            membership::remember(&me);
            page(route, me)
        }
        Some(Err(ClientError::Api { status: 401, body })) => {
            membership::forget_member();
            view! { <NotJoined heading=route.heading() message=body.message /> }.into_any()
        }
        Some(Err(error)) => view! {
            <h1>{route.heading()}</h1>
            <p class="error" role="alert">{error.message()}</p>
            <button type="button" on:click=move |_| reload.notify()>"重试"</button>
        }
        .into_any(),
    };
    view! {
        <header class="app-bar"><a href="/" class="brand">"同心建言"</a></header>
        // `data-route`: the page on screen, for tests to match with the address bar (which they read
        // without its trailing slash).
        <main id="main" data-route=route.href().trim_end_matches('/').to_owned()>{page}</main>
    }
}

fn page(route: TopicsRoute, me: MemberMe) -> AnyView {
    match route {
        TopicsRoute::NotFound => view! {
            <h1>"没有这个页面"</h1>
            <p><a href=TopicsRoute::List.href()>"返回课题列表"</a></p>
        }
        .into_any(),
        TopicsRoute::List => view! { <list::TopicListPage me /> }.into_any(),
        TopicsRoute::Topic { id } => view! { <topic::TopicPage id me /> }.into_any(),
        TopicsRoute::Propose => view! { <propose::ProposePage me /> }.into_any(),
        TopicsRoute::Result { id } => view! { <result::ResultPage id me /> }.into_any(),
        TopicsRoute::Submit => view! { <submit::SubmitWithFilesPage me /> }.into_any(),
    }
}

/// What a device that has not joined needs to do before it can use 课题.
#[component]
fn NotJoined(heading: &'static str, message: String) -> impl IntoView {
    view! {
        <h1>{heading}</h1>
        <p class="intro">{message}</p>
        <p class="intro">
            "课题、认领和提交调研成果只对已加入的成员开放。请打开统战部或本单位联络员发给您的个人邀请链接"
            "（或扫描邀请二维码）加入后再来；已加入的手机可以在“我的”中显示二维码，供这台设备扫码加入。"
        </p>
        <p><a href="/me/">"我的"</a>" · "<a href="/">"返回首页"</a></p>
    }
}
