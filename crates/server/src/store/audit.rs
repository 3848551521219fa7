//! The audit log: one row per thing a staff member (or the operator at the console) did, kept forever.
//! The table is append-only (its triggers refuse UPDATE and DELETE); this module only adds and reads.
//!
//! `record` takes any executor, so a change and its audit row commit together inside the caller's
//! transaction: `audit::record(&mut *tx, &entry)`.

use anyhow::Context;
use sqlx::SqlitePool;

use crate::clock;

/// The actor name of the `jianyan staff` console commands.
pub const CONSOLE: &str = "console";

/// The action names this module's callers write. Other areas name theirs the same way (`area.verb`).
pub mod action {
    /// A staff member logged in.
    pub const LOGIN: &str = "staff.login";
    /// A login was refused (wrong password, unknown or disabled account, locked name); `note` says why.
    pub const LOGIN_FAILED: &str = "staff.login_failed";
    pub const LOGOUT: &str = "staff.logout";
    /// The submission list was downloaded as Excel; `note` holds the year filter.
    pub const EXPORT: &str = "submissions.export";
    pub const ACCOUNT_ADD: &str = "staff.add";
    pub const ACCOUNT_DISABLE: &str = "staff.disable";
    pub const ACCOUNT_ENABLE: &str = "staff.enable";
    pub const ACCOUNT_SET_PASSWORD: &str = "staff.set_password";
    pub const ACCOUNT_SET_ROLE: &str = "staff.set_role";
}

/// One row to add; `at` is now.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditEntry<'a> {
    /// The acting account; `None` for the console.
    pub staff_id: Option<i64>,
    /// The acting login, or `CONSOLE`.
    pub actor: &'a str,
    /// One of `action::*`, or another area's `area.verb`.
    pub action: &'a str,
    /// What was acted on: a login, a tracking code.
    pub target: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    /// Why, or details. Never a password or a token.
    pub note: Option<&'a str>,
    /// The client's address, as `client_addr::ClientIp` found it.
    pub client_addr: Option<&'a str>,
}

/// Who acts: the part of an `AuditEntry` that is the same for everything one request (or one console
/// command) does.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub staff_id: Option<i64>,
    pub login: &'a str,
    pub client_addr: Option<&'a str>,
}

impl Actor<'static> {
    /// The operator at the server's console (`jianyan staff …`).
    pub const CONSOLE: Actor<'static> = Actor {
        staff_id: None,
        login: CONSOLE,
        client_addr: None,
    };
}

impl<'a> Actor<'a> {
    /// An entry for `action` by this actor; set `target`, `from`, `to` and `note` on it as needed.
    pub fn entry(self, action: &'a str) -> AuditEntry<'a> {
        AuditEntry {
            staff_id: self.staff_id,
            actor: self.login,
            action,
            client_addr: self.client_addr,
            ..AuditEntry::default()
        }
    }
}

/// Adds `entry`, stamped with the current China time.
#[tracing::instrument(skip_all, fields(action = entry.action, actor = entry.actor))]
pub async fn record<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    entry: &AuditEntry<'_>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log
             (at, staff_id, actor, action, target, from_value, to_value, note, client_addr)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(clock::rfc3339(clock::now()))
    .bind(entry.staff_id)
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.target)
    .bind(entry.from)
    .bind(entry.to)
    .bind(entry.note)
    .bind(entry.client_addr)
    .execute(executor)
    .await
    .with_context(|| format!("writing the audit row for {}", entry.action))?;
    Ok(())
}

/// A stored row.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub staff_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
    pub note: Option<String>,
    pub client_addr: Option<String>,
}

/// Which rows `list` reads: every condition that is `Some` must hold.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub actor: Option<&'a str>,
    pub action: Option<&'a str>,
    /// RFC 3339 (China time): rows at or after this.
    pub at_or_after: Option<&'a str>,
    /// RFC 3339 (China time): rows strictly before this.
    pub before_time: Option<&'a str>,
    /// Rows with a smaller id: the next page after a page that ended with this id.
    pub before_id: Option<i64>,
    /// At most this many rows.
    pub limit: i64,
}

/// The rows `filter` selects, newest first.
#[tracing::instrument(skip(db))]
pub async fn list(db: &SqlitePool, filter: &Filter<'_>) -> anyhow::Result<Vec<AuditRow>> {
    sqlx::query_as(
        "SELECT id, at, staff_id, actor, action, target, from_value, to_value, note, client_addr
         FROM audit_log
         WHERE (?1 IS NULL OR actor = ?1)
           AND (?2 IS NULL OR action = ?2)
           AND (?3 IS NULL OR at >= ?3)
           AND (?4 IS NULL OR at < ?4)
           AND (?5 IS NULL OR id < ?5)
         ORDER BY id DESC
         LIMIT ?6",
    )
    .bind(filter.actor)
    .bind(filter.action)
    .bind(filter.at_or_after)
    .bind(filter.before_time)
    .bind(filter.before_id)
    .bind(filter.limit)
    .fetch_all(db)
    .await
    .context("reading the audit log")
}
