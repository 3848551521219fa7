//! Members getting in: invitations (one-time tokens that join a device), the device sessions they start,
//! and the few roster facts a session needs. Tokens arrive here already hashed (SHA-256 hex): this module
//! never sees one. The roster itself (import, edit, disable) lives in the roster's own module; this one
//! only reads a member.
//!
//! Rows are found by the token's hash through the unique index. That equality test is not constant-time,
//! but what it compares is a hash of a random token the caller does not control, so its timing tells
//! nothing about any stored token.

use anyhow::Context;
use api::{InvitationState, InvitationSummary, MemberDevice};
use sqlx::{SqliteConnection, SqlitePool};

use super::audit::{self, AuditEntry};

/// The kinds of one-time token in `member_invitations`.
pub mod kind {
    /// Issued by staff, printed or sent: 30 days by default.
    pub const INVITATION: &str = "invitation";
    /// Shown by a joined device for the member's next one: 10 minutes.
    pub const DEVICE_LINK: &str = "device_link";
}

/// Who ended a device session.
pub mod ended_by {
    pub const MEMBER: &str = "member";
    pub const STAFF: &str = "staff";
}

/// A member as the roster has them, with their unit's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RosterMember {
    pub id: i64,
    pub name: String,
    pub unit_id: i64,
    pub unit: String,
    pub phone: String,
    pub is_contact: bool,
    pub disabled_at: Option<String>,
}

const MEMBER_COLUMNS: &str = "m.id, m.name, m.unit_id, u.name AS unit, m.phone, m.is_contact, \
                              m.disabled_at";

/// The member with this id, disabled or not.
#[tracing::instrument(skip(db))]
pub async fn member(db: &SqlitePool, id: i64) -> anyhow::Result<Option<RosterMember>> {
    sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM members m JOIN units u ON u.id = m.unit_id WHERE m.id = ?"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
    .context("reading a member")
}

/// The unit's name and its members who are not disabled, by name: who gets a card on the printed sheet.
#[tracing::instrument(skip(db))]
pub async fn active_members_of_unit(
    db: &SqlitePool,
    unit_id: i64,
) -> anyhow::Result<Option<(String, Vec<RosterMember>)>> {
    let unit: Option<String> = sqlx::query_scalar("SELECT name FROM units WHERE id = ?")
        .bind(unit_id)
        .fetch_optional(db)
        .await
        .context("reading a unit")?;
    let Some(unit) = unit else {
        return Ok(None);
    };
    let members = sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM members m JOIN units u ON u.id = m.unit_id
         WHERE m.unit_id = ? AND m.disabled_at IS NULL ORDER BY m.name, m.id"
    ))
    .bind(unit_id)
    .fetch_all(db)
    .await
    .context("reading a unit's members")?;
    Ok(Some((unit, members)))
}

/// A one-time token to store: its hash, for whom, and until when.
pub struct NewToken<'a> {
    pub member_id: i64,
    pub token_hash: &'a str,
    pub kind: &'static str,
    pub issued_by: Option<i64>,
    pub now: &'a str,
    pub expires_at: &'a str,
}

