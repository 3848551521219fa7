//! The member's side of the workflow: the public timeline, rating a reply once (不满意 reopens it), and
//! sending a returned submission again under the same code and secret.

use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::{
    desk::{accept, assign, reply, return_for_revision, start_handling, Desk},
    helpers::{assert_error, valid_submission, with},
};

async fn rate(desk: &Desk, code: &str, secret: &str, body: &Value) -> Response {
    desk.app
        .client
        .post(desk.app.url(&format!("/api/submissions/{code}/rating")))
        .bearer_auth(secret)
        .json(body)
        .send()
        .await
        .expect("the server answers")
}

async fn resubmit(desk: &Desk, code: &str, secret: &str, body: &Value) -> Response {
    desk.app
        .client
        .put(desk.app.url(&format!("/api/submissions/{code}")))
        .bearer_auth(secret)
        .json(body)
        .send()
        .await
        .expect("the server answers")
}

async fn member_view(desk: &Desk, code: &str, secret: &str) -> Value {
    let response = desk.app.get_submission(code, secret).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("a SubmissionView")
}

/// A submission taken to 已答复, with its receipt's code and secret.
async fn replied(desk: &Desk) -> (String, String) {
    let receipt = desk.submit("关于加强老旧小区加装电梯的建议").await;
    for action in [accept(), assign(), start_handling(), reply()] {
        desk.act(&receipt.code, action).await;
    }
    (receipt.code, receipt.secret)
}

