//! The members' topics app under `/topics/`: 党委出题 (the open topics for the member's unit, a topic's
//! page, 认领 and 放弃认领 by the unit's 联络员), 自主选题, the research-result form, and the ordinary
//! submission form with attachments (`/topics/submit`).
//! Two bundles of their own, so neither the submit form's first load nor 我的 carry this code: the list
//! (topics.html → dist/topics: the list, a topic, 自主选题) and the forms with attachments
//! (topics-send.html → dist/topics/send: a result, the form with files), served by the server for their
//! addresses; the pages link to each other and to the other apps with ordinary links.
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

/// 课题 (`/topics/`, `/topics/<id>`, `/topics/propose`): the list bundle (topics.html), without the
/// upload code.
#[component]
pub fn TopicsApp() -> impl IntoView {
    view! { <MemberShell pages=list_pages /> }
}

/// The forms with attachments (`/topics/<id>/result`, `/topics/submit`): a bundle of their own
/// (topics-send.html, served for those two addresses), since the upload code and the outbox for files
/// would take the list past the phone's budget.
#[component]
pub fn TopicsSendApp() -> impl IntoView {
    // Results and submissions with files waiting from an earlier visit go on being sent from either page.
    FileOutbox::provide();
    view! { <MemberShell pages=send_pages /> }
}

/// The header, and the page for the address once the device's member is known.
#[component]
fn MemberShell(pages: fn(TopicsRoute, MemberMe) -> AnyView) -> impl IntoView {
    let path = window().location().pathname().unwrap_or_default();
    let route = TopicsRoute::parse(&path);
    let (me, reload) = load(client::current_member);
    let page = move || match me.get() {
        None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
        Some(Ok(me)) => {
            membership::remember(&me);
            pages(route, me)
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

fn list_pages(route: TopicsRoute, me: MemberMe) -> AnyView {
    match route {
        TopicsRoute::List => view! { <list::TopicListPage me /> }.into_any(),
        TopicsRoute::Topic { id } => view! { <topic::TopicPage id me /> }.into_any(),
        TopicsRoute::Propose => view! { <propose::ProposePage me /> }.into_any(),
        _ => elsewhere(route),
    }
}

fn send_pages(route: TopicsRoute, me: MemberMe) -> AnyView {
    match route {
        TopicsRoute::Result { id } => view! { <result::ResultPage id me /> }.into_any(),
        TopicsRoute::Submit => view! { <submit::SubmitWithFilesPage me /> }.into_any(),
        _ => elsewhere(route),
    }
}

/// A page of the other bundle (the server sends each address its own; this is only reached through an
/// old cached shell), or no page at all.
fn elsewhere(route: TopicsRoute) -> AnyView {
    if route != TopicsRoute::NotFound {
        let _ = window().location().replace(&route.href());
        return view! { <p class="loading">"正在打开…"</p> }.into_any();
    }
    view! {
        <h1>"没有这个页面"</h1>
        <p><a href=TopicsRoute::List.href()>"返回课题列表"</a></p>
    }
    .into_any()
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
