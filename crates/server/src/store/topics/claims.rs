//! Units claiming topics (认领): by their 联络员 or by staff for them; giving a claim back before any
//! result; the 调研中 mark; what a member sees of the topics for their unit; who may send a result; grading.

use anyhow::Context;
use api::{
    topic::{
        Grade, GradeRecord, GradeResult, MemberTopic, MemberTopicView, ResultTopic, TopicOrigin,
        TopicRef, TopicState,
    },
    TopicId, TrackingCode, UnitId,
};
use sqlx::{SqliteConnection, SqlitePool};
use time::OffsetDateTime;

use super::{action, begin, board::progress, is_target, load, TopicError, TopicRow, NO_TOPIC};
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

/// The topics a member's unit may see: published ones for it, and closed ones it claimed; soonest
/// deadline first.
#[tracing::instrument(skip(db, member))]
pub async fn member_topics(
    db: &SqlitePool,
    member: &RosterMember,
    today: time::Date,
) -> Result<Vec<MemberTopic>, TopicError> {
    let mut conn = db.acquire().await.context("a connection")?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT t.id FROM topics t
         WHERE (t.state = 'published'
                AND (t.all_units OR EXISTS (SELECT 1 FROM topic_units u
                                            WHERE u.topic_id = t.id AND u.unit_id = ?1)))
            OR (t.state = 'closed'
                AND EXISTS (SELECT 1 FROM topic_claims c WHERE c.topic_id = t.id
                            AND c.unit_id = ?1 AND c.given_back_at IS NULL))
         ORDER BY t.state = 'closed', t.deadline, t.id",
    )
    .bind(member.unit_id)
    .fetch_all(&mut *conn)
    .await
    .context("reading a unit's topics")?;
    let mut topics = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(row) = load(&mut conn, id).await? else {
            continue;
        };
        if row.all_units && !is_target(&mut conn, &row, member.unit_id).await? {
            continue;
        }
        let own = progress(&mut conn, id)
            .await?
            .remove(&member.unit_id)
            .unwrap_or_default();
        let (days_left, overdue) = row.days_left(today);
        topics.push(MemberTopic {
            id: TopicId(row.id),
            issuer: row.issuer()?,
            origin: row.origin()?,
            title: row.title,
            category: row.category,
            deadline: row.deadline,
            days_left,
            overdue,
            own_state: own.state(),
        });
    }
    Ok(topics)
}

