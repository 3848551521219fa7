//! 同心建言 in the browser: two apps from one library, each mounted by its own binary into its own bundle:
//! the members' (`members::App`, index.html) and the staff's (`staff::StaffApp`, staff.html). What both
//! use sits at the top: the typed client, device storage, loading, formatting and view components.

mod client;
mod components;
mod format;
mod load;
pub mod members;
pub mod staff;
mod storage;

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
