//! 同心建言 in the browser: the members' app (`App`, routes and shell) and the staff's (`staff::StaffApp`),
//! each mounted by its own binary into its own bundle.

mod client;
mod components;
mod format;
mod load;
mod outbox;
mod pages;
pub mod staff;
mod storage;

use leptos::prelude::*;
use leptos_router::{components::Router, hooks::use_location};
use wasm_bindgen::JsCast;

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
                <Pages />
            </main>
        </Router>
    }
}

/// The page for the current path. Four fixed paths need no route tree: matching them here keeps
/// leptos_router's nested-route machinery out of the wasm every phone downloads.
#[component]
fn Pages() -> impl IntoView {
    let location = use_location();
    move || {
        let path = location.pathname.get();
        match path.trim_end_matches('/') {
            "" => view! { <pages::home::HomePage /> }.into_any(),
            "/submit" => view! { <pages::submit::SubmitPage /> }.into_any(),
            "/track" => view! { <pages::track::TrackPage /> }.into_any(),
            other => match other
                .strip_prefix("/track/")
                .filter(|code| !code.contains('/'))
            {
                Some(code) => {
                    let code = code.to_owned();
                    view! { <pages::submission::SubmissionPage code /> }.into_any()
                }
                None => view! { <pages::not_found::NotFoundPage /> }.into_any(),
            },
        }
    }
}

/// Mounts `app` in place of the static page inside `#app` (index.html's or staff.html's), or into the
/// body when a page has no `#app`.
pub fn mount<V: IntoView + 'static>(app: fn() -> V) {
    let root = document()
        .get_element_by_id("app")
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    match root {
        Some(root) => {
            root.set_inner_html("");
            leptos::mount::mount_to(root, app).forget();
        }
        None => leptos::mount::mount_to_body(app),
    }
}
