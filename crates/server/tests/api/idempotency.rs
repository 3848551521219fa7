//! `Idempotency-Key`: a phone on a weak network may send one submission many times; it is stored once.

use std::collections::BTreeSet;

use api::{SubmissionCreated, IDEMPOTENCY_KEY_HEADER};
use reqwest::StatusCode;
use serde_json::json;
use tokio::task::JoinSet;

use crate::helpers::{assert_error, execute_sql, spawn_app, valid_submission, with};

const KEY: &str = "0b9e7c52-4f1e-4b8a-9d0c-3a2f6e1d5c47";

#[tokio::test]
async fn the_same_key_and_body_twice_returns_one_receipt_and_stores_one_row() {
    // Arrange
    let app = spawn_app().await;
    let submission = valid_submission();

    // Act
    let first = app.post_submission_with_key(&submission, KEY).await;
    let second = app.post_submission_with_key(&submission, KEY).await;

    // Assert
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(
        second.status(),
        StatusCode::CREATED,
        "a retry is answered like the first try"
    );
    let first: SubmissionCreated = first.json().await.expect("a receipt");
    let second: SubmissionCreated = second.json().await.expect("a receipt");
    assert_eq!(second, first, "same code, secret and time");
    assert_eq!(app.count_rows("submissions").await, 1);
    assert_eq!(app.count_rows("submission_events").await, 1);
    assert_eq!(app.count_rows("submission_cosigners").await, 2);
}

#[tokio::test]
async fn a_retry_whose_json_is_laid_out_differently_is_still_the_same_request() {
    // Arrange
    let app = spawn_app().await;
    let compact = valid_submission().to_string();
    let pretty = serde_json::to_string_pretty(&valid_submission()).expect("JSON");
    let send = |body: String| {
        app.client
            .post(app.url("/api/submissions"))
            .header(IDEMPOTENCY_KEY_HEADER, KEY)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
    };

    // Act
    let first = send(compact).await.expect("an answer");
    let second = send(pretty).await.expect("an answer");

    // Assert
    assert_eq!(
        (first.status(), second.status()),
        (StatusCode::CREATED, StatusCode::CREATED)
    );
    let first: SubmissionCreated = first.json().await.expect("a receipt");
    let second: SubmissionCreated = second.json().await.expect("a receipt");
    assert_eq!(second.code, first.code);
    assert_eq!(app.count_rows("submissions").await, 1);
}

