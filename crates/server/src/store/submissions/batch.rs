//! A batch of new submissions in a fixed handful of statements, whatever its size. Each request's fate
//! (a replayed receipt, a reused key, an unknown unit, or a new row) is decided first, in order, as if the
//! requests had come one after another; then all new rows, their co-signers and their first timeline
//! entries go in with one INSERT each, reading the batch as a JSON array. One failing request therefore
//! never fails the others, and the writer's cost per request stays small.

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use api::{SubmissionCreated, SubmissionStatus, TrackingCode};
use serde::Serialize;
use sqlx::SqliteConnection;

use super::{bigrams, CreateError, PendingCreate};
use crate::{
    clock,
    secret::{self, ServerKey},
};

/// Decides and writes `jobs` inside the writer's open transaction, keeping each job's outcome for when
/// that transaction has committed. An error means the transaction must not be committed.
pub(crate) async fn write_batch(
    conn: &mut SqliteConnection,
    key: &ServerKey,
    jobs: &mut [PendingCreate],
) -> anyhow::Result<()> {
    let Known {
        first_id,
        units,
        existing,
    } = known(conn, jobs).await?;
    let Plan { outcomes, rows } = plan(jobs, &units, &existing, first_id, key);
    if !rows.is_empty() {
        let json = serde_json::to_string(&rows).context("encoding the new rows")?;
        insert_rows(conn, &json).await?;
    }
    for (job, outcome) in jobs.iter_mut().zip(outcomes) {
        job.outcome = Some(outcome);
    }
    Ok(())
}

/// What the plan needs from the database.
struct Known {
    /// The number the first new row gets: the one after the last number ever given out (kept in
    /// `submission_numbers`, so a deleted row's number is not given again). Numbered here rather than by
    /// SQLite so that receipts are known before the rows go in; the write lock held since
    /// BEGIN IMMEDIATE keeps the numbers ours.
    first_id: i64,
    units: HashSet<i64>,
    /// The stored rows under the batch's retry keys.
    existing: HashMap<String, Existing>,
}

/// Reads everything the plan needs in one statement: every statement is a round trip to the
/// connection's thread, and those, not SQLite, are most of a small batch's cost.
async fn known(conn: &mut SqliteConnection, jobs: &[PendingCreate]) -> anyhow::Result<Known> {
    let keys: Vec<&str> = jobs
        .iter()
        .filter_map(|job| job.retry.as_ref().map(|retry| retry.key.as_str()))
        .collect();
    let keys = serde_json::to_string(&keys).context("encoding the retry keys")?;
    let (first_id, units, existing): (i64, String, String) = sqlx::query_as(
        "SELECT MAX((SELECT last FROM submission_numbers),
                    (SELECT COALESCE(MAX(id), 0) FROM submissions)) + 1,
                (SELECT json_group_array(id) FROM units WHERE retired_at IS NULL),
                (SELECT json_group_array(json_array(idempotency_key, id, year,
                                                    submitted_at, request_digest, status))
                 FROM submissions WHERE idempotency_key IN (SELECT value FROM json_each(?)))",
    )
    .bind(keys)
    .fetch_one(&mut *conn)
    .await
    .context("reading units, retry keys and the next number")?;
    let units = serde_json::from_str(&units).context("decoding the units")?;
    let existing: Vec<(String, i64, i32, String, Option<String>, String)> =
        serde_json::from_str(&existing).context("decoding the stored retry keys")?;
    let existing = existing
        .into_iter()
        .map(|(key, id, year, submitted_at, digest, status)| {
            let row = Existing {
                id,
                year,
                submitted_at,
                digest,
                status,
            };
            (key, row)
        })
        .collect();
    Ok(Known {
        first_id,
        units,
        existing,
    })
}

/// What the database already holds under a retry key.
struct Existing {
    id: i64,
    year: i32,
    submitted_at: String,
    digest: Option<String>,
    /// Where the submission stands now: staff may have moved it since the first answer.
    status: String,
}

impl Existing {
    /// The first receipt for a true retry (same request), with the secret derived again from the key
    /// and the status the submission has now; `KeyReused` for another request.
    fn replay(&self, digest: &str, key: &ServerKey) -> Result<SubmissionCreated, CreateError> {
        if self.digest.as_deref() != Some(digest) {
            return Err(CreateError::KeyReused);
        }
        let status = SubmissionStatus::parse(&self.status)
            .ok_or_else(|| anyhow::anyhow!("unknown status {:?} in the database", self.status))?;
        Ok(SubmissionCreated {
            code: TrackingCode::new(self.year, self.id).to_string(),
            secret: key.submission_secret(self.id),
            status,
            submitted_at: self.submitted_at.clone(),
        })
    }
}

