//! The members' 问卷 app (`/surveys/`: the open surveys, answering one), built by trunk from
//! `surveys.html` into its own bundle.

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    jianyan::mount(jianyan::surveys::SurveysApp);
    jianyan::register_service_worker();
}
