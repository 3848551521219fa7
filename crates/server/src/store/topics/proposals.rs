//! 自主选题: a unit's contact proposes its own topic; staff approve it (it becomes a published topic for
//! that unit, claimed by it) or decline it with a reason.

use anyhow::Context;
use api::{
    topic::{Decision, Issuer, ProposalDetails, ProposalState, ProposalView, TopicOrigin, UnitRef},
    ProposalId, TopicId, UnitId,
};
use sqlx::{SqliteConnection, SqlitePool};
use time::OffsetDateTime;

use super::{action, begin, TopicError};
use crate::{
    clock,
    store::{
        audit::{self, Actor},
        member_sessions::RosterMember,
    },
};

const NO_PROPOSAL: &str = "没有这个选题申报，请刷新后重试";

const PROPOSAL_COLUMNS: &str =
    "p.id, p.unit_id, u.name AS unit, m.name AS contact, p.title, p.background, p.plan, \
     p.state, p.reason, p.topic_id, p.created_at, p.decided_at";

#[derive(sqlx::FromRow)]
struct ProposalRow {
    id: i64,
    unit_id: i64,
    unit: String,
    contact: String,
    title: String,
    background: String,
    plan: String,
    state: String,
    reason: Option<String>,
    topic_id: Option<i64>,
    created_at: String,
    decided_at: Option<String>,
}

impl ProposalRow {
    fn view(self) -> anyhow::Result<ProposalView> {
        Ok(ProposalView {
            id: ProposalId(self.id),
            unit: UnitRef {
                id: UnitId(self.unit_id),
                name: self.unit,
            },
            contact: self.contact,
            title: self.title,
            background: self.background,
            plan: self.plan,
            state: ProposalState::parse(&self.state)
                .with_context(|| format!("unknown proposal state {:?}", self.state))?,
            reason: self.reason,
            topic_id: self.topic_id.map(TopicId),
            created_at: self.created_at,
            decided_at: self.decided_at,
        })
    }
}

async fn select(
    conn: &mut SqliteConnection,
    filter: &str,
    value: Option<&str>,
    id: Option<i64>,
) -> anyhow::Result<Vec<ProposalView>> {
    let rows: Vec<ProposalRow> = sqlx::query_as(&format!(
        "SELECT {PROPOSAL_COLUMNS} FROM topic_proposals p
         JOIN units u ON u.id = p.unit_id JOIN members m ON m.id = p.member_id
         WHERE {filter} ORDER BY p.id DESC"
    ))
    .bind(value)
    .bind(id)
    .fetch_all(conn)
    .await
    .context("reading proposals")?;
    rows.into_iter().map(ProposalRow::view).collect()
}

/// A contact's proposal for their unit.
#[tracing::instrument(skip(db, member, proposal))]
pub async fn create(
    db: &SqlitePool,
    member: &RosterMember,
    proposal: &ProposalDetails,
    now: OffsetDateTime,
) -> Result<ProposalView, TopicError> {
    if !member.is_contact {
        return Err(TopicError::Forbidden(
            "只有本单位的联络员可以申报自主选题；请联系本单位联络员".into(),
        ));
    }
    let mut tx = begin(db).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO topic_proposals (unit_id, member_id, title, background, plan, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(member.unit_id)
    .bind(member.id)
    .bind(&proposal.title)
    .bind(&proposal.background)
    .bind(&proposal.plan)
    .bind(clock::rfc3339(now))
    .fetch_one(&mut *tx)
    .await
    .context("storing a proposal")?;
    let view = select(&mut tx, "?1 IS NULL AND p.id = ?2", None, Some(id))
        .await?
        .pop()
        .context("the new proposal")?;
    tx.commit().await.context("committing a proposal")?;
    Ok(view)
}

/// A unit's proposals, newest first.
#[tracing::instrument(skip(db))]
pub async fn for_unit(db: &SqlitePool, unit: i64) -> Result<Vec<ProposalView>, TopicError> {
    let mut conn = db.acquire().await.context("a connection")?;
    Ok(select(&mut conn, "?1 IS NULL AND p.unit_id = ?2", None, Some(unit)).await?)
}

/// Every proposal, or those in one state, newest first.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &SqlitePool,
    state: Option<ProposalState>,
) -> Result<Vec<ProposalView>, TopicError> {
    let mut conn = db.acquire().await.context("a connection")?;
    let filter = "(?1 IS NULL OR p.state = ?1) AND ?2 IS NULL";
    Ok(select(&mut conn, filter, state.map(ProposalState::as_str), None).await?)
}

