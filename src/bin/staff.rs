//! The staff's desk app, built by trunk from `staff.html` into its own bundle.

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // The static header and "正在加载…" of staff.html give way to the app.
    jianyan::mount(jianyan::staff::StaffApp);
}
