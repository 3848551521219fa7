fn main() {
    // Readable panics in development; release builds leave the hook's bytes out.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // index.html paints a static copy of the page; the app takes its place once that copy is on screen
    // (two frames on), so even where the wasm is already cached the page appears in one step.
    leptos::prelude::request_animation_frame(|| {
        leptos::prelude::request_animation_frame(|| jianyan::mount(jianyan::members::App))
    });
    jianyan::register_service_worker();
}
