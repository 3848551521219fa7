//! Every way a client can get a request wrong: each answer is a 4xx in the `ErrorBody` shape, never a 5xx.

use api::{validation::FIX_FIELDS_MESSAGE, CreateSubmission, NewSubmission};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, field_names, spawn_app, valid_submission, with, without, TestApp,
};

/// What the shared rules in `api` say about `request`, if it is a well-typed `CreateSubmission`.
fn rule_messages(request: &Value) -> Option<Value> {
    let request: CreateSubmission = serde_json::from_value(request.clone()).ok()?;
    let errors = NewSubmission::parse(&request).err()?;
    Some(json!(errors))
}

#[tokio::test]
async fn each_invalid_field_returns_422_naming_that_field_with_the_shared_rules_message() {
    let cosigners_21: Vec<String> = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何"
        .chars()
        .map(|surname| format!("{surname}明"))
        .collect();
    // (field, its new value or None to leave it out, why); only that field may be named in the answer.
    let cases: [(&str, Option<Value>, &str); 27] = [
        ("title", Some(json!("")), "empty title"),
        ("title", Some(json!(" \u{3000} ")), "blank title"),
        ("title", Some(json!("加装电梯")), "title of 4 characters"),
        (
            "title",
            Some(json!("字".repeat(61))),
            "title of 61 characters",
        ),
        (
            "title",
            Some(json!("关于加装电梯\n的建议")),
            "title on two lines",
        ),
        ("title", None, "missing title"),
        ("title", Some(json!(12345)), "title as a number"),
        (
            "body",
            Some(json!("字".repeat(19))),
            "body of 19 characters",
        ),
        (
            "body",
            Some(json!("字".repeat(20_001))),
            "body of 20,001 characters",
        ),
        ("phone", Some(json!("12345")), "phone of 5 digits"),
        ("phone", Some(json!("12812345678")), "phone starting 12"),
        ("phone", Some(json!("1381234567x")), "phone with a letter"),
        ("phone", Some(json!("")), "empty phone"),
        ("name", Some(json!("")), "empty name"),
        ("name", Some(json!("王建国2")), "name with a digit"),
        (
            "name",
            Some(json!("王".repeat(21))),
            "name of 21 characters",
        ),
        ("unit_id", None, "missing unit_id"),
        ("unit_id", Some(Value::Null), "null unit_id"),
        ("unit_id", Some(json!("1")), "unit_id as a string"),
        (
            "cosigners",
            Some(json!(["李红", "李红"])),
            "duplicate cosigners",
        ),
        (
            "cosigners",
            Some(json!(["李红", " 李红 "])),
            "duplicates after trimming",
        ),
        (
            "cosigners",
            Some(json!(["李红!"])),
            "a cosigner with a symbol",
        ),
        ("cosigners", Some(json!(cosigners_21)), "21 cosigners"),
        ("cosigners", Some(json!("李红")), "cosigners as a string"),
        (
            "cosigners",
            Some(json!(["李红", 7])),
            "a cosigner that is a number",
        ),
        ("kind", Some(json!("poem")), "unknown kind"),
        ("kind", Some(json!("Suggestion")), "kind in the wrong case"),
    ];
    // Arrange
    let app = spawn_app().await;
    for (field, value, why) in cases {
        let request = match value {
            Some(value) => with(valid_submission(), field, value),
            None => without(valid_submission(), field),
        };

        // Act
        let response = app.post_submission(&request).await;

        // Assert
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, why).await;
        assert_eq!(
            field_names(&body),
            [field],
            "{why}: only {field} is named: {body}"
        );
        if let Some(expected) = rule_messages(&request) {
            assert_eq!(body["message"], FIX_FIELDS_MESSAGE, "{why}");
            assert_eq!(
                body["fields"], expected,
                "{why}: the browser's rules say the same"
            );
        }
    }
    assert_eq!(
        app.count_rows("submissions").await,
        0,
        "nothing invalid is stored"
    );
}

