//! The ceiling, and the data set: the same inserts through the server's own store and group-commit
//! writer in this process, with no HTTP in the way (same WAL, `synchronous = FULL`, same batching).
//! The rows stay behind as the 100,000 the HTTP runs work against, and their secrets are kept for GETs.
//! Beside it, the floor: the same settings without group commit, one transaction per submission.

use std::{
    path::Path,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use anyhow::Context;
use api::{CreateSubmission, NewSubmission, SubmissionCreated};
use jianyan_server::store::{
    self,
    submissions::{create, RetryKey},
    writer::Stats,
};
use sqlx::{Connection, SqliteConnection};
use tokio::task::JoinSet;

use crate::{report::Outcome, submission};

/// The inserts' outcome, the writer's batching, and every receipt (code and secret) in order.
pub struct Ceiling {
    pub outcome: Outcome,
    pub stats: Stats,
    pub receipts: Vec<SubmissionCreated>,
}

/// Inserts `rows` submissions into a new database at `db`, `concurrency` at a time.
pub async fn run(db: &Path, rows: usize, concurrency: usize) -> anyhow::Result<Ceiling> {
    // Parsed before the clock starts: the ceiling is the store's work alone.
    let submissions = (0..rows)
        .map(|i| {
            let request: CreateSubmission =
                serde_json::from_slice(&submission(i)).context("the bench's own submission")?;
            NewSubmission::parse(&request)
                .map_err(|fields| anyhow::anyhow!("invalid submission: {fields:?}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let submissions = Arc::new(submissions);
    let pool = store::open(db).await?;
    let (writer, task) = store::writer::spawn(&pool).await?;
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = JoinSet::new();
    for _ in 0..concurrency {
        let (writer, next) = (writer.clone(), Arc::clone(&next));
        let submissions = Arc::clone(&submissions);
        workers.spawn(async move {
            let mut outcome = Outcome::default();
            let mut receipts = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(new) = submissions.get(i) else { break };
                let retry = RetryKey {
                    key: format!("dataset-{i}"),
                    digest: format!("digest-{i}"),
                };
                let sent = Instant::now();
                match create(&writer, new, Some(&retry)).await {
                    Ok(receipt) => {
                        outcome.latencies.push(sent.elapsed());
                        receipts.push((i, receipt));
                    }
                    Err(error) => outcome.fail(format!("{error:?}")),
                }
            }
            (outcome, receipts)
        });
    }
    let mut total = Outcome::default();
    let mut receipts = Vec::with_capacity(rows);
    for (outcome, some) in workers.join_all().await {
        total.merge(outcome);
        receipts.extend(some);
    }
    total.elapsed = started.elapsed();
    drop(writer);
    let stats = task.stop().await;
    pool.close().await;
    receipts.sort_by_key(|(i, _)| *i);
    Ok(Ceiling {
        outcome: total,
        stats,
        receipts: receipts.into_iter().map(|(_, receipt)| receipt).collect(),
    })
}

/// For comparison, what durability costs without group commit: one transaction (and one fsync) per
/// submission, one at a time, on the same settings, into a scratch database at `db`. Stops after `rows`
/// or `time_limit`.
pub async fn unbatched(db: &Path, rows: usize, time_limit: Duration) -> anyhow::Result<Outcome> {
    let pool = store::open(db).await?;
    let mut conn = pool.acquire().await.context("a connection")?;
    let mut outcome = Outcome::default();
    let started = Instant::now();
    for i in 0..rows {
        if started.elapsed() > time_limit {
            break;
        }
        let sent = Instant::now();
        match insert_one(&mut conn, i).await {
            Ok(()) => outcome.latencies.push(sent.elapsed()),
            Err(error) => outcome.fail(format!("{error:#}")),
        }
    }
    outcome.elapsed = started.elapsed();
    drop(conn);
    pool.close().await;
    Ok(outcome)
}

/// The statements the server used before group commit, for one submission with two co-signers.
async fn insert_one(conn: &mut SqliteConnection, i: usize) -> anyhow::Result<()> {
    let mut tx = conn.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO submissions
             (year, kind, title, body, unit_id, name, phone, secret_hash, status, submitted_at,
              idempotency_key, request_digest)
         VALUES (2026, 'suggestion', ?, '我区老旧小区多建于上世纪九十年代，没有电梯。', 1, '王建国',
                 '13812345678', 'secret', 'submitted', '2026-01-01T08:00:00+08:00', ?, 'digest')
         RETURNING id",
    )
    .bind(format!("关于加强老旧小区加装电梯的建议（第{i}号）"))
    .bind(format!("unbatched-{i}"))
    .fetch_one(&mut *tx)
    .await?;
    for (position, name) in ["李红", "张伟"].into_iter().enumerate() {
        sqlx::query(
            "INSERT INTO submission_cosigners (submission_id, position, name) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(name)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO submission_events (submission_id, status, at)
         VALUES (?, 'submitted', '2026-01-01T08:00:00+08:00')",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
