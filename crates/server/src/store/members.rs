//! The roster's members: read one (by id or phone), list with search, edit, disable; and store a roster
//! import. Every change by staff writes its audit row in the same transaction.
//!
//! Invitations and device sessions (another area) read members through `get` and `by_phone` and check
//! `Member::disabled_at`.

use std::collections::HashMap;

use anyhow::Context;
use api::{
    roster::{MemberDetails, MemberSubmissionLine, MemberView},
    MemberId, SubmissionKind, SubmissionStatus, TrackingCode, UnitId,
};
use sqlx::{SqliteConnection, SqlitePool};

use super::audit::{self, Actor};
use crate::clock;

/// Audit actions of this module; the target is `<name> <phone>`.
pub mod action {
    pub const EDIT: &str = "members.edit";
    pub const DISABLE: &str = "members.disable";
    pub const ENABLE: &str = "members.enable";
    /// A roster import was stored; `note` counts what it added and updated.
    pub const IMPORT: &str = "members.import";
}

/// A member as stored, with their unit's name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub unit_id: i64,
    pub unit: String,
    pub phone: String,
    pub position: Option<String>,
    pub is_contact: bool,
    /// RFC 3339 when staff disabled the member: nothing of theirs may work then.
    pub disabled_at: Option<String>,
}

impl Member {
    /// How staff see the member.
    pub fn view(self) -> MemberView {
        MemberView {
            id: MemberId(self.id),
            name: self.name,
            unit_id: UnitId(self.unit_id),
            unit: self.unit,
            phone: self.phone,
            position: self.position,
            is_contact: self.is_contact,
            disabled_at: self.disabled_at,
        }
    }

    /// `<name> <phone>`: the audit rows' target.
    fn audit_target(&self) -> String {
        format!("{} {}", self.name, self.phone)
    }
}

const SELECT: &str = "SELECT m.id, m.name, m.unit_id, u.name AS unit, m.phone, m.position,
                             m.is_contact, m.disabled_at
                      FROM members m JOIN units u ON u.id = m.unit_id";

/// The member with this id, if any.
#[tracing::instrument(skip(db))]
pub async fn get(db: &SqlitePool, id: MemberId) -> anyhow::Result<Option<Member>> {
    sqlx::query_as(&format!("{SELECT} WHERE m.id = ?"))
        .bind(id.0)
        .fetch_optional(db)
        .await
        .context("reading a member")
}

/// The member with this phone number (11 digits, as `MobilePhone` keeps it), if any.
#[tracing::instrument(skip(db))]
pub async fn by_phone(db: &SqlitePool, phone: &str) -> anyhow::Result<Option<Member>> {
    sqlx::query_as(&format!("{SELECT} WHERE m.phone = ?"))
        .bind(phone)
        .fetch_optional(db)
        .await
        .context("reading a member by phone")
}

/// Which members `list` reads.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    /// Part of the name or the phone number.
    pub search: Option<&'a str>,
    pub unit: Option<i64>,
    pub offset: i64,
    pub limit: i64,
}

/// A page of the members `filter` selects, by unit order then name, and how many match in all.
#[tracing::instrument(skip(db))]
pub async fn list(db: &SqlitePool, filter: &Filter<'_>) -> anyhow::Result<(Vec<Member>, i64)> {
    // `instr` rather than LIKE: a search for `%` or `_` means those characters.
    const WHERE: &str = "WHERE (?1 IS NULL OR instr(m.name, ?1) > 0 OR instr(m.phone, ?1) > 0)
                           AND (?2 IS NULL OR m.unit_id = ?2)";
    let members = sqlx::query_as(&format!(
        "{SELECT} {WHERE} ORDER BY u.sort_order, u.id, m.name, m.id LIMIT ?3 OFFSET ?4"
    ))
    .bind(filter.search)
    .bind(filter.unit)
    .bind(filter.limit)
    .bind(filter.offset)
    .fetch_all(db)
    .await
    .context("listing members")?;
    let total = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM members m JOIN units u ON u.id = m.unit_id {WHERE}"
    ))
    .bind(filter.search)
    .bind(filter.unit)
    .fetch_one(db)
    .await
    .context("counting members")?;
    Ok((members, total))
}

