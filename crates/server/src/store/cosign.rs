//! Co-signing requests (联名) before they reach staff: `cosign_drafts` holds what the lead wrote,
//! `cosign_answers` each co-signer's answer. A draft is frozen (`sent_at`) by the first send, and from
//! then on answers are refused, so the submission carries exactly the answers given before it.

use anyhow::Context;
use api::{
    CosignAnswer, CosignDraft, CosignDraftId, CosignRequest, CosignSent, CosignerAnswer, MemberId,
    RosterEntry, SubmissionKind, TrackingCode, ROSTER_SEARCH_MAX,
};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::secret::ServerKey;

/// Most drafts one list answers with.
const LIST_MAX: i64 = 50;

/// What the lead wrote, as `cosign_drafts.request` keeps it (checked by the rules before it is stored).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredRequest {
    pub kind: SubmissionKind,
    pub title: String,
    pub body: String,
    /// Co-signers not on the roster, by name: sent unconfirmed.
    pub other_names: Vec<String>,
}

impl StoredRequest {
    fn decode(json: &str) -> anyhow::Result<Self> {
        serde_json::from_str(json).context("decoding a stored co-signing request")
    }
}

/// Active members (not `exclude`, the one asking) whose name contains `query`: exact names first, then
/// by unit and name.
#[tracing::instrument(skip(db))]
pub async fn search_roster(
    db: &SqlitePool,
    query: &str,
    exclude: i64,
) -> anyhow::Result<Vec<RosterEntry>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT m.id, m.name, u.name FROM members m JOIN units u ON u.id = m.unit_id
         WHERE m.disabled_at IS NULL AND m.id <> ?1 AND instr(m.name, ?2) > 0
         ORDER BY m.name <> ?2, u.sort_order, m.name, m.id
         LIMIT ?3",
    )
    .bind(exclude)
    .bind(query)
    .bind(ROSTER_SEARCH_MAX as i64)
    .fetch_all(db)
    .await
    .context("searching the roster by name")?;
    Ok(rows
        .into_iter()
        .map(|(id, name, unit)| RosterEntry {
            id: MemberId(id),
            name,
            unit,
        })
        .collect())
}

/// The names of those of `ids` who are active members, by id (absent ids are unknown or disabled).
#[tracing::instrument(skip(db))]
pub async fn active_names(db: &SqlitePool, ids: &[MemberId]) -> anyhow::Result<Vec<(i64, String)>> {
    let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
    let ids = serde_json::to_string(&ids).context("encoding member ids")?;
    sqlx::query_as(
        "SELECT id, name FROM members
         WHERE disabled_at IS NULL AND id IN (SELECT value FROM json_each(?))",
    )
    .bind(ids)
    .fetch_all(db)
    .await
    .context("reading the chosen co-signers")
}

/// Stores a draft and asks `cosigners` (in that order), in one transaction.
#[tracing::instrument(skip(db, request))]
pub async fn create(
    db: &SqlitePool,
    lead_id: i64,
    request: &StoredRequest,
    cosigners: &[MemberId],
    now: &str,
) -> anyhow::Result<CosignDraftId> {
    let request = serde_json::to_string(request).context("encoding the request")?;
    let ids: Vec<i64> = cosigners.iter().map(|id| id.0).collect();
    let ids = serde_json::to_string(&ids).context("encoding the co-signers")?;
    let mut tx = db
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting to store a co-signing request")?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cosign_drafts (lead_id, request, created_at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(lead_id)
    .bind(request)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .context("storing a co-signing request")?;
    sqlx::query(
        "INSERT INTO cosign_answers (draft_id, member_id, position)
         SELECT ?, value, key FROM json_each(?)",
    )
    .bind(id)
    .bind(ids)
    .execute(&mut *tx)
    .await
    .context("asking the co-signers")?;
    tx.commit()
        .await
        .context("committing a co-signing request")?;
    Ok(CosignDraftId(id))
}

#[derive(sqlx::FromRow)]
struct DraftRow {
    id: i64,
    request: String,
    created_at: String,
    sent_at: Option<String>,
    submission_id: Option<i64>,
    year: Option<i32>,
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    draft_id: i64,
    member_id: i64,
    name: String,
    unit: String,
    answer: Option<String>,
    answered_at: Option<String>,
}

