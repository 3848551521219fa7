//! Topics (党委出题): the department's research topics, their published versions and target units.
//! Claims are in `claims.rs`, the board and the overview in `board.rs`, 自主选题 in `proposals.rs`.
//! Staff writes take `BEGIN IMMEDIATE` on the pool and write their audit row in the same transaction.

pub mod board;
pub mod claims;
pub mod proposals;

use std::collections::HashMap;

use anyhow::Context;
use api::{
    topic::{
        Issuer, ProposalId, SaveTopic, TopicChange, TopicDetails, TopicOrigin, TopicState,
        TopicVersionView, TopicView, UnitRef,
    },
    FieldErrors, TopicId, UnitId,
};
use sqlx::{SqliteConnection, SqlitePool};
use time::OffsetDateTime;

use crate::{
    clock,
    store::audit::{self, Actor},
};

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

async fn view_of(
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

/// Refuses unit ids that name no unit.
async fn check_units(conn: &mut SqliteConnection, ids: &[UnitId]) -> Result<(), TopicError> {
    if ids.is_empty() {
        return Ok(());
    }
    let ids_json = serde_json::to_string(&ids.iter().map(|id| id.0).collect::<Vec<_>>())
        .context("encoding unit ids")?;
    let known: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM units WHERE id IN (SELECT value FROM json_each(?))",
    )
    .bind(ids_json)
    .fetch_one(conn)
    .await
    .context("checking units")?;
    if usize::try_from(known).unwrap_or(0) != ids.len() {
        return Err(TopicError::Invalid(FieldErrors::from([(
            "unit_ids".to_owned(),
            "所选单位中有的已不存在，请刷新后重新选择".to_owned(),
        )])));
    }
    Ok(())
}

async fn set_units(conn: &mut SqliteConnection, topic: i64, ids: &[UnitId]) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM topic_units WHERE topic_id = ?")
        .bind(topic)
        .execute(&mut *conn)
        .await
        .context("clearing a topic's units")?;
    let ids_json = serde_json::to_string(&ids.iter().map(|id| id.0).collect::<Vec<_>>())
        .context("encoding unit ids")?;
    sqlx::query("INSERT INTO topic_units (topic_id, unit_id) SELECT ?, value FROM json_each(?)")
        .bind(topic)
        .bind(ids_json)
        .execute(&mut *conn)
        .await
        .context("storing a topic's units")?;
    Ok(())
}

