//! The members' forms with attachments (`/topics/<id>/result`, `/topics/submit`), built by trunk from
//! `topics-send.html` into a bundle of their own, apart from the topics list's.

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    jianyan::mount(jianyan::topics::TopicsSendApp);
    jianyan::register_service_worker();
}