#[tokio::test]
async fn the_same_key_with_a_different_body_returns_422_and_keeps_the_first() {
    // Arrange
    let app = spawn_app().await;
    let original = app.post_submission_with_key(&valid_submission(), KEY).await;
    assert_eq!(original.status(), StatusCode::CREATED);
    let original: SubmissionCreated = original.json().await.expect("a receipt");
    let changed = with(
        valid_submission(),
        "title",
        json!("关于改善社区停车难问题的建议"),
    );

    // Act
    let response = app.post_submission_with_key(&changed, KEY).await;

    // Assert
    let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "reused key").await;
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("Idempotency-Key"),
        "names the header: {message}"
    );
    assert_eq!(app.count_rows("submissions").await, 1);
    let stored = app.stored(&original.code).await;
    assert_eq!(
        stored.title, "关于加强老旧小区加装电梯的建议",
        "the first stays as it was"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_concurrent_requests_with_one_key_all_get_the_same_receipt_and_store_one_row() {
    // Arrange
    let app = spawn_app().await;
    let url = app.url("/api/submissions");
    let submission = valid_submission();
    let mut requests = JoinSet::new();

    // Act
    for _ in 0..10 {
        let (client, url, submission) = (app.client.clone(), url.clone(), submission.clone());
        requests.spawn(async move {
            let response = client
                .post(url)
                .header(IDEMPOTENCY_KEY_HEADER, KEY)
                .json(&submission)
                .send()
                .await
                .expect("the server answers");
            let status = response.status();
            let text = response.text().await.expect("a body");
            (status, text)
        });
    }
    let answers = requests.join_all().await;

    // Assert
    let mut receipts = BTreeSet::new();
    for (status, text) in answers {
        assert_eq!(
            status,
            StatusCode::CREATED,
            "every try is answered with the receipt: {text}"
        );
        let receipt: SubmissionCreated = serde_json::from_str(&text).expect("a receipt");
        receipts.insert((receipt.code, receipt.secret));
    }
    assert_eq!(receipts.len(), 1, "one code and one secret: {receipts:?}");
    assert_eq!(app.count_rows("submissions").await, 1);
    assert_eq!(
        app.count_rows("submission_events").await,
        1,
        "one timeline entry"
    );
    assert_eq!(app.count_rows("submission_cosigners").await, 2);
}

#[tokio::test]
async fn an_empty_over_long_or_unprintable_key_returns_400() {
    let too_long = "k".repeat(101);
    let cases = [
        ("", "empty"),
        ("   ", "blank"),
        (too_long.as_str(), "101 characters"),
        ("two words", "a space inside"),
        ("tab\there", "a tab inside"),
        ("密钥", "not ASCII"),
    ];
    // Arrange
    let app = spawn_app().await;
    for (key, why) in cases {
        // Act
        let response = app.post_submission_with_key(&valid_submission(), key).await;

        // Assert
        let body = assert_error(response, StatusCode::BAD_REQUEST, why).await;
        let message = body["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("Idempotency-Key"),
            "{why}: names the header: {message}"
        );
    }
    assert_eq!(app.count_rows("submissions").await, 0);
}

#[tokio::test]
async fn a_key_of_exactly_100_printable_characters_is_accepted() {
    // Arrange
    let app = spawn_app().await;
    let key = "~".repeat(50) + &"A".repeat(50);

    // Act
    let response = app
        .post_submission_with_key(&valid_submission(), &key)
        .await;

    // Assert
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(app.count_rows("submissions").await, 1);
}

#[tokio::test]
async fn requests_without_a_key_each_store_a_row() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let first = app.create_submission(&valid_submission()).await;
    let second = app.create_submission(&valid_submission()).await;

    // Assert
    assert_ne!(first.code, second.code);
    assert_eq!(app.count_rows("submissions").await, 2);
}

#[tokio::test]
async fn a_key_first_sent_with_a_refused_form_still_works_once_the_form_is_fixed() {
    // Arrange
    let app = spawn_app().await;
    let refused = app
        .post_submission_with_key(&with(valid_submission(), "phone", json!("123")), KEY)
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Act
    let fixed = app.post_submission_with_key(&valid_submission(), KEY).await;

    // Assert
    assert_eq!(
        fixed.status(),
        StatusCode::CREATED,
        "nothing was stored under the key"
    );
    assert_eq!(app.count_rows("submissions").await, 1);
}

#[tokio::test]
async fn different_keys_store_different_submissions() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let first = app
        .post_submission_with_key(&valid_submission(), "key-1")
        .await;
    let second = app
        .post_submission_with_key(&valid_submission(), "key-2")
        .await;

    // Assert
    let first: SubmissionCreated = first.json().await.expect("a receipt");
    let second: SubmissionCreated = second.json().await.expect("a receipt");
    assert_ne!(first.code, second.code);
    assert_eq!(app.count_rows("submissions").await, 2);
}

#[tokio::test]
async fn a_replayed_receipt_reports_the_current_status_of_the_submission() {
    // Arrange: stored, then accepted by staff (written straight into the file).
    let app = spawn_app().await;
    let first = app.post_submission_with_key(&valid_submission(), KEY).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: SubmissionCreated = first.json().await.expect("a receipt");
    execute_sql(&app.db_path, "UPDATE submissions SET status = 'accepted'").await;

    // Act: the phone retries, never having seen the first answer.
    let replayed = app.post_submission_with_key(&valid_submission(), KEY).await;

    // Assert
    assert_eq!(replayed.status(), StatusCode::CREATED);
    let replayed: SubmissionCreated = replayed.json().await.expect("a receipt");
    assert_eq!(replayed.code, first.code);
    assert_eq!(
        replayed.status,
        api::SubmissionStatus::Accepted,
        "the status it has now, not `submitted`"
    );
}
