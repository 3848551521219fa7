//! Surveys (问卷): the definitions staff write and publish, who has answered, and the responses. See
//! migrations/0014_surveys.sql for how an anonymous survey's respondents are kept apart from its
//! responses. Staff changes write their audit row in the same transaction (`BEGIN IMMEDIATE` on the pool,
//! as units and members do); a response is one `BEGIN IMMEDIATE` transaction too.

pub mod responses;

use anyhow::Context;
use api::{
    survey::{check_change, Audience, PublishSettings, SurveyDefinition, SurveyId, SurveyStatus},
    FieldErrors,
};
use sqlx::{SqliteConnection, SqlitePool};

use super::audit::{self, Actor};

/// Audit actions of this module.
pub mod action {
    pub const CREATE: &str = "surveys.create";
    pub const SAVE: &str = "surveys.save";
    pub const PUBLISH: &str = "surveys.publish";
    pub const CLOSE: &str = "surveys.close";
    pub const DUPLICATE: &str = "surveys.duplicate";
    pub const DELETE: &str = "surveys.delete";
    pub const EXPORT: &str = "surveys.export";
}

/// Why a survey change was refused.
#[derive(Debug)]
pub enum SurveyError {
    NotFound,
    /// Refused by the rules, per field (`check_change`).
    Invalid(FieldErrors),
    /// Refused as a whole, with the reason.
    Conflict(String),
    Other(anyhow::Error),
}

impl From<sqlx::Error> for SurveyError {
    fn from(error: sqlx::Error) -> Self {
        SurveyError::Other(error.into())
    }
}

impl From<anyhow::Error> for SurveyError {
    fn from(error: anyhow::Error) -> Self {
        SurveyError::Other(error)
    }
}

/// A survey as stored, with its response count.
#[derive(Debug, Clone)]
pub struct StoredSurvey {
    pub id: SurveyId,
    pub definition: SurveyDefinition,
    pub settings: Option<PublishSettings>,
    pub link_key: Option<String>,
    pub closed_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub responses: u64,
}

impl StoredSurvey {
    /// Where it stands at `now` (RFC 3339, China time).
    pub fn status(&self, now: &str) -> SurveyStatus {
        match &self.settings {
            None => SurveyStatus::Draft,
            Some(_) if self.closed_at.is_some() => SurveyStatus::Closed,
            Some(settings) if now >= settings.closes_at.as_str() => SurveyStatus::Closed,
            Some(settings) if now < settings.opens_at.as_str() => SurveyStatus::Scheduled,
            Some(_) => SurveyStatus::Collecting,
        }
    }

    /// Whether answers are kept apart from who gave them.
    pub fn anonymous(&self) -> bool {
        self.settings.as_ref().is_some_and(|s| s.anonymous)
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    definition: String,
    settings: Option<String>,
    link_key: Option<String>,
    closed_at: Option<String>,
    created_at: String,
    updated_at: String,
    responses: i64,
}

impl TryFrom<Row> for StoredSurvey {
    type Error = anyhow::Error;

    fn try_from(row: Row) -> anyhow::Result<Self> {
        Ok(StoredSurvey {
            id: SurveyId(row.id),
            definition: serde_json::from_str(&row.definition)
                .with_context(|| format!("survey {} has an unreadable definition", row.id))?,
            settings: row
                .settings
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .with_context(|| format!("survey {} has unreadable settings", row.id))?,
            link_key: row.link_key,
            closed_at: row.closed_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
            responses: u64::try_from(row.responses).unwrap_or(0),
        })
    }
}

const SELECT: &str = "SELECT s.id, s.definition, s.settings, s.link_key, s.closed_at, s.created_at,
        s.updated_at,
        (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = s.id) AS responses
    FROM surveys s";

/// Every survey, newest first.
#[tracing::instrument(skip(db))]
pub async fn list(db: &SqlitePool) -> anyhow::Result<Vec<StoredSurvey>> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} ORDER BY s.id DESC"))
        .fetch_all(db)
        .await
        .context("listing surveys")?;
    rows.into_iter().map(TryFrom::try_from).collect()
}

/// The survey with this id.
#[tracing::instrument(skip(db))]
pub async fn get(db: &SqlitePool, id: SurveyId) -> anyhow::Result<Option<StoredSurvey>> {
    let mut conn = db.acquire().await.context("a connection")?;
    find(&mut conn, id).await
}

async fn find(conn: &mut SqliteConnection, id: SurveyId) -> anyhow::Result<Option<StoredSurvey>> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE s.id = ?"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await
        .context("reading a survey")?;
    row.map(TryFrom::try_from).transpose()
}

/// The published link survey with this key.
#[tracing::instrument(skip_all)]
pub async fn by_link(db: &SqlitePool, key: &str) -> anyhow::Result<Option<StoredSurvey>> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE s.link_key = ? AND s.audience = 'link'"
    ))
    .bind(key)
    .fetch_optional(db)
    .await
    .context("reading a link survey")?;
    row.map(TryFrom::try_from).transpose()
}

