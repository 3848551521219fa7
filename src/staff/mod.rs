//! The staff's desk app (its own bundle, `src/bin/staff.rs`): log in, then the workbench.
//!
//! One page at `/staff/`, so no router: the login form while nobody is logged in, the workbench after.

mod session;

use leptos::{prelude::*, task::spawn_local};

use crate::{
    client,
    pages::staff::{login::LoginPage, workbench::Workbench},
};
pub use session::Session;

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
            {move || if session.is_logged_in() {
                view! { <Workbench /> }.into_any()
            } else {
                view! { <LoginPage /> }.into_any()
            }}
        </main>
    }
}