#[tokio::test]
async fn an_empty_form_returns_422_naming_every_required_field_at_once() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = app.post_submission(&json!({ "kind": "suggestion" })).await;

    // Assert
    let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "empty form").await;
    assert_eq!(
        field_names(&body),
        ["body", "name", "phone", "title", "unit_id"]
    );
    assert_eq!(body["fields"]["title"], "请填写案由（标题）");
    assert_eq!(body["fields"]["unit_id"], "请选择所在单位");
}

#[tokio::test]
async fn a_submission_without_a_kind_is_not_blamed_on_the_body_field() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = app
        .post_submission(&without(valid_submission(), "kind"))
        .await;

    // Assert
    let status = response.status();
    assert!(
        status.is_client_error(),
        "a missing kind is the client's mistake, got {status}"
    );
    let body = assert_error(response, status, "missing kind").await;
    assert_eq!(
        field_names(&body),
        ["kind"],
        "the form shows the message beside 类别, not beside 正文: {body}"
    );
}

#[tokio::test]
async fn a_kind_of_the_wrong_json_type_returns_422_naming_kind() {
    let cases = [
        (json!(1), "a number"),
        (Value::Null, "null"),
        (json!(true), "a boolean"),
        (json!(["suggestion"]), "an array"),
        (json!({}), "an empty object"),
    ];
    // Arrange
    let app = spawn_app().await;
    for (kind, why) in cases {
        // Act
        let response = app
            .post_submission(&with(valid_submission(), "kind", kind))
            .await;

        // Assert: the JSON is valid, one value has the wrong type, as with `"title": 12345`.
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, why).await;
        assert_eq!(field_names(&body), ["kind"], "{why}: {body}");
    }
}

#[tokio::test]
async fn a_unit_id_that_names_no_unit_returns_422_naming_unit_id() {
    let cases = [
        (json!(9999), "a unit that does not exist"),
        (json!(0), "zero"),
        (json!(-1), "negative"),
        (json!(i64::MAX), "the largest 64-bit integer"),
        (json!(i64::MIN), "the smallest 64-bit integer"),
        (json!(u64::MAX), "beyond 64-bit signed"),
        (json!(1e300), "a huge float"),
        (json!(1.5), "a fraction"),
    ];
    // Arrange
    let app = spawn_app().await;
    for (unit_id, why) in cases {
        // Act
        let response = app
            .post_submission(&with(valid_submission(), "unit_id", unit_id))
            .await;

        // Assert
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, why).await;
        assert_eq!(field_names(&body), ["unit_id"], "{why}: {body}");
    }
    assert_eq!(app.count_rows("submissions").await, 0);
}

#[tokio::test]
async fn malformed_json_returns_400() {
    let valid = valid_submission().to_string();
    let cases: [(&[u8], &str); 8] = [
        (b"", "an empty body"),
        (b"{\"title\": ", "cut off mid-object"),
        (b"{title: 1}", "unquoted key"),
        (b"not json at all", "plain text"),
        (b"{\"title\": \"a\",}", "trailing comma"),
        (b"{\"title\": \"\xff\xfe\"}", "invalid UTF-8 in a string"),
        (b"{\"title\": \"\\ud800\"}", "a lone surrogate escape"),
        (b"{\"unit_id\": 1e400}", "a number out of range"),
    ];
    // Arrange
    let app = spawn_app().await;
    let trailing = format!("{valid} {valid}");
    for (bytes, why) in cases
        .into_iter()
        .chain([(trailing.as_bytes(), "two documents in one body")])
    {
        // Act
        let response = app.post_raw(bytes.to_vec(), Some("application/json")).await;

        // Assert
        let body = assert_error(response, StatusCode::BAD_REQUEST, why).await;
        assert_eq!(field_names(&body), Vec::<String>::new(), "{why}");
    }
    assert_eq!(app.count_rows("submissions").await, 0);
}

