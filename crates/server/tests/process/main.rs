//! The real `jianyan` binary as a child process: killed, stopped and backed up while it takes writes.

mod backup;
mod binary_names;
mod behind_nginx;
mod crash;
mod helpers;
mod shutdown;
mod staff_accounts;