/// Stores staff invitations (and their audit rows) in one transaction. Each one replaces its member's
/// unused older invitations, which stop working; devices that joined with an earlier one stay joined.
#[tracing::instrument(skip_all, fields(count = tokens.len()))]
pub async fn issue_invitations(
    db: &SqlitePool,
    tokens: &[NewToken<'_>],
    entries: &[AuditEntry<'_>],
) -> anyhow::Result<()> {
    let mut tx = db
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting the transaction for invitations")?;
    for token in tokens {
        sqlx::query(
            "UPDATE member_invitations SET revoked_at = ?
             WHERE member_id = ? AND kind = ? AND used_at IS NULL AND revoked_at IS NULL",
        )
        .bind(token.now)
        .bind(token.member_id)
        .bind(kind::INVITATION)
        .execute(&mut *tx)
        .await
        .context("retiring a member's unused invitation")?;
        insert_token(&mut tx, token).await?;
    }
    for entry in entries {
        audit::record(&mut *tx, entry).await?;
    }
    tx.commit().await.context("committing invitations")?;
    Ok(())
}

/// Stores a device link; a member's earlier links keep their own 10 minutes.
#[tracing::instrument(skip_all)]
pub async fn issue_device_link(db: &SqlitePool, token: &NewToken<'_>) -> anyhow::Result<()> {
    let mut conn = db
        .acquire()
        .await
        .context("a connection for a device link")?;
    insert_token(&mut conn, token).await
}

async fn insert_token(conn: &mut SqliteConnection, token: &NewToken<'_>) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO member_invitations
             (member_id, token_hash, kind, issued_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(token.member_id)
    .bind(token.token_hash)
    .bind(token.kind)
    .bind(token.issued_by)
    .bind(token.now)
    .bind(token.expires_at)
    .execute(&mut *conn)
    .await
    .context("storing a one-time token")?;
    Ok(())
}

const OPEN_TOKEN: &str = "i.token_hash = ? AND i.used_at IS NULL AND i.revoked_at IS NULL \
                          AND i.expires_at > ? AND m.disabled_at IS NULL";

/// The member whose unused, unexpired token has this hash, without using it up.
#[tracing::instrument(skip_all)]
pub async fn invited_member(
    db: &SqlitePool,
    token_hash: &str,
    now: &str,
) -> anyhow::Result<Option<RosterMember>> {
    sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM member_invitations i
         JOIN members m ON m.id = i.member_id JOIN units u ON u.id = m.unit_id
         WHERE {OPEN_TOKEN}"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await
    .context("reading an invitation")
}

/// A device session to start with a one-time token.
pub struct NewDevice<'a> {
    pub token_hash: &'a str,
    pub browser: &'a str,
    pub now: &'a str,
    pub expires_at: &'a str,
}

/// Uses up the one-time token with hash `invitation_hash` and starts the device session, in one
/// transaction: two devices racing with one link cannot both get in. `None` when the token is unknown,
/// used, replaced, expired, or its member disabled.
#[tracing::instrument(skip_all)]
pub async fn join(
    db: &SqlitePool,
    invitation_hash: &str,
    device: &NewDevice<'_>,
) -> anyhow::Result<Option<RosterMember>> {
    let mut tx = db
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting the transaction to join")?;
    let member: Option<RosterMember> = sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM member_invitations i
         JOIN members m ON m.id = i.member_id JOIN units u ON u.id = m.unit_id
         WHERE {OPEN_TOKEN}"
    ))
    .bind(invitation_hash)
    .bind(device.now)
    .fetch_optional(&mut *tx)
    .await
    .context("reading the invitation to use")?;
    let Some(member) = member else {
        return Ok(None);
    };
    sqlx::query("UPDATE member_invitations SET used_at = ? WHERE token_hash = ?")
        .bind(device.now)
        .bind(invitation_hash)
        .execute(&mut *tx)
        .await
        .context("using up the invitation")?;
    sqlx::query(
        "INSERT INTO member_devices
             (member_id, token_hash, browser, joined_at, last_seen_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(member.id)
    .bind(device.token_hash)
    .bind(device.browser)
    .bind(device.now)
    .bind(device.now)
    .bind(device.expires_at)
    .execute(&mut *tx)
    .await
    .context("starting the device session")?;
    tx.commit().await.context("committing the join")?;
    Ok(Some(member))
}

/// A device session found by its token, whatever its state; the caller decides what a dead one means.
#[derive(Debug, Clone)]
pub struct DeviceOwner {
    pub device_id: i64,
    pub last_seen_at: String,
    /// Ended by the member or staff, or past its expiry.
    pub over: bool,
    pub member: RosterMember,
}

/// The device session whose token has this hash, and its member.
#[tracing::instrument(skip_all)]
pub async fn device_owner(
    db: &SqlitePool,
    token_hash: &str,
    now: &str,
) -> anyhow::Result<Option<DeviceOwner>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        device_id: i64,
        last_seen_at: String,
        over: bool,
        #[sqlx(flatten)]
        member: RosterMember,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT d.id AS device_id, d.last_seen_at,
                (d.ended_at IS NOT NULL OR d.expires_at <= ?) AS over, {MEMBER_COLUMNS}
         FROM member_devices d JOIN members m ON m.id = d.member_id JOIN units u ON u.id = m.unit_id
         WHERE d.token_hash = ?"
    ))
    .bind(now)
    .bind(token_hash)
    .fetch_optional(db)
    .await
    .context("reading a device session")?;
    Ok(row.map(|row| DeviceOwner {
        device_id: row.device_id,
        last_seen_at: row.last_seen_at,
        over: row.over,
        member: row.member,
    }))
}

