//! Per-address limits on submissions: 429 with `Retry-After` and an `ErrorBody`, for that address only.

use std::{net::IpAddr, num::NonZeroU32, time::Duration};

use jianyan_server::{
    rate_limit::{Limits, RateLimit},
    Options,
};
use reqwest::{header, Method, Response, StatusCode};

use crate::helpers::{assert_error, spawn_app_with, valid_submission, Setup, TestApp};

fn limit(per_minute: u32, burst: u32) -> Limits {
    let nonzero = |n| NonZeroU32::new(n).expect("a test limit is not zero");
    Limits {
        submit: Some(RateLimit {
            per_minute: nonzero(per_minute),
            burst: nonzero(burst),
        }),
        login: None,
        join: None,
        lockout: None,
    }
}

/// A server that counts by peer address, as `jianyan serve` does.
async fn spawn_limited(limits: Limits) -> TestApp {
    spawn_app_with(Setup {
        options: Options {
            limits,
            ..Options::default()
        },
        connect_info: true,
    })
    .await
}

fn retry_after(response: &Response) -> u64 {
    response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| panic!("a Retry-After in whole seconds: {:?}", response.headers()))
}

#[tokio::test]
async fn submitting_past_the_burst_returns_429_with_retry_after_and_an_error_body_naming_the_wait()
{
    // Arrange: one a minute, three in a row.
    let app = spawn_limited(limit(1, 3)).await;
    for n in 1..=3 {
        let response = app.post_submission(&valid_submission()).await;
        assert_eq!(response.status(), StatusCode::CREATED, "submission {n}");
    }

    // Act
    let response = app.post_submission(&valid_submission()).await;

    // Assert
    let wait = retry_after(&response);
    assert!((1..=60).contains(&wait), "one a minute: wait {wait} s");
    let body = assert_error(response, StatusCode::TOO_MANY_REQUESTS, "the fourth").await;
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&format!("{wait} 秒")),
        "says how long to wait: {message}"
    );
    assert_eq!(
        app.count_rows("submissions").await,
        3,
        "the fourth is not stored"
    );
}

#[tokio::test]
async fn invalid_submissions_count_against_the_limit_too() {
    // Arrange
    let app = spawn_limited(limit(1, 2)).await;
    let empty = serde_json::json!({});
    for _ in 0..2 {
        let response = app.post_submission(&empty).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    // Act
    let response = app.post_submission(&valid_submission()).await;

    // Assert: checking a request costs work whether or not it is stored.
    assert_error(response, StatusCode::TOO_MANY_REQUESTS, "after two 422s").await;
}

#[tokio::test]
async fn a_client_that_waits_as_told_is_let_in() {
    // Arrange: one every 100 ms, so Retry-After rounds up to 1 s.
    let app = spawn_limited(limit(600, 1)).await;
    let first = app.post_submission(&valid_submission()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let refused = app.post_submission(&valid_submission()).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&refused);
    assert_eq!(wait, 1, "0.1 s rounds up to a whole second");

    // Act
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let retried = app.post_submission(&valid_submission()).await;

    // Assert
    assert_eq!(retried.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn another_address_reads_and_other_methods_are_unaffected_by_one_address_over_its_limit() {
    // Arrange
    let app = spawn_limited(limit(1, 1)).await;
    let receipt = app.create_submission(&valid_submission()).await;
    let over = app.post_submission(&valid_submission()).await;
    assert_eq!(
        over.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "127.0.0.1 is over"
    );
    // All of 127.0.0.0/8 is this machine's loopback: a second address without a second machine.
    let neighbour = reqwest::Client::builder()
        .local_address(IpAddr::from([127, 0, 0, 2]))
        .build()
        .expect("a client on 127.0.0.2");

    // Act
    let from_neighbour = neighbour
        .post(app.url("/api/submissions"))
        .json(&valid_submission())
        .send()
        .await
        .expect("the server answers 127.0.0.2");
    let units = app.get_units().await;
    let lookup = app.get_submission(&receipt.code, &receipt.secret).await;
    let wrong_method = app
        .client
        .request(Method::PUT, app.url("/api/submissions"))
        .send()
        .await
        .expect("the server answers PUT");

    // Assert
    assert_eq!(
        from_neighbour.status(),
        StatusCode::CREATED,
        "another address"
    );
    assert_eq!(units.status(), StatusCode::OK, "GET /api/units");
    assert_eq!(
        lookup.status(),
        StatusCode::OK,
        "GET /api/submissions/{{code}}"
    );
    assert_eq!(
        wrong_method.status(),
        StatusCode::METHOD_NOT_ALLOWED,
        "a 405 is not counted or refused"
    );
}

#[tokio::test]
async fn a_router_without_peer_addresses_serves_rather_than_fails() {
    // Arrange: the tightest limit, but the app is mounted without ConnectInfo (as `app()` in tests is).
    let app = spawn_app_with(Setup {
        options: Options {
            limits: limit(1, 1),
            ..Options::default()
        },
        connect_info: false,
    })
    .await;

    // Act
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(app.post_submission(&valid_submission()).await.status());
    }

    // Assert
    assert_eq!(statuses, [StatusCode::CREATED; 3]);
}

#[tokio::test]
async fn the_default_limit_lets_a_meeting_room_behind_one_address_submit_together() {
    // Arrange: the limits `jianyan serve` starts with.
    let app = spawn_limited(Limits::default()).await;

    // Act: twenty members press 提交 within the same seconds.
    let mut statuses = Vec::new();
    for _ in 0..20 {
        statuses.push(app.post_submission(&valid_submission()).await.status());
    }

    // Assert
    assert_eq!(statuses, [StatusCode::CREATED; 20]);
}

#[tokio::test]
async fn logging_in_past_the_burst_returns_429_even_with_the_right_password() {
    // Arrange: one login a minute, three in a row; submissions not limited.
    let app = spawn_limited(Limits {
        login: limit(1, 3).submit,
        submit: None,
        join: None,
        lockout: None,
    })
    .await;
    app.add_staff("zhangsan", "张三", "correct-horse-9").await;
    for n in 1..=3 {
        let response = app.log_in("zhangsan", &format!("guess-number-{n}")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "guess {n}");
    }

    // Act
    let response = app.log_in("zhangsan", "correct-horse-9").await;

    // Assert
    let wait = retry_after(&response);
    assert!((1..=60).contains(&wait), "one a minute: wait {wait} s");
    assert_error(
        response,
        StatusCode::TOO_MANY_REQUESTS,
        "the fourth attempt",
    )
    .await;
    assert_eq!(
        app.count_rows("staff_sessions").await,
        0,
        "no session was started"
    );
    let submission = app.post_submission(&valid_submission()).await;
    assert_eq!(
        submission.status(),
        StatusCode::CREATED,
        "submitting is another limit"
    );
}