/// The drafts `lead_id` leads, newest first: those not yet sent, and those sent since `sent_since`.
#[tracing::instrument(skip(db, key))]
pub async fn led_by(
    db: &SqlitePool,
    key: &ServerKey,
    lead_id: i64,
    sent_since: &str,
) -> anyhow::Result<Vec<CosignDraft>> {
    let rows: Vec<DraftRow> = sqlx::query_as(
        "SELECT d.id, d.request, d.created_at, d.sent_at, d.submission_id, s.year
         FROM cosign_drafts d LEFT JOIN submissions s ON s.id = d.submission_id
         WHERE d.lead_id = ? AND (d.submission_id IS NULL OR d.sent_at >= ?)
         ORDER BY d.id DESC LIMIT ?",
    )
    .bind(lead_id)
    .bind(sent_since)
    .bind(LIST_MAX)
    .fetch_all(db)
    .await
    .context("reading the member's co-signing requests")?;
    with_answers(db, key, rows).await
}

/// One draft, if `lead_id` leads it.
#[tracing::instrument(skip(db, key))]
pub async fn one_led_by(
    db: &SqlitePool,
    key: &ServerKey,
    lead_id: i64,
    id: CosignDraftId,
) -> anyhow::Result<Option<CosignDraft>> {
    let rows: Vec<DraftRow> = sqlx::query_as(
        "SELECT d.id, d.request, d.created_at, d.sent_at, d.submission_id, s.year
         FROM cosign_drafts d LEFT JOIN submissions s ON s.id = d.submission_id
         WHERE d.id = ? AND d.lead_id = ?",
    )
    .bind(id.0)
    .bind(lead_id)
    .fetch_all(db)
    .await
    .context("reading a co-signing request")?;
    Ok(with_answers(db, key, rows).await?.pop())
}

async fn with_answers(
    db: &SqlitePool,
    key: &ServerKey,
    rows: Vec<DraftRow>,
) -> anyhow::Result<Vec<CosignDraft>> {
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let ids = serde_json::to_string(&ids).context("encoding draft ids")?;
    let answers: Vec<AnswerRow> = sqlx::query_as(
        "SELECT a.draft_id, a.member_id, m.name, u.name AS unit, a.answer, a.answered_at
         FROM cosign_answers a JOIN members m ON m.id = a.member_id JOIN units u ON u.id = m.unit_id
         WHERE a.draft_id IN (SELECT value FROM json_each(?))
         ORDER BY a.draft_id, a.position",
    )
    .bind(ids)
    .fetch_all(db)
    .await
    .context("reading the co-signers' answers")?;
    rows.into_iter()
        .map(|row| {
            let request = StoredRequest::decode(&row.request)?;
            let cosigners = answers
                .iter()
                .filter(|answer| answer.draft_id == row.id)
                .map(|answer| CosignerAnswer {
                    member_id: MemberId(answer.member_id),
                    name: answer.name.clone(),
                    unit: answer.unit.clone(),
                    answer: CosignAnswer::from_stored(answer.answer.as_deref()),
                    answered_at: answer.answered_at.clone(),
                })
                .collect();
            // Sent means stored as a submission: a draft frozen by a send that failed is still waiting.
            let sent = match (row.submission_id, row.year, row.sent_at) {
                (Some(id), Some(year), Some(sent_at)) => Some(CosignSent {
                    code: TrackingCode::new(year, id).to_string(),
                    secret: key.submission_secret(id),
                    sent_at,
                }),
                _ => None,
            };
            Ok(CosignDraft {
                id: CosignDraftId(row.id),
                kind: request.kind,
                title: request.title,
                created_at: row.created_at,
                cosigners,
                other_names: request.other_names,
                sent,
            })
        })
        .collect()
}

/// The unsent drafts that ask `member_id` to co-sign, newest first, with their answer so far.
#[tracing::instrument(skip(db))]
pub async fn asking(db: &SqlitePool, member_id: i64) -> anyhow::Result<Vec<CosignRequest>> {
    let rows: Vec<(i64, String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT d.id, m.name, u.name, d.request, d.created_at, a.answer
         FROM cosign_answers a JOIN cosign_drafts d ON d.id = a.draft_id
         JOIN members m ON m.id = d.lead_id JOIN units u ON u.id = m.unit_id
         WHERE a.member_id = ? AND d.sent_at IS NULL
         ORDER BY d.id DESC LIMIT ?",
    )
    .bind(member_id)
    .bind(LIST_MAX)
    .fetch_all(db)
    .await
    .context("reading the requests to co-sign")?;
    rows.into_iter()
        .map(|(id, lead_name, lead_unit, request, created_at, answer)| {
            let request = StoredRequest::decode(&request)?;
            Ok(CosignRequest {
                id: CosignDraftId(id),
                lead_name,
                lead_unit,
                kind: request.kind,
                title: request.title,
                body: request.body,
                created_at,
                answer: CosignAnswer::from_stored(answer.as_deref()),
            })
        })
        .collect()
}

/// Why an answer was not recorded.
#[derive(Debug)]
pub enum AnswerError {
    /// The draft does not exist, or does not ask this member.
    NotAsked,
    /// The lead sent it already.
    Sent,
    /// This member answered before.
    Answered,
    Other(anyhow::Error),
}