/// Notes a device's use and moves its expiry on.
#[tracing::instrument(skip(db))]
pub async fn touch_device(
    db: &SqlitePool,
    device_id: i64,
    now: &str,
    expires_at: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE member_devices SET last_seen_at = ?, expires_at = ?
         WHERE id = ? AND ended_at IS NULL",
    )
    .bind(now)
    .bind(expires_at)
    .bind(device_id)
    .execute(db)
    .await
    .context("noting a device's use")?;
    Ok(())
}

/// Ends the member's own device session (退出此设备).
#[tracing::instrument(skip(db))]
pub async fn leave(db: &SqlitePool, device_id: i64, now: &str) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE member_devices SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL",
    )
    .bind(now)
    .bind(ended_by::MEMBER)
    .bind(device_id)
    .execute(db)
    .await
    .context("ending a device session")?;
    Ok(())
}

/// Ends the device session whose token has this hash, if it is still on: a shared phone that joins as
/// another member leaves the first one's session behind rather than keeping it alive unseen.
#[tracing::instrument(skip_all)]
pub async fn leave_by_token(db: &SqlitePool, token_hash: &str, now: &str) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE member_devices SET ended_at = ?, ended_by = ?
         WHERE token_hash = ? AND ended_at IS NULL",
    )
    .bind(now)
    .bind(ended_by::MEMBER)
    .bind(token_hash)
    .execute(db)
    .await
    .context("ending the device's earlier session")?;
    Ok(())
}

/// Staff end one of the member's devices, audited with it; `false` when the member has no such device
/// still joined.
#[tracing::instrument(skip(db, entry))]
pub async fn end_device(
    db: &SqlitePool,
    member_id: i64,
    device_id: i64,
    now: &str,
    entry: &AuditEntry<'_>,
) -> anyhow::Result<bool> {
    let mut tx = db
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting the transaction to end a device")?;
    let ended = sqlx::query(
        "UPDATE member_devices SET ended_at = ?, ended_by = ?
         WHERE id = ? AND member_id = ? AND ended_at IS NULL",
    )
    .bind(now)
    .bind(ended_by::STAFF)
    .bind(device_id)
    .bind(member_id)
    .execute(&mut *tx)
    .await
    .context("ending a device session")?
    .rows_affected();
    if ended == 0 {
        return Ok(false);
    }
    audit::record(&mut *tx, entry).await?;
    tx.commit().await.context("committing the ended device")?;
    Ok(true)
}

/// The member's devices still joined (not ended, not expired), oldest first.
#[tracing::instrument(skip(db))]
pub async fn devices(
    db: &SqlitePool,
    member_id: i64,
    now: &str,
) -> anyhow::Result<Vec<MemberDevice>> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, browser, joined_at, last_seen_at FROM member_devices
         WHERE member_id = ? AND ended_at IS NULL AND expires_at > ? ORDER BY id",
    )
    .bind(member_id)
    .bind(now)
    .fetch_all(db)
    .await
    .context("reading a member's devices")?;
    Ok(rows
        .into_iter()
        .map(|(id, browser, joined_at, last_seen_at)| MemberDevice {
            id,
            browser,
            joined_at,
            last_seen_at,
        })
        .collect())
}

/// The member's latest staff invitation, if any.
#[tracing::instrument(skip(db))]
pub async fn latest_invitation(
    db: &SqlitePool,
    member_id: i64,
    now: &str,
) -> anyhow::Result<Option<InvitationSummary>> {
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT created_at, expires_at, used_at FROM member_invitations
         WHERE member_id = ? AND kind = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(member_id)
    .bind(kind::INVITATION)
    .fetch_optional(db)
    .await
    .context("reading a member's latest invitation")?;
    Ok(row.map(|(created_at, expires_at, used_at)| {
        let state = match &used_at {
            Some(_) => InvitationState::Used,
            None if expires_at.as_str() <= now => InvitationState::Expired,
            None => InvitationState::Open,
        };
        InvitationSummary {
            state,
            created_at,
            expires_at,
            used_at,
        }
    }))
}
