//! The staff's desk app (`src/bin/staff.rs`, staff.html), its own bundle under `/staff/`.

mod app;
mod pages;
mod session;

pub use app::StaffApp;
pub use session::Session;
