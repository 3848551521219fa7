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
pub mod topics;
pub mod topics_board;
pub mod topics_editor;
pub mod topics_grade;
pub mod topics_proposals;
mod topics_versions;
pub mod unit_invitations;
pub mod units;
