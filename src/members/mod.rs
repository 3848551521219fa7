//! The members' app (`src/bin/members.rs`, index.html): submit from a phone, and follow what became of it.

mod app;
mod location;
mod outbox;
mod pages;
mod route;

pub use app::App;
pub use route::Route;
