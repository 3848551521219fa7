//! Responses to surveys, and who has answered (kept apart in anonymous surveys: see 0014_surveys.sql).

use anyhow::Context;
use api::survey::{Answer, SurveyId};
use sqlx::SqlitePool;

/// Who answers: a joined member, or a device (for public-link surveys).
#[derive(Debug, Clone)]
pub enum Respondent {
    Member(i64),
    /// The SHA-256 of the device cookie.
    Device(String),
}

impl Respondent {
    /// The stored form: `m:<id>` or `d:<hash>`.
    fn key(&self) -> String {
        match self {
            Respondent::Member(id) => format!("m:{id}"),
            Respondent::Device(hash) => format!("d:{hash}"),
        }
    }
}

/// A response to store.
#[derive(Debug)]
pub struct NewResponse<'a> {
    pub survey: SurveyId,
    pub respondent: Respondent,
    /// SHA-256 of the request's Idempotency-Key.
    pub retry_key_hash: &'a str,
    /// The member, in named surveys only.
    pub member_id: Option<i64>,
    pub unit_id: Option<i64>,
    /// RFC 3339 in named surveys, `YYYY-MM-DD` in anonymous ones.
    pub submitted_at: &'a str,
    /// Checked answers.
    pub answers: &'a [Answer],
    /// Editable until close (named surveys): a second response replaces the first.
    pub may_replace: bool,
}

/// What happened to a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// Stored as the respondent's first.
    New,
    /// Replaced the respondent's earlier response.
    Replaced,
    /// A retry of a request already stored (the same Idempotency-Key): nothing changed.
    Repeat,
}

/// Why a response was not stored.
#[derive(Debug)]
pub enum RespondError {
    /// The respondent has answered already, and the survey does not allow changing.
    AlreadyAnswered,
    Other(anyhow::Error),
}

impl From<sqlx::Error> for RespondError {
    fn from(error: sqlx::Error) -> Self {
        RespondError::Other(error.into())
    }
}

impl From<anyhow::Error> for RespondError {
    fn from(error: anyhow::Error) -> Self {
        RespondError::Other(error)
    }
}

/// Stores a response exactly once per respondent, in one transaction with the respondent's row. Two
/// concurrent first responses: one commits, the other finds the row (the write lock serialises them).
#[tracing::instrument(skip_all)]
pub async fn respond(db: &SqlitePool, new: &NewResponse<'_>) -> Result<Recorded, RespondError> {
    let respondent = new.respondent.key();
    let answers = serde_json::to_string(new.answers).context("encoding answers")?;
    let mut tx = db
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting a response")?;
    let earlier: Option<String> = sqlx::query_scalar(
        "SELECT retry_key_hash FROM survey_respondents WHERE survey_id = ? AND respondent = ?",
    )
    .bind(new.survey.0)
    .bind(&respondent)
    .fetch_optional(&mut *tx)
    .await?;
    let recorded = match earlier {
        Some(key) if key == new.retry_key_hash => return Ok(Recorded::Repeat),
        Some(_) if !new.may_replace || new.member_id.is_none() => {
            return Err(RespondError::AlreadyAnswered)
        }
        Some(_) => {
            sqlx::query("DELETE FROM survey_responses WHERE survey_id = ? AND member_id = ?")
                .bind(new.survey.0)
                .bind(new.member_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE survey_respondents SET retry_key_hash = ?
                 WHERE survey_id = ? AND respondent = ?",
            )
            .bind(new.retry_key_hash)
            .bind(new.survey.0)
            .bind(&respondent)
            .execute(&mut *tx)
            .await?;
            Recorded::Replaced
        }
        None => {
            sqlx::query(
                "INSERT INTO survey_respondents (survey_id, respondent, retry_key_hash)
                 VALUES (?, ?, ?)",
            )
            .bind(new.survey.0)
            .bind(&respondent)
            .bind(new.retry_key_hash)
            .execute(&mut *tx)
            .await?;
            Recorded::New
        }
    };
    sqlx::query(
        "INSERT INTO survey_responses (id, survey_id, member_id, unit_id, submitted_at, answers)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(crate::secret::generate()?)
    .bind(new.survey.0)
    .bind(new.member_id)
    .bind(new.unit_id)
    .bind(new.submitted_at)
    .bind(answers)
    .execute(&mut *tx)
    .await?;
    tx.commit().await.context("committing a response")?;
    Ok(recorded)
}

/// Whether the respondent has answered survey `survey`.
#[tracing::instrument(skip_all)]
pub async fn has_answered(
    db: &SqlitePool,
    survey: SurveyId,
    respondent: &Respondent,
) -> anyhow::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM survey_respondents WHERE survey_id = ? AND respondent = ?",
    )
    .bind(survey.0)
    .bind(respondent.key())
    .fetch_optional(db)
    .await
    .context("looking for a respondent")?;
    Ok(found.is_some())
}