/// One topic in full for a member of a unit it is for.
#[tracing::instrument(skip(db, member))]
pub async fn member_topic(
    db: &SqlitePool,
    id: TopicId,
    member: &RosterMember,
    today: time::Date,
) -> Result<MemberTopicView, TopicError> {
    let mut conn = db.acquire().await.context("a connection")?;
    let row = load(&mut conn, id.0)
        .await?
        .ok_or(TopicError::NotFound(NO_TOPIC))?;
    let state = row.state()?;
    let mut all = progress(&mut conn, id.0).await?;
    let own = all.remove(&member.unit_id).unwrap_or_default();
    let visible = match state {
        TopicState::Published => is_target(&mut conn, &row, member.unit_id).await?,
        TopicState::Closed => own.claim.is_some() || !own.results.is_empty(),
        TopicState::Draft | TopicState::Withdrawn => false,
    };
    if !visible {
        return Err(TopicError::NotFound(NO_TOPIC));
    }
    let mut claimed_by: Vec<(i64, String)> = Vec::new();
    let claimed_units: Vec<i64> = all
        .iter()
        .filter(|(_, p)| p.claim.is_some())
        .map(|(unit, _)| *unit)
        .collect();
    if !claimed_units.is_empty() {
        let json = serde_json::to_string(&claimed_units).context("encoding unit ids")?;
        claimed_by = sqlx::query_as(
            "SELECT sort_order, name FROM units WHERE id IN (SELECT value FROM json_each(?))
             ORDER BY sort_order, id",
        )
        .bind(json)
        .fetch_all(&mut *conn)
        .await
        .context("reading claiming units")?;
    }
    let open = state == TopicState::Published;
    let own_state = own.state();
    let (days_left, overdue) = row.days_left(today);
    Ok(MemberTopicView {
        id,
        year: row.year,
        issuer: row.issuer()?,
        origin: row.origin()?,
        title: row.title,
        background: row.background,
        questions: row.questions,
        category: row.category,
        deadline: row.deadline,
        days_left,
        overdue,
        state,
        own_state,
        can_claim: open && member.is_contact && own.claim.is_none(),
        can_give_back: open && member.is_contact && own.claim.is_some() && own.results.is_empty(),
        can_submit: open && own.claim.is_some(),
        own_claim: own.claim,
        claimed_by: claimed_by.into_iter().map(|(_, name)| name).collect(),
        own_results: own.results,
    })
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

/// The topic, 摘要 and grade of a research result, if it answers a topic.
pub(crate) async fn result_topic(
    conn: &mut SqliteConnection,
    submission: i64,
) -> anyhow::Result<Option<ResultTopic>> {
    #[allow(clippy::type_complexity)]
    let row: Option<(
        i32,
        i64,
        String,
        i32,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT s.year, t.id, t.title, t.year, t.origin, s.summary, s.grade, s.grade_comment,
                st.name, s.graded_at
         FROM submissions s JOIN topics t ON t.id = s.topic_id
         LEFT JOIN staff st ON st.id = s.graded_by
         WHERE s.id = ?",
    )
    .bind(submission)
    .fetch_optional(conn)
    .await
    .context("reading a result's topic")?;
    let Some((year, topic, title, topic_year, origin, summary, grade, comment, by, at)) = row
    else {
        return Ok(None);
    };
    let grade = match grade {
        None => None,
        Some(word) => Some(GradeRecord {
            grade: Grade::parse(&word)
                .with_context(|| format!("unknown grade {word:?} in the database"))?,
            comment,
            by: by.unwrap_or_default(),
            at: at.unwrap_or_default(),
        }),
    };
    Ok(Some(ResultTopic {
        code: TrackingCode::new(year, submission).to_string(),
        topic: TopicRef {
            id: TopicId(topic),
            title,
            year: topic_year,
            origin: TopicOrigin::parse(&origin)
                .with_context(|| format!("unknown origin {origin:?} in the database"))?,
        },
        summary,
        grade,
    }))
}

/// Grades a research result (again, to change it).
#[tracing::instrument(skip(db, request, by))]
pub async fn grade(
    db: &SqlitePool,
    code: TrackingCode,
    request: &GradeResult,
    comment: Option<&str>,
    by: Actor<'_>,
    now: OffsetDateTime,
) -> Result<ResultTopic, TopicError> {
    let mut tx = begin(db).await?;
    let found: Option<(Option<i64>, Option<String>)> =
        sqlx::query_as("SELECT topic_id, grade FROM submissions WHERE id = ? AND year = ?")
            .bind(code.number())
            .bind(code.year())
            .fetch_optional(&mut *tx)
            .await
            .context("reading a submission")?;
    let Some((topic, before)) = found else {
        return Err(TopicError::NotFound("没有这条提交，请核对编号"));
    };
    if topic.is_none() {
        return Err(TopicError::Conflict(
            "只有针对课题提交的调研成果可以评定等次".into(),
        ));
    }
    sqlx::query(
        "UPDATE submissions SET grade = ?, grade_comment = ?, graded_by = ?, graded_at = ?
         WHERE id = ?",
    )
    .bind(request.grade.as_str())
    .bind(comment)
    .bind(by.staff_id)
    .bind(clock::rfc3339(now))
    .bind(code.number())
    .execute(&mut *tx)
    .await
    .context("storing a grade")?;
    let target = code.to_string();
    let entry = audit::AuditEntry {
        target: Some(&target),
        from: before.as_deref(),
        to: Some(request.grade.as_str()),
        note: comment,
        ..by.entry(action::GRADE)
    };
    audit::record(&mut *tx, &entry).await?;
    let view = result_topic(&mut tx, code.number())
        .await?
        .context("the graded result")?;
    tx.commit().await.context("committing a grade")?;
    Ok(view)
}