#[tokio::test]
async fn a_body_that_is_not_json_by_content_type_returns_400() {
    let cases = [
        (None, "no Content-Type"),
        (Some("text/plain"), "text/plain"),
        (Some("text/plain; charset=utf-8"), "text/plain with charset"),
        (Some("application/x-www-form-urlencoded"), "a form"),
        (Some("multipart/form-data; boundary=x"), "multipart"),
        (Some("application/jsonx"), "a look-alike"),
    ];
    // Arrange
    let app = spawn_app().await;
    let json = valid_submission().to_string();
    for (content_type, why) in cases {
        // Act
        let response = app.post_raw(json.clone(), content_type).await;

        // Assert
        let body = assert_error(response, StatusCode::BAD_REQUEST, why).await;
        let message = body["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("JSON"),
            "{why}: says JSON is expected: {message}"
        );
    }
    assert_eq!(app.count_rows("submissions").await, 0);
}

#[tokio::test]
async fn json_content_types_with_parameters_or_in_other_case_are_accepted() {
    let cases = [
        "application/json; charset=utf-8",
        "Application/JSON",
        "application/vnd.jianyan+json",
    ];
    // Arrange
    let app = spawn_app().await;
    let json = valid_submission().to_string();
    for content_type in cases {
        // Act
        let response = app.post_raw(json.clone(), Some(content_type)).await;

        // Assert
        assert_eq!(response.status(), StatusCode::CREATED, "{content_type}");
    }
    assert_eq!(app.count_rows("submissions").await, 3);
}

#[tokio::test]
async fn a_body_over_256_kib_returns_413_and_one_just_under_is_read() {
    // Arrange
    let app = spawn_app().await;
    let over = with(valid_submission(), "body", json!("字".repeat(100_000)));
    let under = with(valid_submission(), "body", json!("a".repeat(250_000)));
    assert!(over.to_string().len() > 256 * 1024 && under.to_string().len() < 256 * 1024);

    // Act
    let too_large = app.post_submission(&over).await;
    let read = app.post_submission(&under).await;

    // Assert
    assert_error(too_large, StatusCode::PAYLOAD_TOO_LARGE, "over 256 KiB").await;
    let body = assert_error(read, StatusCode::UNPROCESSABLE_ENTITY, "under 256 KiB").await;
    assert_eq!(
        field_names(&body),
        ["body"],
        "read, then refused for its length"
    );
    assert_eq!(app.count_rows("submissions").await, 0);
}

/// The one answer for every code that cannot be shown: no such code, wrong secret, garbage.
async fn not_found_body(app: &TestApp, code: &str, secret: &str, why: &str) -> Value {
    let response = app.get_submission(code, secret).await;
    let body = assert_error(response, StatusCode::NOT_FOUND, why).await;
    assert_eq!(field_names(&body), Vec::<String>::new(), "{why}");
    body
}

#[tokio::test]
async fn a_wrong_secret_returns_404_and_reveals_nothing() {
    // Arrange
    let app = spawn_app().await;
    let mine = app.create_submission(&valid_submission()).await;
    let other = app.create_submission(&valid_submission()).await;
    let mut flipped = mine.secret.clone();
    let last = if flipped.ends_with('0') { "1" } else { "0" };
    flipped.replace_range(31.., last);
    let cases = [
        (other.secret.as_str(), "another submission's secret"),
        (flipped.as_str(), "one character off"),
        (&mine.secret[..31], "one character short"),
        ("00000000000000000000000000000000", "all zeros"),
        ("not-a-secret", "not hex at all"),
    ];
    for (secret, why) in cases {
        // Act
        let body = not_found_body(&app, &mine.code, secret, why).await;

        // Assert
        let text = body.to_string();
        assert!(
            !text.contains(&mine.code) && !text.contains("老旧小区"),
            "{why}: {text}"
        );
    }
}

