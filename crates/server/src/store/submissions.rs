//! Submissions, their co-signers and their timelines.

mod batch;
pub mod bigrams;
pub mod by_member;
pub mod changes;
pub mod list;
pub mod member;
pub mod report_rows;
pub mod staff_view;

use anyhow::Context;
use api::{
    desk::EntryKind, CreateSubmission, NewSubmission, SubmissionCreated, SubmissionKind,
    SubmissionStatus, SubmissionView, TimelineEntry, TrackingCode,
};
use sqlx::SqlitePool;
use time::OffsetDateTime;
use tokio::sync::oneshot;

pub(crate) use self::batch::write_batch;
use super::writer::Writer;
use crate::{clock, secret};

/// A client's retry key with the fingerprint of the request it came with.
#[derive(Clone)]
pub struct RetryKey {
    pub key: String,
    pub digest: String,
}

/// Why a submission was not stored.
#[derive(Debug)]
pub enum CreateError {
    /// The chosen unit does not exist, or is retired (`store::units::is_retired` tells which).
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

/// Stores a submission with its co-signers and first timeline entry, once: a repeated retry key returns
/// the receipt of the first request. Answers only after the row is committed to disk by the writer,
/// which batches concurrent submissions into one transaction (see `writer`).
#[tracing::instrument(skip_all)]
pub async fn create(
    writer: &Writer,
    submission: &NewSubmission,
    retry: Option<&RetryKey>,
) -> Result<SubmissionCreated, CreateError> {
    create_as(writer, submission, retry, None).await
}

/// `create`, for the joined member `member_id` when there is one (a guest's submission has none).
#[tracing::instrument(skip_all)]
pub async fn create_as(
    writer: &Writer,
    submission: &NewSubmission,
    retry: Option<&RetryKey>,
    member_id: Option<i64>,
) -> Result<SubmissionCreated, CreateError> {
    create_job(writer, submission, retry, member_id, 0).await
}

/// `create_as` for a co-signed submission (联名) of the joined member `lead_id`: its first `confirmed`
/// co-signers are members who confirmed, marked so in the same transaction that stores it.
#[tracing::instrument(skip_all)]
pub async fn create_cosigned(
    writer: &Writer,
    submission: &NewSubmission,
    retry: &RetryKey,
    lead_id: i64,
    confirmed: usize,
) -> Result<SubmissionCreated, CreateError> {
    create_job(writer, submission, Some(retry), Some(lead_id), confirmed).await
}

async fn create_job(
    writer: &Writer,
    submission: &NewSubmission,
    retry: Option<&RetryKey>,
    member_id: Option<i64>,
    confirmed_cosigners: usize,
) -> Result<SubmissionCreated, CreateError> {
    // The clock is read here, on the request's task, to keep the writer's loop short. The secret is
    // derived by the writer, from the number it gives the row.
    let (reply, answer) = oneshot::channel();
    let job = PendingCreate {
        submission: submission.clone(),
        retry: retry.cloned(),
        member_id,
        confirmed_cosigners,
        submitted_at: clock::now(),
        outcome: None,
        reply,
    };
    writer.send(job).await?;
    answer
        .await
        .context("the database writer stopped before answering")?
}

/// A submission waiting for the writer, and where its answer goes.
pub(crate) struct PendingCreate {
    submission: NewSubmission,
    retry: Option<RetryKey>,
    /// The joined member who sent it; `None` for a guest.
    member_id: Option<i64>,
    /// How many of the co-signers, from the first, confirmed on the roster (联名); 0 for typed names.
    confirmed_cosigners: usize,
    submitted_at: OffsetDateTime,
    /// Decided inside the writer's transaction; sent only once that transaction has committed.
    outcome: Option<Result<SubmissionCreated, CreateError>>,
    reply: oneshot::Sender<Result<SubmissionCreated, CreateError>>,
}

impl PendingCreate {
    /// Forgets an outcome decided in a transaction that was not committed, to be decided again.
    pub(crate) fn undecide(&mut self) {
        self.outcome = None;
    }

