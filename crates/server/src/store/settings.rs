//! The department's settings: one row per key in `settings`; a missing row means the default.

use anyhow::Context;
use sqlx::SqlitePool;

use super::audit::{self, AuditEntry};

/// Whether people who have not joined may submit (`on` or `off`; default on).
pub const GUEST_SUBMISSIONS: &str = "guest_submissions";

/// Whether guests may submit now.
#[tracing::instrument(skip(db))]
pub async fn guest_submissions(db: &SqlitePool) -> anyhow::Result<bool> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(GUEST_SUBMISSIONS)
        .fetch_optional(db)
        .await
        .context("reading the guest setting")?;
    Ok(value.as_deref() != Some("off"))
}

/// Turns guest submissions on or off, audited with it.
#[tracing::instrument(skip(db, entry))]
pub async fn set_guest_submissions(
    db: &SqlitePool,
    on: bool,
    entry: &AuditEntry<'_>,
) -> anyhow::Result<()> {
    let mut tx = db
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting the transaction for a setting")?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(GUEST_SUBMISSIONS)
    .bind(if on { "on" } else { "off" })
    .execute(&mut *tx)
    .await
    .context("writing the guest setting")?;
    audit::record(&mut *tx, entry).await?;
    tx.commit().await.context("committing a setting")?;
    Ok(())
}
