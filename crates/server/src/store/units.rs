//! Units: the public list the member forms use (units in use), and the department's own list (retired
//! ones included) that administrators keep. Every change writes its audit row in the same transaction.

use anyhow::Context;
use api::{roster::StaffUnit, roster::UnitDetails, Unit, UnitId};
use sqlx::{SqliteConnection, SqlitePool};

use super::audit::{self, Actor};
use crate::clock;

/// Audit actions of this module.
pub mod action {
    pub const ADD: &str = "units.add";
    pub const RENAME: &str = "units.rename";
    pub const REORDER: &str = "units.reorder";
    pub const RETIRE: &str = "units.retire";
    pub const RESTORE: &str = "units.restore";
    pub const IMPORT: &str = "units.import";
}

/// Why a unit change was refused.
#[derive(Debug)]
pub enum UnitError {
    NotFound,
    /// Another unit already has this name.
    NameTaken,
    /// A reorder that does not list every unit exactly once.
    IncompleteOrder,
    Other(anyhow::Error),
}

impl From<sqlx::Error> for UnitError {
    fn from(error: sqlx::Error) -> Self {
        UnitError::Other(error.into())
    }
}

impl From<anyhow::Error> for UnitError {
    fn from(error: anyhow::Error) -> Self {
        UnitError::Other(error)
    }
}

/// Every unit in use, in the department's order: what members choose from.
#[tracing::instrument(skip(db))]
pub async fn list(db: &SqlitePool) -> Result<Vec<Unit>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, unit_group FROM units WHERE retired_at IS NULL ORDER BY sort_order, id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, group)| Unit {
            id: UnitId(id),
            name,
            group,
        })
        .collect())
}

/// Whether the unit exists and is retired.
#[tracing::instrument(skip(db))]
pub async fn is_retired(db: &SqlitePool, id: UnitId) -> anyhow::Result<bool> {
    let retired: Option<bool> =
        sqlx::query_scalar("SELECT retired_at IS NOT NULL FROM units WHERE id = ?")
            .bind(id.0)
            .fetch_optional(db)
            .await
            .context("reading whether a unit is retired")?;
    Ok(retired.unwrap_or(false))
}

/// Every unit, retired ones too, in the department's order, with how many members each has.
#[tracing::instrument(skip(db))]
pub async fn list_all(db: &SqlitePool) -> anyhow::Result<Vec<StaffUnit>> {
    let rows: Vec<(i64, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT u.id, u.name, u.unit_group, u.retired_at,
                (SELECT COUNT(*) FROM members m WHERE m.unit_id = u.id)
         FROM units u ORDER BY u.sort_order, u.id",
    )
    .fetch_all(db)
    .await
    .context("reading the units")?;
    Ok(rows
        .into_iter()
        .map(|(id, name, group, retired_at, members)| StaffUnit {
            id: UnitId(id),
            name,
            group,
            retired_at,
            members,
        })
        .collect())
}

async fn begin(db: &SqlitePool) -> anyhow::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    db.begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting a unit change")
}

/// The name and group of a unit, if it exists.
async fn find(
    conn: &mut SqliteConnection,
    id: UnitId,
) -> Result<(String, String, Option<String>), UnitError> {
    sqlx::query_as("SELECT name, unit_group, retired_at FROM units WHERE id = ?")
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .ok_or(UnitError::NotFound)
}

fn name_taken(error: sqlx::Error) -> UnitError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => UnitError::NameTaken,
        _ => UnitError::Other(error.into()),
    }
}

/// Adds a unit at the end of the order.
#[tracing::instrument(skip(db, by))]
pub async fn add(db: &SqlitePool, unit: &UnitDetails, by: Actor<'_>) -> Result<UnitId, UnitError> {
    let mut tx = begin(db).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO units (name, unit_group, sort_order)
         VALUES (?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 10 FROM units))
         RETURNING id",
    )
    .bind(unit.name())
    .bind(unit.group())
    .fetch_one(&mut *tx)
    .await
    .map_err(name_taken)?;
    let entry = audit::AuditEntry {
        target: Some(unit.name()),
        note: Some(unit.group()),
        ..by.entry(action::ADD)
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await.context("committing a new unit")?;
    Ok(UnitId(id))
}

