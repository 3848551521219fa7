//! Grading research results (优秀 / 良好 / 一般), and the topic part of a result's desk view.

use anyhow::Context;
use api::{
    topic::{Grade, GradeRecord, GradeResult, ResultTopic, TopicOrigin, TopicRef},
    TopicId, TrackingCode,
};
use sqlx::{SqliteConnection, SqlitePool};
use time::OffsetDateTime;

use super::{action, begin, TopicError};
use crate::{
    clock,
    store::audit::{self, Actor},
};

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
