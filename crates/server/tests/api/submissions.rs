use api::{SubmissionCreated, TrackingCode, Unit};
use reqwest::StatusCode;
use serde_json::{json, Value};
use time::{format_description::well_known::Rfc3339, macros::offset, OffsetDateTime};

use crate::helpers::{
    is_secret, is_tracking_code, spawn_app, valid_submission, with, StoredSubmission,
};

/// The id of the unit with this name, as the server lists it.
async fn unit_id(app: &crate::helpers::TestApp, name: &str) -> i64 {
    let units: Vec<Unit> = app.get_units().await.json().await.expect("a list of units");
    units
        .into_iter()
        .find(|unit| unit.name == name)
        .unwrap_or_else(|| panic!("{name} is a seeded unit"))
        .id
        .0
}

#[tokio::test]
async fn a_valid_submission_returns_201_with_a_code_a_secret_and_the_time_in_china() {
    // Arrange
    let app = spawn_app().await;
    let before = OffsetDateTime::now_utc();

    // Act
    let response = app.post_submission(&valid_submission()).await;

    // Assert
    assert_eq!(response.status(), StatusCode::CREATED);
    let receipt: Value = response.json().await.expect("a JSON receipt");
    let code = receipt["code"].as_str().expect("a code");
    let secret = receipt["secret"].as_str().expect("a secret");
    let submitted_at = receipt["submitted_at"].as_str().expect("a time");
    assert!(
        is_tracking_code(code),
        "code {code:?} looks like JY-2026-000001"
    );
    assert!(
        code.ends_with("-000001"),
        "the first submission is number 1: {code}"
    );
    assert!(is_secret(secret), "secret {secret:?} is 32 lowercase hex");
    assert_eq!(receipt["status"], "submitted");
    assert!(
        submitted_at.ends_with("+08:00"),
        "China time: {submitted_at}"
    );
    let at = OffsetDateTime::parse(submitted_at, &Rfc3339).expect("RFC 3339");
    assert_eq!(at.offset(), offset!(+8));
    let elapsed = at - before.replace_nanosecond(0).expect("valid");
    assert!(
        elapsed.whole_seconds() >= 0 && elapsed.whole_seconds() < 60,
        "stored now, not {elapsed} later"
    );
    assert_eq!(
        &code[3..7],
        at.year().to_string(),
        "the code carries the year of receipt"
    );
    let keys: Vec<&str> = receipt
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys.len(),
        4,
        "only code, secret, status, submitted_at: {receipt}"
    );
}

#[tokio::test]
async fn the_submitter_reads_their_submission_back_with_its_secret() {
    // Arrange
    let app = spawn_app().await;
    let unit = unit_id(&app, "中原区工商联").await;
    let submission = with(valid_submission(), "unit_id", json!(unit));
    let receipt = app.create_submission(&submission).await;

    // Act
    let response = app.get_submission(&receipt.code, &receipt.secret).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let view: Value = response.json().await.expect("JSON");
    assert_eq!(
        view,
        json!({
            "code": receipt.code,
            "kind": "suggestion",
            "title": "关于加强老旧小区加装电梯的建议",
            "unit": "中原区工商联",
            "status": "submitted",
            "submitted_at": receipt.submitted_at,
            "timeline": [
                {
                    "kind": "status",
                    "status": "submitted",
                    "at": receipt.submitted_at,
                    "note": null,
                    "merged_into": null
                }
            ],
            "merged_into": null,
            "can_rate": false,
            "can_resubmit": false,
            "returned_text": null
        })
    );
}

#[tokio::test]
async fn each_kind_of_submission_is_stored_and_returned_as_sent() {
    let kinds = [
        ("suggestion", "意见建议"),
        ("research_report", "调研成果"),
        ("public_opinion", "社情民意"),
    ];
    for (kind, why) in kinds {
        // Arrange
        let app = spawn_app().await;

        // Act
        let receipt = app
            .create_submission(&with(valid_submission(), "kind", json!(kind)))
            .await;

        // Assert
        let view: Value = app
            .get_submission(&receipt.code, &receipt.secret)
            .await
            .json()
            .await
            .expect("JSON");
        assert_eq!(view["kind"], kind, "{why}");
        assert_eq!(app.stored(&receipt.code).await.kind, kind, "{why}");
    }
}

