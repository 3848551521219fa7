use wasm_bindgen::JsCast;

fn main() {
    // Readable panics in development; release builds leave the hook's bytes out.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // index.html paints a static copy of the page; the app takes its place once that copy is on screen
    // (two frames on), so even where the wasm is already cached the page appears in one step.
    leptos::prelude::request_animation_frame(|| leptos::prelude::request_animation_frame(mount));
    register_service_worker();
}

fn mount() {
    let root = leptos::prelude::document()
        .get_element_by_id("app")
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    match root {
        Some(root) => {
            root.set_inner_html("");
            leptos::mount::mount_to(root, jianyan::App).forget();
        }
        None => leptos::mount::mount_to_body(jianyan::App),
    }
}

/// The service worker keeps the app shell for opening without a network (assets/sw.js).
fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // Not supported (or not a secure context): the app still works online.
    if !container.is_undefined() {
        let _ = container.register("/sw.js");
    }
}
