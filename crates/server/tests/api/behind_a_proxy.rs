//! Behind a reverse proxy: the client's address comes from `X-Forwarded-For` / `Forwarded`, but only
//! when the connection comes from a proxy named by `--trusted-proxy`; rate limits count by that address.

use std::num::NonZeroU32;

use jianyan_server::{
    client_addr::{parse_trusted_proxy, TrustedProxies},
    rate_limit::{Limits, RateLimit},
    Options,
};
use reqwest::{Response, StatusCode};

use crate::helpers::{spawn_app_with, valid_submission, Setup, TestApp};

/// Two submissions in a row per client, then one a minute.
fn two_in_a_row() -> Limits {
    Limits {
        submit: Some(RateLimit {
            per_minute: NonZeroU32::MIN,
            burst: NonZeroU32::new(2).expect("not zero"),
        }),
        login: None,
        join: None,
        lockout: None,
    }
}

/// A server whose peers (the tests connect from 127.0.0.1) are in `trusted`, or not.
async fn spawn_trusting(trusted: &[&str]) -> TestApp {
    let networks = trusted
        .iter()
        .map(|text| parse_trusted_proxy(text).expect("a test network"))
        .collect();
    spawn_app_with(Setup {
        options: Options {
            limits: two_in_a_row(),
            trusted_proxies: TrustedProxies::new(networks),
            ..Options::default()
        },
        connect_info: true,
    })
    .await
}

/// `POST /api/submissions` with one extra header.
async fn submit_with(app: &TestApp, header: &str, value: &str) -> Response {
    app.client
        .post(app.url("/api/submissions"))
        .header(header, value)
        .json(&valid_submission())
        .send()
        .await
        .expect("the server answers POST /api/submissions")
}

#[tokio::test]
async fn a_forwarded_for_header_from_an_untrusted_peer_is_ignored_and_the_limit_hits_the_peer() {
    // Arrange: only 10.0.0.0/8 is a proxy; the test client connects from 127.0.0.1.
    let app = spawn_trusting(&["10.0.0.0/8"]).await;
    let spoofed = ["198.51.100.1", "198.51.100.2", "198.51.100.3"];

    // Act: a new made-up address on every request.
    let mut statuses = Vec::new();
    for address in spoofed {
        statuses.push(submit_with(&app, "x-forwarded-for", address).await.status());
    }
    let forwarded = submit_with(&app, "forwarded", "for=198.51.100.4").await;

    // Assert
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    assert_eq!(forwarded.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget() {
    // Arrange: the test client plays the proxy at 127.0.0.1.
    let app = spawn_trusting(&["127.0.0.1"]).await;
    // What a client wrote itself stands left of what the proxy appended: only the right-most counts.
    let first = ["203.0.113.1", "6.6.6.6, 203.0.113.1"];
    let second = "203.0.113.2";

    // Act
    let mut first_statuses = Vec::new();
    for value in first {
        first_statuses.push(submit_with(&app, "x-forwarded-for", value).await.status());
    }
    let first_over = submit_with(&app, "x-forwarded-for", "7.7.7.7, 203.0.113.1").await;
    let second_status = submit_with(&app, "x-forwarded-for", second).await.status();

    // Assert
    assert_eq!(first_statuses, [StatusCode::CREATED; 2]);
    assert_eq!(
        first_over.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "203.0.113.1 has used its two, whatever it writes on the left"
    );
    assert_eq!(
        second_status,
        StatusCode::CREATED,
        "203.0.113.2 has its own"
    );
}

#[tokio::test]
async fn a_forwarded_header_with_a_bracketed_ipv6_address_and_port_names_the_client() {
    // Arrange
    let app = spawn_trusting(&["127.0.0.0/8"]).await;
    let client = "for=\"[2001:db8::1]:4711\"";

    // Act: the same client from another port, then another client.
    let mut statuses = Vec::new();
    for value in [client, client, "for=\"[2001:db8::1]:4712\";proto=https"] {
        statuses.push(submit_with(&app, "forwarded", value).await.status());
    }
    let other = submit_with(&app, "forwarded", "for=198.51.100.7")
        .await
        .status();

    // Assert
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    assert_eq!(other, StatusCode::CREATED);
}
