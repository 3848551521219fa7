//! The staff app's shell: the header, and the login form or the page for the address.
//!
//! Routed by leptos_router under `/staff/` (bytes matter less at a desk than on a phone). While nobody is
//! logged in every address shows the login form, and after login the same address shows its page, so a
//! link a colleague sent, or a reload after the session ran out, lands where it pointed.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path,
};

use super::pages::{
    topics::TopicsOverview, topics_board::TopicBoardPage, topics_editor::TopicEditor,
    topics_proposals::ProposalsPage,
};
use super::{
    pages::{
        audit::AuditLog, list::SubmissionList, login::LoginPage, member::MemberDetail,
        member_access::MemberAccessPage, members::MemberList, settings::SettingsPage,
        submission::SubmissionDetail, unit_invitations::UnitInvitationsPage, units::UnitAdmin,
    },
    session::SessionState,
    Session,
};
use crate::client;

/// The whole staff app.
#[component]
pub fn StaffApp() -> impl IntoView {
    let session = Session::provide();
    // The cookie may still hold a session from earlier: ask once, at start.
    spawn_local(async move {
        match client::current_staff().await {
            Ok(staff) => session.start(staff),
            Err(client::ClientError::Api { status: 401, .. }) => session.end(None),
            Err(error) => session.end(Some(error.message())),
        }
    });
    let log_out = move |_| {
        // The form shows only once the server has ended the session and cleared the cookie: a reload
        // straight after must not find the desk again.
        spawn_local(async move {
            let reason = client::log_out()
                .await
                .err()
                .map(|error| format!("退出登录没有完成（{}），请重试", error.message()));
            session.end(reason);
        });
    };
    view! {
        <Router base="/staff">
            <header class="app-bar desk-bar">
                <a href="/staff/" class="brand">"同心建言 · 工作台"</a>
                {move || session.staff().map(|staff| view! {
                    <nav class="desk-nav" aria-label="工作台">
                        <A href="/staff/">"建言列表"</A>
                        <A href="/staff/members">"成员名册"</A>
                        <A href="/staff/topics">"课题"</A>
                        {session.is_admin().then(|| view! {
                            <A href="/staff/units">"单位管理"</A>
                            <A href="/staff/audit">"操作日志"</A>
                            <A href="/staff/settings">"设置"</A>
                        })}
                    </nav>
                    <span class="who">{format!("{}（{}）", staff.name, staff.role.label())}</span>
                    <button type="button" on:click=log_out>"退出登录"</button>
                })}
            </header>
            <main id="main">
                {move || match session.state() {
                    SessionState::Checking => view! { <p class="loading">"正在加载…"</p> }.into_any(),
                    SessionState::LoggedOut { .. } => view! { <LoginPage /> }.into_any(),
                    SessionState::LoggedIn(_) => view! {
                        <Routes fallback=|| view! { <NotFound /> }>
                            <Route path=path!("/") view=SubmissionList />
                            <Route path=path!("/submissions/:code") view=SubmissionDetail />
                            <Route path=path!("/audit") view=AuditLog />
                            <Route path=path!("/units") view=UnitAdmin />
                            <Route path=path!("/members") view=MemberList />
                            <Route path=path!("/members/:id") view=MemberDetail />
                            <Route path=path!("/members/:id/access") view=MemberAccessPage />
                            <Route path=path!("/units/:id/invitations") view=UnitInvitationsPage />
                            <Route path=path!("/settings") view=SettingsPage />
                            <Route path=path!("/topics") view=TopicsOverview />
                            <Route path=path!("/topics/new") view=TopicEditor />
                            <Route path=path!("/topics/:id") view=TopicBoardPage />
                            <Route path=path!("/topics/:id/edit") view=TopicEditor />
                            <Route path=path!("/proposals") view=ProposalsPage />
                        </Routes>
                    }
                    .into_any(),
                }}
            </main>
        </Router>
    }
}

/// An address under `/staff/` that leads nowhere.
#[component]
fn NotFound() -> impl IntoView {
    view! {
        <h1>"页面不存在"</h1>
        <p><a href="/staff/">"返回建言列表"</a></p>
    }
}