/// A new draft.
#[tracing::instrument(skip(db, topic, by))]
pub async fn create(
    db: &SqlitePool,
    topic: &TopicDetails,
    by: Actor<'_>,
    now: OffsetDateTime,
) -> Result<TopicView, TopicError> {
    let mut tx = begin(db).await?;
    check_units(&mut tx, &topic.unit_ids).await?;
    let at = clock::rfc3339(now);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO topics (year, title, background, questions, issuer, category, deadline,
                             all_units, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(topic.year)
    .bind(&topic.title)
    .bind(&topic.background)
    .bind(&topic.questions)
    .bind(topic.issuer.as_str())
    .bind(&topic.category)
    .bind(&topic.deadline)
    .bind(topic.all_units)
    .bind(by.staff_id)
    .bind(&at)
    .bind(&at)
    .fetch_one(&mut *tx)
    .await
    .context("storing a new topic")?;
    set_units(&mut tx, id, &topic.unit_ids).await?;
    let target = id.to_string();
    let entry = audit::AuditEntry {
        target: Some(&target),
        note: Some(&topic.title),
        ..by.entry(action::CREATE)
    };
    audit::record(&mut *tx, &entry).await?;
    let view = view_of(&mut tx, id, now.date()).await?;
    tx.commit().await.context("committing a new topic")?;
    Ok(view)
}

/// The text of a stored topic as a `SaveTopic`, as versions keep it.
async fn snapshot(conn: &mut SqliteConnection, topic: &TopicRow) -> anyhow::Result<SaveTopic> {
    let unit_ids: Vec<i64> = sqlx::query_scalar(
        "SELECT t.unit_id FROM topic_units t JOIN units u ON u.id = t.unit_id
         WHERE t.topic_id = ? ORDER BY u.sort_order, u.id",
    )
    .bind(topic.id)
    .fetch_all(conn)
    .await
    .context("reading a topic's units")?;
    Ok(SaveTopic {
        title: topic.title.clone(),
        background: topic.background.clone(),
        questions: topic.questions.clone(),
        issuer: topic.issuer()?,
        category: topic.category.clone(),
        deadline: topic.deadline.clone(),
        year: Some(topic.year),
        all_units: topic.all_units,
        unit_ids: unit_ids.into_iter().map(UnitId).collect(),
        version: None,
    })
}

fn details_snapshot(topic: &TopicDetails) -> SaveTopic {
    let mut unit_ids = topic.unit_ids.clone();
    unit_ids.sort();
    SaveTopic {
        title: topic.title.clone(),
        background: topic.background.clone(),
        questions: topic.questions.clone(),
        issuer: topic.issuer,
        category: topic.category.clone(),
        deadline: topic.deadline.clone(),
        year: Some(topic.year),
        all_units: topic.all_units,
        unit_ids,
        version: None,
    }
}

/// The fields that differ between two snapshots, with unit names for the units.
fn changes(from: &SaveTopic, to: &SaveTopic, names: &HashMap<i64, String>) -> Vec<TopicChange> {
    let units = |topic: &SaveTopic| {
        if topic.all_units {
            return "全部单位".to_owned();
        }
        let mut named: Vec<&str> = topic
            .unit_ids
            .iter()
            .map(|id| names.get(&id.0).map_or("（已删除的单位）", String::as_str))
            .collect();
        named.sort_unstable();
        named.join("、")
    };
    let year = |topic: &SaveTopic| topic.year.map(|y| y.to_string()).unwrap_or_default();
    let fields = [
        ("title", "课题名称", from.title.clone(), to.title.clone()),
        (
            "background",
            "背景",
            from.background.clone(),
            to.background.clone(),
        ),
        (
            "questions",
            "需回答的问题",
            from.questions.clone(),
            to.questions.clone(),
        ),
        (
            "issuer",
            "出题单位",
            from.issuer.label().to_owned(),
            to.issuer.label().to_owned(),
        ),
        (
            "category",
            "类别",
            from.category.clone(),
            to.category.clone(),
        ),
        (
            "deadline",
            "截止日期",
            from.deadline.clone(),
            to.deadline.clone(),
        ),
        ("year", "年度", year(from), year(to)),
        ("units", "面向单位", units(from), units(to)),
    ];
    fields
        .into_iter()
        .filter(|(_, _, before, after)| before != after)
        .map(|(field, label, from, to)| TopicChange {
            field: field.into(),
            label: label.into(),
            from,
            to,
        })
        .collect()
}

async fn unit_names(conn: &mut SqliteConnection) -> anyhow::Result<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM units")
        .fetch_all(conn)
        .await
        .context("reading unit names")?;
    Ok(rows.into_iter().collect())
}

