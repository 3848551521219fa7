//! Co-signing (联名): a lead asks members on the roster, each answers once on their own device, and the
//! submission reaches staff when everyone has answered or when the lead sends it anyway; staff see who
//! confirmed.

use api::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{
    helpers::{assert_error, field_names, spawn_app, StaffClient, TestApp},
    member_fixtures::{joined_member, MemberDevice},
};

/// A lead and two co-signers on the roster, each joined on a phone, and an admin.
struct Cosigning {
    app: TestApp,
    admin: StaffClient,
    lead: MemberDevice,
    li: (i64, MemberDevice),
    zhang: (i64, MemberDevice),
}

async fn cosigning() -> Cosigning {
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (_, lead) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let li = joined_member(&app, &admin, "李红", 2, "13900000001").await;
    let zhang = joined_member(&app, &admin, "张伟", 3, "13900000002").await;
    Cosigning {
        app,
        admin,
        lead,
        li,
        zhang,
    }
}

fn draft_request(cosigner_ids: &[i64], other_names: &[&str]) -> Value {
    json!({
        "kind": "suggestion",
        "title": "关于加强老旧小区加装电梯的建议",
        "body": "我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼困难。建议统筹财政补贴，简化审批流程。",
        "cosigner_ids": cosigner_ids,
        "other_names": other_names,
    })
}

/// `POST /api/member/cosign-drafts` by `lead`, insisting on 201; the draft's id.
async fn ask(lead: &MemberDevice, cosigner_ids: &[i64], other_names: &[&str]) -> i64 {
    let response = lead
        .post_json(
            "/api/member/cosign-drafts",
            &draft_request(cosigner_ids, other_names),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "asking to co-sign");
    let draft: Value = response.json().await.expect("a draft");
    draft["id"].as_i64().expect("the draft's id")
}

async fn answer(device: &MemberDevice, draft: i64, confirm: bool) -> reqwest::Response {
    device
        .post_json(
            &format!("/api/member/cosign-requests/{draft}"),
            &json!({ "confirm": confirm }),
        )
        .await
}

/// The lead's drafts, as JSON.
async fn drafts(lead: &MemberDevice) -> Vec<Value> {
    let response = lead.get("/api/member/cosign-drafts").await;
    assert_eq!(response.status(), StatusCode::OK, "the lead's drafts");
    response.json().await.expect("a list")
}

/// Staff's view of the submission `code`.
async fn staff_view(admin: &StaffClient, code: &str) -> Value {
    let response = admin.get(&format!("/api/staff/submissions/{code}")).await;
    assert_eq!(response.status(), StatusCode::OK, "staff open {code}");
    response.json().await.expect("a submission")
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| item.as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn when_every_cosigner_confirms_the_submission_reaches_staff_with_them_marked_confirmed() {
    // Arrange
    let Cosigning {
        app,
        admin,
        lead,
        li,
        zhang,
    } = cosigning().await;
    let draft = ask(&lead, &[li.0, zhang.0], &["赵六"]).await;
    assert_eq!(app.count_rows("submissions").await, 0, "nothing sent yet");

    // Act
    let first = answer(&li.1, draft, true).await;
    let between = app.count_rows("submissions").await;
    let last = answer(&zhang.1, draft, true).await;

    // Assert
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    assert_eq!(between, 0, "one co-signer still to answer");
    assert_eq!(last.status(), StatusCode::NO_CONTENT);
    let listed = drafts(&lead).await;
    let code = listed[0]["sent"]["code"]
        .as_str()
        .expect("sent, with its code");
    assert_eq!(lead.submission_codes().await, vec![code.to_owned()]);
    let view = staff_view(&admin, code).await;
    assert_eq!(names(&view["cosigners"]), ["李红", "张伟", "赵六"]);
    assert_eq!(names(&view["confirmed_cosigners"]), ["李红", "张伟"]);
    assert_eq!(view["name"], "王建国");
    assert_eq!(view["phone"], "13812345678");
    assert!(
        li.1.get("/api/member/cosign-requests")
            .await
            .json::<Vec<Value>>()
            .await
            .expect("a list")
            .is_empty(),
        "a sent request is no longer waiting for the co-signer"
    );
}

#[tokio::test]
async fn sent_anyway_after_a_decline_the_submission_carries_only_the_confirmed_and_typed_names() {
    // Arrange
    let Cosigning {
        app: _running,
        admin,
        lead,
        li,
        zhang,
    } = cosigning().await;
    let draft = ask(&lead, &[li.0, zhang.0], &["赵六"]).await;
    assert_eq!(
        answer(&zhang.1, draft, false).await.status(),
        StatusCode::NO_CONTENT
    );

    // Act
    let sent = lead
        .post_json(
            &format!("/api/member/cosign-drafts/{draft}/send"),
            &json!({}),
        )
        .await;
    let again = lead
        .post_json(
            &format!("/api/member/cosign-drafts/{draft}/send"),
            &json!({}),
        )
        .await;

    // Assert
    assert_eq!(sent.status(), StatusCode::OK);
    let sent: Value = sent.json().await.expect("the draft");
    let code = sent["sent"]["code"].as_str().expect("its code").to_owned();
    let answers: Vec<(String, String)> = sent["cosigners"]
        .as_array()
        .expect("co-signers")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or_default().into(),
                c["answer"].as_str().unwrap_or_default().into(),
            )
        })
        .collect();
    assert_eq!(
        answers,
        [
            ("李红".into(), "pending".into()),
            ("张伟".into(), "declined".into())
        ]
    );
    let again: Value = again.json().await.expect("the draft again");
    assert_eq!(again["sent"]["code"], code.as_str(), "sent once");
    assert_eq!(lead.submission_codes().await, vec![code.clone()]);
    let view = staff_view(&admin, &code).await;
    assert_eq!(names(&view["cosigners"]), ["赵六"]);
    assert!(names(&view["confirmed_cosigners"]).is_empty());
}