/// Approves (a published topic for the unit, claimed by the contact who proposed it) or declines.
#[tracing::instrument(skip(db, decision, by))]
pub async fn decide(
    db: &SqlitePool,
    id: ProposalId,
    decision: &Decision,
    by: Actor<'_>,
    now: OffsetDateTime,
) -> Result<ProposalView, TopicError> {
    let mut tx = begin(db).await?;
    let found: Option<(i64, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT unit_id, member_id, title, background, plan, state
         FROM topic_proposals WHERE id = ?",
    )
    .bind(id.0)
    .fetch_optional(&mut *tx)
    .await
    .context("reading a proposal")?;
    let Some((unit, member, title, background, plan, state)) = found else {
        return Err(TopicError::NotFound(NO_PROPOSAL));
    };
    if state != ProposalState::Pending.as_str() {
        return Err(TopicError::Conflict("这个选题申报已经处理过了".into()));
    }
    let at = clock::rfc3339(now);
    let target = format!("proposal {}", id.0);
    match decision {
        Decision::Decline { reason } => {
            sqlx::query(
                "UPDATE topic_proposals SET state = 'declined', reason = ?, decided_by = ?,
                        decided_at = ? WHERE id = ?",
            )
            .bind(reason)
            .bind(by.staff_id)
            .bind(&at)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .context("declining a proposal")?;
            let entry = audit::AuditEntry {
                target: Some(&target),
                note: Some(reason),
                ..by.entry(action::PROPOSAL_DECLINE)
            };
            audit::record(&mut *tx, &entry).await?;
        }
        Decision::Approve { deadline, category } => {
            let year: i32 = deadline
                .get(0..4)
                .and_then(|y| y.parse().ok())
                .context("a checked deadline has a year")?;
            let topic: i64 = sqlx::query_scalar(
                "INSERT INTO topics (year, title, background, questions, issuer, category, deadline,
                                     all_units, state, version, origin, proposal_id, created_by,
                                     created_at, published_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'published', 1, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(year)
            .bind(&title)
            .bind(&background)
            .bind(&plan)
            .bind(Issuer::Other.as_str())
            .bind(category)
            .bind(deadline)
            .bind(TopicOrigin::Proposal.as_str())
            .bind(id.0)
            .bind(by.staff_id)
            .bind(&at)
            .bind(&at)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await
            .context("making a topic of a proposal")?;
            sqlx::query("INSERT INTO topic_units (topic_id, unit_id) VALUES (?, ?)")
                .bind(topic)
                .bind(unit)
                .execute(&mut *tx)
                .await
                .context("storing the proposal topic's unit")?;
            sqlx::query(
                "INSERT INTO topic_claims (topic_id, unit_id, member_id, claimed_at)
                 VALUES (?, ?, ?, ?)",
            )
            .bind(topic)
            .bind(unit)
            .bind(member)
            .bind(&at)
            .execute(&mut *tx)
            .await
            .context("claiming the proposal topic for its unit")?;
            let snapshot = api::topic::SaveTopic {
                title,
                background,
                questions: plan,
                issuer: Issuer::Other,
                category: category.clone(),
                deadline: deadline.clone(),
                year: Some(year),
                all_units: false,
                unit_ids: vec![UnitId(unit)],
                version: None,
            };
            sqlx::query(
                "INSERT INTO topic_versions (topic_id, version, snapshot, staff_id, at)
                 VALUES (?, 1, ?, ?, ?)",
            )
            .bind(topic)
            .bind(serde_json::to_string(&snapshot).context("encoding a snapshot")?)
            .bind(by.staff_id)
            .bind(&at)
            .execute(&mut *tx)
            .await
            .context("storing the first version")?;
            sqlx::query(
                "UPDATE topic_proposals SET state = 'approved', topic_id = ?, decided_by = ?,
                        decided_at = ? WHERE id = ?",
            )
            .bind(topic)
            .bind(by.staff_id)
            .bind(&at)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .context("approving a proposal")?;
            let topic_text = topic.to_string();
            let entry = audit::AuditEntry {
                target: Some(&target),
                to: Some(&topic_text),
                note: Some(deadline),
                ..by.entry(action::PROPOSAL_APPROVE)
            };
            audit::record(&mut *tx, &entry).await?;
        }
    }
    let view = select(&mut tx, "?1 IS NULL AND p.id = ?2", None, Some(id.0))
        .await?
        .pop()
        .context("the decided proposal")?;
    tx.commit().await.context("committing a decision")?;
    Ok(view)
}
