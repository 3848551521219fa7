//! The member's part in a submission's life after sending it: rating the reply (不满意 sends it back to
//! be handled again) and sending a returned submission again, revised. The route has checked the secret.

use anyhow::Context;
use api::{
    desk::{EntryKind, Rating},
    workflow::{self, MemberEvent},
    CreateSubmission, FieldErrors, NewSubmission, SubmissionStatus, TrackingCode,
};
use sqlx::SqlitePool;

use super::{
    bigrams,
    changes::{finish, lock, Audit, ChangeError, Entry, Locked},
};
use crate::clock;

/// The latest reply's timeline entry, and whether it has been rated.
pub(crate) async fn latest_reply<'e, E>(db: E, id: i64) -> anyhow::Result<Option<(i64, bool)>>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    sqlx::query_as(
        "SELECT e.id, EXISTS (SELECT 1 FROM ratings r WHERE r.reply_event_id = e.id)
         FROM submission_events e
         WHERE e.submission_id = ? AND e.kind = 'reply' ORDER BY e.id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
    .context("reading the latest reply")
}

/// Stores the member's rating of the latest reply; 不满意 puts the submission back in progress with a
/// new due date `due_months` from today.
#[tracing::instrument(skip(db, comment))]
pub async fn rate(
    db: &SqlitePool,
    code: TrackingCode,
    rating: Rating,
    comment: Option<&str>,
    due_months: u32,
) -> Result<SubmissionStatus, ChangeError> {
    let comment = match comment.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(text) => Some(workflow::required_text(text, "").map_err(|message| {
            ChangeError::Invalid(FieldErrors::from([("comment".into(), message)]))
        })?),
    };
    let (mut tx, locked) = lock(db, code, None).await?;
    let not_now =
        || ChangeError::Illegal("只有在收到答复之后才能评价；收到答复后请再来评价".into());
    if locked.status != SubmissionStatus::Replied {
        return Err(not_now());
    }
    let Some((reply_id, rated)) = latest_reply(&mut *tx, locked.id).await? else {
        return Err(not_now());
    };
    if rated {
        return Err(ChangeError::Illegal(
            "这次答复您已经评价过了，每次答复只能评价一次".into(),
        ));
    }
    sqlx::query(
        "INSERT INTO ratings (submission_id, reply_event_id, rating, comment, at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(locked.id)
    .bind(reply_id)
    .bind(rating.as_str())
    .bind(&comment)
    .bind(clock::rfc3339(clock::now()))
    .execute(&mut *tx)
    .await
    .context("storing the rating")?;
    let mut note = rating.label().to_owned();
    if let Some(comment) = &comment {
        note.push('：');
        note.push_str(comment);
    }
    let mut to = locked.status;
    if rating == Rating::Dissatisfied {
        to = workflow::next_for_member(locked.status, MemberEvent::Dissatisfied)
            .map_err(|illegal| ChangeError::Illegal(illegal.message()))?;
        let due = clock::date_text(clock::months_after(clock::now().date(), due_months));
        sqlx::query("UPDATE submissions SET status = ?, due_on = ? WHERE id = ?")
            .bind(to.as_str())
            .bind(&due)
            .bind(locked.id)
            .execute(&mut *tx)
            .await
            .context("reopening the submission")?;
        note.push_str(&format!("。已重新办理，新的办理时限 {due}"));
    }
    let entry = Entry {
        kind: EntryKind::Rating,
        status: to,
        note: Some(note.clone()),
        public: true,
        merged_into: None,
    };
    let audit = Audit {
        action: "rating",
        from: Some(locked.status.as_str()),
        to: Some(to.as_str()),
        note: Some(&note),
    };
    finish(tx, &locked, None, entry, audit).await?;
    Ok(to)
}

