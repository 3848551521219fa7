//! The staff app's pages, one file per route (`super::app` routes to them).

pub mod audit;
pub mod invitation;
pub mod list;
pub mod login;
pub mod member;
pub mod member_access;
pub mod members;
mod record_file;
mod roster_import;
pub mod settings;
pub mod submission;
pub mod surveys;
pub mod unit_invitations;
pub mod units;
