//! Topics (党委出题): the department's research topics, their published versions and target units.
//! Claims are in `claims.rs`, the board and the overview in `board.rs`, 自主选题 in `proposals.rs`.
//! Staff writes take `BEGIN IMMEDIATE` on the pool and write their audit row in the same transaction.

pub mod board;
pub mod claims;
mod edits;
pub mod grades;
pub mod member_view;
pub mod proposals;

pub use edits::{close, create, publish, update, versions, withdraw};

use anyhow::Context;
use api::{
    topic::{Issuer, ProposalId, TopicOrigin, TopicState, TopicView, UnitRef},
    FieldErrors, TopicId, UnitId,
};
use sqlx::{SqliteConnection, SqlitePool};

use crate::clock;

/// The audit actions of this area.
pub mod action {
    pub const CREATE: &str = "topic.create";
    pub const EDIT: &str = "topic.edit";
    pub const PUBLISH: &str = "topic.publish";
    pub const CLOSE: &str = "topic.close";
    pub const WITHDRAW: &str = "topic.withdraw";
    pub const CLAIM: &str = "topic.claim";
    pub const GIVE_BACK: &str = "topic.give_back";
    pub const RESEARCHING: &str = "topic.researching";
    pub const PROPOSAL_APPROVE: &str = "proposal.approve";
    pub const PROPOSAL_DECLINE: &str = "proposal.decline";
    pub const GRADE: &str = "submission.grade";
}

/// What a topic change can fail with, beyond our own faults.
#[derive(Debug)]
pub enum TopicError {
    /// No such topic (or proposal, or submission), or not the caller's to see.
    NotFound(&'static str),
    /// Not allowed for this caller (a member who is not the 联络员; a unit the topic is not for).
    Forbidden(String),
    /// Not possible in the present state; the message says why.
    Conflict(String),
    /// Fields to fix.
    Invalid(FieldErrors),
    Other(anyhow::Error),
}

impl From<anyhow::Error> for TopicError {
    fn from(error: anyhow::Error) -> Self {
        TopicError::Other(error)
    }
}

impl From<sqlx::Error> for TopicError {
    fn from(error: sqlx::Error) -> Self {
        TopicError::Other(error.into())
    }
}

pub const NO_TOPIC: &str = "没有这个课题，可能已被撤回，请刷新后重试";

pub(crate) async fn begin(
    db: &SqlitePool,
) -> anyhow::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    db.begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting a topic change")
}

/// A stored topic row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct TopicRow {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub background: String,
    pub questions: String,
    pub issuer: String,
    pub category: String,
    pub deadline: String,
    pub all_units: bool,
    pub state: String,
    pub version: i64,
    pub origin: String,
    pub proposal_id: Option<i64>,
    pub withdrawn_reason: Option<String>,
    pub created_at: String,
    pub published_at: Option<String>,
    pub updated_at: String,
}

const TOPIC_COLUMNS: &str = "id, year, title, background, questions, issuer, category, deadline, \
     all_units, state, version, origin, proposal_id, withdrawn_reason, created_at, published_at, \
     updated_at";

impl TopicRow {
    pub fn state(&self) -> anyhow::Result<TopicState> {
        TopicState::parse(&self.state)
            .with_context(|| format!("unknown topic state {:?} in the database", self.state))
    }

    pub fn issuer(&self) -> anyhow::Result<Issuer> {
        Issuer::parse(&self.issuer)
            .with_context(|| format!("unknown issuer {:?} in the database", self.issuer))
    }

    pub fn origin(&self) -> anyhow::Result<TopicOrigin> {
        TopicOrigin::parse(&self.origin)
            .with_context(|| format!("unknown origin {:?} in the database", self.origin))
    }

    /// Days left as of `today`, and whether it is overdue.
    pub fn days_left(&self, today: time::Date) -> (i64, bool) {
        let days = clock::days_left(&self.deadline, today).unwrap_or(0);
        (days, days < 0)
    }
}