#[tokio::test]
async fn only_the_lead_sends_and_answers_after_sending_or_twice_are_refused() {
    // Arrange
    // The app stays bound: dropping it stops the server.
    let Cosigning {
        app: _running,
        lead,
        li,
        zhang,
        ..
    } = cosigning().await;
    let draft = ask(&lead, &[li.0, zhang.0], &[]).await;

    // Act
    let by_cosigner =
        li.1.post_json(
            &format!("/api/member/cosign-drafts/{draft}/send"),
            &json!({}),
        )
        .await;
    let first = answer(&li.1, draft, true).await;
    let twice = answer(&li.1, draft, false).await;
    let sent = lead
        .post_json(
            &format!("/api/member/cosign-drafts/{draft}/send"),
            &json!({}),
        )
        .await;
    let after_sending = answer(&zhang.1, draft, true).await;

    // Assert
    assert_error(by_cosigner, StatusCode::NOT_FOUND, "a co-signer sending").await;
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    assert_error(twice, StatusCode::CONFLICT, "answering twice").await;
    assert_eq!(sent.status(), StatusCode::OK);
    assert_error(
        after_sending,
        StatusCode::CONFLICT,
        "answering after sending",
    )
    .await;
}

#[tokio::test]
async fn a_member_who_was_not_asked_cannot_answer_or_see_the_request() {
    // Arrange
    let Cosigning {
        app,
        admin,
        lead,
        li,
        ..
    } = cosigning().await;
    let (_, stranger) = joined_member(&app, &admin, "孙七", 4, "13900000009").await;
    let draft = ask(&lead, &[li.0], &[]).await;

    // Act
    let answered = answer(&stranger, draft, true).await;
    let nowhere = answer(&stranger, draft + 1000, true).await;
    let listed: Vec<Value> = stranger
        .get("/api/member/cosign-requests")
        .await
        .json()
        .await
        .expect("a list");
    let asked: Vec<Value> =
        li.1.get("/api/member/cosign-requests")
            .await
            .json()
            .await
            .expect("a list");

    // Assert
    assert_error(answered, StatusCode::NOT_FOUND, "a stranger answering").await;
    assert_error(nowhere, StatusCode::NOT_FOUND, "no such draft").await;
    assert!(listed.is_empty(), "nothing asks the stranger");
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0]["lead_name"], "王建国");
    assert_eq!(asked[0]["answer"], "pending");
    assert!(asked[0]["body"]
        .as_str()
        .unwrap_or_default()
        .contains("老旧小区"));
    assert!(
        drafts(&stranger).await.is_empty(),
        "not the stranger's to lead"
    );
}

#[tokio::test]
async fn the_roster_search_gives_names_and_units_only_never_the_caller_or_disabled_members() {
    // Arrange
    let Cosigning { app, lead, .. } = cosigning().await;
    crate::helpers::execute_sql(
        &app.db_path,
        "INSERT INTO members (name, unit_id, phone, disabled_at, created_at, updated_at)
         VALUES ('李停用', 1, '13900000077', '2026-11-02T09:00:00+08:00',
                 '2026-11-01T09:00:00+08:00', '2026-11-01T09:00:00+08:00')",
    )
    .await;

    // Act
    let found = lead.get("/api/member/roster?q=%E6%9D%8E").await; // 李
    let own = lead.get("/api/member/roster?q=%E7%8E%8B").await; // 王
    let empty = lead.get("/api/member/roster?q=").await;
    let missing = lead.get("/api/member/roster").await;
    let guest = app.get("/api/member/roster?q=%E6%9D%8E").await;

    // Assert
    assert_eq!(found.status(), StatusCode::OK);
    let text = found.text().await.expect("a body");
    assert!(!text.contains("139"), "no phone number: {text}");
    let found: Vec<Value> = serde_json::from_str(&text).expect("a list");
    assert_eq!(found.len(), 1, "{text}");
    let keys: Vec<&String> = found[0].as_object().expect("an entry").keys().collect();
    assert_eq!(keys, ["id", "name", "unit"]);
    assert_eq!(found[0]["name"], "李红");
    let own: Vec<Value> = own.json().await.expect("a list");
    assert!(own.is_empty(), "the caller is not their own co-signer");
    let empty = assert_error(empty, StatusCode::UNPROCESSABLE_ENTITY, "an empty search").await;
    assert_eq!(field_names(&empty), ["q"]);
    assert_error(missing, StatusCode::UNPROCESSABLE_ENTITY, "no q").await;
    assert_error(
        guest,
        StatusCode::UNAUTHORIZED,
        "a device that never joined",
    )
    .await;
}