async fn add_version(
    conn: &mut SqliteConnection,
    topic: i64,
    version: i64,
    snapshot: &SaveTopic,
    changes: &[TopicChange],
    staff_id: Option<i64>,
    at: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO topic_versions (topic_id, version, snapshot, changes, staff_id, at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(topic)
    .bind(version)
    .bind(serde_json::to_string(snapshot).context("encoding a snapshot")?)
    .bind(serde_json::to_string(changes).context("encoding changes")?)
    .bind(staff_id)
    .bind(at)
    .execute(conn)
    .await
    .context("storing a topic version")?;
    Ok(())
}

/// Saves an edit: a draft changes in place; a published topic gets a new version with what changed
/// (an edit that changes nothing makes none). `expected` is the version the edit was made on. With
/// `keep_year` (no year given) the topic stays in its year, wherever the deadline moves.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(skip(db, topic, by))]
pub async fn update(
    db: &SqlitePool,
    id: TopicId,
    topic: &TopicDetails,
    keep_year: bool,
    expected: Option<i64>,
    by: Actor<'_>,
    now: OffsetDateTime,
) -> Result<TopicView, TopicError> {
    let mut tx = begin(db).await?;
    let current = load(&mut tx, id.0)
        .await?
        .ok_or(TopicError::NotFound(NO_TOPIC))?;
    let kept;
    let topic = if keep_year {
        kept = TopicDetails {
            year: current.year,
            ..topic.clone()
        };
        &kept
    } else {
        topic
    };
    let state = current.state()?;
    if !matches!(state, TopicState::Draft | TopicState::Published) {
        return Err(TopicError::Conflict(format!(
            "课题{}，不能再修改",
            state.label()
        )));
    }
    if expected.is_some_and(|version| version != current.version) {
        return Err(TopicError::Conflict(
            "课题已被他人修改，请刷新后在最新版本上修改".into(),
        ));
    }
    if current.origin()? == TopicOrigin::Proposal {
        // An approved 自主选题 stays its unit's own.
        let own: Vec<i64> = sqlx::query_scalar(
            "SELECT unit_id FROM topic_units WHERE topic_id = ? ORDER BY unit_id",
        )
        .bind(id.0)
        .fetch_all(&mut *tx)
        .await
        .context("reading a topic's units")?;
        let mut given: Vec<i64> = topic.unit_ids.iter().map(|u| u.0).collect();
        given.sort_unstable();
        if topic.all_units || given != own {
            return Err(TopicError::Invalid(FieldErrors::from([(
                "unit_ids".to_owned(),
                "自主选题只面向申报的单位，不能更改".to_owned(),
            )])));
        }
    }
    check_units(&mut tx, &topic.unit_ids).await?;
    let before = snapshot(&mut tx, &current).await?;
    let after = details_snapshot(topic);
    let names = unit_names(&mut tx).await?;
    let changed = changes(&before, &after, &names);
    if changed.is_empty() {
        let view = view_of(&mut tx, id.0, now.date()).await?;
        return Ok(view);
    }
    let at = clock::rfc3339(now);
    let version = match state {
        TopicState::Published => current.version + 1,
        _ => current.version,
    };
    sqlx::query(
        "UPDATE topics SET year = ?, title = ?, background = ?, questions = ?, issuer = ?,
                category = ?, deadline = ?, all_units = ?, version = ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(topic.year)
    .bind(&topic.title)
    .bind(&topic.background)
    .bind(&topic.questions)
    .bind(topic.issuer.as_str())
    .bind(&topic.category)
    .bind(&topic.deadline)
    .bind(topic.all_units)
    .bind(version)
    .bind(&at)
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .context("saving a topic")?;
    set_units(&mut tx, id.0, &topic.unit_ids).await?;
    if state == TopicState::Published {
        add_version(&mut tx, id.0, version, &after, &changed, by.staff_id, &at).await?;
    }
    let target = id.0.to_string();
    let fields: Vec<&str> = changed.iter().map(|c| c.label.as_str()).collect();
    let note = fields.join("、");
    let version_text = version.to_string();
    let entry = audit::AuditEntry {
        target: Some(&target),
        to: (state == TopicState::Published).then_some(version_text.as_str()),
        note: Some(&note),
        ..by.entry(action::EDIT)
    };
    audit::record(&mut *tx, &entry).await?;
    let view = view_of(&mut tx, id.0, now.date()).await?;
    tx.commit().await.context("committing a topic edit")?;
    Ok(view)
}

/// Moves a topic from one of `from` to `to`, audited as `action`.
#[allow(clippy::too_many_arguments)]
async fn move_state(
    db: &SqlitePool,
    id: TopicId,
    from: &[TopicState],
    to: TopicState,
    reason: Option<&str>,
    action: &str,
    by: Actor<'_>,
    now: OffsetDateTime,
) -> Result<TopicView, TopicError> {
    let mut tx = begin(db).await?;
    let current = load(&mut tx, id.0)
        .await?
        .ok_or(TopicError::NotFound(NO_TOPIC))?;
    let state = current.state()?;
    if !from.contains(&state) {
        return Err(TopicError::Conflict(format!(
            "课题现在是“{}”，不能{}",
            state.label(),
            match to {
                TopicState::Published => "发布",
                TopicState::Closed => "结束",
                TopicState::Withdrawn => "撤回",
                TopicState::Draft => "改为草稿",
            }
        )));
    }
    let at = clock::rfc3339(now);
    let publishing = to == TopicState::Published;
    sqlx::query(
        "UPDATE topics SET state = ?, updated_at = ?,
                version = CASE WHEN ? THEN 1 ELSE version END,
                published_at = CASE WHEN ? THEN ? ELSE published_at END,
                withdrawn_reason = COALESCE(?, withdrawn_reason)
         WHERE id = ?",
    )
    .bind(to.as_str())
    .bind(&at)
    .bind(publishing)
    .bind(publishing)
    .bind(&at)
    .bind(reason)
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .context("changing a topic's state")?;
    if publishing {
        let first = snapshot(&mut tx, &current).await?;
        add_version(&mut tx, id.0, 1, &first, &[], by.staff_id, &at).await?;
    }
    let target = id.0.to_string();
    let entry = audit::AuditEntry {
        target: Some(&target),
        from: Some(state.as_str()),
        to: Some(to.as_str()),
        note: reason,
        ..by.entry(action)
    };
    audit::record(&mut *tx, &entry).await?;
    let view = view_of(&mut tx, id.0, now.date()).await?;
    tx.commit().await.context("committing a topic's state")?;
    Ok(view)
}

/// Draft → published (version 1).
pub async fn publish(
    db: &SqlitePool,
    id: TopicId,
    by: Actor<'_>,
    now: OffsetDateTime,
) -> Result<TopicView, TopicError> {
    let from = [TopicState::Draft];
    move_state(
        db,
        id,
        &from,
        TopicState::Published,
        None,
        action::PUBLISH,
        by,
        now,
    )
    .await
}

/// Published → closed: no more claims or results.
pub async fn close(
    db: &SqlitePool,
    id: TopicId,
    by: Actor<'_>,
    now: OffsetDateTime,
) -> Result<TopicView, TopicError> {
    let from = [TopicState::Published];
    move_state(
        db,
        id,
        &from,
        TopicState::Closed,
        None,
        action::CLOSE,
        by,
        now,
    )
    .await
}

/// Draft or published → withdrawn, with a reason.
pub async fn withdraw(
    db: &SqlitePool,
    id: TopicId,
    reason: &str,
    by: Actor<'_>,
    now: OffsetDateTime,
) -> Result<TopicView, TopicError> {
    let from = [TopicState::Draft, TopicState::Published];
    let to = TopicState::Withdrawn;
    move_state(db, id, &from, to, Some(reason), action::WITHDRAW, by, now).await
}

/// Every published version, oldest first.
#[tracing::instrument(skip(db))]
pub async fn versions(db: &SqlitePool, id: TopicId) -> Result<Vec<TopicVersionView>, TopicError> {
    let mut conn = db.acquire().await.context("a connection")?;
    load(&mut conn, id.0)
        .await?
        .ok_or(TopicError::NotFound(NO_TOPIC))?;
    let rows: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT v.version, v.at, v.snapshot, v.changes, s.name
         FROM topic_versions v LEFT JOIN staff s ON s.id = v.staff_id
         WHERE v.topic_id = ? ORDER BY v.version",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await
    .context("reading topic versions")?;
    rows.into_iter()
        .map(|(version, at, snapshot, changes, by)| {
            Ok(TopicVersionView {
                version,
                at,
                by: by.unwrap_or_else(|| audit::CONSOLE.to_owned()),
                changes: serde_json::from_str(&changes).context("decoding changes")?,
                snapshot: serde_json::from_str(&snapshot).context("decoding a snapshot")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_each_changed_field_with_readable_values() {
        let names = HashMap::from([(1, "民革".to_owned()), (2, "民盟".to_owned())]);
        let from = SaveTopic {
            title: "旧题目五个字".into(),
            deadline: "2026-12-31".into(),
            all_units: true,
            ..SaveTopic::default()
        };
        let to = SaveTopic {
            deadline: "2027-01-15".into(),
            issuer: Issuer::DistrictCommittee,
            all_units: false,
            unit_ids: vec![UnitId(2), UnitId(1)],
            ..from.clone()
        };
        let found = changes(&from, &to, &names);
        let summary: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|c| (c.label.as_str(), c.from.as_str(), c.to.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("出题单位", "统战部", "区委"),
                ("截止日期", "2026-12-31", "2027-01-15"),
                ("面向单位", "全部单位", "民盟、民革"),
            ]
        );
        assert!(changes(&to, &to, &names).is_empty());
    }
}
