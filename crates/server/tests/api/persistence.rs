//! Nothing stored is lost: not across a restart, not when the process is killed, and a backup holds it too.

use api::{SubmissionCreated, TrackingCode, Unit};
use jianyan_server::store;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{count_rows_in, spawn_app, spawn_app_on, stored_in, valid_submission};

#[tokio::test]
async fn a_submission_is_read_back_with_its_secret_after_the_server_restarts() {
    // Arrange
    let app = spawn_app().await;
    let receipt = app.create_submission(&valid_submission()).await;
    let before: Value = app
        .get_submission(&receipt.code, &receipt.secret)
        .await
        .json()
        .await
        .expect("JSON");

    // Act
    let app = app.restart().await;
    let response = app.get_submission(&receipt.code, &receipt.secret).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let after: Value = response.json().await.expect("JSON");
    assert_eq!(after, before);
    assert_eq!(after["title"], "关于加强老旧小区加装电梯的建议");
}

#[tokio::test]
async fn a_submission_survives_the_server_being_killed() {
    // Arrange
    let app = spawn_app().await;
    let receipt = app.create_submission(&valid_submission()).await;

    // Act
    let app = app.kill_and_restart().await;
    let response = app.get_submission(&receipt.code, &receipt.secret).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let view: Value = response.json().await.expect("JSON");
    assert_eq!(view["code"], receipt.code.as_str());
    assert_eq!(app.count_rows("submissions").await, 1);
}

#[tokio::test]
async fn numbering_continues_after_a_restart_and_no_code_is_issued_twice() {
    // Arrange
    let app = spawn_app().await;
    let first = app.create_submission(&valid_submission()).await;

    // Act
    let app = app.restart().await;
    let second = app.create_submission(&valid_submission()).await;

    // Assert
    let number =
        |receipt: &SubmissionCreated| TrackingCode::parse(&receipt.code).expect("a code").number();
    assert_eq!((number(&first), number(&second)), (1, 2));
    assert_eq!(app.count_rows("submissions").await, 2);
}

#[tokio::test]
async fn a_retry_after_a_restart_gets_the_original_receipt() {
    // Arrange
    let app = spawn_app().await;
    let key = "retry-after-restart";
    let first: SubmissionCreated = app
        .post_submission_with_key(&valid_submission(), key)
        .await
        .json()
        .await
        .expect("a receipt");

    // Act
    let app = app.restart().await;
    let retry = app.post_submission_with_key(&valid_submission(), key).await;

    // Assert
    assert_eq!(retry.status(), StatusCode::CREATED);
    let retry: SubmissionCreated = retry.json().await.expect("a receipt");
    assert_eq!(retry, first);
    assert_eq!(app.count_rows("submissions").await, 1);
}

#[tokio::test]
async fn a_backup_of_the_live_database_opens_and_holds_the_submission() {
    // Arrange
    let app = spawn_app().await;
    let receipt = app.create_submission(&valid_submission()).await;
    let pool = store::open(&app.db_path)
        .await
        .expect("the live file opens again");
    let backup_dir = tempfile::tempdir().expect("a folder for the backup");
    let target = backup_dir.path().join("jianyan-backup.db");

    // Act
    store::backup(&pool, &target)
        .await
        .expect("the backup is written");

    // Assert
    assert_eq!(count_rows_in(&target, "submissions").await, 1);
    assert_eq!(count_rows_in(&target, "units").await, 11);
    assert_eq!(
        stored_in(&target, &receipt.code).await,
        app.stored(&receipt.code).await
    );
    let restored = spawn_app_on(backup_dir, target).await;
    let response = restored
        .get_submission(&receipt.code, &receipt.secret)
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "a server can run on the backup"
    );
    pool.close().await;
}

#[tokio::test]
async fn a_backup_refuses_to_overwrite_an_existing_file() {
    // Arrange
    let app = spawn_app().await;
    app.create_submission(&valid_submission()).await;
    let pool = store::open(&app.db_path)
        .await
        .expect("the live file opens again");
    let backup_dir = tempfile::tempdir().expect("a folder for the backup");
    let target = backup_dir.path().join("earlier-backup.db");
    std::fs::write(&target, "昨天的备份").expect("an earlier file");

    // Act
    let result = store::backup(&pool, &target).await;

    // Assert
    let error = result.expect_err("an existing file is never overwritten");
    assert!(error.to_string().contains("already exists"), "{error:#}");
    let kept = std::fs::read_to_string(&target).expect("the earlier file is still there");
    assert_eq!(kept, "昨天的备份");
    pool.close().await;
}

#[tokio::test]
async fn serve_answers_on_the_listener_it_is_given() {
    // Arrange
    let dir = tempfile::tempdir().expect("a folder for the database");
    let pool = store::open(&dir.path().join("served.db"))
        .await
        .expect("a fresh database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("an address");
    let server = tokio::spawn(jianyan_server::serve(listener, pool, Default::default()));

    // Act
    let response = reqwest::get(format!("http://{address}/api/units"))
        .await
        .expect("the server answers");

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let units: Vec<Unit> = response.json().await.expect("units");
    assert_eq!(units.len(), 11);
    server.abort();
}
