//! Group commit. One task owns the only connection that writes. It takes every request waiting for it
//! (up to a cap), writes them in one transaction and commits once, so a batch shares one fsync of the
//! WAL instead of paying one each; only then does it answer them. A 201 therefore still means "on disk".

use std::sync::Arc;

use anyhow::Context;
use sqlx::{SqliteConnection, SqlitePool};
use tokio::{
    sync::{mpsc, oneshot},
    task::JoinHandle,
};

use super::submissions::{self, PendingCreate};
use crate::secret::ServerKey;

/// Most requests in one transaction. A batch is written with the same few statements whatever its size,
/// so the cap only bounds one transaction's size and how long its first request waits for its last.
const MAX_BATCH: usize = 128;

/// Requests that may wait for the writer; when it is full, handlers wait to enqueue (back-pressure).
const QUEUE_CAPACITY: usize = 4096;

/// What handlers hold: a cheap clone that hands jobs to the writer task.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<PendingCreate>,
    /// The key the writer derives secrets with, for reading one again (a member's own submissions).
    key: Arc<ServerKey>,
}

impl Writer {
    /// The server key that submission secrets are derived from.
    pub fn key(&self) -> &ServerKey {
        &self.key
    }

    pub(crate) async fn send(&self, job: PendingCreate) -> anyhow::Result<()> {
        self.jobs
            .send(job)
            .await
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))
    }
}

/// The running writer task, kept by whoever serves so it can stop it after the last request.
pub struct WriterTask {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Stats>,
}

/// What a writer did in its life: how well requests shared transactions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Batches taken from the queue: one transaction each, or one per job when the batch failed.
    pub batches: u64,
    /// Jobs written in them.
    pub jobs: u64,
}

impl WriterTask {
    /// Refuses new jobs, writes and commits every job already queued, and waits for the task to end.
    /// Dropping a `WriterTask` instead leaves the writer running until every `Writer` is dropped.
    pub async fn stop(self) -> Stats {
        let _ = self.stop.send(());
        self.task.await.unwrap_or_else(|error| {
            tracing::error!(%error, "the database writer ended abnormally");
            Stats::default()
        })
    }
}

/// Starts the writer on a connection of its own, taken from `pool` (so it has the pool's settings:
/// WAL, `synchronous = FULL`, foreign keys, busy timeout). It derives each new submission's secret from
/// the server key beside the pool's database file (`secret.key`), made there on the first start.
pub async fn spawn(pool: &SqlitePool) -> anyhow::Result<(Writer, WriterTask)> {
    let key_path = ServerKey::path_beside(pool.connect_options().get_filename());
    let key = tokio::task::spawn_blocking(move || ServerKey::load_or_create(&key_path))
        .await
        .context("the task reading the server key failed")??;
    let key = Arc::new(key);
    let conn = connect(pool).await?;
    let (jobs, queue) = mpsc::channel(QUEUE_CAPACITY);
    let (stop, stop_requested) = oneshot::channel();
    let task = tokio::spawn(run(
        pool.clone(),
        key.clone(),
        Some(conn),
        queue,
        stop_requested,
    ));
    Ok((Writer { jobs, key }, WriterTask { stop, task }))
}

async fn connect(pool: &SqlitePool) -> anyhow::Result<SqliteConnection> {
    let conn = pool
        .acquire()
        .await
        .context("cannot open the writer's connection")?;
    // Detached, the pool opens another for readers instead of waiting for this one to come back.
    Ok(conn.detach())
}

