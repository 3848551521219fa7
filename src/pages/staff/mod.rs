//! The staff app's pages (`crate::staff` puts them on screen).

pub mod login;
pub mod workbench;