#[tokio::test]
async fn an_unknown_code_returns_exactly_the_same_404_as_a_wrong_secret() {
    // Arrange
    let app = spawn_app().await;
    let receipt = app.create_submission(&valid_submission()).await;
    let year = &receipt.code[3..7];
    let unknown = format!("JY-{year}-000999");

    // Act
    let wrong_secret =
        not_found_body(&app, &receipt.code, "0".repeat(32).as_str(), "wrong secret").await;
    let unknown_code = not_found_body(&app, &unknown, &receipt.secret, "unknown code").await;

    // Assert
    assert_eq!(unknown_code, wrong_secret, "codes cannot be probed");
}

#[tokio::test]
async fn a_garbage_code_returns_the_same_404_as_an_unknown_one() {
    // Arrange
    let app = spawn_app().await;
    let receipt = app.create_submission(&valid_submission()).await;
    let year: i32 = receipt.code[3..7].parse().expect("a year");
    let last_year = format!("JY-{}-{}", year - 1, &receipt.code[8..]);
    let expected = not_found_body(&app, "JY-2000-000999", &receipt.secret, "unknown").await;
    let cases = [
        ("garbage", "a word"),
        ("JY-2026", "no number"),
        ("JY-2026-000000", "number zero"),
        ("JY-26-000001", "two-digit year"),
        ("JY-2026-99999999999999999999", "a number beyond 64 bits"),
        ("JY-2026-000001-1", "an extra part"),
        ("回执编号", "Chinese text"),
        ("JY-2026-%00", "a NUL byte"),
        (last_year.as_str(), "the right number under another year"),
    ];
    for (code, why) in cases {
        // Act
        let response = app.get_submission(code, &receipt.secret).await;

        // Assert
        let body = assert_error(response, StatusCode::NOT_FOUND, why).await;
        assert_eq!(body, expected, "{why}: the same answer as an unknown code");
    }
}

#[tokio::test]
async fn a_code_that_is_not_utf8_returns_the_same_404_as_an_unknown_one() {
    // Arrange
    let app = spawn_app().await;
    let receipt = app.create_submission(&valid_submission()).await;
    let expected = not_found_body(&app, "JY-2000-000999", &receipt.secret, "unknown").await;

    // Act
    let response = app.get_submission("JY-%FF%FE", &receipt.secret).await;

    // Assert
    let body = assert_error(response, StatusCode::NOT_FOUND, "%FF%FE in the path").await;
    assert_eq!(body, expected);
}

#[tokio::test]
async fn looking_up_without_a_bearer_secret_returns_401() {
    // Arrange
    let app = spawn_app().await;
    let receipt = app.create_submission(&valid_submission()).await;
    let basic = format!("Basic {}", receipt.secret);
    let token = format!("Token {}", receipt.secret);
    let cases = [
        (None, "no Authorization header"),
        (Some("Bearer"), "the word alone"),
        (Some("Bearer    "), "the word and spaces"),
        (Some(receipt.secret.as_str()), "the secret without a scheme"),
        (Some(basic.as_str()), "the Basic scheme"),
        (Some(token.as_str()), "another scheme"),
    ];
    for (authorization, why) in cases {
        // Act
        let response = app
            .get_submission_with_authorization(&receipt.code, authorization)
            .await;

        // Assert
        let body = assert_error(response, StatusCode::UNAUTHORIZED, why).await;
        assert!(!body.to_string().contains("老旧小区"), "{why}");
    }
}

#[tokio::test]
async fn an_unknown_api_path_returns_404_as_json() {
    let cases = [
        "/api/nope",
        "/api/unit",
        "/api/units/1",
        "/api/submissions/JY-2026-000001/timeline",
        "/api",
        "/api//",
    ];
    // Arrange
    let app = spawn_app().await;
    for path in cases {
        // Act
        let response = app.get(path).await;

        // Assert
        assert_error(response, StatusCode::NOT_FOUND, path).await;
    }
}

#[tokio::test]
async fn the_api_prefix_with_a_trailing_slash_returns_404_as_json() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = app.get("/api/").await;

    // Assert
    assert_error(response, StatusCode::NOT_FOUND, "/api/").await;
}

