//! The writer behind `POST /api/submissions`: requests queued together share one transaction, yet each
//! keeps its own outcome.

use api::{CreateSubmission, NewSubmission};
use jianyan_server::store::{
    self,
    submissions::{create, CreateError, RetryKey},
    writer::Stats,
};
use serde_json::{json, Value};

use crate::helpers::{count_rows_in, valid_submission, with};

fn parse(body: Value) -> NewSubmission {
    let request: CreateSubmission = serde_json::from_value(body).expect("a request");
    NewSubmission::parse(&request).expect("a valid submission")
}

fn retry(key: &str, digest: &str) -> Option<RetryKey> {
    Some(RetryKey {
        key: key.into(),
        digest: digest.into(),
    })
}

#[tokio::test]
async fn requests_queued_together_share_one_transaction_and_keep_their_own_outcomes() {
    // Arrange: one runtime thread, so every request below is queued before the writer runs.
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("batch.db");
    let pool = store::open(&path).await.expect("a fresh database");
    let (writer, task) = store::writer::spawn(&pool).await.expect("a writer");
    let valid = parse(valid_submission());
    let unknown_unit = parse(with(valid_submission(), "unit_id", json!(999)));
    let (same, other) = (retry("k", "digest-1"), retry("k", "digest-2"));

    // Act
    let (plain, first, retried, refused, reused) = tokio::join!(
        create(&writer, &valid, None),
        create(&writer, &valid, same.as_ref()),
        create(&writer, &valid, same.as_ref()),
        create(&writer, &unknown_unit, None),
        create(&writer, &valid, other.as_ref()),
    );
    let stats = task.stop().await;

    // Assert
    assert_eq!(
        stats,
        Stats {
            batches: 1,
            jobs: 5
        },
        "one transaction"
    );
    let (plain, first, retried) = (
        plain.expect("stored"),
        first.expect("stored"),
        retried.expect("replayed"),
    );
    assert_eq!(
        retried, first,
        "the retry in the same batch gets the receipt"
    );
    assert_ne!(plain.code, first.code);
    assert!(
        matches!(refused, Err(CreateError::UnknownUnit)),
        "{refused:?}"
    );
    assert!(matches!(reused, Err(CreateError::KeyReused)), "{reused:?}");
    assert_eq!(count_rows_in(&path, "submissions").await, 2);
    assert_eq!(count_rows_in(&path, "submission_events").await, 2);
    assert_eq!(count_rows_in(&path, "submission_cosigners").await, 4);
    pool.close().await;
}

#[tokio::test]
async fn stopping_the_writer_commits_what_is_queued_and_refuses_what_comes_later() {
    // Arrange
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("stop.db");
    let pool = store::open(&path).await.expect("a fresh database");
    let (writer, task) = store::writer::spawn(&pool).await.expect("a writer");
    let valid = parse(valid_submission());

    // Act: the stop request comes after three queued jobs and must not overtake them.
    let (a, b, c, stats) = tokio::join!(
        create(&writer, &valid, None),
        create(&writer, &valid, None),
        create(&writer, &valid, None),
        task.stop(),
    );
    let late = create(&writer, &valid, None).await;

    // Assert
    for (name, result) in [("a", a), ("b", b), ("c", c)] {
        assert!(
            result.is_ok(),
            "{name} was queued before the stop: {result:?}"
        );
    }
    assert_eq!(stats.jobs, 3);
    assert!(matches!(late, Err(CreateError::Other(_))), "{late:?}");
    assert_eq!(count_rows_in(&path, "submissions").await, 3);
    pool.close().await;
}