#[tokio::test]
async fn the_member_sees_every_public_entry_with_its_reason_and_the_reply() {
    // Arrange
    let desk = Desk::start().await;
    let (code, secret) = replied(&desk).await;
    let note = json!({ "text": "内部：已与住建局沟通" });
    desk.send(
        Method::POST,
        &format!("/api/staff/submissions/{code}/notes"),
        &note,
    )
    .await;

    // Act
    let view = member_view(&desk, &code, &secret).await;

    // Assert
    let entries: Vec<(Value, Value)> = view["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| (e["kind"].clone(), e["status"].clone()))
        .collect();
    assert_eq!(
        entries,
        [
            (json!("status"), json!("submitted")),
            (json!("status"), json!("accepted")),
            (json!("status"), json!("assigned")),
            (json!("status"), json!("in_progress")),
            (json!("reply"), json!("replied")),
        ]
    );
    assert_eq!(
        view["timeline"][4]["note"],
        "已列入明年民生实事，安排专项资金。"
    );
    assert_eq!(view["can_rate"], true);
    assert!(
        !view.to_string().contains("内部"),
        "internal notes stay with staff"
    );
}

#[tokio::test]
async fn a_merged_submission_shows_the_member_the_code_it_was_merged_into() {
    // Arrange
    let desk = Desk::start().await;
    let target = desk.submit("关于完善社区养老服务的建议").await.code;
    let receipt = desk.submit("关于加强老旧小区加装电梯的建议").await;
    desk.act(&receipt.code, json!({ "kind": "merge", "into": target }))
        .await;

    // Act
    let view = member_view(&desk, &receipt.code, &receipt.secret).await;

    // Assert
    assert_eq!(view["status"], "merged");
    assert_eq!(view["merged_into"], json!(target));
    let last = &view["timeline"][1];
    assert_eq!(last["merged_into"], json!(target));
}

#[tokio::test]
async fn a_dissatisfied_rating_reopens_the_submission_with_a_new_due_date_that_staff_see() {
    // Arrange
    let desk = Desk::start().await;
    let (code, secret) = replied(&desk).await;

    // Act
    let response = rate(
        &desk,
        &code,
        &secret,
        &json!({ "rating": "dissatisfied", "comment": "电梯还没有动工" }),
    )
    .await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let member: Value = response.json().await.expect("the member's view");
    assert_eq!(member["status"], "in_progress");
    assert_eq!(member["can_rate"], false);
    let staff = desk.view(&code).await;
    assert_eq!(staff["status"], "in_progress");
    assert_eq!(staff["legal_actions"], json!(["reply", "extend_due"]));
    assert_eq!(staff["ratings"][0]["rating"], "dissatisfied");
    assert_eq!(staff["ratings"][0]["comment"], "电梯还没有动工");
    let last = staff["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .cloned()
        .expect("entry");
    assert_eq!(last["kind"], "rating");
    assert_eq!(last["actor"], Value::Null, "the member acted");
    assert!(last["note"]
        .as_str()
        .unwrap_or_default()
        .contains("电梯还没有动工"));
    assert!(staff["due_on"].as_str().is_some());

    // And the next reply can be rated again.
    desk.act(&code, reply()).await;
    let again = rate(&desk, &code, &secret, &json!({ "rating": "satisfied" })).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        desk.view(&code).await["status"],
        "replied",
        "满意 leaves it for staff to close"
    );
}

#[tokio::test]
async fn a_reply_is_rated_once_and_nothing_is_rated_before_a_reply() {
    // Arrange
    let desk = Desk::start().await;
    let (code, secret) = replied(&desk).await;
    let early = desk.submit("关于完善社区养老服务的建议").await;

    // Act
    let first = rate(
        &desk,
        &code,
        &secret,
        &json!({ "rating": "basically_satisfied" }),
    )
    .await;
    let second = rate(&desk, &code, &secret, &json!({ "rating": "dissatisfied" })).await;
    let too_early = rate(
        &desk,
        &early.code,
        &early.secret,
        &json!({ "rating": "satisfied" }),
    )
    .await;
    let wrong_secret = rate(
        &desk,
        &code,
        "0123456789abcdef0123456789abcdef",
        &json!({ "rating": "satisfied" }),
    )
    .await;

    // Assert
    assert_eq!(first.status(), StatusCode::OK);
    let body = assert_error(second, StatusCode::CONFLICT, "rated twice").await;
    assert!(body["message"]
        .as_str()
        .unwrap_or_default()
        .contains("已经评价过"));
    assert_error(too_early, StatusCode::CONFLICT, "no reply yet").await;
    assert_error(wrong_secret, StatusCode::NOT_FOUND, "not their submission").await;
    assert_eq!(
        desk.view(&code).await["ratings"].as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn a_returned_submission_is_sent_again_under_the_same_code_and_secret() {
    // Arrange
    let desk = Desk::start().await;
    let receipt = desk.submit("关于加强老旧小区加装电梯的建议").await;
    desk.act(&receipt.code, return_for_revision()).await;
    let revised = with(
        with(
            valid_submission(),
            "title",
            json!("关于加强中原区老旧小区加装电梯的建议（修改稿）"),
        ),
        "cosigners",
        json!(["赵敏"]),
    );

    // Act
    let response = resubmit(&desk, &receipt.code, &receipt.secret, &revised).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let member: Value = response.json().await.expect("the member's view");
    assert_eq!(member["status"], "submitted");
    assert_eq!(
        member["title"],
        "关于加强中原区老旧小区加装电梯的建议（修改稿）"
    );
    let kinds: Vec<&str> = member["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(kinds, ["status", "status", "resubmitted"]);
    assert_eq!(member["timeline"][1]["note"], "请补充涉及的小区名单");
    let staff = desk.view(&receipt.code).await;
    assert_eq!(staff["cosigners"], json!(["赵敏"]));
    assert_eq!(
        staff["legal_actions"],
        json!(["accept", "return", "decline", "merge"])
    );
    let found: Value = desk
        .get("/api/staff/submissions?q=%E4%BF%AE%E6%94%B9%E7%A8%BF")
        .await
        .json()
        .await
        .expect("a page");
    assert_eq!(
        found["rows"][0]["code"],
        json!(receipt.code),
        "the search index follows the revision"
    );
}

#[tokio::test]
async fn only_a_returned_submission_may_be_sent_again_and_by_the_same_rules_as_a_new_one() {
    // Arrange
    let desk = Desk::start().await;
    let pending = desk.submit("关于加强老旧小区加装电梯的建议").await;
    let returned = desk.submit("关于完善社区养老服务的建议").await;
    desk.act(&returned.code, return_for_revision()).await;

    // Act
    let not_returned = resubmit(&desk, &pending.code, &pending.secret, &valid_submission()).await;
    let bad = resubmit(
        &desk,
        &returned.code,
        &returned.secret,
        &with(valid_submission(), "title", json!("短")),
    )
    .await;

    // Assert
    assert_error(not_returned, StatusCode::CONFLICT, "not returned").await;
    let body = assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "title too short").await;
    assert!(body["fields"]["title"].is_string());
    assert_eq!(desk.view(&returned.code).await["status"], "returned");
}

#[tokio::test]
async fn a_returned_submission_shows_its_member_what_was_sent_and_a_retried_revision_is_the_same_one(
) {
    // Arrange
    let desk = Desk::start().await;
    let receipt = desk.submit("关于加强老旧小区加装电梯的建议").await;
    desk.act(&receipt.code, return_for_revision()).await;
    let revised = with(
        valid_submission(),
        "title",
        json!("关于加强中原区老旧小区加装电梯的建议（修改稿）"),
    );

    // Act
    let returned = member_view(&desk, &receipt.code, &receipt.secret).await;
    let first = resubmit(&desk, &receipt.code, &receipt.secret, &revised).await;
    // The answer was lost on the way back; the phone sends the same revision again.
    let retried = resubmit(&desk, &receipt.code, &receipt.secret, &revised).await;
    let different = resubmit(
        &desk,
        &receipt.code,
        &receipt.secret,
        &with(
            revised.clone(),
            "body",
            json!("另一个版本的内容，写明了现状、问题和具体建议。"),
        ),
    )
    .await;

    // Assert
    assert_eq!(
        returned["returned_text"]["title"],
        "关于加强老旧小区加装电梯的建议"
    );
    assert_eq!(
        returned["returned_text"]["body"],
        valid_submission()["body"]
    );
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(
        retried.status(),
        StatusCode::OK,
        "a retry is the same revision"
    );
    assert_error(
        different,
        StatusCode::CONFLICT,
        "a second, different revision",
    )
    .await;
    let staff = desk.view(&receipt.code).await;
    let resubmissions = staff["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter(|entry| entry["kind"] == "resubmitted")
        .count();
    assert_eq!(resubmissions, 1, "stored once");
    let after = member_view(&desk, &receipt.code, &receipt.secret).await;
    assert!(after["returned_text"].is_null(), "only while returned");
}