#[tokio::test]
async fn text_is_stored_trimmed_with_the_phone_normalised_and_blank_cosigners_dropped() {
    // Arrange
    let app = spawn_app().await;
    let body = "我区老旧小区多建于上世纪九十年代，没有电梯。\n\n建议统筹财政补贴，简化审批流程。";
    let submission = json!({
        "kind": "research_report",
        "title": "\u{3000} 关于加强老旧小区加装电梯的建议 \t",
        "body": format!("\n\n  {body}  \n"),
        "unit_id": 2,
        "name": "  王建国 ",
        "phone": "+86 138-1234-5678",
        "cosigners": ["李红", "   ", "", " 张伟 "]
    });

    // Act
    let receipt = app.create_submission(&submission).await;

    // Assert
    let stored = app.stored(&receipt.code).await;
    assert_eq!(
        stored,
        StoredSubmission {
            kind: "research_report".into(),
            title: "关于加强老旧小区加装电梯的建议".into(),
            body: body.into(),
            unit_id: 2,
            name: "王建国".into(),
            phone: "13812345678".into(),
            cosigners: vec!["李红".into(), "张伟".into()],
        }
    );
    let view: Value = app
        .get_submission(&receipt.code, &receipt.secret)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(view["title"], "关于加强老旧小区加装电梯的建议");
}

#[tokio::test]
async fn a_tracking_code_is_found_however_the_member_types_its_case_and_the_bearer_word() {
    // Arrange
    let app = spawn_app().await;
    let receipt = app.create_submission(&valid_submission()).await;
    let lower = receipt.code.to_lowercase();
    let cases = [
        (
            lower.as_str(),
            format!("Bearer {}", receipt.secret),
            "lower-case code",
        ),
        (
            receipt.code.as_str(),
            format!("bearer {}", receipt.secret),
            "lower-case scheme",
        ),
        (
            receipt.code.as_str(),
            format!("BEARER  {} ", receipt.secret),
            "upper-case scheme, extra spaces",
        ),
    ];
    for (code, authorization, why) in cases {
        // Act
        let response = app
            .get_submission_with_authorization(code, Some(&authorization))
            .await;

        // Assert
        assert_eq!(response.status(), StatusCode::OK, "{why}");
        let view: Value = response.json().await.expect("JSON");
        assert_eq!(
            view["code"],
            receipt.code.as_str(),
            "{why}: the code comes back as issued"
        );
    }
}

#[tokio::test]
async fn codes_count_up_and_every_submission_gets_its_own_secret() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let first = app.create_submission(&valid_submission()).await;
    let second = app.create_submission(&valid_submission()).await;

    // Assert
    let number = |receipt: &SubmissionCreated| {
        TrackingCode::parse(&receipt.code)
            .expect("a valid code")
            .number()
    };
    assert_eq!((number(&first), number(&second)), (1, 2));
    assert_ne!(first.secret, second.secret);
    let view: Value = app
        .get_submission(&second.code, &second.secret)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        view["code"],
        second.code.as_str(),
        "each secret opens its own submission"
    );
}

#[tokio::test]
async fn emoji_and_markup_in_the_title_are_stored_verbatim_and_returned_as_json_text() {
    // Arrange
    let app = spawn_app().await;
    let title = "关于<script>alert('x')</script>&amp;\"加装电梯\"的建议😀🏠";
    let body = "正文里也有 <b>标记</b> 和 emoji 👍🏻，还有反斜杠 \\ 与引号 \"，都应原样保存。";
    let submission = with(
        with(valid_submission(), "title", json!(title)),
        "body",
        json!(body),
    );

    // Act
    let receipt = app.create_submission(&submission).await;
    let response = app.get_submission(&receipt.code, &receipt.secret).await;

    // Assert
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        content_type, "application/json",
        "returned as data, not as a page"
    );
    let view: Value = response.json().await.expect("JSON");
    assert_eq!(view["title"], title);
    let stored = app.stored(&receipt.code).await;
    assert_eq!((stored.title.as_str(), stored.body.as_str()), (title, body));
}