/// The member's own answers to a named survey.
#[tracing::instrument(skip(db))]
pub async fn member_answers(
    db: &SqlitePool,
    survey: SurveyId,
    member_id: i64,
) -> anyhow::Result<Option<Vec<Answer>>> {
    let answers: Option<String> = sqlx::query_scalar(
        "SELECT answers FROM survey_responses WHERE survey_id = ? AND member_id = ?",
    )
    .bind(survey.0)
    .bind(member_id)
    .fetch_optional(db)
    .await
    .context("reading a member's answers")?;
    answers
        .map(|json| serde_json::from_str(&json).context("unreadable stored answers"))
        .transpose()
}

/// One stored response, for results and exports.
#[derive(Debug, Clone)]
pub struct ResponseRow {
    pub unit_id: Option<i64>,
    /// The unit's name, empty when unknown.
    pub unit: String,
    /// The member's name in named surveys.
    pub member: Option<String>,
    pub submitted_at: String,
    pub answers: Vec<Answer>,
}

#[derive(sqlx::FromRow)]
struct Row {
    unit_id: Option<i64>,
    unit: Option<String>,
    member: Option<String>,
    submitted_at: String,
    answers: String,
}

/// Every response to the survey, oldest first (anonymous ones by day, in random order within it).
#[tracing::instrument(skip(db))]
pub async fn all(db: &SqlitePool, survey: SurveyId) -> anyhow::Result<Vec<ResponseRow>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.unit_id, u.name AS unit, m.name AS member, r.submitted_at, r.answers
         FROM survey_responses r
         LEFT JOIN units u ON u.id = r.unit_id
         LEFT JOIN members m ON m.id = r.member_id
         WHERE r.survey_id = ? ORDER BY r.submitted_at, r.id",
    )
    .bind(survey.0)
    .fetch_all(db)
    .await
    .context("reading responses")?;
    rows.into_iter()
        .map(|row| {
            Ok(ResponseRow {
                unit_id: row.unit_id,
                unit: row.unit.unwrap_or_default(),
                member: row.member,
                submitted_at: row.submitted_at,
                answers: serde_json::from_str(&row.answers).context("unreadable stored answers")?,
            })
        })
        .collect()
}

/// A unit with its active members on the roster.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnitRoster {
    pub id: i64,
    pub name: String,
    pub members: i64,
}

/// Units in use (or those in `only`), each with its active members, in the department's order.
#[tracing::instrument(skip(db))]
pub async fn unit_rosters(
    db: &SqlitePool,
    only: Option<&[i64]>,
) -> anyhow::Result<Vec<UnitRoster>> {
    let ids = only
        .map(serde_json::to_string)
        .transpose()
        .context("encoding unit ids")?;
    sqlx::query_as(
        "SELECT u.id, u.name,
            (SELECT COUNT(*) FROM members m WHERE m.unit_id = u.id AND m.disabled_at IS NULL)
                AS members
         FROM units u
         WHERE (? IS NULL AND u.retired_at IS NULL) OR u.id IN (SELECT value FROM json_each(?))
         ORDER BY u.sort_order, u.id",
    )
    .bind(&ids)
    .bind(ids.as_deref().unwrap_or("[]"))
    .fetch_all(db)
    .await
    .context("reading the units' rosters")
}

/// Of `surveys`, those the respondent has answered.
#[tracing::instrument(skip_all)]
pub async fn answered_among(
    db: &SqlitePool,
    respondent: &Respondent,
    surveys: &[SurveyId],
) -> anyhow::Result<Vec<SurveyId>> {
    let ids: Vec<i64> = surveys.iter().map(|s| s.0).collect();
    let found: Vec<i64> = sqlx::query_scalar(
        "SELECT survey_id FROM survey_respondents
         WHERE respondent = ? AND survey_id IN (SELECT value FROM json_each(?))",
    )
    .bind(respondent.key())
    .bind(serde_json::to_string(&ids).context("encoding survey ids")?)
    .fetch_all(db)
    .await
    .context("reading what a member answered")?;
    Ok(found.into_iter().map(SurveyId).collect())
}