/// Replaces a returned submission's content with the member's revision and sends it in again.
#[tracing::instrument(skip(db, submission))]
pub async fn resubmit(
    db: &SqlitePool,
    code: TrackingCode,
    submission: &NewSubmission,
) -> Result<(), ChangeError> {
    let (mut tx, locked) = lock(db, code, None).await?;
    let to = match workflow::next_for_member(locked.status, MemberEvent::Resubmit) {
        Ok(to) => to,
        // A phone that sent the revision but lost the answer sends it again: the same text, already
        // back in as submitted, is that same revision, not a second one.
        Err(_) if already_resubmitted(&mut tx, &locked, submission).await? => return Ok(()),
        Err(_) => {
            return Err(ChangeError::Illegal(
                "这条建言没有被退回修改，不能重新提交；如需补充请联系工作人员".into(),
            ))
        }
    };
    let unit: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE id = ?")
        .bind(submission.unit_id().0)
        .fetch_optional(&mut *tx)
        .await
        .context("checking the unit")?;
    if unit.is_none() {
        return Err(ChangeError::Invalid(FieldErrors::from([(
            "unit_id".into(),
            "所选单位不存在，请重新选择".into(),
        )])));
    }
    sqlx::query(
        "UPDATE submissions SET kind = ?, title = ?, body = ?, unit_id = ?, name = ?, phone = ?,
                status = ? WHERE id = ?",
    )
    .bind(submission.kind().as_str())
    .bind(submission.title().as_str())
    .bind(submission.body().as_str())
    .bind(submission.unit_id().0)
    .bind(submission.name().as_str())
    .bind(submission.phone().as_str())
    .bind(to.as_str())
    .bind(locked.id)
    .execute(&mut *tx)
    .await
    .context("storing the revision")?;
    bigrams::replace(
        &mut tx,
        locked.id,
        submission.title().as_str(),
        submission.body().as_str(),
    )
    .await?;
    // A co-signer who confirmed (联名) stays marked while the lead keeps their name in the revision.
    let confirmed: std::collections::HashSet<String> = sqlx::query_scalar(
        "SELECT name FROM submission_cosigners WHERE submission_id = ? AND confirmed = 1",
    )
    .bind(locked.id)
    .fetch_all(&mut *tx)
    .await
    .context("reading the confirmed co-signers")?
    .into_iter()
    .collect();
    sqlx::query("DELETE FROM submission_cosigners WHERE submission_id = ?")
        .bind(locked.id)
        .execute(&mut *tx)
        .await
        .context("clearing the co-signers")?;
    for (position, name) in (0i64..).zip(submission.cosigners()) {
        sqlx::query(
            "INSERT INTO submission_cosigners (submission_id, position, name, confirmed)
             VALUES (?, ?, ?, ?)",
        )
        .bind(locked.id)
        .bind(position)
        .bind(name.as_str())
        .bind(confirmed.contains(name.as_str()))
        .execute(&mut *tx)
        .await
        .context("storing a co-signer")?;
    }
    let entry = Entry {
        kind: EntryKind::Resubmitted,
        status: to,
        note: Some("已按要求修改后重新提交".into()),
        public: true,
        merged_into: None,
    };
    let audit = Audit {
        action: "resubmit",
        from: Some(locked.status.as_str()),
        to: Some(to.as_str()),
        note: None,
    };
    finish(tx, &locked, None, entry, audit).await
}

/// True when the submission is back in as submitted by the member's own latest revision, with exactly
/// this text: a retried resubmission.
async fn already_resubmitted(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    locked: &Locked,
    submission: &NewSubmission,
) -> anyhow::Result<bool> {
    if locked.status != api::SubmissionStatus::Submitted {
        return Ok(false);
    }
    let last_kind: Option<String> = sqlx::query_scalar(
        "SELECT kind FROM submission_events WHERE submission_id = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(locked.id)
    .fetch_optional(&mut **tx)
    .await
    .context("reading the latest entry")?;
    if last_kind.as_deref() != Some(api::desk::EntryKind::Resubmitted.as_str()) {
        return Ok(false);
    }
    let stored = super::sent_text(tx, locked.id).await?;
    let sent = CreateSubmission {
        kind: submission.kind(),
        title: submission.title().as_str().to_owned(),
        body: submission.body().as_str().to_owned(),
        unit_id: Some(submission.unit_id()),
        name: submission.name().as_str().to_owned(),
        phone: submission.phone().as_str().to_owned(),
        cosigners: submission
            .cosigners()
            .iter()
            .map(|name| name.as_str().to_owned())
            .collect(),
        // A revision keeps its topic and 摘要; only the text above is revised.
        topic_id: stored.topic_id,
        summary: stored.summary.clone(),
        ..Default::default()
    };
    Ok(stored == sent)
}
