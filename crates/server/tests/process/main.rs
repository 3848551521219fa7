//! The real `jianyan` binary as a child process: killed, stopped and backed up while it takes writes.

mod backup;
mod behind_nginx;
mod binary_names;
mod crash;
mod helpers;
mod shutdown;
mod staff_accounts;
mod units_import;