/// Every submission the member sent as a joined member, newest first.
#[tracing::instrument(skip(db))]
pub async fn submissions(
    db: &SqlitePool,
    id: MemberId,
) -> anyhow::Result<Vec<MemberSubmissionLine>> {
    let rows: Vec<(i64, i32, String, String, String, String)> = sqlx::query_as(
        "SELECT id, year, kind, title, status, submitted_at FROM submissions
         WHERE member_id = ? ORDER BY id DESC",
    )
    .bind(id.0)
    .fetch_all(db)
    .await
    .context("reading a member's submissions")?;
    rows.into_iter()
        .map(|(number, year, kind, title, status, submitted_at)| {
            Ok(MemberSubmissionLine {
                code: TrackingCode::new(year, number).to_string(),
                kind: SubmissionKind::parse(&kind)
                    .with_context(|| format!("unknown kind {kind:?} in submission {number}"))?,
                title,
                status: SubmissionStatus::parse(&status)
                    .with_context(|| format!("unknown status {status:?} in submission {number}"))?,
                submitted_at,
            })
        })
        .collect()
}

/// Why a member change was refused.
#[derive(Debug)]
pub enum MemberError {
    NotFound,
    UnknownUnit,
    /// Another member has this phone number: their name.
    PhoneTaken(String),
    Other(anyhow::Error),
}

impl From<anyhow::Error> for MemberError {
    fn from(error: anyhow::Error) -> Self {
        MemberError::Other(error)
    }
}

impl From<sqlx::Error> for MemberError {
    fn from(error: sqlx::Error) -> Self {
        MemberError::Other(error.into())
    }
}

/// A transaction that holds the write lock from its start (a roster import plans and stores in one).
pub async fn begin(db: &SqlitePool) -> anyhow::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    db.begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting a member change")
}

async fn find(conn: &mut SqliteConnection, id: MemberId) -> Result<Member, MemberError> {
    sqlx::query_as(&format!("{SELECT} WHERE m.id = ?"))
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .ok_or(MemberError::NotFound)
}

