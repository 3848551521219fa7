//! One submission as staff see it: everything the member sent, the whole timeline (public entries and
//! internal notes, told apart), the records kept beside the status, and what may be done next.

use anyhow::Context;
use api::{
    attachment::AttachmentView,
    desk::{
        AdoptionLevel, AdoptionRecord, DueExtension, EntryKind, Flags, InstructionLevel,
        InstructionRecord, Outcome, Rating, RatingRecord, StaffSubmissionView, StaffTimelineEntry,
    },
    workflow, SubmissionKind, TrackingCode,
};
use sqlx::SqlitePool;

use super::parse_status;
use crate::store::attachments;

#[derive(sqlx::FromRow)]
struct Row {
    year: i32,
    kind: String,
    title: String,
    body: String,
    unit_id: i64,
    unit: String,
    name: String,
    phone: String,
    status: String,
    submitted_at: String,
    updated_at: String,
    version: i64,
    handler: Option<String>,
    due_on: Option<String>,
    outcome: Option<String>,
    flag_key: bool,
    flag_excellent: bool,
    merged_into: Option<i64>,
    merged_year: Option<i32>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    status: String,
    at: String,
    note: Option<String>,
    public: bool,
    actor: Option<String>,
    merged_into: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AdoptionRow {
    id: i64,
    level: String,
    body: String,
    note: Option<String>,
    on_date: String,
    file: Option<String>,
    #[sqlx(flatten)]
    attachment: AttachmentColumns,
}

#[derive(sqlx::FromRow)]
struct InstructionRow {
    id: i64,
    level: String,
    leader: String,
    note: Option<String>,
    on_date: String,
    #[sqlx(flatten)]
    attachment: AttachmentColumns,
}

/// The uploaded file a record points to, from a LEFT JOIN (`ATTACHMENT_COLUMNS`).
#[derive(sqlx::FromRow)]
struct AttachmentColumns {
    attachment_id: Option<i64>,
    attachment_name: Option<String>,
    attachment_size: Option<i64>,
    attachment_type: Option<String>,
}

impl AttachmentColumns {
    fn view(self) -> Option<AttachmentView> {
        attachments::view_from_columns(
            self.attachment_id,
            self.attachment_name,
            self.attachment_size,
            self.attachment_type,
        )
    }
}

/// What `AttachmentColumns` reads from `attachments f`.
const ATTACHMENT_COLUMNS: &str = "f.id AS attachment_id, f.original_name AS attachment_name,
     f.size AS attachment_size, f.content_type AS attachment_type";
/// from, to, reason, at, actor.
type ExtensionRow = (Option<String>, String, String, String, Option<String>);

/// Staff's view of the submission behind `code`, `None` when there is none.
#[tracing::instrument(skip(db))]
pub async fn find(
    db: &SqlitePool,
    code: TrackingCode,
    today: &str,
) -> anyhow::Result<Option<StaffSubmissionView>> {
    let id = code.number();
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.year, s.kind, s.title, s.body, s.unit_id, u.name AS unit, s.name, s.phone,
                s.status, s.submitted_at, COALESCE(s.updated_at, s.submitted_at) AS updated_at,
                s.version, s.handler, s.due_on, s.outcome, s.flag_key, s.flag_excellent,
                s.merged_into, m.year AS merged_year
         FROM submissions s JOIN units u ON u.id = s.unit_id
         LEFT JOIN submissions m ON m.id = s.merged_into
         WHERE s.id = ?",
    )
    .bind(id)
    .fetch_optional(db)
    .await
    .context("reading a submission for staff")?;
    let Some(row) = row.filter(|row| row.year == code.year()) else {
        return Ok(None);
    };
    let cosigners: Vec<(String, bool)> = sqlx::query_as(
        "SELECT name, confirmed FROM submission_cosigners WHERE submission_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(db)
    .await
    .context("reading co-signers")?;
    let confirmed_cosigners = cosigners
        .iter()
        .filter(|(_, confirmed)| *confirmed)
        .map(|(name, _)| name.clone())
        .collect();
    let cosigners = cosigners.into_iter().map(|(name, _)| name).collect();
    // The actor is stored as a login; the timeline shows the person's name.
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT e.kind, e.status, e.at, e.note, e.public, COALESCE(st.name, e.actor) AS actor,
                e.merged_into
         FROM submission_events e LEFT JOIN staff st ON st.login = e.actor
         WHERE e.submission_id = ? ORDER BY e.id",
    )
    .bind(id)
    .fetch_all(db)
    .await
    .context("reading the timeline")?;
    let adoptions: Vec<AdoptionRow> = sqlx::query_as(&format!(
        "SELECT a.id, a.level, a.body, a.note, a.on_date, a.file, {ATTACHMENT_COLUMNS}
         FROM adoptions a LEFT JOIN attachments f ON f.id = a.attachment_id
         WHERE a.submission_id = ? ORDER BY a.on_date, a.id"
    ))
    .bind(id)
    .fetch_all(db)
    .await
    .context("reading adoptions")?;
    let instructions: Vec<InstructionRow> = sqlx::query_as(&format!(
        "SELECT i.id, i.level, i.leader, i.note, i.on_date, {ATTACHMENT_COLUMNS}
         FROM instructions i LEFT JOIN attachments f ON f.id = i.attachment_id
         WHERE i.submission_id = ? ORDER BY i.on_date, i.id"
    ))
    .bind(id)
    .fetch_all(db)
    .await
    .context("reading instructions")?;
    let extensions: Vec<ExtensionRow> = sqlx::query_as(
        "SELECT x.from_due, x.to_due, x.reason, x.at, COALESCE(st.name, x.actor)
             FROM due_extensions x LEFT JOIN staff st ON st.login = x.actor
             WHERE x.submission_id = ? ORDER BY x.id",
    )
    .bind(id)
    .fetch_all(db)
    .await
    .context("reading due extensions")?;
    let attachments = crate::store::attachments::uploads::of_submission(db, id).await?;
    let ratings: Vec<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT rating, comment, at FROM ratings WHERE submission_id = ? ORDER BY id",
    )
    .bind(id)
    .fetch_all(db)
    .await
    .context("reading ratings")?;

    let status = parse_status(&row.status)?;
    let unknown =
        |what: &str, value: &str| anyhow::anyhow!("unknown {what} {value:?} in the database");
    let overdue = is_overdue(status, row.due_on.as_deref(), today);
    let result = {
        let mut conn = db.acquire().await.context("a connection")?;
        crate::store::topics::claims::result_topic(&mut conn, id).await?
    };
    Ok(Some(StaffSubmissionView {
        code: code.to_string(),
        kind: SubmissionKind::parse(&row.kind).ok_or_else(|| unknown("kind", &row.kind))?,
        title: row.title,
        body: row.body,
        unit_id: row.unit_id,
        unit: row.unit,
        name: row.name,
        phone: row.phone,
        cosigners,
        confirmed_cosigners,
        status,
        submitted_at: row.submitted_at,
        updated_at: row.updated_at,
        version: row.version,
        handler: row.handler,
        due_on: row.due_on,
        overdue,
        outcome: match row.outcome {
            None => None,
            Some(letter) => {
                Some(Outcome::parse(&letter).ok_or_else(|| unknown("outcome", &letter))?)
            }
        },
        flags: Flags {
            key: row.flag_key,
            excellent: row.flag_excellent,
        },
        merged_into: row
            .merged_into
            .zip(row.merged_year)
            .map(|(id, year)| TrackingCode::new(year, id).to_string()),
        adoptions: adoptions
            .into_iter()
            .map(|row| {
                Ok(AdoptionRecord {
                    id: row.id,
                    level: AdoptionLevel::parse(&row.level)
                        .ok_or_else(|| unknown("level", &row.level))?,
                    body: row.body,
                    note: row.note,
                    on_date: row.on_date,
                    file: row.file,
                    attachment: row.attachment.view(),
                })
            })
            .collect::<anyhow::Result<_>>()?,
        instructions: instructions
            .into_iter()
            .map(|row| {
                Ok(InstructionRecord {
                    id: row.id,
                    level: InstructionLevel::parse(&row.level)
                        .ok_or_else(|| unknown("level", &row.level))?,
                    leader: row.leader,
                    note: row.note,
                    on_date: row.on_date,
                    attachment: row.attachment.view(),
                })
            })
            .collect::<anyhow::Result<_>>()?,
        extensions: extensions
            .into_iter()
            .map(|(from, to, reason, at, actor)| DueExtension {
                from,
                to,
                reason,
                at,
                actor,
            })
            .collect(),
        ratings: ratings
            .into_iter()
            .map(|(rating, comment, at)| {
                Ok(RatingRecord {
                    rating: Rating::parse(&rating).ok_or_else(|| unknown("rating", &rating))?,
                    comment,
                    at,
                })
            })
            .collect::<anyhow::Result<_>>()?,
        timeline: events
            .into_iter()
            .map(|event| {
                Ok(StaffTimelineEntry {
                    kind: EntryKind::parse(&event.kind)
                        .ok_or_else(|| unknown("entry kind", &event.kind))?,
                    status: parse_status(&event.status)?,
                    at: event.at,
                    note: event.note,
                    public: event.public,
                    actor: event.actor,
                    merged_into: event.merged_into,
                })
            })
            .collect::<anyhow::Result<_>>()?,
        legal_actions: workflow::legal_actions(status),
        attachments,
        result,
    }))
}

/// Past its due date (`today` is YYYY-MM-DD) and still being handled.
pub fn is_overdue(status: api::SubmissionStatus, due_on: Option<&str>, today: &str) -> bool {
    use api::SubmissionStatus as S;
    matches!(status, S::Assigned | S::InProgress) && due_on.is_some_and(|due| due < today)
}
