//! Failed logins counted per login name, from any address: after five in a row the name answers 429
//! with when to try again, whether or not the account exists; a success starts the count again.

use std::{net::IpAddr, num::NonZeroU32, time::Duration};

use jianyan_server::{auth::lockout::Lockout, rate_limit::Limits, Options};
use reqwest::{header, Response, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app_with, Setup, TestApp};

const PASSWORD: &str = "correct-horse-9";

/// A server with no per-address login limit (so only the per-name one can refuse), whose lock lasts
/// `duration`.
async fn spawn_locking_after_five(duration: Duration) -> TestApp {
    let app = spawn_app_with(Setup {
        options: Options {
            limits: Limits {
                lockout: Some(Lockout {
                    failures: NonZeroU32::new(5).expect("not zero"),
                    duration,
                }),
                ..Limits::off()
            },
            ..Options::default()
        },
        connect_info: true,
    })
    .await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;
    app
}

fn retry_after(response: &Response) -> Option<u64> {
    response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
}

async fn fail_times(app: &TestApp, login: &str, times: usize) {
    for n in 1..=times {
        let response = app.log_in(login, &format!("wrong-guess-{n}")).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{login}: wrong guess {n}"
        );
    }
}

/// The body with its digits (the time to try again) blanked out.
fn without_digits(body: &Value) -> String {
    body.to_string()
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

#[tokio::test]
async fn five_failed_logins_lock_the_name_from_every_address_even_for_the_right_password() {
    // Arrange: failures in several spellings of one login.
    let app = spawn_locking_after_five(Duration::from_secs(15 * 60)).await;
    for login in ["zhangsan", "ZhangSan", " zhangsan "] {
        fail_times(&app, login, 1).await;
    }
    fail_times(&app, "zhangsan", 2).await;
    let elsewhere = reqwest::Client::builder()
        .local_address(IpAddr::from([127, 0, 0, 2]))
        .build()
        .expect("a client on 127.0.0.2");

    // Act
    let right_password = app.log_in("zhangsan", PASSWORD).await;
    let from_elsewhere = elsewhere
        .post(app.url("/api/staff/session"))
        .json(&json!({ "login": "zhangsan", "password": PASSWORD }))
        .send()
        .await
        .expect("the server answers 127.0.0.2");

    // Assert
    for (response, why) in [
        (right_password, "the right password"),
        (from_elsewhere, "another address"),
    ] {
        let wait = retry_after(&response).unwrap_or_default();
        assert!(
            (14 * 60..=15 * 60).contains(&wait),
            "{why}: Retry-After {wait}"
        );
        let body = assert_error(response, StatusCode::TOO_MANY_REQUESTS, why).await;
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains("登录失败次数过多"), "{why}: {message}");
        assert!(message.contains("约 15 分钟后"), "{why}: {message}");
    }
    assert_eq!(
        app.count_rows("staff_sessions").await,
        0,
        "no session started"
    );
}

#[tokio::test]
async fn an_unknown_login_is_locked_with_the_very_same_answer() {
    // Arrange
    let app = spawn_locking_after_five(Duration::from_secs(15 * 60)).await;
    fail_times(&app, "zhangsan", 5).await;
    fail_times(&app, "nobody", 5).await;

    // Act
    let real = app.log_in("zhangsan", "another-guess").await;
    let unknown = app.log_in("nobody", "another-guess").await;

    // Assert
    let (real_wait, unknown_wait) = (retry_after(&real), retry_after(&unknown));
    assert!(
        real_wait.is_some() && unknown_wait.is_some(),
        "{real_wait:?} {unknown_wait:?}"
    );
    let real = assert_error(real, StatusCode::TOO_MANY_REQUESTS, "a real account").await;
    let unknown = assert_error(unknown, StatusCode::TOO_MANY_REQUESTS, "no such account").await;
    assert_eq!(without_digits(&real), without_digits(&unknown));
}

#[tokio::test]
async fn a_successful_login_starts_the_count_of_failures_again() {
    // Arrange: four failures, a success, four failures.
    let app = spawn_locking_after_five(Duration::from_secs(15 * 60)).await;
    fail_times(&app, "zhangsan", 4).await;
    assert_eq!(
        app.log_in("zhangsan", PASSWORD).await.status(),
        StatusCode::OK
    );
    fail_times(&app, "zhangsan", 4).await;

    // Act
    let response = app.log_in("zhangsan", PASSWORD).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_locked_name_may_log_in_once_the_lock_has_run_out() {
    // Arrange
    let app = spawn_locking_after_five(Duration::from_secs(1)).await;
    fail_times(&app, "zhangsan", 5).await;
    let locked = app.log_in("zhangsan", PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&locked).unwrap_or_default();
    assert_eq!(wait, 1);

    // Act
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let response = app.log_in("zhangsan", PASSWORD).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
}