    /// Sends the job's own outcome if its batch committed, the batch's failure otherwise.
    pub(crate) fn answer(self, committed: Result<(), &anyhow::Error>) {
        let outcome = match (committed, self.outcome) {
            (Ok(()), Some(outcome)) => outcome,
            (Ok(()), None) => Err(CreateError::Other(anyhow::anyhow!(
                "the writer committed a batch without deciding this submission"
            ))),
            (Err(error), _) => Err(CreateError::Other(anyhow::anyhow!(
                "the batch holding this submission was not committed: {error:#}"
            ))),
        };
        // The client may have gone; its row is stored all the same and a retry gets the receipt.
        let _ = self.reply.send(outcome);
    }
}

#[derive(sqlx::FromRow)]
struct SubmissionRow {
    year: i32,
    kind: String,
    title: String,
    unit: String,
    status: String,
    submitted_at: String,
    secret_hash: String,
    member_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    status: String,
    at: String,
    note: Option<String>,
    merged_into: Option<String>,
}

/// The submitter's view of a submission, if the code exists and the secret is its own (the database
/// keeps only the secret's hash).
#[tracing::instrument(skip(db, given_secret))]
pub async fn find(
    db: &SqlitePool,
    code: TrackingCode,
    given_secret: &str,
) -> anyhow::Result<Option<SubmissionView>> {
    let Some(row) = read_row(db, code).await? else {
        return Ok(None);
    };
    if !secret::matches(&row.secret_hash, &secret::secret_hash(given_secret)) {
        return Ok(None);
    }
    view_of(db, code, row).await.map(Some)
}

/// A joined member's view of their own submission; `None` for a code that is not theirs.
#[tracing::instrument(skip(db))]
pub async fn find_for_member(
    db: &SqlitePool,
    code: TrackingCode,
    member_id: i64,
) -> anyhow::Result<Option<SubmissionView>> {
    match read_row(db, code).await? {
        Some(row) if row.member_id == Some(member_id) => view_of(db, code, row).await.map(Some),
        _ => Ok(None),
    }
}

/// The stored row behind `code`, if the code's number and year match one.
async fn read_row(db: &SqlitePool, code: TrackingCode) -> anyhow::Result<Option<SubmissionRow>> {
    let row: Option<SubmissionRow> = sqlx::query_as(
        "SELECT s.year, s.kind, s.title, u.name AS unit, s.status, s.submitted_at, s.secret_hash,
                s.member_id
         FROM submissions s JOIN units u ON u.id = s.unit_id
         WHERE s.id = ?",
    )
    .bind(code.number())
    .fetch_optional(db)
    .await
    .context("reading a submission")?;
    Ok(row.filter(|row| row.year == code.year()))
}

/// What the submitter sees of the submission in `row`.
async fn view_of(
    db: &SqlitePool,
    code: TrackingCode,
    row: SubmissionRow,
) -> anyhow::Result<SubmissionView> {
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT kind, status, at, note, merged_into FROM submission_events
         WHERE submission_id = ? AND public = 1 ORDER BY id",
    )
    .bind(code.number())
    .fetch_all(db)
    .await
    .context("reading a submission's timeline")?;
    let timeline: Vec<TimelineEntry> = events
        .into_iter()
        .map(|event| {
            Ok(TimelineEntry {
                kind: EntryKind::parse(&event.kind)
                    .with_context(|| format!("unknown entry kind {:?}", event.kind))?,
                status: parse_status(&event.status)?,
                at: event.at,
                note: event.note,
                merged_into: event.merged_into,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let status = parse_status(&row.status)?;
    let can_rate = status == SubmissionStatus::Replied
        && member::latest_reply(db, code.number())
            .await?
            .is_some_and(|(_, rated)| !rated);
    let merged_into = timeline_merge(&timeline);
    let returned_text = if status == SubmissionStatus::Returned {
        let mut conn = db
            .acquire()
            .await
            .context("a connection to read what was sent")?;
        Some(sent_text(&mut conn, code.number()).await?)
    } else {
        None
    };
    Ok(SubmissionView {
        code: code.to_string(),
        kind: SubmissionKind::parse(&row.kind)
            .with_context(|| format!("unknown kind {:?} in the database", row.kind))?,
        title: row.title,
        unit: row.unit,
        status,
        submitted_at: row.submitted_at,
        timeline,
        merged_into: merged_into.filter(|_| status == SubmissionStatus::Merged),
        can_rate,
        can_resubmit: status == SubmissionStatus::Returned,
        returned_text,
    })
}

/// What the member sent (the latest revision), as a request they can revise.
pub(crate) async fn sent_text(
    db: &mut sqlx::SqliteConnection,
    id: i64,
) -> anyhow::Result<CreateSubmission> {
    #[allow(clippy::type_complexity)]
    let (kind, title, body, unit_id, name, phone, topic_id, summary): (
        String,
        String,
        String,
        i64,
        String,
        String,
        Option<i64>,
        Option<String>,
    ) = sqlx::query_as(
            "SELECT kind, title, body, unit_id, name, phone, topic_id, summary FROM submissions WHERE id = ?",
        )
        .bind(id)
        .fetch_one(&mut *db)
        .await
        .context("reading what was sent")?;
    let cosigners: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM submission_cosigners WHERE submission_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *db)
    .await
    .context("reading the co-signers")?;
    Ok(CreateSubmission {
        kind: SubmissionKind::parse(&kind)
            .with_context(|| format!("unknown kind {kind:?} in the database"))?,
        title,
        body,
        unit_id: Some(api::UnitId(unit_id)),
        name,
        phone,
        cosigners,
        topic_id: topic_id.map(api::TopicId),
        summary,
        ..Default::default()
    })
}

/// The code of the latest merge on a timeline.
fn timeline_merge(timeline: &[TimelineEntry]) -> Option<String> {
    timeline
        .iter()
        .rev()
        .find_map(|entry| entry.merged_into.clone())
}

pub(crate) fn parse_status(name: &str) -> anyhow::Result<SubmissionStatus> {
    SubmissionStatus::parse(name)
        .with_context(|| format!("unknown status {name:?} in the database"))
}
