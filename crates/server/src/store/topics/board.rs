//! The board per topic (every target unit's state, claim and results) and the overview of a year.

use std::collections::HashMap;

use anyhow::Context;
use api::{
    topic::{
        BoardCounts, BoardRow, ClaimInfo, Grade, ResultLine, TopicBoard, TopicOverview, TopicState,
        TopicSummary, UnitTopicState,
    },
    TopicId, TrackingCode,
};
use sqlx::{SqliteConnection, SqlitePool};

use super::{load, load_year, target_units, view, TopicError, TopicRow, NO_TOPIC};
use crate::store::submissions::parse_status;

/// A unit's claim and results on one topic.
#[derive(Debug, Clone, Default)]
pub(crate) struct Progress {
    pub claim: Option<ClaimInfo>,
    pub results: Vec<ResultLine>,
}

impl Progress {
    /// The unit's state: the furthest its claim and results have come.
    pub fn state(&self) -> UnitTopicState {
        let from_results = self
            .results
            .iter()
            .map(|result| {
                if result.adopted {
                    UnitTopicState::Adopted
                } else if result.grade.is_some() {
                    UnitTopicState::Reviewed
                } else {
                    UnitTopicState::Submitted
                }
            })
            .max();
        let from_claim = self.claim.as_ref().map(|claim| {
            if claim.researching_since.is_some() {
                UnitTopicState::Researching
            } else {
                UnitTopicState::Claimed
            }
        });
        from_results
            .into_iter()
            .chain(from_claim)
            .max()
            .unwrap_or(UnitTopicState::Unclaimed)
    }
}

/// Every unit's claim (held, not given back) and results on a topic, by unit id.
pub(crate) async fn progress(
    conn: &mut SqliteConnection,
    topic: i64,
) -> anyhow::Result<HashMap<i64, Progress>> {
    let mut by_unit: HashMap<i64, Progress> = HashMap::new();
    #[allow(clippy::type_complexity)]
    let claims: Vec<(i64, String, Option<String>, Option<String>, Option<String>)> =
        sqlx::query_as(
            "SELECT c.unit_id, c.claimed_at, c.researching_at, m.name, s.name
             FROM topic_claims c
             LEFT JOIN members m ON m.id = c.member_id
             LEFT JOIN staff s ON s.id = c.staff_id
             WHERE c.topic_id = ? AND c.given_back_at IS NULL",
        )
        .bind(topic)
        .fetch_all(&mut *conn)
        .await
        .context("reading a topic's claims")?;
    for (unit, at, researching_since, member, staff) in claims {
        by_unit.entry(unit).or_default().claim = Some(ClaimInfo {
            by_staff: staff.is_some(),
            by: member.or(staff).unwrap_or_default(),
            at,
            researching_since,
        });
    }
    #[allow(clippy::type_complexity)]
    let results: Vec<(i64, i64, i32, String, String, Option<String>, String, bool)> =
        sqlx::query_as(
            "SELECT s.unit_id, s.id, s.year, s.title, s.status, s.grade, s.submitted_at,
                    EXISTS (SELECT 1 FROM adoptions a WHERE a.submission_id = s.id)
             FROM submissions s WHERE s.topic_id = ? ORDER BY s.id",
        )
        .bind(topic)
        .fetch_all(&mut *conn)
        .await
        .context("reading a topic's results")?;
    for (unit, id, year, title, status, grade, submitted_at, adopted) in results {
        let grade = match grade {
            None => None,
            Some(word) => Some(
                Grade::parse(&word)
                    .with_context(|| format!("unknown grade {word:?} in the database"))?,
            ),
        };
        by_unit.entry(unit).or_default().results.push(ResultLine {
            code: TrackingCode::new(year, id).to_string(),
            title,
            status: parse_status(&status)?,
            grade,
            adopted,
            submitted_at,
        });
    }
    Ok(by_unit)
}

/// Past the deadline of a published topic with nothing submitted.
fn unit_overdue(state: TopicState, overdue: bool, progress: &Progress) -> bool {
    state == TopicState::Published && overdue && progress.results.is_empty()
}

async fn rows_of(
    conn: &mut SqliteConnection,
    topic: &TopicRow,
    today: time::Date,
) -> anyhow::Result<(Vec<BoardRow>, BoardCounts, i64)> {
    let units = target_units(conn, topic).await?;
    let mut progress = progress(conn, topic.id).await?;
    let state = topic.state()?;
    let (days_left, overdue) = topic.days_left(today);
    let mut counts = BoardCounts::default();
    let results = progress.values().map(|p| p.results.len() as i64).sum();
    let rows = units
        .into_iter()
        .map(|unit| {
            let unit_progress = progress.remove(&unit.id.0).unwrap_or_default();
            let unit_state = unit_progress.state();
            let late = unit_overdue(state, overdue, &unit_progress);
            counts.add(unit_state);
            if late {
                counts.overdue += 1;
            }
            BoardRow {
                unit,
                state: unit_state,
                claim: unit_progress.claim,
                days_left,
                overdue: late,
                results: unit_progress.results,
            }
        })
        .collect();
    Ok((rows, counts, results))
}

/// The board of one topic.
#[tracing::instrument(skip(db))]
pub async fn board(
    db: &SqlitePool,
    id: TopicId,
    today: time::Date,
) -> Result<TopicBoard, TopicError> {
    let mut conn = db.acquire().await.context("a connection")?;
    board_on(&mut conn, id.0, today).await
}

pub(crate) async fn board_on(
    conn: &mut SqliteConnection,
    id: i64,
    today: time::Date,
) -> Result<TopicBoard, TopicError> {
    let topic = load(conn, id)
        .await?
        .ok_or(TopicError::NotFound(NO_TOPIC))?;
    let (rows, counts, _) = rows_of(conn, &topic, today).await?;
    let units = rows.iter().map(|row| row.unit.clone()).collect();
    Ok(TopicBoard {
        topic: view(topic, units, today)?,
        rows,
        counts,
    })
}

/// Every topic of a year with its counts, newest first.
#[tracing::instrument(skip(db))]
pub async fn overview(
    db: &SqlitePool,
    year: i32,
    today: time::Date,
) -> Result<TopicOverview, TopicError> {
    let mut conn = db.acquire().await.context("a connection")?;
    let topics = load_year(&mut conn, year).await?;
    let mut totals = BoardCounts::default();
    let mut summaries = Vec::with_capacity(topics.len());
    for topic in topics {
        let (rows, counts, results) = rows_of(&mut conn, &topic, today).await?;
        let (days_left, overdue) = topic.days_left(today);
        totals.unclaimed += counts.unclaimed;
        totals.claimed += counts.claimed;
        totals.researching += counts.researching;
        totals.submitted += counts.submitted;
        totals.reviewed += counts.reviewed;
        totals.adopted += counts.adopted;
        totals.overdue += counts.overdue;
        summaries.push(TopicSummary {
            id: TopicId(topic.id),
            year: topic.year,
            issuer: topic.issuer()?,
            state: topic.state()?,
            origin: topic.origin()?,
            title: topic.title,
            category: topic.category,
            deadline: topic.deadline,
            days_left,
            overdue,
            version: topic.version,
            target_units: rows.len() as i64,
            counts,
            results,
        });
    }
    Ok(TopicOverview {
        year,
        topics: summaries,
        totals,
    })
}
