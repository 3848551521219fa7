//! The API through the real router, over a real SQLite file that is fresh for each test.

mod audit_log;
mod behind_a_proxy;
mod errors;
mod exports;
mod frontend_apps;
mod group_commit;
mod helpers;
mod idempotency;
mod login_lockout;
mod openapi;
mod persistence;
mod rate_limits;
mod request_cost;
mod request_timeout;
mod secrets;
mod security;
mod staff_access;
mod staff_roles;
mod staff_session;
mod static_assets;
mod storage_edges;
mod submissions;
mod units;
