//! The staff app's shell: the header, and the login form or the page for the address.
//!
//! Routed by leptos_router under `/staff/` (bytes matter less at a desk than on a phone). While nobody is
//! logged in every address shows the login form, and after login the same address shows its page.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use super::{
    pages::{login::LoginPage, workbench::Workbench},
    Session,
};
use crate::client;

/// The whole staff app.
#[component]
pub fn StaffApp() -> impl IntoView {
    let session = Session::provide();
    // A kept session may have expired, or ended with a password change: ask once, at start.
    if let Some(token) = session.token() {
        spawn_local(async move {
            if let Err(client::ClientError::Api { status: 401, body }) =
                client::current_staff(&token).await
            {
                session.end(Some(body.message));
            }
        });
    }
    let log_out = move |_| {
        if let Some(token) = session.token() {
            // Ended here at once; the server is told in the background (a lost answer changes nothing:
            // the token is gone from this browser either way).
            session.end(None);
            spawn_local(async move {
                let _ = client::log_out(&token).await;
            });
        }
    };
    view! {
        <header class="app-bar">
            <a href="/staff/" class="brand">"同心建言 · 工作台"</a>
            {move || session.staff().map(|staff| view! {
                <span class="who">{staff.name}</span>
                <button type="button" on:click=log_out>"退出登录"</button>
            })}
        </header>
        <main id="main">
            <Router base="/staff">
                {move || if session.is_logged_in() {
                    view! {
                        <Routes fallback=|| view! { <NotFound /> }>
                            <Route path=path!("/") view=Workbench />
                        </Routes>
                    }
                    .into_any()
                } else {
                    view! { <LoginPage /> }.into_any()
                }}
            </Router>
        </main>
    }
}

/// An address under `/staff/` that leads nowhere.
#[component]
fn NotFound() -> impl IntoView {
    view! {
        <h1>"页面不存在"</h1>
        <p><a href="/staff/">"返回工作台"</a></p>
    }
}
