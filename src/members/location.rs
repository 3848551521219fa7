//! Where the members' app is: the address as a signal, links that change it without a page load,
//! back and forward, and `navigate`.
//!
//! This is the part of leptos_router's `<Router>` the members' app uses, and no more. The router costs
//! every phone about 10 KB of brotli (wasm 143.1 → 133.5 KB, JS glue 7.3 → 6.8 KB, measured both ways)
//! for route matching, nested outlets and form handling the app does not use. The staff's app, where
//! bytes matter less, uses leptos_router itself.

use leptos::{ev, prelude::*};
use wasm_bindgen::{JsCast, JsValue};

/// The address the members' app shows, shared through context.
#[derive(Clone, Copy)]
pub struct Location {
    /// `location.pathname`.
    pub path: RwSignal<String>,
    /// `location.hash` without its `#`: a submission's secret rides there, never sent to a server.
    pub hash: RwSignal<String>,
}

impl Location {
    /// Reads the address, follows it from now on, and provides it as context.
    pub fn provide() -> Self {
        let location = Self {
            path: RwSignal::new(String::new()),
            hash: RwSignal::new(String::new()),
        };
        location.sync();
        provide_context(location);
        // Both listeners live as long as the app.
        std::mem::forget(window_event_listener(ev::popstate, move |_| {
            location.sync()
        }));
        std::mem::forget(window_event_listener(ev::click, move |event| {
            location.follow_link(&event)
        }));
        location
    }

    /// Goes to `href` (a path in this app, with `?query` or `#fragment` if any) as a new history entry.
    pub fn navigate(&self, href: &str) {
        if let Ok(history) = window().history() {
            if history
                .push_state_with_url(&JsValue::NULL, "", Some(href))
                .is_err()
            {
                // Not allowed (e.g. another origin): an ordinary page load goes there instead.
                let _ = window().location().set_href(href);
                return;
            }
        }
        self.sync();
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    fn sync(&self) {
        let address = window().location();
        let path = address.pathname().unwrap_or_default();
        let hash = address.hash().unwrap_or_default();
        let hash = hash.trim_start_matches('#');
        if self.path.with_untracked(|current| *current != path) {
            self.path.set(path);
        }
        if self.hash.with_untracked(|current| current != hash) {
            self.hash.set(hash.to_owned());
        }
    }

    /// A plain left click on a link into this app changes the address in place; anything else (a new
    /// tab, a download, another origin, a path none of this app's routes knows: the staff's app, the
    /// account, topics and survey apps, each a bundle of its own) is left to the browser.
    fn follow_link(&self, event: &web_sys::MouseEvent) {
        if event.default_prevented()
            || event.button() != 0
            || event.meta_key()
            || event.ctrl_key()
            || event.shift_key()
            || event.alt_key()
        {
            return;
        }
        let Some(anchor) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("a[href]").ok().flatten())
            .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        if anchor.has_attribute("download") || !anchor.target().is_empty() {
            return;
        }
        let here = window().location().origin().unwrap_or_default();
        let path = anchor.pathname();
        if anchor.origin() != here
            || super::route::Route::parse(&path) == super::route::Route::NotFound
        {
            return;
        }
        event.prevent_default();
        self.navigate(&format!("{path}{}{}", anchor.search(), anchor.hash()));
    }
}