/// Saves staff's edit of a member's details; the audit row lists what changed.
#[tracing::instrument(skip(db, by))]
pub async fn update(
    db: &SqlitePool,
    id: MemberId,
    details: &MemberDetails,
    by: Actor<'_>,
) -> Result<Member, MemberError> {
    let mut tx = begin(db).await?;
    let before = find(&mut tx, id).await?;
    let unit: Option<String> = sqlx::query_scalar("SELECT name FROM units WHERE id = ?")
        .bind(details.unit_id().0)
        .fetch_optional(&mut *tx)
        .await?;
    let unit = unit.ok_or(MemberError::UnknownUnit)?;
    let holder: Option<String> =
        sqlx::query_scalar("SELECT name FROM members WHERE phone = ? AND id <> ?")
            .bind(details.phone())
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(holder) = holder {
        return Err(MemberError::PhoneTaken(holder));
    }
    let after = Member {
        id: before.id,
        name: details.name().to_owned(),
        unit_id: details.unit_id().0,
        unit,
        phone: details.phone().to_owned(),
        position: details.position().map(str::to_owned),
        is_contact: details.is_contact(),
        disabled_at: before.disabled_at.clone(),
    };
    let mut changes = changes(&before, &after);
    if before.phone != after.phone {
        changes.push(format!("手机号：{} → {}", before.phone, after.phone));
    }
    if changes.is_empty() {
        return Ok(before);
    }
    write_details(&mut tx, &after, &clock::rfc3339(clock::now())).await?;
    let note = changes.join("；");
    let target = before.audit_target();
    let entry = audit::AuditEntry {
        target: Some(&target),
        note: Some(&note),
        ..by.entry(action::EDIT)
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await.context("committing a member's edit")?;
    Ok(after)
}

/// The fields (other than the phone number) in which `after` differs from `before`, as `字段：旧 → 新`.
fn changes(before: &Member, after: &Member) -> Vec<String> {
    field_changes(before, after)
        .into_iter()
        .map(|(field, from, to)| format!("{field}：{from} → {to}"))
        .collect()
}

/// (field label, from, to) for each of 姓名, 单位, 职务, 联络员 that differs.
pub fn field_changes(before: &Member, after: &Member) -> Vec<(&'static str, String, String)> {
    let yes_no = |flag: bool| if flag { "是" } else { "否" }.to_owned();
    let mut changes = Vec::new();
    if before.name != after.name {
        changes.push(("姓名", before.name.clone(), after.name.clone()));
    }
    if before.unit_id != after.unit_id {
        changes.push(("单位", before.unit.clone(), after.unit.clone()));
    }
    if before.position != after.position {
        let text = |p: &Option<String>| p.clone().unwrap_or_else(|| "（空）".into());
        changes.push(("职务", text(&before.position), text(&after.position)));
    }
    if before.is_contact != after.is_contact {
        changes.push((
            "联络员",
            yes_no(before.is_contact),
            yes_no(after.is_contact),
        ));
    }
    changes
}

async fn write_details(
    conn: &mut SqliteConnection,
    member: &Member,
    now: &str,
) -> Result<(), MemberError> {
    sqlx::query(
        "UPDATE members SET name = ?, unit_id = ?, phone = ?, position = ?, is_contact = ?,
                            updated_at = ?
         WHERE id = ?",
    )
    .bind(&member.name)
    .bind(member.unit_id)
    .bind(&member.phone)
    .bind(&member.position)
    .bind(member.is_contact)
    .bind(now)
    .bind(member.id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Disables a member (their records stay; devices stop working) or enables them again.
#[tracing::instrument(skip(db, by))]
pub async fn set_disabled(
    db: &SqlitePool,
    id: MemberId,
    disabled: bool,
    by: Actor<'_>,
) -> Result<Member, MemberError> {
    let mut tx = begin(db).await?;
    let mut member = find(&mut tx, id).await?;
    if member.disabled_at.is_some() == disabled {
        return Ok(member);
    }
    let now = clock::rfc3339(clock::now());
    member.disabled_at = disabled.then(|| now.clone());
    sqlx::query("UPDATE members SET disabled_at = ?, updated_at = ? WHERE id = ?")
        .bind(&member.disabled_at)
        .bind(&now)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    let target = member.audit_target();
    let action = if disabled {
        action::DISABLE
    } else {
        action::ENABLE
    };
    let entry = audit::AuditEntry {
        target: Some(&target),
        ..by.entry(action)
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await.context("committing a member's switch")?;
    Ok(member)
}

/// Every member keyed by phone number, and every unit's id and whether it is retired keyed by name: what
/// an import is planned against.
pub async fn roster_snapshot(
    conn: &mut SqliteConnection,
) -> anyhow::Result<(HashMap<String, Member>, HashMap<String, (i64, bool)>)> {
    let members: Vec<Member> = sqlx::query_as(SELECT)
        .fetch_all(&mut *conn)
        .await
        .context("reading the roster")?;
    let units: Vec<(String, i64, bool)> =
        sqlx::query_as("SELECT name, id, retired_at IS NOT NULL FROM units")
            .fetch_all(&mut *conn)
            .await
            .context("reading the units")?;
    Ok((
        members.into_iter().map(|m| (m.phone.clone(), m)).collect(),
        units
            .into_iter()
            .map(|(name, id, retired)| (name, (id, retired)))
            .collect(),
    ))
}

/// Stores an import's new members and changed ones (`updates` carry the member's id), with one audit
/// row, inside the transaction the import was planned in; the caller commits.
#[tracing::instrument(skip_all, fields(adds = adds.len(), updates = updates.len()))]
pub async fn store_import(
    tx: &mut SqliteConnection,
    adds: &[Member],
    updates: &[Member],
    by: Actor<'_>,
) -> anyhow::Result<()> {
    let now = clock::rfc3339(clock::now());
    for member in adds {
        sqlx::query(
            "INSERT INTO members (name, unit_id, phone, position, is_contact, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&member.name)
        .bind(member.unit_id)
        .bind(&member.phone)
        .bind(&member.position)
        .bind(member.is_contact)
        .bind(&now)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .with_context(|| format!("adding member {}", member.phone))?;
    }
    for member in updates {
        write_details(&mut *tx, member, &now)
            .await
            .map_err(|error| match error {
                MemberError::Other(error) => error,
                other => anyhow::anyhow!("{other:?}"),
            })
            .with_context(|| format!("updating member {}", member.phone))?;
    }
    let note = format!("新增 {} 人，更新 {} 人", adds.len(), updates.len());
    let entry = audit::AuditEntry {
        note: Some(&note),
        ..by.entry(action::IMPORT)
    };
    audit::record(&mut *tx, &entry).await?;
    Ok(())
}