/// Published surveys a member of `unit_id` may answer, whose window is open or ended after `since`.
#[tracing::instrument(skip(db))]
pub async fn for_unit(
    db: &SqlitePool,
    unit_id: i64,
    since: &str,
) -> anyhow::Result<Vec<StoredSurvey>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE s.settings IS NOT NULL
            AND (s.audience = 'all_units'
                 OR (s.audience = 'units' AND EXISTS (SELECT 1 FROM survey_units u
                     WHERE u.survey_id = s.id AND u.unit_id = ?)))
            AND COALESCE(s.closed_at, s.closes_at) > ?
         ORDER BY s.closes_at, s.id"
    ))
    .bind(unit_id)
    .bind(since)
    .fetch_all(db)
    .await
    .context("listing a unit's surveys")?;
    rows.into_iter().map(TryFrom::try_from).collect()
}

/// Whether the survey's audience includes members of `unit_id`.
pub fn reaches_unit(survey: &StoredSurvey, unit_id: i64) -> bool {
    match survey.settings.as_ref().map(|s| &s.audience) {
        Some(Audience::AllUnits) => true,
        Some(Audience::Units { unit_ids }) => unit_ids.iter().any(|u| u.0 == unit_id),
        Some(Audience::Link) | None => false,
    }
}

async fn begin(db: &SqlitePool) -> anyhow::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    db.begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting a survey change")
}

fn to_json<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
    serde_json::to_string(value).context("encoding a survey as JSON")
}

/// Stores a new draft.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &SqlitePool,
    definition: &SurveyDefinition,
    now: &str,
    by: Actor<'_>,
) -> Result<SurveyId, SurveyError> {
    let mut tx = begin(db).await?;
    let id = insert_draft(&mut tx, definition, now).await?;
    let target = id.0.to_string();
    let entry = audit::AuditEntry {
        target: Some(&target),
        note: Some(definition.title.trim()),
        ..by.entry(action::CREATE)
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await.context("committing a new survey")?;
    Ok(id)
}

async fn insert_draft(
    conn: &mut SqliteConnection,
    definition: &SurveyDefinition,
    now: &str,
) -> anyhow::Result<SurveyId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO surveys (title, definition, created_at, updated_at) VALUES (?, ?, ?, ?)
         RETURNING id",
    )
    .bind(definition.title.trim())
    .bind(to_json(definition)?)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .context("storing a survey")?;
    Ok(SurveyId(id))
}

/// Replaces a survey's definition; once it has responses, only as `check_change` allows.
#[tracing::instrument(skip(db, definition, by))]
pub async fn save(
    db: &SqlitePool,
    id: SurveyId,
    definition: &SurveyDefinition,
    now: &str,
    by: Actor<'_>,
) -> Result<(), SurveyError> {
    let mut tx = begin(db).await?;
    let survey = find(&mut tx, id).await?.ok_or(SurveyError::NotFound)?;
    if survey.responses > 0 {
        check_change(&survey.definition, definition).map_err(SurveyError::Invalid)?;
    }
    sqlx::query("UPDATE surveys SET title = ?, definition = ?, updated_at = ? WHERE id = ?")
        .bind(definition.title.trim())
        .bind(to_json(definition)?)
        .bind(now)
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .context("saving a survey")?;
    let target = id.0.to_string();
    let entry = audit::AuditEntry {
        target: Some(&target),
        note: Some(definition.title.trim()),
        ..by.entry(action::SAVE)
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await.context("committing a survey")?;
    Ok(())
}

/// Publishes a survey (or moves the window of a published one) with checked `settings`. Once it has
/// responses its audience and anonymity stay as they are. Publishing a closed survey reopens it.
#[tracing::instrument(skip(db, settings, by))]
pub async fn publish(
    db: &SqlitePool,
    id: SurveyId,
    settings: &PublishSettings,
    now: &str,
    by: Actor<'_>,
) -> Result<(), SurveyError> {
    let mut tx = begin(db).await?;
    let survey = find(&mut tx, id).await?.ok_or(SurveyError::NotFound)?;
    if let (Some(old), true) = (&survey.settings, survey.responses > 0) {
        if old.anonymous != settings.anonymous {
            return Err(SurveyError::Conflict(
                "问卷已有答卷，不能再改变是否匿名（已收到的答卷是按原设置保存的）".into(),
            ));
        }
        if old.audience != settings.audience {
            return Err(SurveyError::Conflict(
                "问卷已有答卷，不能再改变发放范围".into(),
            ));
        }
    }
    let link_key = match (&settings.audience, &survey.link_key) {
        (Audience::Link, Some(key)) => Some(key.clone()),
        (Audience::Link, None) => Some(crate::secret::generate()?),
        _ => survey.link_key.clone(),
    };
    let audience = match settings.audience {
        Audience::AllUnits => "all_units",
        Audience::Units { .. } => "units",
        Audience::Link => "link",
    };
    sqlx::query(
        "UPDATE surveys SET settings = ?, opens_at = ?, closes_at = ?, audience = ?, anonymous = ?,
             link_key = ?, published_at = COALESCE(published_at, ?), closed_at = NULL, updated_at = ?
         WHERE id = ?",
    )
    .bind(to_json(settings)?)
    .bind(&settings.opens_at)
    .bind(&settings.closes_at)
    .bind(audience)
    .bind(settings.anonymous)
    .bind(&link_key)
    .bind(now)
    .bind(now)
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .context("publishing a survey")?;
    sqlx::query("DELETE FROM survey_units WHERE survey_id = ?")
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .context("clearing a survey's units")?;
    if let Audience::Units { unit_ids } = &settings.audience {
        for unit in unit_ids {
            sqlx::query("INSERT INTO survey_units (survey_id, unit_id) VALUES (?, ?)")
                .bind(id.0)
                .bind(unit.0)
                .execute(&mut *tx)
                .await
                .map_err(|error| match &error {
                    sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                        SurveyError::Conflict(format!("没有编号为 {} 的单位，请刷新后重选", unit.0))
                    }
                    _ => SurveyError::Other(error.into()),
                })?;
        }
    }
    let target = id.0.to_string();
    let window = format!("{} — {}", settings.opens_at, settings.closes_at);
    let entry = audit::AuditEntry {
        target: Some(&target),
        to: Some(audience),
        note: Some(&window),
        ..by.entry(action::PUBLISH)
    };
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await.context("committing a publication")?;
    Ok(())
}