/// The topic with this id, in any state.
pub(crate) async fn load(conn: &mut SqliteConnection, id: i64) -> anyhow::Result<Option<TopicRow>> {
    sqlx::query_as(&format!("SELECT {TOPIC_COLUMNS} FROM topics WHERE id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .context("reading a topic")
}

/// The topics of a year, newest first.
pub(crate) async fn load_year(
    conn: &mut SqliteConnection,
    year: i32,
) -> anyhow::Result<Vec<TopicRow>> {
    sqlx::query_as(&format!(
        "SELECT {TOPIC_COLUMNS} FROM topics WHERE year = ? ORDER BY id DESC"
    ))
    .bind(year)
    .fetch_all(conn)
    .await
    .context("reading a year's topics")
}

/// The units a topic is for, in the roster's order: every unit in use when it is for all (and any unit
/// that has claimed it since, retired or not), else the chosen ones.
pub(crate) async fn target_units(
    conn: &mut SqliteConnection,
    topic: &TopicRow,
) -> anyhow::Result<Vec<UnitRef>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM units
         WHERE (?1 AND retired_at IS NULL)
            OR id IN (SELECT unit_id FROM topic_units WHERE topic_id = ?2)
            OR (?1 AND id IN (SELECT unit_id FROM topic_claims WHERE topic_id = ?2))
         ORDER BY sort_order, id",
    )
    .bind(topic.all_units)
    .bind(topic.id)
    .fetch_all(conn)
    .await
    .context("reading a topic's units")?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| UnitRef {
            id: UnitId(id),
            name,
        })
        .collect())
}

/// Whether `unit` is one a topic is for.
pub(crate) async fn is_target(
    conn: &mut SqliteConnection,
    topic: &TopicRow,
    unit: i64,
) -> anyhow::Result<bool> {
    if topic.all_units {
        let in_use: Option<bool> =
            sqlx::query_scalar("SELECT retired_at IS NULL FROM units WHERE id = ?")
                .bind(unit)
                .fetch_optional(conn)
                .await
                .context("reading a unit")?;
        return Ok(in_use == Some(true));
    }
    let chosen: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM topic_units WHERE topic_id = ? AND unit_id = ?")
            .bind(topic.id)
            .bind(unit)
            .fetch_optional(conn)
            .await
            .context("reading a topic's units")?;
    Ok(chosen.is_some())
}

pub(crate) fn view(
    topic: TopicRow,
    units: Vec<UnitRef>,
    today: time::Date,
) -> anyhow::Result<TopicView> {
    let (days_left, overdue) = topic.days_left(today);
    Ok(TopicView {
        id: TopicId(topic.id),
        year: topic.year,
        issuer: topic.issuer()?,
        state: topic.state()?,
        origin: topic.origin()?,
        title: topic.title,
        background: topic.background,
        questions: topic.questions,
        category: topic.category,
        deadline: topic.deadline,
        days_left,
        overdue,
        all_units: topic.all_units,
        units,
        version: topic.version,
        proposal_id: topic.proposal_id.map(ProposalId),
        withdrawn_reason: topic.withdrawn_reason,
        created_at: topic.created_at,
        published_at: topic.published_at,
        updated_at: topic.updated_at,
    })
}

pub(crate) async fn view_of(
    conn: &mut SqliteConnection,
    id: i64,
    today: time::Date,
) -> Result<TopicView, TopicError> {
    let topic = load(conn, id)
        .await?
        .ok_or(TopicError::NotFound(NO_TOPIC))?;
    let units = target_units(conn, &topic).await?;
    Ok(view(topic, units, today)?)
}

/// One topic as staff see it.
#[tracing::instrument(skip(db))]
pub async fn get(db: &SqlitePool, id: TopicId, today: time::Date) -> Result<TopicView, TopicError> {
    let mut conn = db.acquire().await.context("a connection")?;
    view_of(&mut conn, id.0, today).await
}
