//! `kill -9` in the middle of a stream of submissions: every 201 was on disk, and retries store nothing twice.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use api::{SubmissionCreated, TrackingCode};
use reqwest::StatusCode;
use tokio::task::JoinSet;

use crate::helpers::{
    fresh_db, integrity_check, look_up, open_read_only, post, submission, Posted, ServerProcess,
};

/// Clients posting at once, like members on a busy evening.
const WORKERS: usize = 16;
/// Acknowledged submissions to wait for before the kill, so it lands in a steady stream.
const ACKNOWLEDGED_BEFORE_KILL: usize = 1_000;
/// Requests per client at most, so the test ends even if the kill somehow does not.
const MAX_PER_WORKER: usize = 5_000;

/// Every key a client sent, with the submission number it sent under it and the receipt if it got one.
type Sent = Arc<Mutex<Vec<(String, usize, Option<SubmissionCreated>)>>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_submission_survives_kill_9_and_nothing_is_stored_twice() {
    // Arrange: a server taking a steady stream of submissions, each under its own key.
    let started = Instant::now();
    let (_dir, db) = fresh_db();
    let server = ServerProcess::start(&db);
    let client = reqwest::Client::new();
    let sent: Sent = Arc::default();
    let mut workers = JoinSet::new();
    for worker in 0..WORKERS {
        let (client, address, sent) = (client.clone(), server.address.clone(), Arc::clone(&sent));
        workers.spawn(async move {
            for i in 0..MAX_PER_WORKER {
                let (key, n) = (format!("crash-{worker}-{i}"), worker * MAX_PER_WORKER + i);
                let posted = post(&client, &address, &key, n).await;
                let receipt = match posted {
                    Posted::Stored(receipt) => Some(receipt),
                    Posted::NotConfirmed => None,
                };
                let confirmed = receipt.is_some();
                sent.lock().expect("lock").push((key, n, receipt));
                if !confirmed {
                    break; // the server is gone
                }
            }
        });
    }
    let acknowledged = || {
        let sent = sent.lock().expect("lock");
        sent.iter()
            .filter(|(_, _, receipt)| receipt.is_some())
            .count()
    };
    while acknowledged() < ACKNOWLEDGED_BEFORE_KILL {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "only {} submissions acknowledged in 30 s; server log: {:#?}",
            acknowledged(),
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // Act: kill -9 mid-stream, then start again on the same file.
    server.kill();
    workers.join_all().await;
    let server = ServerProcess::start(&db);

    // Assert: every 201 is there, readable with its code and secret, under the key it was sent with.
    let sent = std::mem::take(&mut *sent.lock().expect("lock"));
    let unconfirmed: Vec<_> = sent.iter().filter(|(_, _, r)| r.is_none()).collect();
    assert!(
        !unconfirmed.is_empty(),
        "every client saw its last request go unanswered"
    );
    let mut db_read = open_read_only(&db).await;
    for (key, n, receipt) in &sent {
        let Some(receipt) = receipt else { continue };
        let (status, view) = look_up(&client, &server.address, receipt).await;
        assert_eq!(status, StatusCode::OK, "{} was acknowledged", receipt.code);
        assert_eq!(view["title"], submission(*n)["title"], "{}", receipt.code);
        let id = TrackingCode::parse(&receipt.code).expect("a code").number();
        let stored_key: Option<String> =
            sqlx::query_scalar("SELECT idempotency_key FROM submissions WHERE id = ?")
                .bind(id)
                .fetch_one(&mut db_read)
                .await
                .expect("the row is there");
        assert_eq!(stored_key.as_deref(), Some(key.as_str()));
    }

    // Assert: a retry of each unanswered request is answered, and still one row per key. Some of those
    // were committed before the kill and only their answer was lost: their retry replays the receipt.
    let rows_before_retries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM submissions")
        .fetch_one(&mut db_read)
        .await
        .expect("a count");
    for (key, n, _) in &unconfirmed {
        let retried = post(&client, &server.address, key, *n).await;
        assert!(
            matches!(retried, Posted::Stored(_)),
            "the retry of {key} is stored or replayed"
        );
    }
    let (rows, keys, events, cosigners): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM submissions),
                (SELECT COUNT(DISTINCT idempotency_key) FROM submissions),
                (SELECT COUNT(*) FROM submission_events),
                (SELECT COUNT(*) FROM submission_cosigners)",
    )
    .fetch_one(&mut db_read)
    .await
    .expect("counts");
    let _ = sqlx::Connection::close(db_read).await;
    let sent_keys = i64::try_from(sent.len()).expect("a small count");
    assert_eq!(
        (rows, keys),
        (sent_keys, sent_keys),
        "exactly one row per key sent"
    );
    assert_eq!(events, rows, "each row has its first timeline entry");
    assert_eq!(cosigners, 2 * rows, "each row has both co-signers");

    // Assert: the file is sound once the second server stops.
    server.stop();
    assert_eq!(integrity_check(&db).await, "ok");
    let acknowledged = sent.len() - unconfirmed.len();
    println!(
        "{acknowledged} acknowledged before kill -9; {} unanswered, of which {} had been committed; \
         {rows} rows after retries; {:?}",
        unconfirmed.len(),
        rows_before_retries - i64::try_from(acknowledged).expect("a small count"),
        started.elapsed()
    );
    assert!(
        started.elapsed() < Duration::from_secs(50),
        "the crash test stays well under a minute: {:?}",
        started.elapsed()
    );
}
