//! 同心建言 in the browser: routes and the app shell.

mod client;
mod components;
mod format;
mod load;
mod outbox;
mod pages;
mod storage;

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// The whole app: a header, and one page per route.
#[component]
pub fn App() -> impl IntoView {
    outbox::Outbox::provide();
    view! {
        <Router>
            <header class="app-bar">
                <a href="/" class="brand">"同心建言"</a>
            </header>
            <main id="main">
                <Routes fallback=pages::not_found::NotFoundPage>
                    <Route path=path!("/") view=pages::home::HomePage />
                    <Route path=path!("/submit") view=pages::submit::SubmitPage />
                    <Route path=path!("/track") view=pages::track::TrackPage />
                    <Route path=path!("/track/:code") view=pages::submission::SubmissionPage />
                </Routes>
            </main>
        </Router>
    }
}
