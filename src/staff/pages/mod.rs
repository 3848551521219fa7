//! The staff app's pages, one file per route (`super::app` routes to them).

pub mod audit;
pub mod list;
pub mod login;
mod record_file;
pub mod member;
pub mod members;
mod roster_import;
pub mod submission;
pub mod units;
