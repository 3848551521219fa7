//! The members' topics app (`/topics/`: 党委出题, claiming, 自主选题, research results, and the submission
//! form with attachments), built by trunk from `topics.html` into its own bundle.

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    jianyan::mount(jianyan::topics::TopicsApp);
    jianyan::register_service_worker();
}