/// Closes a collecting (or scheduled) survey now.
#[tracing::instrument(skip(db, by))]
pub async fn close(
    db: &SqlitePool,
    id: SurveyId,
    now: &str,
    by: Actor<'_>,
) -> Result<(), SurveyError> {
    let mut tx = begin(db).await?;
    let survey = find(&mut tx, id).await?.ok_or(SurveyError::NotFound)?;
    match survey.status(now) {
        SurveyStatus::Draft => {
            return Err(SurveyError::Conflict("问卷还没有发布，无需结束".into()))
        }
        SurveyStatus::Closed => return Err(SurveyError::Conflict("问卷已经结束了".into())),
        SurveyStatus::Scheduled | SurveyStatus::Collecting => {}
    }
    sqlx::query("UPDATE surveys SET closed_at = ?, updated_at = ? WHERE id = ?")
        .bind(now)
        .bind(now)
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .context("closing a survey")?;
    let target = id.0.to_string();
    audit::record(
        &mut *tx,
        &audit::AuditEntry {
            target: Some(&target),
            ..by.entry(action::CLOSE)
        },
    )
    .await?;
    tx.commit().await.context("committing a close")?;
    Ok(())
}

/// A new draft with the questions of survey `id` (same ids), titled （副本）.
#[tracing::instrument(skip(db, by))]
pub async fn duplicate(
    db: &SqlitePool,
    id: SurveyId,
    now: &str,
    by: Actor<'_>,
) -> Result<SurveyId, SurveyError> {
    let mut tx = begin(db).await?;
    let survey = find(&mut tx, id).await?.ok_or(SurveyError::NotFound)?;
    let mut definition = survey.definition;
    let title: String = definition
        .title
        .trim()
        .chars()
        .take(api::survey::SURVEY_TITLE_MAX_CHARS - 4)
        .collect();
    definition.title = format!("{title}（副本）");
    let copy = insert_draft(&mut tx, &definition, now).await?;
    let (from, to) = (id.0.to_string(), copy.0.to_string());
    audit::record(
        &mut *tx,
        &audit::AuditEntry {
            target: Some(&to),
            from: Some(&from),
            ..by.entry(action::DUPLICATE)
        },
    )
    .await?;
    tx.commit().await.context("committing a copy")?;
    Ok(copy)
}

/// Deletes a draft that has no responses.
#[tracing::instrument(skip(db, by))]
pub async fn delete(db: &SqlitePool, id: SurveyId, by: Actor<'_>) -> Result<(), SurveyError> {
    let mut tx = begin(db).await?;
    let survey = find(&mut tx, id).await?.ok_or(SurveyError::NotFound)?;
    if survey.settings.is_some() || survey.responses > 0 {
        return Err(SurveyError::Conflict(
            "只能删除未发布的问卷；已发布的问卷请结束它".into(),
        ));
    }
    sqlx::query("DELETE FROM surveys WHERE id = ?")
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .context("deleting a survey")?;
    let target = id.0.to_string();
    audit::record(
        &mut *tx,
        &audit::AuditEntry {
            target: Some(&target),
            note: Some(survey.definition.title.trim()),
            ..by.entry(action::DELETE)
        },
    )
    .await?;
    tx.commit().await.context("committing a deletion")?;
    Ok(())
}
