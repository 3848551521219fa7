//! Staff accounts and their login sessions.

use anyhow::Context;
use api::Role;
use sqlx::SqlitePool;

use super::audit::{self, Actor};

/// A staff account that may log in.
#[derive(Debug, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub role: StoredRole,
    pub password_hash: String,
}

/// A role as the `staff.role` column holds it (its CHECK allows only the wire names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredRole(pub Role);

impl TryFrom<String> for StoredRole {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        Role::parse(&text)
            .map(StoredRole)
            .ok_or_else(|| format!("unknown role {text:?} in the staff table"))
    }
}

/// Who a live session belongs to, and when it was last used.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionOwner {
    pub id: i64,
    pub login: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub role: StoredRole,
    pub last_used_at: String,
}

/// Why an account could not be added.
#[derive(Debug)]
pub enum AddError {
    /// Another account has this login (ignoring ASCII case).
    LoginTaken,
    Other(anyhow::Error),
}

/// A transaction that holds the write lock from its start. A deferred one that reads first (an account's
/// id, say) and then writes fails at once with "database is locked" when another process (the server)
/// wrote in between; taking the lock first waits for that write instead (up to the busy timeout).
async fn begin_immediate(
    db: &SqlitePool,
) -> anyhow::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    db.begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting a transaction that holds the write lock")
}

/// The enabled account with this login (ASCII case ignored), if any.
#[tracing::instrument(skip(db))]
pub async fn find_enabled(db: &SqlitePool, login: &str) -> anyhow::Result<Option<Account>> {
    sqlx::query_as(
        "SELECT id, login, name, role, password_hash FROM staff WHERE login = ? AND disabled = 0",
    )
    .bind(login)
    .fetch_optional(db)
    .await
    .context("reading a staff account")
}

/// Adds an account with `role`; `password_hash` comes from `auth::password::hash`. Audited as done by `by`.
#[tracing::instrument(skip(db, password_hash))]
pub async fn add(
    db: &SqlitePool,
    login: &str,
    name: &str,
    role: Role,
    password_hash: &str,
    created_at: &str,
    by: Actor<'_>,
) -> Result<i64, AddError> {
    let mut tx = begin_immediate(db).await.map_err(AddError::Other)?;
    let inserted = sqlx::query(
        "INSERT INTO staff (login, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(login)
    .bind(name)
    .bind(role.as_str())
    .bind(password_hash)
    .bind(created_at)
    .execute(&mut *tx)
    .await;
    let id = match inserted {
        Ok(done) => done.last_insert_rowid(),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Err(AddError::LoginTaken)
        }
        Err(error) => {
            return Err(AddError::Other(
                anyhow::Error::from(error).context("adding a staff account"),
            ))
        }
    };
    let entry = audit::AuditEntry {
        target: Some(login),
        to: Some(role.as_str()),
        note: Some(name),
        ..by.entry(audit::action::ACCOUNT_ADD)
    };
    audit::record(&mut *tx, &entry)
        .await
        .map_err(AddError::Other)?;
    tx.commit()
        .await
        .context("committing a new account")
        .map_err(AddError::Other)?;
    Ok(id)
}

