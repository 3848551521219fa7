//! What a request may cost the server: any body inside the size limit is answered quickly, however it is
//! built to make validation slow.

use std::time::{Duration, Instant};

use jianyan_server::routes::MAX_BODY_BYTES;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_error, field_names, spawn_app, valid_submission};

/// A valid submission whose co-signers are as many distinct short names as fit under the size limit:
/// every one-letter name there is, then two-letter ones. Checked for repeats pair by pair, this was
/// quadratic in the number of names.
fn hostile_submission() -> Value {
    let letters: Vec<char> = ('\u{c0}'..='\u{9fff}')
        .filter(|c| c.is_alphabetic())
        .collect();
    let mut submission = valid_submission();
    let mut names = Vec::new();
    // `"x",` is the name's UTF-8 bytes and three more; stop a margin below the limit.
    let mut size = submission.to_string().len();
    let budget = MAX_BODY_BYTES - 1024;
    let singles = letters.iter().map(|c| c.to_string());
    let pairs = letters
        .iter()
        .flat_map(|a| letters.iter().map(move |b| format!("{a}{b}")));
    for name in singles.chain(pairs) {
        size += name.len() + 3;
        if size > budget {
            break;
        }
        names.push(name);
    }
    submission["cosigners"] = json!(names);
    submission
}

#[tokio::test]
async fn the_costliest_body_inside_the_size_limit_is_refused_at_once() {
    // Arrange
    let app = spawn_app().await;
    let submission = hostile_submission();
    let body = submission.to_string();
    assert!(
        body.len() <= MAX_BODY_BYTES,
        "inside the limit: {}",
        body.len()
    );
    assert!(
        body.len() > MAX_BODY_BYTES - 2048,
        "close to the limit: {}",
        body.len()
    );
    let names = submission["cosigners"].as_array().map_or(0, Vec::len);
    assert!(names > 20_000, "{names} co-signers");

    // Act
    let started = Instant::now();
    let response = app.post_raw(body, Some("application/json")).await;
    let elapsed = started.elapsed();

    // Assert: a generous bound for a debug build; `make bench` measures the release server.
    let error = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "hostile body").await;
    assert_eq!(field_names(&error), ["cosigners"]);
    assert!(
        elapsed < Duration::from_secs(1),
        "answered in {elapsed:?} for {names} co-signers"
    );
}
