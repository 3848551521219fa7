//! The members' app shell: the header, and the page for the address.

use leptos::prelude::*;

use super::{location::Location, outbox::Outbox, pages, route::Route};

/// The whole app: a header, and one page per route.
#[component]
pub fn App() -> impl IntoView {
    Outbox::provide();
    Location::provide();
    view! {
        <header class="app-bar">
            <a href=Route::Home.href() class="brand">"同心建言"</a>
        </header>
        <Pages />
    }
}

/// The page for the current address. A handful of fixed paths need no route tree: matching them here
/// keeps leptos_router's nested-route machinery out of the wasm every phone downloads.
/// `data-route` says which page is on screen, so tests can check that it matches the address bar.
#[component]
fn Pages() -> impl IntoView {
    let location = expect_context::<Location>();
    let route = Memo::new(move |_| location.path.with(|path| Route::parse(path)));
    let page = move || match route.get() {
        Route::Home => view! { <pages::home::HomePage /> }.into_any(),
        Route::Submit => view! { <pages::submit::SubmitPage /> }.into_any(),
        Route::Track => view! { <pages::track::TrackPage /> }.into_any(),
        Route::Submission { code } => {
            view! { <pages::submission::SubmissionPage code /> }.into_any()
        }
        Route::NotFound => view! { <pages::not_found::NotFoundPage /> }.into_any(),
    };
    view! { <main id="main" data-route=move || route.read().href()>{page}</main> }
}
