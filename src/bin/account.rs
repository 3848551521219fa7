//! The members' account app (`/me/`: joining with an invitation, 我的), built by trunk from
//! `account.html` into its own bundle.

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    jianyan::mount(jianyan::account::AccountApp);
    jianyan::register_service_worker();
}
