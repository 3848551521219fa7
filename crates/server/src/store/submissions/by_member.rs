//! A joined member's submissions: every one sent from any of their devices (`submissions.member_id`),
//! and receipts from before they joined claimed into the account.

use anyhow::Context;
use api::{MemberSubmission, SubmissionKind, TrackingCode};
use sqlx::SqlitePool;

use super::parse_status;
use crate::secret::{self, ServerKey};

/// Every submission of the member, newest first, each with its secret (derived again with `key`) so any
/// of the member's devices opens it as the one that sent it.
#[tracing::instrument(skip(db, key))]
pub async fn list(
    db: &SqlitePool,
    key: &ServerKey,
    member_id: i64,
) -> anyhow::Result<Vec<MemberSubmission>> {
    let rows: Vec<(i64, i32, String, String, String, String, String)> = sqlx::query_as(
        "SELECT s.id, s.year, s.kind, s.title, u.name, s.status, s.submitted_at
         FROM submissions s JOIN units u ON u.id = s.unit_id
         WHERE s.member_id = ? ORDER BY s.id DESC",
    )
    .bind(member_id)
    .fetch_all(db)
    .await
    .context("reading a member's submissions")?;
    rows.into_iter()
        .map(|(id, year, kind, title, unit, status, submitted_at)| {
            Ok(MemberSubmission {
                code: TrackingCode::new(year, id).to_string(),
                kind: SubmissionKind::parse(&kind)
                    .with_context(|| format!("unknown kind {kind:?} in the database"))?,
                title,
                unit,
                status: parse_status(&status)?,
                submitted_at,
                secret: key.submission_secret(id),
            })
        })
        .collect()
}

/// What became of a claim.
#[derive(Debug)]
pub enum Claim {
    /// The submission is the member's now (or was already).
    Claimed(MemberSubmission),
    /// No such code, or the secret is not its own: one answer for both.
    NotFound,
    /// Another member's already.
    Taken,
}

/// Attaches the submission behind `code` to the member, if `given_secret` opens it and it has no member
/// yet. Claiming one's own again changes nothing.
#[tracing::instrument(skip(db, key, given_secret))]
pub async fn claim(
    db: &SqlitePool,
    key: &ServerKey,
    code: TrackingCode,
    given_secret: &str,
    member_id: i64,
) -> anyhow::Result<Claim> {
    let row: Option<(i32, String, Option<i64>)> =
        sqlx::query_as("SELECT year, secret_hash, member_id FROM submissions WHERE id = ?")
            .bind(code.number())
            .fetch_optional(db)
            .await
            .context("reading the submission to claim")?;
    let Some((_, secret_hash, owner)) = row.filter(|(year, ..)| *year == code.year()) else {
        return Ok(Claim::NotFound);
    };
    if !secret::matches(&secret_hash, &secret::secret_hash(given_secret)) {
        return Ok(Claim::NotFound);
    }
    match owner {
        Some(owner) if owner != member_id => return Ok(Claim::Taken),
        Some(_) => {}
        None => {
            let claimed = sqlx::query(
                "UPDATE submissions SET member_id = ? WHERE id = ? AND member_id IS NULL",
            )
            .bind(member_id)
            .bind(code.number())
            .execute(db)
            .await
            .context("claiming a submission")?
            .rows_affected();
            // Another member's claim with the same receipt got in between.
            if claimed == 0 {
                return Ok(Claim::Taken);
            }
        }
    }
    let mine = list(db, key, member_id).await?;
    let code = code.to_string();
    Ok(mine
        .into_iter()
        .find(|submission| submission.code == code)
        .map_or(Claim::NotFound, Claim::Claimed))
}