impl From<sqlx::Error> for AnswerError {
    fn from(error: sqlx::Error) -> Self {
        AnswerError::Other(error.into())
    }
}

/// Records `member_id`'s answer to draft `id`, once, while it is unsent; `true` when no co-signer is
/// left to answer (the draft is then due to be sent).
#[tracing::instrument(skip(db))]
pub async fn answer(
    db: &SqlitePool,
    id: CosignDraftId,
    member_id: i64,
    answer: CosignAnswer,
    now: &str,
) -> Result<bool, AnswerError> {
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
    let state: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT d.sent_at, a.answer FROM cosign_answers a JOIN cosign_drafts d ON d.id = a.draft_id
         WHERE a.draft_id = ? AND a.member_id = ?",
    )
    .bind(id.0)
    .bind(member_id)
    .fetch_optional(&mut *tx)
    .await?;
    match state {
        None => return Err(AnswerError::NotAsked),
        Some((Some(_), _)) => return Err(AnswerError::Sent),
        Some((None, Some(_))) => return Err(AnswerError::Answered),
        Some((None, None)) => {}
    }
    sqlx::query(
        "UPDATE cosign_answers SET answer = ?, answered_at = ? WHERE draft_id = ? AND member_id = ?",
    )
    .bind(answer.as_stored())
    .bind(now)
    .bind(id.0)
    .bind(member_id)
    .execute(&mut *tx)
    .await?;
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cosign_answers WHERE draft_id = ? AND answer IS NULL",
    )
    .bind(id.0)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(waiting == 0)
}

/// A frozen draft, read for sending.
pub struct ToSend {
    pub lead_id: i64,
    pub request: StoredRequest,
    /// The co-signers who confirmed, in the lead's order.
    pub confirmed: Vec<String>,
    /// Set once the submission is stored.
    pub submission_id: Option<i64>,
}

/// The lead of draft `id`, if it exists.
#[tracing::instrument(skip(db))]
pub async fn lead_of(db: &SqlitePool, id: CosignDraftId) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar("SELECT lead_id FROM cosign_drafts WHERE id = ?")
        .bind(id.0)
        .fetch_optional(db)
        .await
        .context("reading a co-signing request's lead")
}

/// Freezes draft `id` for sending (only the first call sets `sent_at`), then reads what is to be sent.
/// Answers given before the freeze are in it; later ones are refused (`answer` sees `sent_at`).
#[tracing::instrument(skip(db))]
pub async fn freeze(db: &SqlitePool, id: CosignDraftId, now: &str) -> anyhow::Result<ToSend> {
    sqlx::query("UPDATE cosign_drafts SET sent_at = ? WHERE id = ? AND sent_at IS NULL")
        .bind(now)
        .bind(id.0)
        .execute(db)
        .await
        .context("freezing a co-signing request")?;
    let (lead_id, request, submission_id): (i64, String, Option<i64>) =
        sqlx::query_as("SELECT lead_id, request, submission_id FROM cosign_drafts WHERE id = ?")
            .bind(id.0)
            .fetch_one(db)
            .await
            .context("reading a co-signing request to send")?;
    let confirmed: Vec<String> = sqlx::query_scalar(
        "SELECT m.name FROM cosign_answers a JOIN members m ON m.id = a.member_id
         WHERE a.draft_id = ? AND a.answer = 'confirmed' ORDER BY a.position",
    )
    .bind(id.0)
    .fetch_all(db)
    .await
    .context("reading who confirmed")?;
    Ok(ToSend {
        lead_id,
        request: StoredRequest::decode(&request)?,
        confirmed,
        submission_id,
    })
}

/// Notes the submission draft `id` became.
#[tracing::instrument(skip(db))]
pub async fn record_sent(
    db: &SqlitePool,
    id: CosignDraftId,
    submission_id: i64,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE cosign_drafts SET submission_id = ? WHERE id = ?")
        .bind(submission_id)
        .bind(id.0)
        .execute(db)
        .await
        .context("noting the submission a co-signing request became")?;
    Ok(())
}

/// Undoes a freeze whose send could not be stored (the lead's unit was retired), so the co-signers
/// still waiting may answer; a draft already stored stays sent.
#[tracing::instrument(skip(db))]
pub async fn unfreeze(db: &SqlitePool, id: CosignDraftId) -> anyhow::Result<()> {
    sqlx::query("UPDATE cosign_drafts SET sent_at = NULL WHERE id = ? AND submission_id IS NULL")
        .bind(id.0)
        .execute(db)
        .await
        .context("reopening a co-signing request")?;
    Ok(())
}
