//! Units claiming topics (认领): by their 联络员 or by staff for them; giving a claim back before any
//! result; the 调研中 mark; and who may send a result on a topic.

use anyhow::Context;
use api::{topic::TopicState, TopicId, UnitId};
use sqlx::{SqliteConnection, SqlitePool};
use time::OffsetDateTime;

use super::{action, begin, is_target, load, TopicError, TopicRow, NO_TOPIC};
use crate::{
    clock,
    store::{
        audit::{self, Actor},
        member_sessions::RosterMember,
    },
};

/// Who claims, gives back or marks.
#[derive(Debug, Clone, Copy)]
pub enum Claimer<'a> {
    /// A unit's 联络员, for their own unit.
    Contact(&'a RosterMember),
    /// Staff, for any target unit (audited).
    Staff(Actor<'a>),
}

const NOT_CONTACT: &str = "只有本单位的联络员可以认领或交回课题；如需认领，请联系本单位联络员";

/// Loads the topic and checks that `unit` may act on it now.
async fn open_for(
    conn: &mut SqliteConnection,
    topic: TopicId,
    unit: i64,
    claimer: Claimer<'_>,
) -> Result<TopicRow, TopicError> {
    let row = load(conn, topic.0)
        .await?
        .ok_or(TopicError::NotFound(NO_TOPIC))?;
    let state = row.state()?;
    let target = is_target(conn, &row, unit).await?;
    if let Claimer::Contact(member) = claimer {
        // Members never learn of drafts, withdrawn topics or other units' topics.
        if !target || matches!(state, TopicState::Draft | TopicState::Withdrawn) {
            return Err(TopicError::NotFound(NO_TOPIC));
        }
        if !member.is_contact {
            return Err(TopicError::Forbidden(NOT_CONTACT.into()));
        }
    } else if !target {
        return Err(TopicError::Conflict("该课题不面向这个单位".into()));
    }
    if state != TopicState::Published {
        return Err(TopicError::Conflict(format!(
            "课题{}，不能再认领、交回或更改",
            state.label()
        )));
    }
    Ok(row)
}

async fn audit_staff(
    conn: &mut SqliteConnection,
    claimer: Claimer<'_>,
    what: &str,
    topic: TopicId,
    unit: i64,
) -> anyhow::Result<()> {
    if let Claimer::Staff(by) = claimer {
        let target = topic.0.to_string();
        let unit_name: String = sqlx::query_scalar("SELECT name FROM units WHERE id = ?")
            .bind(unit)
            .fetch_one(&mut *conn)
            .await
            .context("reading a unit's name")?;
        let entry = audit::AuditEntry {
            target: Some(&target),
            note: Some(&unit_name),
            ..by.entry(what)
        };
        audit::record(&mut *conn, &entry).await?;
    }
    Ok(())
}

/// `unit` claims `topic`.
#[tracing::instrument(skip(db, claimer))]
pub async fn claim(
    db: &SqlitePool,
    topic: TopicId,
    unit: UnitId,
    claimer: Claimer<'_>,
    now: OffsetDateTime,
) -> Result<(), TopicError> {
    let mut tx = begin(db).await?;
    open_for(&mut tx, topic, unit.0, claimer).await?;
    let (member_id, staff_id) = match claimer {
        Claimer::Contact(member) => (Some(member.id), None),
        Claimer::Staff(by) => (None, by.staff_id),
    };
    let inserted = sqlx::query(
        "INSERT INTO topic_claims (topic_id, unit_id, member_id, staff_id, claimed_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(topic.0)
    .bind(unit.0)
    .bind(member_id)
    .bind(staff_id)
    .bind(clock::rfc3339(now))
    .execute(&mut *tx)
    .await
    .context("storing a claim")?;
    if inserted.rows_affected() == 0 {
        return Err(TopicError::Conflict("该单位已认领这个课题".into()));
    }
    audit_staff(&mut tx, claimer, action::CLAIM, topic, unit.0).await?;
    tx.commit().await.context("committing a claim")?;
    Ok(())
}

/// `unit` gives its claim back; refused once the unit has sent a result on the topic.
#[tracing::instrument(skip(db, claimer))]
pub async fn give_back(
    db: &SqlitePool,
    topic: TopicId,
    unit: UnitId,
    claimer: Claimer<'_>,
    now: OffsetDateTime,
) -> Result<(), TopicError> {
    let mut tx = begin(db).await?;
    open_for(&mut tx, topic, unit.0, claimer).await?;
    let results: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM submissions WHERE topic_id = ? AND unit_id = ?")
            .bind(topic.0)
            .bind(unit.0)
            .fetch_one(&mut *tx)
            .await
            .context("counting a unit's results")?;
    if results > 0 {
        return Err(TopicError::Conflict(
            "本单位已就该课题提交了成果，不能再交回".into(),
        ));
    }
    let updated = sqlx::query(
        "UPDATE topic_claims SET given_back_at = ?
         WHERE topic_id = ? AND unit_id = ? AND given_back_at IS NULL",
    )
    .bind(clock::rfc3339(now))
    .bind(topic.0)
    .bind(unit.0)
    .execute(&mut *tx)
    .await
    .context("giving a claim back")?;
    if updated.rows_affected() == 0 {
        return Err(TopicError::Conflict("该单位没有认领这个课题".into()));
    }
    audit_staff(&mut tx, claimer, action::GIVE_BACK, topic, unit.0).await?;
    tx.commit().await.context("committing a give-back")?;
    Ok(())
}

/// Marks the unit's research started (调研中); once is enough, again changes nothing.
#[tracing::instrument(skip(db, claimer))]
pub async fn mark_researching(
    db: &SqlitePool,
    topic: TopicId,
    unit: UnitId,
    claimer: Claimer<'_>,
    now: OffsetDateTime,
) -> Result<(), TopicError> {
    let mut tx = begin(db).await?;
    open_for(&mut tx, topic, unit.0, claimer).await?;
    let held: Option<Option<String>> = sqlx::query_scalar(
        "SELECT researching_at FROM topic_claims
         WHERE topic_id = ? AND unit_id = ? AND given_back_at IS NULL",
    )
    .bind(topic.0)
    .bind(unit.0)
    .fetch_optional(&mut *tx)
    .await
    .context("reading a claim")?;
    match held {
        None => return Err(TopicError::Conflict("请先认领课题，再标记为调研中".into())),
        Some(Some(_)) => return Ok(()),
        Some(None) => {}
    }
    sqlx::query(
        "UPDATE topic_claims SET researching_at = ?
         WHERE topic_id = ? AND unit_id = ? AND given_back_at IS NULL",
    )
    .bind(clock::rfc3339(now))
    .bind(topic.0)
    .bind(unit.0)
    .execute(&mut *tx)
    .await
    .context("marking research started")?;
    audit_staff(&mut tx, claimer, action::RESEARCHING, topic, unit.0).await?;
    tx.commit().await.context("committing the research mark")?;
    Ok(())
}

/// Whether a joined member of `unit` may send a result on `topic` now: the topic is published and the
/// unit holds a claim on it (an approved 自主选题 is claimed by its unit on approval). The message says
/// what stands in the way.
#[tracing::instrument(skip(db))]
pub async fn may_submit(db: &SqlitePool, topic: TopicId, unit: UnitId) -> Result<(), TopicError> {
    let mut conn = db.acquire().await.context("a connection")?;
    let refuse = |message: &str| {
        TopicError::Invalid(api::FieldErrors::from([(
            "topic_id".to_owned(),
            message.to_owned(),
        )]))
    };
    let Some(row) = load(&mut conn, topic.0).await? else {
        return Err(refuse("没有这个课题，请从课题列表重新进入"));
    };
    match row.state()? {
        TopicState::Published => {}
        TopicState::Closed => return Err(refuse("该课题已结束，不再接收成果；内容已保存在本机")),
        TopicState::Draft | TopicState::Withdrawn => {
            return Err(refuse("该课题已撤回，不再接收成果；内容已保存在本机"))
        }
    }
    if !is_target(&mut conn, &row, unit.0).await? {
        return Err(refuse("该课题不面向您所在的单位"));
    }
    let held: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM topic_claims WHERE topic_id = ? AND unit_id = ? AND given_back_at IS NULL",
    )
    .bind(topic.0)
    .bind(unit.0)
    .fetch_optional(&mut *conn)
    .await
    .context("reading a claim")?;
    if held.is_none() {
        return Err(refuse(
            "本单位尚未认领该课题：请先由联络员认领，再提交成果；内容已保存在本机",
        ));
    }
    Ok(())
}

/// Whether a submission was already stored under this retry key (`Idempotency-Key`).
#[tracing::instrument(skip_all)]
pub async fn is_stored_retry(db: &SqlitePool, key: &str) -> anyhow::Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM submissions WHERE idempotency_key = ?")
            .bind(key)
            .fetch_optional(db)
            .await
            .context("looking up a retry key")?;
    Ok(found.is_some())
}