/// One new row, as the INSERTs read it from the JSON array.
#[derive(Serialize)]
struct NewRow<'a> {
    id: i64,
    year: i32,
    kind: &'static str,
    title: &'a str,
    body: &'a str,
    unit_id: i64,
    name: &'a str,
    phone: &'a str,
    member_id: Option<i64>,
    /// The topic a research result answers.
    topic_id: Option<i64>,
    summary: Option<&'a str>,
    /// What the database keeps of the secret.
    secret_hash: String,
    /// The secret itself: for the receipt only, never stored.
    #[serde(skip)]
    secret: String,
    submitted_at: String,
    key: Option<&'a str>,
    digest: Option<&'a str>,
    cosigners: Vec<&'a str>,
    /// How many of `cosigners`, from the first, confirmed.
    confirmed: usize,
    /// Its words in the short-term search index (`bigrams.rs`).
    grams: String,
}

impl<'a> NewRow<'a> {
    fn new(id: i64, job: &'a PendingCreate, key: &ServerKey) -> Self {
        let submission = &job.submission;
        let secret = key.submission_secret(id);
        NewRow {
            id,
            year: job.submitted_at.year(),
            kind: submission.kind().as_str(),
            title: submission.title().as_str(),
            body: submission.body().as_str(),
            unit_id: submission.unit_id().0,
            name: submission.name().as_str(),
            phone: submission.phone().as_str(),
            member_id: job.member_id,
            topic_id: submission.topic_id().map(|id| id.0),
            summary: submission.summary(),
            secret_hash: secret::secret_hash(&secret),
            secret,
            submitted_at: clock::rfc3339(job.submitted_at),
            key: job.retry.as_ref().map(|retry| retry.key.as_str()),
            digest: job.retry.as_ref().map(|retry| retry.digest.as_str()),
            cosigners: submission.cosigners().iter().map(|c| c.as_str()).collect(),
            confirmed: job.confirmed_cosigners,
            grams: bigrams::grams(submission.title().as_str(), submission.body().as_str()),
        }
    }

    fn receipt(&self) -> SubmissionCreated {
        SubmissionCreated {
            code: TrackingCode::new(self.year, self.id).to_string(),
            secret: self.secret.clone(),
            status: SubmissionStatus::Submitted,
            submitted_at: self.submitted_at.clone(),
        }
    }
}

/// Every job's outcome, in order, and the rows to insert.
struct Plan<'a> {
    outcomes: Vec<Result<SubmissionCreated, CreateError>>,
    rows: Vec<NewRow<'a>>,
}

/// Decides each job as the one-at-a-time code did: a stored retry key is answered from its row; a key
/// already taken earlier in this batch is answered from that job's receipt; an unknown unit is refused
/// (and claims no key); anything else becomes a new row numbered from `first_id`.
fn plan<'a>(
    jobs: &'a [PendingCreate],
    units: &HashSet<i64>,
    existing: &HashMap<String, Existing>,
    first_id: i64,
    key: &ServerKey,
) -> Plan<'a> {
    let mut plan = Plan {
        outcomes: Vec::with_capacity(jobs.len()),
        rows: Vec::new(),
    };
    let mut claimed: HashMap<&str, (&str, SubmissionCreated)> = HashMap::new();
    for job in jobs {
        let retry = job.retry.as_ref();
        if let Some(retry) = retry {
            if let Some(row) = existing.get(&retry.key) {
                plan.outcomes.push(row.replay(&retry.digest, key));
                continue;
            }
            if let Some((digest, receipt)) = claimed.get(retry.key.as_str()) {
                plan.outcomes.push(if *digest == retry.digest {
                    Ok(receipt.clone())
                } else {
                    Err(CreateError::KeyReused)
                });
                continue;
            }
        }
        if !units.contains(&job.submission.unit_id().0) {
            plan.outcomes.push(Err(CreateError::UnknownUnit));
            continue;
        }
        let id = first_id + plan.rows.len() as i64;
        let row = NewRow::new(id, job, key);
        let receipt = row.receipt();
        if let Some(retry) = retry {
            claimed.insert(&retry.key, (&retry.digest, receipt.clone()));
        }
        plan.rows.push(row);
        plan.outcomes.push(Ok(receipt));
    }
    plan
}

