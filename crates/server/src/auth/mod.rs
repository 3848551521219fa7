//! Staff authentication: passwords (Argon2id), login sessions (random bearer tokens kept only as
//! hashes), and the extractor that lets a handler require a logged-in staff member.

pub mod accounts;
pub mod cross_site;
pub mod lockout;
pub mod member_session;
pub mod password;
pub mod session;

pub use session::{CurrentStaff, RequireAdmin};
