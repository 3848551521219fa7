//! Submissions as rows for a spreadsheet: every field staff need in a report, one row each.

use anyhow::Context;
use api::{SubmissionKind, TrackingCode};
use sqlx::SqlitePool;

use super::parse_status;

/// One submission, flattened, in the words a report uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub code: String,
    pub submitted_at: String,
    pub kind: &'static str,
    pub title: String,
    pub unit: String,
    pub name: String,
    pub phone: String,
    /// In the order the member listed them, joined with 、.
    pub cosigners: String,
    pub status: &'static str,
    pub body: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    year: i32,
    submitted_at: String,
    kind: String,
    title: String,
    unit: String,
    name: String,
    phone: String,
    cosigners: Option<String>,
    status: String,
    body: String,
}

/// Every submission, or those of one year, oldest first.
#[tracing::instrument(skip(db))]
pub async fn rows(db: &SqlitePool, year: Option<i32>) -> anyhow::Result<Vec<ExportRow>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, s.year, s.submitted_at, s.kind, s.title, u.name AS unit, s.name, s.phone,
                (SELECT group_concat(c.name, '、') FROM
                    (SELECT name FROM submission_cosigners WHERE submission_id = s.id ORDER BY position) c
                ) AS cosigners,
                s.status, s.body
         FROM submissions s JOIN units u ON u.id = s.unit_id
         WHERE ?1 IS NULL OR s.year = ?1
         ORDER BY s.id",
    )
    .bind(year)
    .fetch_all(db)
    .await
    .context("reading submissions to export")?;
    rows.into_iter().map(ExportRow::try_from).collect()
}

impl TryFrom<Row> for ExportRow {
    type Error = anyhow::Error;

    fn try_from(row: Row) -> anyhow::Result<Self> {
        let kind = SubmissionKind::parse(&row.kind)
            .with_context(|| format!("unknown kind {:?} in the database", row.kind))?;
        Ok(ExportRow {
            code: TrackingCode::new(row.year, row.id).to_string(),
            submitted_at: row.submitted_at,
            kind: kind.label(),
            title: row.title,
            unit: row.unit,
            name: row.name,
            phone: row.phone,
            cosigners: row.cosigners.unwrap_or_default(),
            status: parse_status(&row.status)?.label(),
            body: row.body,
        })
    }
}