#[tokio::test]
async fn the_wrong_method_on_an_api_route_returns_405_as_json() {
    let cases = [
        (Method::DELETE, "/api/units"),
        (Method::GET, "/api/submissions"),
        (Method::PATCH, "/api/submissions/JY-2026-000001"),
    ];
    // Arrange
    let app = spawn_app().await;
    for (method, path) in cases {
        let why = format!("{method} {path}");
        // Act
        let response = app
            .client
            .request(method, app.url(path))
            .send()
            .await
            .expect("the server answers");

        // Assert
        assert_error(response, StatusCode::METHOD_NOT_ALLOWED, &why).await;
    }
}

#[tokio::test]
async fn nothing_a_client_sends_makes_the_server_fail_with_a_5xx() {
    let valid = valid_submission();
    let patch = |field: &str, value: Value| with(valid.clone(), field, value).to_string();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let many_cosigners = vec!["李红"; 10_000];
    let huge_negative = r#"{"kind":"suggestion","unit_id":-99999999999999999999}"#;
    let repeated_key = r#"{"kind":"suggestion","title":"甲乙丙丁戊","title":"己庚辛壬癸"}"#;
    // (the request body, whether it is stored, why)
    let cases: Vec<(String, bool, &str)> = vec![
        ("[]".into(), false, "an empty JSON array"),
        ("[1, 2, 3]".into(), false, "an array of numbers"),
        ("null".into(), false, "null"),
        ("\"一段文字\"".into(), false, "a string"),
        ("12".into(), false, "a number"),
        ("{}".into(), false, "an empty object"),
        (patch("kind", Value::Null), false, "null kind"),
        (patch("title", Value::Null), false, "null title"),
        (patch("body", Value::Null), false, "null body"),
        (patch("name", Value::Null), false, "null name"),
        (patch("phone", Value::Null), false, "null phone"),
        (patch("cosigners", Value::Null), false, "null cosigners"),
        (patch("cosigners", json!([null])), false, "a null cosigner"),
        (patch("unit_id", json!(1e20)), false, "a huge unit_id"),
        (huge_negative.into(), false, "a huge negative unit_id"),
        (
            patch("unit_id", json!({ "id": 1 })),
            false,
            "unit_id as an object",
        ),
        (
            patch("title", json!("字".repeat(100_000))),
            false,
            "a 100,000-character title",
        ),
        (
            patch("cosigners", json!(many_cosigners)),
            false,
            "10,000 cosigners",
        ),
        (repeated_key.into(), false, "a repeated key"),
        (deep, false, "arrays nested 100,000 deep"),
        (format!("\u{feff}{valid}"), false, "a byte-order mark"),
        (
            patch("extra", json!({ "a": [1, 2] })),
            true,
            "an unknown extra field is ignored",
        ),
    ];
    // Arrange
    let app = spawn_app().await;
    for (body, stored, why) in cases {
        let rows_before = app.count_rows("submissions").await;

        // Act
        let response = app.post_raw(body, Some("application/json")).await;

        // Assert
        let status = response.status();
        if stored {
            assert_eq!(status, StatusCode::CREATED, "{why}");
        } else {
            assert!(status.is_client_error(), "{why}: a 4xx, got {status}");
            assert_error(response, status, why).await;
        }
        let rows_after = app.count_rows("submissions").await;
        assert_eq!(
            rows_after - rows_before,
            i64::from(stored),
            "{why}: rows stored"
        );
    }
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_not_blamed_on_the_body_field() {
    let cases = ["[]", "null", "\"一段文字\"", "12"];
    // Arrange
    let app = spawn_app().await;
    for json in cases {
        // Act
        let response = app.post_raw(json, Some("application/json")).await;

        // Assert
        let status = response.status();
        assert!(status.is_client_error(), "{json}: got {status}");
        let body = assert_error(response, status, json).await;
        assert!(
            !field_names(&body).contains(&"body".to_owned()),
            "{json}: `body` is the 正文 field, the form would show this message under it: {body}"
        );
    }
}
