//! The members' account app under `/me/`: joining with a personal invitation (`/me/join#<token>`),
//! 我的 (the member's submissions from every device, co-signing requests, a link for the next device,
//! leaving this one) and 发起联名建言 (`/me/cosign`).
//! A bundle of its own (account.html, built into dist/me), so the submit form's first load carries none
//! of it; pages of the two apps link to each other with ordinary links.

mod cosign;
mod cosign_lists;
mod join;
mod me;

use leptos::prelude::*;

use self::{cosign::CosignPage, join::JoinPage, me::MePage};

/// The page for the address the member opened: the app has two, so a match on the path is its router.
#[component]
pub fn AccountApp() -> impl IntoView {
    let path = window().location().pathname().unwrap_or_default();
    let page = match path.trim_end_matches('/') {
        JOIN_PAGE => view! { <JoinPage /> }.into_any(),
        COSIGN_PAGE => view! { <CosignPage /> }.into_any(),
        _ => view! { <MePage /> }.into_any(),
    };
    view! {
        <header class="app-bar"><a href="/" class="brand">"同心建言"</a></header>
        <main id="main">{page}</main>
    }
}

/// Where an invitation opens (`api::JOIN_PATH`): the token follows in the fragment.
const JOIN_PAGE: &str = api::JOIN_PATH;
/// 我的.
pub const ME_PAGE: &str = "/me/";
/// 发起联名建言.
pub const COSIGN_PAGE: &str = "/me/cosign";