/// Sets a new password and ends the account's sessions (a changed password logs out everywhere).
/// False when no account has this login.
#[tracing::instrument(skip(db, password_hash))]
pub async fn set_password(
    db: &SqlitePool,
    login: &str,
    password_hash: &str,
    by: Actor<'_>,
) -> anyhow::Result<bool> {
    let mut tx = begin_immediate(db).await?;
    let found: Option<(i64, String)> =
        sqlx::query_as("SELECT id, login FROM staff WHERE login = ?")
            .bind(login)
            .fetch_optional(&mut *tx)
            .await
            .context("reading a staff account")?;
    let Some((id, login)) = found else {
        return Ok(false);
    };
    sqlx::query("UPDATE staff SET password_hash = ? WHERE id = ?")
        .bind(password_hash)
        .bind(id)
        .execute(&mut *tx)
        .await
        .context("setting a password")?;
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await
        .context("ending an account's sessions")?;
    let entry = audit::AuditEntry {
        target: Some(&login),
        note: Some("原有登录均已退出"),
        ..by.entry(audit::action::ACCOUNT_SET_PASSWORD)
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await.context("committing a new password")?;
    Ok(true)
}

/// An account as `jianyan staff list` shows it.
#[derive(Debug, sqlx::FromRow)]
pub struct AccountSummary {
    pub login: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub role: StoredRole,
    pub created_at: String,
    pub disabled: bool,
}

/// Every account, enabled or not, by login.
pub async fn list(db: &SqlitePool) -> anyhow::Result<Vec<AccountSummary>> {
    sqlx::query_as("SELECT login, name, role, created_at, disabled FROM staff ORDER BY login")
        .fetch_all(db)
        .await
        .context("listing staff accounts")
}

/// Disables (ending its sessions) or enables an account. False when no account has this login.
#[tracing::instrument(skip(db))]
pub async fn set_disabled(
    db: &SqlitePool,
    login: &str,
    disabled: bool,
    by: Actor<'_>,
) -> anyhow::Result<bool> {
    let mut tx = begin_immediate(db).await?;
    let found: Option<(i64, String, bool)> =
        sqlx::query_as("SELECT id, login, disabled FROM staff WHERE login = ?")
            .bind(login)
            .fetch_optional(&mut *tx)
            .await
            .context("reading a staff account")?;
    let Some((id, login, was_disabled)) = found else {
        return Ok(false);
    };
    sqlx::query("UPDATE staff SET disabled = ? WHERE id = ?")
        .bind(disabled)
        .bind(id)
        .execute(&mut *tx)
        .await
        .context("changing whether an account is disabled")?;
    if disabled {
        sqlx::query("DELETE FROM staff_sessions WHERE staff_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .context("ending a disabled account's sessions")?;
    }
    let state = |disabled: bool| if disabled { "disabled" } else { "enabled" };
    let action = if disabled {
        audit::action::ACCOUNT_DISABLE
    } else {
        audit::action::ACCOUNT_ENABLE
    };
    let entry = audit::AuditEntry {
        target: Some(&login),
        from: Some(state(was_disabled)),
        to: Some(state(disabled)),
        ..by.entry(action)
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await.context("committing an account change")?;
    Ok(true)
}

/// Gives an account `role`, returning the role it had; `None` when no account has this login. Its
/// sessions go on: each request reads the role afresh.
#[tracing::instrument(skip(db))]
pub async fn set_role(
    db: &SqlitePool,
    login: &str,
    role: Role,
    by: Actor<'_>,
) -> anyhow::Result<Option<Role>> {
    let mut tx = begin_immediate(db).await?;
    let found: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, login, role FROM staff WHERE login = ?")
            .bind(login)
            .fetch_optional(&mut *tx)
            .await
            .context("reading a staff account")?;
    let Some((id, login, old)) = found else {
        return Ok(None);
    };
    let StoredRole(old) = StoredRole::try_from(old).map_err(anyhow::Error::msg)?;
    sqlx::query("UPDATE staff SET role = ? WHERE id = ?")
        .bind(role.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await
        .context("changing an account's role")?;
    let entry = audit::AuditEntry {
        target: Some(&login),
        from: Some(old.as_str()),
        to: Some(role.as_str()),
        ..by.entry(audit::action::ACCOUNT_SET_ROLE)
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await.context("committing a role change")?;
    Ok(Some(old))
}

/// How many accounts can log in.
pub async fn count_enabled(db: &SqlitePool) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE disabled = 0")
        .fetch_one(db)
        .await
        .context("counting staff accounts")
}

/// Records a new session and audits the login (`login`, made by `auth::session::start`); also clears
/// sessions that have ended, by time or by disuse, so the table stays small.
#[tracing::instrument(skip(db, token_hash, login))]
pub async fn start_session(
    db: &SqlitePool,
    staff_id: i64,
    token_hash: &str,
    now: &str,
    expires_at: &str,
    idle_cutoff: &str,
    login: &audit::AuditEntry<'_>,
) -> anyhow::Result<()> {
    let mut tx = begin_immediate(db).await?;
    sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= ? OR last_used_at <= ?")
        .bind(now)
        .bind(idle_cutoff)
        .execute(&mut *tx)
        .await
        .context("clearing ended sessions")?;
    sqlx::query(
        "INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at, last_used_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(staff_id)
    .bind(now)
    .bind(expires_at)
    .bind(now)
    .execute(&mut *tx)
    .await
    .context("recording a session")?;
    audit::record(&mut *tx, login).await?;
    tx.commit().await.context("committing a session")
}

/// The staff member a session belongs to, if the session exists, has not expired, was used after
/// `idle_cutoff`, and the account is enabled. Times are RFC 3339 strings with one fixed offset, so they
/// compare as text.
#[tracing::instrument(skip_all)]
pub async fn session_owner(
    db: &SqlitePool,
    token_hash: &str,
    now: &str,
    idle_cutoff: &str,
) -> anyhow::Result<Option<SessionOwner>> {
    sqlx::query_as(
        "SELECT st.id, st.login, st.name, st.role, se.last_used_at
         FROM staff_sessions se JOIN staff st ON st.id = se.staff_id
         WHERE se.token_hash = ? AND se.expires_at > ? AND se.last_used_at > ?
           AND st.disabled = 0",
    )
    .bind(token_hash)
    .bind(now)
    .bind(idle_cutoff)
    .fetch_optional(db)
    .await
    .context("reading a session")
}

/// Notes that a session was used `now`, which keeps it from ending for disuse.
#[tracing::instrument(skip_all)]
pub async fn touch_session(db: &SqlitePool, token_hash: &str, now: &str) -> anyhow::Result<()> {
    sqlx::query("UPDATE staff_sessions SET last_used_at = ? WHERE token_hash = ?")
        .bind(now)
        .bind(token_hash)
        .execute(db)
        .await
        .context("noting a session's use")?;
    Ok(())
}

/// Ends one session (logging out) and audits it with `logout`.
#[tracing::instrument(skip_all)]
pub async fn end_session(
    db: &SqlitePool,
    token_hash: &str,
    logout: &audit::AuditEntry<'_>,
) -> anyhow::Result<()> {
    let mut tx = begin_immediate(db).await?;
    sqlx::query("DELETE FROM staff_sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(&mut *tx)
        .await
        .context("ending a session")?;
    audit::record(&mut *tx, logout).await?;
    tx.commit().await.context("committing a logout")
}