async fn run(
    pool: SqlitePool,
    key: Arc<ServerKey>,
    mut conn: Option<SqliteConnection>,
    mut queue: mpsc::Receiver<PendingCreate>,
    mut stop_requested: oneshot::Receiver<()>,
) -> Stats {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut stopping = false;
    let mut stats = Stats::default();
    loop {
        tokio::select! {
            // Queued jobs first: a stop request must not overtake work already accepted.
            biased;
            received = queue.recv_many(&mut batch, MAX_BATCH) => {
                if received == 0 {
                    break; // closed and drained
                }
            }
            signal = &mut stop_requested, if !stopping => {
                stopping = true;
                // A dropped `WriterTask` is no stop request: the writer then lives as long as its senders.
                if signal.is_ok() {
                    queue.close();
                }
                continue;
            }
        }
        stats.batches += 1;
        stats.jobs += batch.len() as u64;
        let results = write_batch_or_each(&pool, &key, &mut conn, &mut batch).await;
        for (job, result) in batch.drain(..).zip(results) {
            job.answer(result.as_ref().map(|_| ()));
        }
    }
    if let Some(connection) = conn {
        if let Err(error) = sqlx::Connection::close(connection).await {
            tracing::warn!(%error, "cannot close the writer's connection cleanly");
        }
    }
    tracing::info!(stats.batches, stats.jobs, "database writer stopped");
    stats
}

/// Writes the batch in one transaction; if that fails, writes each job alone in a transaction of its
/// own, so that a row the database refuses (a constraint, a trigger) fails alone and the others are
/// stored. One result per job, in order.
async fn write_batch_or_each(
    pool: &SqlitePool,
    key: &ServerKey,
    conn: &mut Option<SqliteConnection>,
    batch: &mut [PendingCreate],
) -> Vec<anyhow::Result<()>> {
    let error = match write_on(pool, key, conn, batch).await {
        Ok(()) => return batch.iter().map(|_| Ok(())).collect(),
        Err(error) if batch.len() == 1 => return vec![Err(error)],
        Err(error) => error,
    };
    tracing::warn!(
        error = format!("{error:#}"),
        jobs = batch.len(),
        "a batch of writes failed; writing its jobs one at a time"
    );
    let mut results = Vec::with_capacity(batch.len());
    for job in batch.iter_mut() {
        // Decided again, alone: nothing of the failed batch was committed.
        job.undecide();
        results.push(write_on(pool, key, conn, std::slice::from_mut(job)).await);
    }
    results
}

/// `write` on the writer's connection, opening a new one if the last was closed after a failure.
async fn write_on(
    pool: &SqlitePool,
    key: &ServerKey,
    conn: &mut Option<SqliteConnection>,
    batch: &mut [PendingCreate],
) -> anyhow::Result<()> {
    let connection = match conn {
        Some(connection) => connection,
        None => conn.insert(connect(pool).await?),
    };
    let result = write(connection, key, batch).await;
    if let Err(error) = &result {
        tracing::error!(
            error = format!("{error:#}"),
            jobs = batch.len(),
            "a transaction of writes failed"
        );
        // The connection may be left inside a transaction SQLite has half undone; closing it rolls
        // back whatever is left, and the next write starts on a fresh one.
        if let Some(broken) = conn.take() {
            let _ = sqlx::Connection::close(broken).await;
        }
    }
    result
}

/// Writes every job in one transaction. Requests that fail alone (an unknown unit, a reused key) are
/// decided without touching the others; an error here means nothing of the batch is committed.
// Only new submissions go through the writer today; another kind of write would make the queue carry an
// enum and this function apply each in order.
#[tracing::instrument(level = "debug", skip_all, fields(jobs = batch.len()))]
async fn write(
    conn: &mut SqliteConnection,
    key: &ServerKey,
    batch: &mut [PendingCreate],
) -> anyhow::Result<()> {
    // IMMEDIATE takes the write lock now, so a batch never fails halfway to upgrade a read lock.
    execute(conn, "BEGIN IMMEDIATE").await?;
    submissions::write_batch(conn, key, batch).await?;
    execute(conn, "COMMIT").await
}

async fn execute(conn: &mut SqliteConnection, statement: &'static str) -> anyhow::Result<()> {
    sqlx::query(statement)
        .execute(&mut *conn)
        .await
        .with_context(|| format!("{statement} failed"))?;
    Ok(())
}
