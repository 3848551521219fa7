//! Storage at its edges: numbers that are never given twice, one bad row in a batch, and console
//! commands that wait for the write lock instead of failing.

use std::time::Duration;

use api::{CreateSubmission, NewSubmission, TrackingCode};
use jianyan_server::store::{self, submissions::create};
use serde_json::{json, Value};
use sqlx::{sqlite::SqliteConnectOptions, Connection, SqliteConnection};

use crate::helpers::{execute_sql, spawn_app, valid_submission, with};

fn parse(body: Value) -> NewSubmission {
    let request: CreateSubmission = serde_json::from_value(body).expect("a request");
    NewSubmission::parse(&request).expect("a valid submission")
}

#[tokio::test]
async fn a_tracking_number_is_never_given_twice_even_after_its_row_is_deleted() {
    // Arrange: the newest submission is deleted by hand, as an operator might.
    let app = spawn_app().await;
    let first = app.create_submission(&valid_submission()).await;
    let deleted = app.create_submission(&valid_submission()).await;
    let id = TrackingCode::parse(&deleted.code).expect("a code").number();
    execute_sql(
        &app.db_path,
        &format!(
            "DELETE FROM submission_cosigners WHERE submission_id = {id};
             DELETE FROM submission_events WHERE submission_id = {id};
             DELETE FROM submissions WHERE id = {id};"
        ),
    )
    .await;

    // Act
    let next = app.create_submission(&valid_submission()).await;

    // Assert: a member holding the deleted receipt never sees someone else's submission under it.
    assert_ne!(next.code, deleted.code);
    assert_ne!(next.code, first.code);
}

#[tokio::test]
async fn one_row_that_fails_in_a_batch_fails_alone_and_the_others_are_stored() {
    // Arrange: a trigger that refuses one title, standing in for any row the database will not take.
    // One runtime thread, so all three requests are queued before the writer runs: one batch.
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("batch.db");
    let pool = store::open(&path).await.expect("a fresh database");
    execute_sql(
        &path,
        "CREATE TRIGGER refuse_one BEFORE INSERT ON submissions
         WHEN NEW.title LIKE '%拒收%'
         BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
    )
    .await;
    let (writer, task) = store::writer::spawn(&pool).await.expect("a writer");
    let good = parse(valid_submission());
    let bad = parse(with(
        valid_submission(),
        "title",
        json!("关于拒收这一行的测试建议"),
    ));

    // Act
    let (before, refused, after) = tokio::join!(
        create(&writer, &good, None),
        create(&writer, &bad, None),
        create(&writer, &good, None),
    );
    task.stop().await;

    // Assert
    let before = before.expect("the row before the bad one is stored");
    let after = after.expect("the row after the bad one is stored");
    assert!(refused.is_err(), "the bad row alone fails");
    assert_ne!(before.code, after.code);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM submissions")
        .fetch_one(&pool)
        .await
        .expect("a count");
    assert_eq!(stored, 2);
    pool.close().await;
}

#[tokio::test]
async fn setting_a_password_while_another_process_writes_waits_for_it_instead_of_failing() {
    // Arrange: an account, and another connection (the server, say) in the middle of a write.
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", "correct-horse-9").await;
    let options = SqliteConnectOptions::new().filename(&app.db_path);
    let mut other = SqliteConnection::connect_with(&options)
        .await
        .expect("a second connection");
    sqlx::raw_sql("BEGIN IMMEDIATE; UPDATE units SET sort_order = sort_order + 1;")
        .execute(&mut other)
        .await
        .expect("the other connection takes the write lock");
    let pool = store::open_current(&app.db_path)
        .await
        .expect("the console's pool");
    let console = tokio::spawn(async move {
        let result =
            jianyan_server::auth::accounts::set_password(&pool, "zhangsan", "another-horse-7")
                .await;
        pool.close().await;
        result
    });

    // Act: the other write ends while the command waits.
    tokio::time::sleep(Duration::from_millis(500)).await;
    sqlx::raw_sql("COMMIT")
        .execute(&mut other)
        .await
        .expect("the other write commits");
    let result = console.await.expect("the command's task ends");

    // Assert
    assert!(result.is_ok(), "the new password is set: {result:?}");
    let _ = other.close().await;
    app.log_in("zhangsan", "another-horse-7")
        .await
        .error_for_status()
        .expect("the new password logs in");
}
