//! The staff app's pages, one file per route (`super::app` routes to them).

pub mod login;
pub mod workbench;
