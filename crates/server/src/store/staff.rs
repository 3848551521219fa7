//! Staff accounts and their login sessions.

use anyhow::Context;
use sqlx::SqlitePool;

/// A staff account that may log in.
#[derive(Debug, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub password_hash: String,
}

/// Who a live session belongs to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionOwner {
    pub id: i64,
    pub login: String,
    pub name: String,
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
        "SELECT id, login, name, password_hash FROM staff WHERE login = ? AND disabled = 0",
    )
    .bind(login)
    .fetch_optional(db)
    .await
    .context("reading a staff account")
}

/// Adds an account; `password_hash` comes from `auth::password::hash`.
#[tracing::instrument(skip(db, password_hash))]
pub async fn add(
    db: &SqlitePool,
    login: &str,
    name: &str,
    password_hash: &str,
    created_at: &str,
) -> Result<i64, AddError> {
    let inserted = sqlx::query(
        "INSERT INTO staff (login, name, password_hash, created_at) VALUES (?, ?, ?, ?)",
    )
    .bind(login)
    .bind(name)
    .bind(password_hash)
    .bind(created_at)
    .execute(db)
    .await;
    match inserted {
        Ok(done) => Ok(done.last_insert_rowid()),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            Err(AddError::LoginTaken)
        }
        Err(error) => Err(AddError::Other(
            anyhow::Error::from(error).context("adding a staff account"),
        )),
    }
}

/// Sets a new password and ends the account's sessions (a changed password logs out everywhere).
/// False when no account has this login.
#[tracing::instrument(skip(db, password_hash))]
pub async fn set_password(
    db: &SqlitePool,
    login: &str,
    password_hash: &str,
) -> anyhow::Result<bool> {
    let mut tx = begin_immediate(db).await?;
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM staff WHERE login = ?")
        .bind(login)
        .fetch_optional(&mut *tx)
        .await
        .context("reading a staff account")?;
    let Some(id) = id else {
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
    tx.commit().await.context("committing a new password")?;
    Ok(true)
}

/// An account as `jianyan staff list` shows it.
#[derive(Debug, sqlx::FromRow)]
pub struct AccountSummary {
    pub login: String,
    pub name: String,
    pub created_at: String,
    pub disabled: bool,
}

/// Every account, enabled or not, by login.
pub async fn list(db: &SqlitePool) -> anyhow::Result<Vec<AccountSummary>> {
    sqlx::query_as("SELECT login, name, created_at, disabled FROM staff ORDER BY login")
        .fetch_all(db)
        .await
        .context("listing staff accounts")
}

/// Disables (ending its sessions) or enables an account. False when no account has this login.
#[tracing::instrument(skip(db))]
pub async fn set_disabled(db: &SqlitePool, login: &str, disabled: bool) -> anyhow::Result<bool> {
    let mut tx = begin_immediate(db).await?;
    let id: Option<i64> =
        sqlx::query_scalar("UPDATE staff SET disabled = ? WHERE login = ? RETURNING id")
            .bind(disabled)
            .bind(login)
            .fetch_optional(&mut *tx)
            .await
            .context("changing whether an account is disabled")?;
    let Some(id) = id else {
        return Ok(false);
    };
    if disabled {
        sqlx::query("DELETE FROM staff_sessions WHERE staff_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .context("ending a disabled account's sessions")?;
    }
    tx.commit().await.context("committing an account change")?;
    Ok(true)
}

/// How many accounts can log in.
pub async fn count_enabled(db: &SqlitePool) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE disabled = 0")
        .fetch_one(db)
        .await
        .context("counting staff accounts")
}

/// Records a new session; also clears sessions that have expired, so the table stays small.
#[tracing::instrument(skip(db, token_hash))]
pub async fn start_session(
    db: &SqlitePool,
    staff_id: i64,
    token_hash: &str,
    now: &str,
    expires_at: &str,
) -> anyhow::Result<()> {
    let mut tx = begin_immediate(db).await?;
    sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= ?")
        .bind(now)
        .execute(&mut *tx)
        .await
        .context("clearing expired sessions")?;
    sqlx::query(
        "INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at)
         VALUES (?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(staff_id)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *tx)
    .await
    .context("recording a session")?;
    tx.commit().await.context("committing a session")
}

/// The staff member a session belongs to, if the session exists, has not expired and the account is
/// enabled. Times are RFC 3339 strings with one fixed offset, so they compare as text.
#[tracing::instrument(skip_all)]
pub async fn session_owner(
    db: &SqlitePool,
    token_hash: &str,
    now: &str,
) -> anyhow::Result<Option<SessionOwner>> {
    sqlx::query_as(
        "SELECT st.id, st.login, st.name
         FROM staff_sessions se JOIN staff st ON st.id = se.staff_id
         WHERE se.token_hash = ? AND se.expires_at > ? AND st.disabled = 0",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await
    .context("reading a session")
}

/// Ends one session (logging out).
#[tracing::instrument(skip_all)]
pub async fn end_session(db: &SqlitePool, token_hash: &str) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM staff_sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(db)
        .await
        .context("ending a session")?;
    Ok(())
}
