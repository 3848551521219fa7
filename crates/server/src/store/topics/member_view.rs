//! What a joined member sees of the topics for their unit: the list, and one topic in full with the
//! unit's claim and results and what the member may do.

use anyhow::Context;
use api::topic::{MemberTopic, MemberTopicView, TopicState};
use api::TopicId;
use sqlx::SqlitePool;

use super::{board::progress, is_target, load, TopicError, NO_TOPIC};
use crate::store::member_sessions::RosterMember;

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
