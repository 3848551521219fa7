//! 同心建言 in the browser: two apps from one library, each mounted by its own binary into its own bundle:
//! the members' (`members::App`, index.html) and the staff's (`staff::StaffApp`, staff.html). What both
//! use sits at the top: the typed client, device storage, loading, formatting and view components.

pub mod account;
mod client;
mod components;
mod format;
mod load;
pub mod members;
mod membership;
pub mod staff;
mod storage;
pub mod topics;
pub mod uploads;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

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

/// The service worker keeps each members' app shell for opening without a network (assets/sw.js).
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // Not supported (or not a secure context): the app still works online.
    if !container.is_undefined() {
        let _ = container.register("/sw.js");
    }
}