/// Renames a unit or moves it to another group; its records follow it (they refer to its id).
#[tracing::instrument(skip(db, by))]
pub async fn rename(
    db: &SqlitePool,
    id: UnitId,
    unit: &UnitDetails,
    by: Actor<'_>,
) -> Result<(), UnitError> {
    let mut tx = begin(db).await?;
    let (old_name, old_group, _) = find(&mut tx, id).await?;
    if (old_name.as_str(), old_group.as_str()) == (unit.name(), unit.group()) {
        return Ok(());
    }
    sqlx::query("UPDATE units SET name = ?, unit_group = ? WHERE id = ?")
        .bind(unit.name())
        .bind(unit.group())
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(name_taken)?;
    let from = format!("{old_name}（{old_group}）");
    let to = format!("{}（{}）", unit.name(), unit.group());
    let entry = audit::AuditEntry {
        target: Some(&old_name),
        from: Some(&from),
        to: Some(&to),
        ..by.entry(action::RENAME)
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await.context("committing a renamed unit")?;
    Ok(())
}

/// Puts the units in the order of `ids`, which must name every unit once.
#[tracing::instrument(skip(db, by))]
pub async fn reorder(db: &SqlitePool, ids: &[UnitId], by: Actor<'_>) -> Result<(), UnitError> {
    let mut tx = begin(db).await?;
    let mut known: Vec<i64> = sqlx::query_scalar("SELECT id FROM units")
        .fetch_all(&mut *tx)
        .await?;
    let mut given: Vec<i64> = ids.iter().map(|id| id.0).collect();
    known.sort_unstable();
    given.sort_unstable();
    if known != given {
        return Err(UnitError::IncompleteOrder);
    }
    let order: Vec<(i64, i64)> = ids
        .iter()
        .enumerate()
        .map(|(position, id)| (id.0, (position as i64 + 1) * 10))
        .collect();
    let order = serde_json::to_string(&order).context("encoding the order")?;
    sqlx::query(
        "UPDATE units SET sort_order = o.value ->> 1
         FROM json_each(?) AS o WHERE units.id = o.value ->> 0",
    )
    .bind(&order)
    .execute(&mut *tx)
    .await?;
    audit::record(&mut *tx, &by.entry(action::REORDER)).await?;
    tx.commit().await.context("committing the unit order")?;
    Ok(())
}

/// Retires a unit (it leaves the member forms, keeps its records) or puts it back in use.
#[tracing::instrument(skip(db, by))]
pub async fn set_retired(
    db: &SqlitePool,
    id: UnitId,
    retired: bool,
    by: Actor<'_>,
) -> Result<(), UnitError> {
    let mut tx = begin(db).await?;
    let (name, _, retired_at) = find(&mut tx, id).await?;
    if retired_at.is_some() == retired {
        return Ok(());
    }
    let now = retired.then(|| clock::rfc3339(clock::now()));
    sqlx::query("UPDATE units SET retired_at = ? WHERE id = ?")
        .bind(now)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    let action = if retired {
        action::RETIRE
    } else {
        action::RESTORE
    };
    let entry = audit::AuditEntry {
        target: Some(&name),
        ..by.entry(action)
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await.context("committing a retired unit")?;
    Ok(())
}

/// What `import` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: Vec<String>,
    /// Known units whose group changed, or which were retired and are back in use.
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    /// Units not in the file, retired (when asked to replace).
    pub retired: Vec<String>,
}

/// Makes the units those of `units` (name, group), in that order: known names are kept (their group
/// updated, put back in use), new names added. With `retire_others`, every unit not named is retired,
/// so a district that is not 中原区 replaces the seeded ones; their records stay. One transaction.
#[tracing::instrument(skip(db, units, by))]
pub async fn import(
    db: &SqlitePool,
    units: &[UnitDetails],
    retire_others: bool,
    by: Actor<'_>,
) -> anyhow::Result<ImportSummary> {
    let mut tx = begin(db).await?;
    let existing: Vec<(i64, String, String, Option<String>, i64)> =
        sqlx::query_as("SELECT id, name, unit_group, retired_at, sort_order FROM units")
            .fetch_all(&mut *tx)
            .await
            .context("reading the units")?;
    let now = clock::rfc3339(clock::now());
    let mut summary = ImportSummary::default();
    // The file's units first, in its order; the others after them, in theirs.
    let mut named = Vec::new();
    for (position, unit) in units.iter().enumerate() {
        let sort_order = (position as i64 + 1) * 10;
        match existing.iter().find(|(_, name, ..)| name == unit.name()) {
            Some((id, name, group, retired_at, _)) => {
                named.push(*id);
                sqlx::query(
                    "UPDATE units SET unit_group = ?, retired_at = NULL, sort_order = ? WHERE id = ?",
                )
                .bind(unit.group())
                .bind(sort_order)
                .bind(id)
                .execute(&mut *tx)
                .await
                .context("updating a unit")?;
                if group != unit.group() || retired_at.is_some() {
                    summary.updated.push(name.clone());
                } else {
                    summary.unchanged.push(name.clone());
                }
            }
            None => {
                sqlx::query("INSERT INTO units (name, unit_group, sort_order) VALUES (?, ?, ?)")
                    .bind(unit.name())
                    .bind(unit.group())
                    .bind(sort_order)
                    .execute(&mut *tx)
                    .await
                    .context("adding a unit")?;
                summary.added.push(unit.name().to_owned());
            }
        }
    }
    let mut others: Vec<_> = existing
        .iter()
        .filter(|(id, ..)| !named.contains(id))
        .collect();
    others.sort_by_key(|(id, _, _, _, sort_order)| (*sort_order, *id));
    for (position, (id, name, _, retired_at, _)) in others.into_iter().enumerate() {
        let sort_order = (units.len() + position + 1) as i64 * 10;
        let retire = retire_others && retired_at.is_none();
        sqlx::query(
            "UPDATE units SET sort_order = ?, retired_at = CASE WHEN ? THEN ? ELSE retired_at END
             WHERE id = ?",
        )
        .bind(sort_order)
        .bind(retire)
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .context("moving a unit not in the file")?;
        if retire {
            summary.retired.push(name.clone());
        }
    }
    let note = format!(
        "新增 {}，更新 {}，未变 {}，停用 {}",
        summary.added.len(),
        summary.updated.len(),
        summary.unchanged.len(),
        summary.retired.len()
    );
    let entry = audit::AuditEntry {
        note: Some(&note),
        ..by.entry(action::IMPORT)
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await.context("committing the imported units")?;
    Ok(summary)
}
