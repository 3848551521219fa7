//! The submitter's secret: the database keeps only its hash, the server derives it again from its own
//! key for a retry, and that key is the operator's alone.

use std::os::unix::fs::PermissionsExt;

use api::SubmissionCreated;
use reqwest::StatusCode;

use crate::helpers::{
    database_at_version, execute_sql, file_contains, spawn_app, spawn_app_on, valid_submission,
};

const KEY: &str = "6f1c2a9e-secret-retry";

#[tokio::test]
async fn the_database_holds_only_a_hash_of_the_secret_and_a_retry_gets_the_same_secret() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let first = app.post_submission_with_key(&valid_submission(), KEY).await;
    let first: SubmissionCreated = first.json().await.expect("a receipt");
    let retried = app.post_submission_with_key(&valid_submission(), KEY).await;
    let retried: SubmissionCreated = retried.json().await.expect("a receipt");
    let looked_up = app
        .get_submission(&first.code, &first.secret)
        .await
        .status();
    // The folder lives as long as `_dir`.
    let (_dir, path) = app.stop().await;

    // Assert
    assert_eq!(
        retried.secret, first.secret,
        "a retry gets the same receipt"
    );
    assert_eq!(looked_up, StatusCode::OK, "the secret opens the submission");
    assert!(
        !file_contains(&path, &first.secret),
        "the secret itself is nowhere in the database file"
    );
}

#[tokio::test]
async fn the_server_key_is_made_at_first_start_beside_the_database_for_the_owner_alone() {
    // Arrange & Act
    let app = spawn_app().await;

    // Assert
    let key = app
        .db_path
        .parent()
        .expect("the database is in a folder")
        .join("secret.key");
    let metadata = std::fs::metadata(&key).expect("secret.key is beside the database");
    assert_eq!(
        metadata.permissions().mode() & 0o777,
        0o600,
        "read and write for the owner only"
    );
    let first = app.create_submission(&valid_submission()).await;
    let restarted = app.restart().await;
    let second = restarted.create_submission(&valid_submission()).await;
    assert_eq!(
        restarted
            .get_submission(&first.code, &first.secret)
            .await
            .status(),
        StatusCode::OK,
        "the key survives a restart: old receipts still work"
    );
    assert_ne!(first.secret, second.secret);
}

#[tokio::test]
async fn secrets_an_older_release_stored_in_plain_are_hashed_and_still_open_their_submission() {
    // Arrange: a database from before the secrets were hashed, holding one submission.
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("jianyan.db");
    database_at_version(&path, 3).await;
    let plain = "0123456789abcdef0123456789abcdef";
    execute_sql(
        &path,
        &format!(
            "INSERT INTO submissions (id, year, kind, title, body, unit_id, name, phone, secret,
                                      status, submitted_at)
             VALUES (1, 2026, 'suggestion', '关于加装电梯的建议', '我区老旧小区多建于上世纪九十年代，没有电梯。',
                     1, '王建国', '13812345678', '{plain}', 'submitted', '2026-01-05T09:00:00+08:00');
             INSERT INTO submission_events (submission_id, status, at)
             VALUES (1, 'submitted', '2026-01-05T09:00:00+08:00');
             UPDATE submission_numbers SET last = 1;
             VACUUM;"
        ),
    )
    .await;
    assert!(
        file_contains(&path, plain),
        "the old release kept it in plain"
    );

    // Act: the new release starts on it.
    let app = spawn_app_on(dir, path.clone()).await;
    let old_receipt = app.get_submission("JY-2026-000001", plain).await.status();
    let (_dir, path) = app.stop().await;

    // Assert
    assert_eq!(old_receipt, StatusCode::OK, "the old receipt still works");
    execute_sql(&path, "VACUUM").await;
    assert!(!file_contains(&path, plain), "only its hash is left");
}
