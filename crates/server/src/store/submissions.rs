//! Submissions, their co-signers and their timelines.

use anyhow::Context;
use api::{
    NewSubmission, SubmissionCreated, SubmissionKind, SubmissionStatus, SubmissionView,
    TimelineEntry, TrackingCode,
};
use sqlx::{SqliteConnection, SqlitePool};

use crate::{clock, secret};

/// A client's retry key with the fingerprint of the request it came with.
pub struct RetryKey {
    pub key: String,
    pub digest: String,
}

/// Why a submission was not stored.
#[derive(Debug)]
pub enum CreateError {
    /// The chosen unit does not exist.
    UnknownUnit,
    /// The retry key was used before for a different request.
    KeyReused,
    /// Storage failed.
    Other(anyhow::Error),
}

impl From<sqlx::Error> for CreateError {
    fn from(error: sqlx::Error) -> Self {
        CreateError::Other(error.into())
    }
}

impl From<anyhow::Error> for CreateError {
    fn from(error: anyhow::Error) -> Self {
        CreateError::Other(error)
    }
}

/// Stores a submission with its first timeline entry, once: a repeated retry key returns the receipt
/// of the first request. The unique index on the key decides between concurrent retries, not a prior read.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &SqlitePool,
    submission: &NewSubmission,
    retry: Option<&RetryKey>,
) -> Result<SubmissionCreated, CreateError> {
    let now = clock::now();
    let submitted_at = clock::rfc3339(now);
    let secret = secret::generate()?;
    let status = SubmissionStatus::Submitted;

    let mut tx = db.begin().await?;
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO submissions
             (year, kind, title, body, unit_id, name, phone, secret, status, submitted_at,
              idempotency_key, request_digest)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id",
    )
    .bind(now.year())
    .bind(submission.kind().as_str())
    .bind(submission.title().as_str())
    .bind(submission.body().as_str())
    .bind(submission.unit_id().0)
    .bind(submission.name().as_str())
    .bind(submission.phone().as_str())
    .bind(&secret)
    .bind(status.as_str())
    .bind(&submitted_at)
    .bind(retry.map(|r| r.key.as_str()))
    .bind(retry.map(|r| r.digest.as_str()))
    .fetch_optional(&mut *tx)
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db_error) if db_error.is_foreign_key_violation() => {
            CreateError::UnknownUnit
        }
        _ => CreateError::from(error),
    })?;

    let Some(id) = inserted else {
        tx.rollback().await?;
        let retry = retry.context("insert skipped without a retry key")?;
        return replay(db, retry).await;
    };
    insert_cosigners(&mut tx, id, submission).await?;
    sqlx::query("INSERT INTO submission_events (submission_id, status, at) VALUES (?, ?, ?)")
        .bind(id)
        .bind(status.as_str())
        .bind(&submitted_at)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    Ok(SubmissionCreated {
        code: TrackingCode::new(now.year(), id).to_string(),
        secret,
        status,
        submitted_at,
    })
}

async fn insert_cosigners(
    tx: &mut SqliteConnection,
    id: i64,
    submission: &NewSubmission,
) -> Result<(), sqlx::Error> {
    for (position, name) in submission.cosigners().iter().enumerate() {
        sqlx::query(
            "INSERT INTO submission_cosigners (submission_id, position, name) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(name.as_str())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// The receipt first given for this retry key, if the request is the same.
async fn replay(db: &SqlitePool, retry: &RetryKey) -> Result<SubmissionCreated, CreateError> {
    let (id, year, secret, submitted_at, digest): (i64, i32, String, String, Option<String>) =
        sqlx::query_as(
            "SELECT id, year, secret, submitted_at, request_digest
             FROM submissions WHERE idempotency_key = ?",
        )
        .bind(&retry.key)
        .fetch_one(db)
        .await?;
    if digest.as_deref() != Some(retry.digest.as_str()) {
        return Err(CreateError::KeyReused);
    }
    Ok(SubmissionCreated {
        code: TrackingCode::new(year, id).to_string(),
        secret,
        status: SubmissionStatus::Submitted,
        submitted_at,
    })
}

#[derive(sqlx::FromRow)]
struct SubmissionRow {
    year: i32,
    kind: String,
    title: String,
    unit: String,
    status: String,
    submitted_at: String,
    secret: String,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    status: String,
    at: String,
    note: Option<String>,
}

/// The submitter's view of a submission, if the code exists and the secret is its own.
#[tracing::instrument(skip(db, given_secret))]
pub async fn find(
    db: &SqlitePool,
    code: TrackingCode,
    given_secret: &str,
) -> anyhow::Result<Option<SubmissionView>> {
    let row: Option<SubmissionRow> = sqlx::query_as(
        "SELECT s.year, s.kind, s.title, u.name AS unit, s.status, s.submitted_at, s.secret
         FROM submissions s JOIN units u ON u.id = s.unit_id
         WHERE s.id = ?",
    )
    .bind(code.number())
    .fetch_optional(db)
    .await
    .context("reading a submission")?;
    let Some(row) = row.filter(|row| row.year == code.year()) else {
        return Ok(None);
    };
    if !secret::matches(&row.secret, given_secret) {
        return Ok(None);
    }
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT status, at, note FROM submission_events
         WHERE submission_id = ? AND public = 1 ORDER BY id",
    )
    .bind(code.number())
    .fetch_all(db)
    .await
    .context("reading a submission's timeline")?;
    let timeline = events
        .into_iter()
        .map(|event| {
            Ok(TimelineEntry {
                status: parse_status(&event.status)?,
                at: event.at,
                note: event.note,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(Some(SubmissionView {
        code: code.to_string(),
        kind: SubmissionKind::parse(&row.kind)
            .with_context(|| format!("unknown kind {:?} in the database", row.kind))?,
        title: row.title,
        unit: row.unit,
        status: parse_status(&row.status)?,
        submitted_at: row.submitted_at,
        timeline,
    }))
}

fn parse_status(name: &str) -> anyhow::Result<SubmissionStatus> {
    SubmissionStatus::parse(name)
        .with_context(|| format!("unknown status {name:?} in the database"))
}