/// The new rows, their co-signers, their first timeline entries, their search words and the last number
/// given out: five statements for any batch, sent as one (`?1` is the same JSON array in each).
async fn insert_rows(conn: &mut SqliteConnection, json: &str) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO submissions
             (id, year, kind, title, body, unit_id, name, phone, secret_hash, status, submitted_at,
              updated_at, idempotency_key, request_digest, member_id, topic_id, summary)
         SELECT value ->> 'id', value ->> 'year', value ->> 'kind', value ->> 'title',
                value ->> 'body', value ->> 'unit_id', value ->> 'name', value ->> 'phone',
                value ->> 'secret_hash', ?2, value ->> 'submitted_at', value ->> 'submitted_at',
                value ->> 'key', value ->> 'digest', value ->> 'member_id',
                value ->> 'topic_id', value ->> 'summary'
         FROM json_each(?1);

         INSERT INTO submission_cosigners (submission_id, position, name, confirmed)
         SELECT s.value ->> 'id', c.key, c.value, c.key < s.value ->> 'confirmed'
         FROM json_each(?1) AS s, json_each(s.value, '$.cosigners') AS c;

         INSERT INTO submission_events (submission_id, status, at)
         SELECT value ->> 'id', ?2, value ->> 'submitted_at' FROM json_each(?1);

         INSERT INTO submissions_bigrams (rowid, grams)
         SELECT value ->> 'id', value ->> 'grams' FROM json_each(?1);

         UPDATE submission_numbers
         SET last = MAX(last, (SELECT MAX(value ->> 'id') FROM json_each(?1)));",
    )
    .bind(json)
    .bind(SubmissionStatus::Submitted.as_str())
    .execute(&mut *conn)
    .await
    .context("inserting the submissions, co-signers, first timeline entries and search words")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use api::{CreateSubmission, NewSubmission, SubmissionKind, UnitId};
    use tokio::sync::oneshot;

    use super::*;
    use crate::store::submissions::RetryKey;

    /// A job for `unit` under `retry` as `(key, digest)`.
    fn job(unit: i64, retry: Option<(&str, &str)>) -> PendingCreate {
        let request = CreateSubmission {
            kind: SubmissionKind::Suggestion,
            title: "关于加强老旧小区加装电梯的建议".into(),
            body: "我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼困难。".into(),
            unit_id: Some(UnitId(unit)),
            name: "王建国".into(),
            phone: "13812345678".into(),
            cosigners: vec!["李红".into()],
            ..Default::default()
        };
        let (reply, _) = oneshot::channel();
        PendingCreate {
            submission: NewSubmission::parse(&request).expect("a valid submission"),
            retry: retry.map(|(key, digest)| RetryKey {
                key: key.into(),
                digest: digest.into(),
            }),
            member_id: None,
            confirmed_cosigners: 0,
            submitted_at: clock::now(),
            outcome: None,
            reply,
        }
    }

    /// An outcome in a few words: `row 7` (a receipt for row 7, new or replayed), `unknown unit`,
    /// `key reused`.
    fn describe(outcome: &Result<SubmissionCreated, CreateError>) -> String {
        match outcome {
            Ok(receipt) => {
                let number = TrackingCode::parse(&receipt.code).map_or(0, |code| code.number());
                format!("row {number}")
            }
            Err(CreateError::UnknownUnit) => "unknown unit".into(),
            Err(CreateError::KeyReused) => "key reused".into(),
            Err(CreateError::Other(error)) => format!("error {error}"),
        }
    }

    #[test]
    fn each_request_in_a_batch_is_decided_as_if_it_came_alone() {
        let stored = Existing {
            id: 3,
            year: 2026,
            submitted_at: "2026-01-01T08:00:00+08:00".into(),
            digest: Some("d-old".into()),
            status: "accepted".into(),
        };
        let existing = HashMap::from([("old".to_owned(), stored)]);
        let units = HashSet::from([1, 2]);
        let cases: [(&str, Vec<PendingCreate>, [&str; 3], usize); 7] = [
            (
                "three new rows are numbered in order",
                vec![job(1, None), job(2, Some(("a", "d"))), job(1, None)],
                ["row 10", "row 11", "row 12"],
                3,
            ),
            (
                "an unknown unit is refused, the others stored",
                vec![job(1, None), job(99, None), job(2, None)],
                ["row 10", "unknown unit", "row 11"],
                2,
            ),
            (
                "a retry in the same batch gets the first receipt, a changed body is refused",
                vec![
                    job(1, Some(("k", "d1"))),
                    job(1, Some(("k", "d1"))),
                    job(2, Some(("k", "d2"))),
                ],
                ["row 10", "row 10", "key reused"],
                1,
            ),
            (
                "a stored key is replayed or refused, never stored again",
                vec![
                    job(1, Some(("old", "d-old"))),
                    job(1, Some(("old", "d-new"))),
                    job(1, None),
                ],
                ["row 3", "key reused", "row 10"],
                1,
            ),
            (
                "a refused request claims no key: its fixed retry is stored",
                vec![
                    job(99, Some(("k", "d1"))),
                    job(1, Some(("k", "d2"))),
                    job(1, Some(("k", "d2"))),
                ],
                ["unknown unit", "row 10", "row 10"],
                1,
            ),
            (
                "a stored key wins over an unknown unit, as the unique index did",
                vec![job(99, Some(("old", "d-old"))), job(1, None), job(1, None)],
                ["row 3", "row 10", "row 11"],
                2,
            ),
            (
                "nothing to store",
                vec![job(99, None), job(98, None), job(1, Some(("old", "d-old")))],
                ["unknown unit", "unknown unit", "row 3"],
                0,
            ),
        ];
        for (why, jobs, expected, new_rows) in cases {
            let plan = plan(
                &jobs,
                &units,
                &existing,
                10,
                &ServerKey::from_bytes([7; 32]),
            );
            let outcomes: Vec<String> = plan.outcomes.iter().map(describe).collect();
            assert_eq!(outcomes, expected, "{why}");
            assert_eq!(plan.rows.len(), new_rows, "{why}: rows to insert");
        }
    }
}
