//! Security headers on every kind of response, and a CSP that lets exactly index.html's inline script run.

use std::collections::BTreeMap;

use reqwest::{header, Method, Response, StatusCode};
use serde_json::json;
use tempfile::TempDir;

use crate::helpers::{spawn_app, spawn_app_with_frontend, valid_submission};

/// The inline script of the fixture's index.html, byte for byte as a browser hashes it.
const INLINE_SCRIPT: &str = "\nimport init from '/app-0123456789abcdef.js';\nawait init();\n";
/// Its hash, computed outside Rust: printf '%s' "$INLINE_SCRIPT" | openssl dgst -sha256 -binary | base64
const INLINE_SCRIPT_HASH: &str = "'sha256-92acNlhr400q5RfEmIijNUUZl95AFVHPe6jqRDrt2sE='";

/// A built frontend in miniature: index.html with one inline and one external script, and that script.
fn frontend() -> TempDir {
    let dist = tempfile::tempdir().expect("a temporary folder for the frontend");
    let index = format!(
        "<!DOCTYPE html>\n<html><head>\n<script type=\"module\">{INLINE_SCRIPT}</script>\n\
         <script src=\"/vendor.js\"></script>\n</head><body><h1>同心建言</h1></body></html>\n"
    );
    std::fs::write(dist.path().join("index.html"), index).expect("index.html is written");
    std::fs::write(
        dist.path().join("app-0123456789abcdef.js"),
        "export default () => {};",
    )
    .expect("the script is written");
    dist
}

/// The policy's directives: name → its sources.
fn directives(response: &Response) -> BTreeMap<String, Vec<String>> {
    let policy = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    policy
        .split(';')
        .filter_map(|directive| {
            let mut words = directive.split_whitespace().map(str::to_owned);
            Some((words.next()?, words.collect()))
        })
        .collect()
}

/// Checks the three fixed headers and the CSP's fixed directives, and returns the script sources.
fn assert_security_headers(response: &Response, why: &str) -> Vec<String> {
    let headers = response.headers();
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, expected) in fixed {
        let values: Vec<_> = headers.get_all(&name).iter().collect();
        assert_eq!(values, [expected], "{why}: {name} once");
    }
    assert_eq!(
        headers
            .get_all(header::CONTENT_SECURITY_POLICY)
            .iter()
            .count(),
        1,
        "{why}: one policy"
    );
    let directives = directives(response);
    let expected: [(&str, &[&str]); 10] = [
        ("default-src", &["'self'"]),
        ("style-src", &["'self'"]),
        ("img-src", &["'self'", "data:"]),
        ("connect-src", &["'self'"]),
        ("manifest-src", &["'self'"]),
        ("worker-src", &["'self'"]),
        ("object-src", &["'none'"]),
        ("base-uri", &["'none'"]),
        ("form-action", &["'self'"]),
        ("frame-ancestors", &["'none'"]),
    ];
    for (name, sources) in expected {
        assert_eq!(
            directives.get(name).map(Vec::as_slice),
            Some(
                sources
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .as_slice()
            ),
            "{why}: {name}"
        );
    }
    let script_src = directives
        .get("script-src")
        .unwrap_or_else(|| panic!("{why}: a script-src directive"))
        .clone();
    assert_eq!(
        script_src[..2],
        ["'self'", "'wasm-unsafe-eval'"],
        "{why}: script-src"
    );
    for forbidden in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "https:"] {
        assert!(
            !script_src.iter().any(|source| source == forbidden),
            "{why}: script-src allows {forbidden}"
        );
    }
    script_src
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    // Arrange
    let dist = frontend();
    let app = spawn_app_with_frontend(dist.path()).await;
    let bad_json = app.post_raw("{\"title\": ", Some("application/json")).await;
    let invalid = app.post_submission(&json!({ "kind": "suggestion" })).await;
    let created = app.post_submission(&valid_submission()).await;
    let wrong_method = app
        .client
        .request(Method::DELETE, app.url("/api/units"))
        .send()
        .await
        .expect("the server answers DELETE");
    let cases = [
        (app.get("/api/units").await, StatusCode::OK, "API JSON"),
        (app.get("/api/health").await, StatusCode::OK, "health"),
        (app.get("/").await, StatusCode::OK, "index.html"),
        (
            app.get("/track/JY-2026-000001").await,
            StatusCode::OK,
            "a client route falling back to index.html",
        ),
        (
            app.get("/app-0123456789abcdef.js").await,
            StatusCode::OK,
            "a static file",
        ),
        (created, StatusCode::CREATED, "a stored submission"),
        (bad_json, StatusCode::BAD_REQUEST, "400"),
        (invalid, StatusCode::UNPROCESSABLE_ENTITY, "422"),
        (
            app.get("/api/nope").await,
            StatusCode::NOT_FOUND,
            "unknown API path",
        ),
        (wrong_method, StatusCode::METHOD_NOT_ALLOWED, "405"),
        (
            app.get("/api/submissions/JY-2026-000001").await,
            StatusCode::UNAUTHORIZED,
            "401",
        ),
    ];
    for (response, status, why) in cases {
        // Act (above) and Assert
        assert_eq!(response.status(), status, "{why}");
        let script_src = assert_security_headers(&response, why);
        assert_eq!(
            script_src,
            ["'self'", "'wasm-unsafe-eval'", INLINE_SCRIPT_HASH],
            "{why}: the inline script by its hash, and nothing else inline"
        );
    }
}

#[tokio::test]
async fn compressed_answers_carry_the_headers_too() {
    // Arrange
    let dist = frontend();
    let app = spawn_app_with_frontend(dist.path()).await;

    // Act
    let response = app
        .client
        .get(app.url("/api/openapi.json"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .expect("the server answers");

    // Assert
    assert_eq!(
        response
            .headers()
            .get(header::CONTENT_ENCODING)
            .map(|v| v.as_bytes()),
        Some(&b"gzip"[..]),
        "the document is large enough to be compressed"
    );
    assert_security_headers(&response, "a gzip answer");
}

#[tokio::test]
async fn without_a_frontend_no_inline_script_is_allowed() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = app.get("/api/units").await;

    // Assert
    let script_src = assert_security_headers(&response, "API only");
    assert_eq!(script_src, ["'self'", "'wasm-unsafe-eval'"]);
}

#[tokio::test]
async fn a_frontend_folder_without_index_html_still_serves_the_api_with_a_strict_policy() {
    // Arrange
    let empty = tempfile::tempdir().expect("a temporary folder");
    let app = spawn_app_with_frontend(empty.path()).await;

    // Act
    let response = app.get("/api/units").await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let script_src = assert_security_headers(&response, "no index.html");
    assert_eq!(script_src, ["'self'", "'wasm-unsafe-eval'"]);
}