#[tokio::test]
async fn a_draft_that_breaks_a_rule_is_refused_naming_the_field() {
    // Arrange
    let Cosigning {
        app,
        admin,
        lead,
        li,
        ..
    } = cosigning().await;
    let lead_id: i64 = lead.me().await["id"].as_i64().expect("the lead's id");
    let (disabled, _) = joined_member(&app, &admin, "周停", 2, "13900000088").await;
    crate::helpers::execute_sql(
        &app.db_path,
        &format!(
            "UPDATE members SET disabled_at = '2026-11-02T09:00:00+08:00' WHERE id = {disabled}"
        ),
    )
    .await;
    let cases: [(&str, Value, &str, &str); 8] = [
        (
            "a short title",
            with_field(draft_request(&[li.0], &[]), "title", json!("短")),
            "title",
            "案由",
        ),
        (
            "a short body",
            with_field(draft_request(&[li.0], &[]), "body", json!("太短了")),
            "body",
            "内容",
        ),
        (
            "nobody from the roster",
            draft_request(&[], &["赵六"]),
            "cosigner_ids",
            "至少选一位",
        ),
        (
            "the lead themself",
            draft_request(&[li.0, lead_id], &[]),
            "cosigner_ids",
            "领衔人",
        ),
        (
            "someone twice",
            draft_request(&[li.0, li.0], &[]),
            "cosigner_ids",
            "两次",
        ),
        (
            "a disabled member",
            draft_request(&[disabled], &[]),
            "cosigner_ids",
            "停用",
        ),
        (
            "a typed name with digits",
            draft_request(&[li.0], &["赵6"]),
            "other_names",
            "联名人姓名",
        ),
        (
            "a typed name repeating a chosen one",
            draft_request(&[li.0], &["李红"]),
            "other_names",
            "重复",
        ),
    ];

    for (why, request, field, words) in cases {
        // Act
        let response = lead.post_json("/api/member/cosign-drafts", &request).await;

        // Assert
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, why).await;
        assert_eq!(field_names(&body), [field], "{why}: {body}");
        let message = body["fields"][field].as_str().unwrap_or_default();
        assert!(message.contains(words), "{why}: {message}");
    }
    let too_many: Vec<String> = (0..20)
        .map(|i| {
            format!(
                "联名人{}",
                "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"
                    .chars()
                    .nth(i)
                    .unwrap_or('甲')
            )
        })
        .collect();
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();
    let response = lead
        .post_json(
            "/api/member/cosign-drafts",
            &draft_request(&[li.0], &too_many),
        )
        .await;
    let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "21 co-signers").await;
    assert_eq!(field_names(&body), ["cosigner_ids"]);
    assert_eq!(app.count_rows("cosign_drafts").await, 0, "nothing stored");
}

fn with_field(mut request: Value, field: &str, value: Value) -> Value {
    request[field] = value;
    request
}

#[tokio::test]
async fn racing_sends_and_a_racing_last_answer_store_one_submission() {
    // Arrange
    let Cosigning { app, lead, li, .. } = cosigning().await;
    let draft = ask(&lead, &[li.0], &[]).await;
    let send_path = format!("/api/member/cosign-drafts/{draft}/send");
    let nothing = json!({});

    // Act
    let (first, second, answered) = tokio::join!(
        lead.post_json(&send_path, &nothing),
        lead.post_json(&send_path, &nothing),
        answer(&li.1, draft, true),
    );

    // Assert
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(second.status(), StatusCode::OK);
    let answered = answered.status();
    assert!(
        answered == StatusCode::NO_CONTENT || answered == StatusCode::CONFLICT,
        "the answer came before or after the send: {answered}"
    );
    let first: Value = first.json().await.expect("a draft");
    let second: Value = second.json().await.expect("a draft");
    assert_eq!(first["sent"]["code"], second["sent"]["code"]);
    assert_eq!(app.count_rows("submissions").await, 1);
}
