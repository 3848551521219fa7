//! The API through the real router, over a real SQLite file that is fresh for each test.

mod errors;
mod helpers;
mod idempotency;
mod persistence;
mod submissions;
mod units;
