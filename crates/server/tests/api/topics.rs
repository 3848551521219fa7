//! 党委出题: topics' lifecycle and versions, claims by contacts of target units or by staff, giving back,
//! deadlines around midnight China time, results linked to topics on the board and in the desk, grading,
//! and 自主选题 proposals. Every test runs the real router over a fresh SQLite file, on a clock it sets.

use api::Role;
use jianyan_server::{clock::Clock, Options};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use time::macros::datetime;

use crate::{
    helpers::{
        assert_error, connect, execute_sql, spawn_app_with, valid_submission, with, Setup,
        StaffClient, TestApp,
    },
    member_fixtures::{joined_member, MemberDevice},
};

/// The app, its clock, an admin and a reviewer, and members of units 1–3.
struct World {
    app: TestApp,
    clock: Clock,
    admin: StaffClient,
    reviewer: StaffClient,
    /// 联络员 of unit 1.
    contact1: MemberDevice,
    /// A plain member of unit 1.
    member1: MemberDevice,
    /// 联络员 of unit 2.
    contact2: MemberDevice,
    /// 联络员 of unit 3.
    contact3: MemberDevice,
}

async fn world() -> World {
    let clock = Clock::fixed(datetime!(2026-12-01 10:00 +8));
    let app = spawn_app_with(Setup {
        options: Options {
            clock: clock.clone(),
            ..Options::default()
        },
        ..Setup::default()
    })
    .await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let reviewer = app.logged_in_staff(Role::Reviewer).await;
    let (c1, contact1) = joined_member(&app, &admin, "王联络", 1, "13800000001").await;
    let (_, member1) = joined_member(&app, &admin, "李成员", 1, "13800000002").await;
    let (c2, contact2) = joined_member(&app, &admin, "赵联络", 2, "13800000003").await;
    let (c3, contact3) = joined_member(&app, &admin, "钱联络", 3, "13800000004").await;
    execute_sql(
        &app.db_path,
        &format!("UPDATE members SET is_contact = 1 WHERE id IN ({c1}, {c2}, {c3})"),
    )
    .await;
    World {
        app,
        clock,
        admin,
        reviewer,
        contact1,
        member1,
        contact2,
        contact3,
    }
}

fn topic_body(deadline: &str, units: Option<&[i64]>) -> Value {
    json!({
        "title": "老旧小区改造中的居民参与机制研究",
        "background": "我区仍有一百多个老旧小区待改造，居民意见难以统一。",
        "questions": "一、居民如何有效参与？二、改造资金如何分担？",
        "issuer": "district_government",
        "category": "城市建设",
        "deadline": deadline,
        "all_units": units.is_none(),
        "unit_ids": units.unwrap_or(&[]),
    })
}

async fn json_of(response: reqwest::Response, status: StatusCode, why: &str) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual, status, "{why}: {body}");
    body
}

async fn put_json(staff: &StaffClient, path: &str, body: &Value) -> reqwest::Response {
    staff
        .request(Method::PUT, path)
        .json(body)
        .send()
        .await
        .expect("the server answers PUT")
}

/// A published topic, returning its id.
async fn published(world: &World, body: &Value) -> i64 {
    let created = world.admin.post_json("/api/staff/topics", body).await;
    let created = json_of(created, StatusCode::CREATED, "creating").await;
    let id = created["id"].as_i64().expect("an id");
    let response = world
        .admin
        .send(Method::POST, &format!("/api/staff/topics/{id}/publish"))
        .await;
    json_of(response, StatusCode::OK, "publishing").await;
    id
}

async fn claim(device: &MemberDevice, topic: i64) -> reqwest::Response {
    device
        .request(Method::POST, &format!("/api/member/topics/{topic}/claim"))
        .send()
        .await
        .expect("the server answers")
}

async fn give_back(device: &MemberDevice, topic: i64) -> reqwest::Response {
    device
        .request(Method::DELETE, &format!("/api/member/topics/{topic}/claim"))
        .send()
        .await
        .expect("the server answers")
}

fn result_on(topic: i64) -> Value {
    let submission = with(valid_submission(), "kind", json!("research_report"));
    let submission = with(submission, "topic_id", json!(topic));
    with(
        submission,
        "summary",
        json!("走访 12 个小区，提出三条建议。"),
    )
}

async fn send_result(device: &MemberDevice, body: &Value) -> reqwest::Response {
    device.post_json("/api/submissions", body).await
}

async fn board(world: &World, topic: i64) -> Value {
    let response = world
        .reviewer
        .get(&format!("/api/staff/topics/{topic}/board"))
        .await;
    json_of(response, StatusCode::OK, "the board").await
}

fn row_of(board: &Value, unit: i64) -> &Value {
    board["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["unit"]["id"] == unit)
        .unwrap_or_else(|| panic!("unit {unit} on the board: {board}"))
}

async fn audit_actions(world: &World) -> Vec<String> {
    let mut db = connect(&world.app.db_path).await;
    sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'topic.%' OR action LIKE 'proposal.%' OR action = 'submission.grade' ORDER BY id")
        .fetch_all(&mut db)
        .await
        .expect("the audit log reads")
}

#[tokio::test]
async fn a_draft_is_edited_in_place_and_edits_after_publishing_become_versions_naming_what_changed()
{
    // Arrange
    let world = world().await;
    let body = topic_body("2026-12-31", None);
    let created = world.admin.post_json("/api/staff/topics", &body).await;
    let created = json_of(created, StatusCode::CREATED, "creating").await;
    let id = created["id"].as_i64().expect("an id");
    assert_eq!(created["state"], "draft");
    assert_eq!(created["year"], 2026, "the year comes from the deadline");
    assert_eq!(
        created["units"].as_array().map(Vec::len),
        Some(11),
        "all units"
    );

    // Act: a draft edit, publishing, then an edit of the published topic
    let draft_edit = with(body.clone(), "category", json!("社会治理"));
    let edited = put_json(
        &world.admin,
        &format!("/api/staff/topics/{id}"),
        &draft_edit,
    )
    .await;
    let edited = json_of(edited, StatusCode::OK, "editing the draft").await;
    let published = world
        .admin
        .send(Method::POST, &format!("/api/staff/topics/{id}/publish"))
        .await;
    let published = json_of(published, StatusCode::OK, "publishing").await;
    let change = with(
        with(draft_edit.clone(), "deadline", json!("2027-01-15")),
        "title",
        json!("老旧小区改造居民参与机制研究"),
    );
    let change = with(change, "version", json!(1));
    let second = put_json(&world.admin, &format!("/api/staff/topics/{id}"), &change).await;
    let second = json_of(second, StatusCode::OK, "editing the published topic").await;
    let stale = put_json(&world.admin, &format!("/api/staff/topics/{id}"), &change).await;
    let versions = world
        .reviewer
        .get(&format!("/api/staff/topics/{id}/versions"))
        .await;
    let versions = json_of(versions, StatusCode::OK, "versions").await;

    // Assert
    assert_eq!(edited["version"], 0, "a draft edit makes no version");
    assert_eq!(edited["category"], "社会治理");
    assert_eq!(published["state"], "published");
    assert_eq!(published["version"], 1);
    assert_eq!(second["version"], 2);
    assert_eq!(second["deadline"], "2027-01-15");
    assert_error(
        stale,
        StatusCode::CONFLICT,
        "an edit on version 1 after version 2",
    )
    .await;
    let versions = versions.as_array().expect("a list");
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert_eq!(versions[0]["version"], 1);
    assert_eq!(versions[0]["changes"], json!([]));
    assert_eq!(versions[0]["snapshot"]["category"], "社会治理");
    let labels: Vec<&str> = versions[1]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["label"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(labels, ["课题名称", "截止日期"]);
    assert_eq!(versions[1]["changes"][1]["from"], "2026-12-31");
    assert_eq!(versions[1]["changes"][1]["to"], "2027-01-15");
    assert!(versions[1]["by"]
        .as_str()
        .is_some_and(|by| by.starts_with("管理员")));
}

#[tokio::test]
async fn closed_and_withdrawn_topics_take_no_edits_and_every_change_is_audited() {
    // Arrange
    let world = world().await;
    let first = published(&world, &topic_body("2026-12-31", None)).await;
    let second = published(&world, &topic_body("2026-12-31", Some(&[1]))).await;

    // Act
    let closed = world
        .admin
        .send(Method::POST, &format!("/api/staff/topics/{first}/close"))
        .await;
    let edit_closed = put_json(
        &world.admin,
        &format!("/api/staff/topics/{first}"),
        &topic_body("2027-01-31", None),
    )
    .await;
    let no_reason = world
        .admin
        .post_json(&format!("/api/staff/topics/{second}/withdraw"), &json!({}))
        .await;
    let withdrawn = world
        .admin
        .post_json(
            &format!("/api/staff/topics/{second}/withdraw"),
            &json!({ "reason": "与区政府另行部署的课题重复" }),
        )
        .await;
    let closing_again = world
        .admin
        .send(Method::POST, &format!("/api/staff/topics/{second}/close"))
        .await;

    // Assert
    assert_eq!(
        json_of(closed, StatusCode::OK, "closing").await["state"],
        "closed"
    );
    let body = assert_error(edit_closed, StatusCode::CONFLICT, "editing a closed topic").await;
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("已结束")),
        "{body}"
    );
    let body = assert_error(no_reason, StatusCode::UNPROCESSABLE_ENTITY, "no reason").await;
    assert!(body["fields"]["reason"].is_string(), "{body}");
    let withdrawn = json_of(withdrawn, StatusCode::OK, "withdrawing").await;
    assert_eq!(withdrawn["state"], "withdrawn");
    assert_eq!(withdrawn["withdrawn_reason"], "与区政府另行部署的课题重复");
    assert_error(
        closing_again,
        StatusCode::CONFLICT,
        "closing a withdrawn topic",
    )
    .await;
    let topics = world.contact1.get("/api/member/topics").await;
    let topics = json_of(topics, StatusCode::OK, "the member's topics").await;
    assert_eq!(
        topics,
        json!([]),
        "neither closed-unclaimed nor withdrawn topics are listed"
    );
    assert_eq!(
        audit_actions(&world).await,
        [
            "topic.create",
            "topic.publish",
            "topic.create",
            "topic.publish",
            "topic.close",
            "topic.withdraw"
        ]
    );
}

#[tokio::test]
async fn reviewers_read_topics_but_only_an_admin_creates_publishes_or_decides() {
    // Arrange
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", None)).await;

    // Act
    let create = world
        .reviewer
        .post_json("/api/staff/topics", &topic_body("2026-12-31", None))
        .await;
    let close = world
        .reviewer
        .send(Method::POST, &format!("/api/staff/topics/{id}/close"))
        .await;
    let decide = world
        .reviewer
        .post_json(
            "/api/staff/proposals/1/decision",
            &json!({ "approve": false }),
        )
        .await;
    let read = world.reviewer.get(&format!("/api/staff/topics/{id}")).await;
    let overview = world.reviewer.get("/api/staff/topics?year=2026").await;

    // Assert
    assert_error(create, StatusCode::FORBIDDEN, "a reviewer creating").await;
    assert_error(close, StatusCode::FORBIDDEN, "a reviewer closing").await;
    assert_error(decide, StatusCode::FORBIDDEN, "a reviewer deciding").await;
    assert_eq!(json_of(read, StatusCode::OK, "reading").await["id"], id);
    let overview = json_of(overview, StatusCode::OK, "the overview").await;
    assert_eq!(overview["topics"][0]["target_units"], 11);
    assert_eq!(overview["topics"][0]["counts"]["unclaimed"], 11);
    assert_eq!(overview["totals"]["unclaimed"], 11);
}

#[tokio::test]
async fn only_the_contact_of_a_target_unit_claims_and_staff_may_claim_for_a_target_unit() {
    // Arrange: a topic for units 1 and 2
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", Some(&[1, 2]))).await;

    // Act
    let plain_member = claim(&world.member1, id).await;
    let other_unit = claim(&world.contact3, id).await;
    let contact = claim(&world.contact1, id).await;
    let twice = claim(&world.contact1, id).await;
    let for_unit2 = world
        .reviewer
        .post_json(
            &format!("/api/staff/topics/{id}/claims"),
            &json!({ "unit_id": 2 }),
        )
        .await;
    let for_unit3 = world
        .reviewer
        .post_json(
            &format!("/api/staff/topics/{id}/claims"),
            &json!({ "unit_id": 3 }),
        )
        .await;
    let seen_by_unit2 = world
        .contact2
        .get(&format!("/api/member/topics/{id}"))
        .await;
    let seen_by_unit3 = world
        .contact3
        .get(&format!("/api/member/topics/{id}"))
        .await;

    // Assert
    let body = assert_error(
        plain_member,
        StatusCode::FORBIDDEN,
        "a member who is no contact",
    )
    .await;
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("联络员")),
        "{body}"
    );
    assert_error(
        other_unit,
        StatusCode::NOT_FOUND,
        "a unit the topic is not for",
    )
    .await;
    let claimed = json_of(contact, StatusCode::OK, "the contact claims").await;
    assert_eq!(claimed["own_state"], "claimed");
    assert_eq!(claimed["own_claim"]["by"], "王联络");
    assert_eq!(claimed["can_claim"], false);
    assert_eq!(claimed["can_give_back"], true);
    assert_error(twice, StatusCode::CONFLICT, "claiming twice").await;
    let board = json_of(for_unit2, StatusCode::OK, "staff claim for unit 2").await;
    assert_eq!(row_of(&board, 2)["state"], "claimed");
    assert_eq!(row_of(&board, 2)["claim"]["by_staff"], true);
    assert_eq!(row_of(&board, 1)["claim"]["by"], "王联络");
    assert_eq!(board["counts"]["claimed"], 2);
    assert_error(
        for_unit3,
        StatusCode::CONFLICT,
        "staff claiming for a unit not targeted",
    )
    .await;
    let seen = json_of(seen_by_unit2, StatusCode::OK, "unit 2 reads the topic").await;
    assert_eq!(seen["claimed_by"], json!(["民革中原区支部"]));
    assert_eq!(seen["own_state"], "claimed");
    assert_error(
        seen_by_unit3,
        StatusCode::NOT_FOUND,
        "unit 3 reads a topic not for it",
    )
    .await;
    assert_eq!(
        audit_actions(&world).await,
        ["topic.create", "topic.publish", "topic.claim"],
        "staff claims are audited"
    );
}

#[tokio::test]
async fn a_claim_is_given_back_only_until_the_unit_submits_a_result() {
    // Arrange
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", None)).await;
    json_of(claim(&world.contact1, id).await, StatusCode::OK, "claiming").await;

    // Act
    let given_back = give_back(&world.contact1, id).await;
    let nothing_to_give = give_back(&world.contact1, id).await;
    json_of(
        claim(&world.contact1, id).await,
        StatusCode::OK,
        "claiming again",
    )
    .await;
    let researching = world
        .contact1
        .request(
            Method::POST,
            &format!("/api/member/topics/{id}/researching"),
        )
        .send()
        .await
        .expect("the server answers");
    let result = send_result(&world.member1, &result_on(id)).await;
    let after_result = give_back(&world.contact1, id).await;
    let staff_after_result = world
        .admin
        .send(Method::DELETE, &format!("/api/staff/topics/{id}/claims/1"))
        .await;

    // Assert
    let view = json_of(given_back, StatusCode::OK, "giving back").await;
    assert_eq!(view["own_state"], "unclaimed");
    assert_eq!(view["can_claim"], true);
    assert_error(nothing_to_give, StatusCode::CONFLICT, "giving back twice").await;
    let view = json_of(researching, StatusCode::OK, "marking research").await;
    assert_eq!(view["own_state"], "researching");
    json_of(result, StatusCode::CREATED, "a result").await;
    let body = assert_error(
        after_result,
        StatusCode::CONFLICT,
        "giving back after a result",
    )
    .await;
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("已就该课题提交了成果")),
        "{body}"
    );
    assert_error(
        staff_after_result,
        StatusCode::CONFLICT,
        "staff giving back after a result",
    )
    .await;
    let view = world
        .contact1
        .get(&format!("/api/member/topics/{id}"))
        .await;
    let view = json_of(view, StatusCode::OK, "the topic").await;
    assert_eq!(view["own_state"], "submitted");
    assert_eq!(view["can_give_back"], false);
    let claims: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM topic_claims")
        .fetch_one(&mut connect(&world.app.db_path).await)
        .await
        .expect("counting claims");
    assert_eq!(claims, 2, "the given-back claim is kept");
}

#[tokio::test]
async fn a_result_needs_a_joined_member_of_a_claiming_unit_and_the_kind_research_report() {
    // Arrange: unit 1 claims; unit 2 does not
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", Some(&[1, 2]))).await;
    json_of(claim(&world.contact1, id).await, StatusCode::OK, "claiming").await;

    // Act
    let guest = world.app.post_submission(&result_on(id)).await;
    let unclaimed_unit = send_result(&world.contact2, &result_on(id)).await;
    let not_target = send_result(&world.contact3, &result_on(id)).await;
    let wrong_kind = send_result(
        &world.member1,
        &with(result_on(id), "kind", json!("suggestion")),
    )
    .await;
    let unknown_topic = send_result(&world.member1, &result_on(id + 100)).await;
    let accepted = send_result(&world.member1, &result_on(id)).await;

    // Assert
    for (response, why) in [
        (guest, "a guest"),
        (unclaimed_unit, "a unit that has not claimed"),
        (not_target, "a unit the topic is not for"),
        (unknown_topic, "an unknown topic"),
    ] {
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, why).await;
        assert!(body["fields"]["topic_id"].is_string(), "{why}: {body}");
    }
    let body = assert_error(wrong_kind, StatusCode::UNPROCESSABLE_ENTITY, "a suggestion").await;
    assert!(
        body["fields"]["kind"]
            .as_str()
            .is_some_and(|m| m.contains("调研成果")),
        "{body}"
    );
    let receipt = json_of(accepted, StatusCode::CREATED, "the result").await;
    let code = receipt["code"].as_str().expect("a code").to_owned();
    let stored: (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT topic_id, summary FROM submissions WHERE kind = 'research_report'")
            .fetch_one(&mut connect(&world.app.db_path).await)
            .await
            .expect("the stored result");
    assert_eq!(
        stored,
        (Some(id), Some("走访 12 个小区，提出三条建议。".into()))
    );
    assert_eq!(
        world.app.count_rows("submissions").await,
        1,
        "nothing else stored"
    );

    // The board, the desk filter and the desk's detail show it
    let board = board(&world, id).await;
    assert_eq!(row_of(&board, 1)["state"], "submitted");
    assert_eq!(row_of(&board, 1)["results"][0]["code"], code.as_str());
    assert_eq!(row_of(&board, 2)["state"], "unclaimed");
    world.app.create_submission(&valid_submission()).await;
    let listed = world
        .reviewer
        .get(&format!("/api/staff/submissions?topic={id}"))
        .await;
    let listed = json_of(listed, StatusCode::OK, "the desk filtered by topic").await;
    let codes: Vec<&str> = listed["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|row| row["code"].as_str())
        .collect();
    assert_eq!(codes, [code.as_str()]);
    let detail = world
        .reviewer
        .get(&format!("/api/staff/submissions/{code}"))
        .await;
    let detail = json_of(detail, StatusCode::OK, "the desk's detail").await;
    assert_eq!(detail["result"]["topic"]["id"], id);
    assert_eq!(
        detail["result"]["summary"],
        "走访 12 个小区，提出三条建议。"
    );
    assert_eq!(detail["result"]["grade"], Value::Null);
    let everything = world.reviewer.get("/api/staff/submissions").await;
    let everything = json_of(everything, StatusCode::OK, "the whole desk").await;
    assert_eq!(everything["rows"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_retried_result_gets_its_receipt_even_after_the_topic_closed() {
    // Arrange: a result sent with a retry key, then the topic closed
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", None)).await;
    json_of(claim(&world.contact1, id).await, StatusCode::OK, "claiming").await;
    let send = |key: &'static str| {
        world
            .member1
            .request(Method::POST, "/api/submissions")
            .header(api::IDEMPOTENCY_KEY_HEADER, key)
            .json(&result_on(id))
            .send()
    };
    let first = send("retry-key-1").await.expect("the server answers");
    let first = json_of(first, StatusCode::CREATED, "the first send").await;
    let closed = world
        .admin
        .send(Method::POST, &format!("/api/staff/topics/{id}/close"))
        .await;
    json_of(closed, StatusCode::OK, "closing").await;

    // Act
    let retry = send("retry-key-1").await.expect("the server answers");
    let new_one = send("retry-key-2").await.expect("the server answers");

    // Assert
    let retry = json_of(retry, StatusCode::CREATED, "the retry").await;
    assert_eq!(retry["code"], first["code"], "the same receipt");
    let body = assert_error(new_one, StatusCode::UNPROCESSABLE_ENTITY, "a new result").await;
    assert!(
        body["fields"]["topic_id"]
            .as_str()
            .is_some_and(|m| m.contains("已结束")),
        "{body}"
    );
    assert_eq!(world.app.count_rows("submissions").await, 1);
}

#[tokio::test]
async fn days_left_and_overdue_turn_at_midnight_china_time_on_the_deadline() {
    // Arrange
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", Some(&[1, 2]))).await;
    json_of(claim(&world.contact1, id).await, StatusCode::OK, "claiming").await;
    json_of(
        send_result(&world.member1, &result_on(id)).await,
        StatusCode::CREATED,
        "a result",
    )
    .await;

    // Act: the last second of the deadline day, then the first of the next, China time
    world.clock.set(datetime!(2026-12-31 23:59:59 +8));
    let before_list = world.contact2.get("/api/member/topics").await;
    let before_board = board(&world, id).await;
    world.clock.set(datetime!(2027-01-01 00:00:00 +8));
    let after_list = world.contact2.get("/api/member/topics").await;
    let after_board = board(&world, id).await;
    let week_later = {
        world.clock.set(datetime!(2027-01-07 09:00 +8));
        world
            .contact2
            .get(&format!("/api/member/topics/{id}"))
            .await
    };

    // Assert
    let before = json_of(before_list, StatusCode::OK, "before midnight").await;
    assert_eq!(before[0]["days_left"], 0);
    assert_eq!(before[0]["overdue"], false);
    assert_eq!(row_of(&before_board, 2)["overdue"], false);
    assert_eq!(before_board["counts"]["overdue"], 0);
    let after = json_of(after_list, StatusCode::OK, "after midnight").await;
    assert_eq!(after[0]["days_left"], -1);
    assert_eq!(after[0]["overdue"], true);
    assert_eq!(
        row_of(&after_board, 2)["overdue"],
        true,
        "no result from unit 2"
    );
    assert_eq!(
        row_of(&after_board, 1)["overdue"],
        false,
        "unit 1 sent its result"
    );
    assert_eq!(after_board["counts"]["overdue"], 1);
    let later = json_of(week_later, StatusCode::OK, "a week later").await;
    assert_eq!(later["days_left"], -7);
    assert_eq!(api::topic::deadline_words(-7), "已逾期 7 天");
}

#[tokio::test]
async fn a_reviewer_grades_a_result_and_the_board_follows_grade_and_adoption() {
    // Arrange
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", Some(&[1]))).await;
    json_of(claim(&world.contact1, id).await, StatusCode::OK, "claiming").await;
    let receipt = json_of(
        send_result(&world.member1, &result_on(id)).await,
        StatusCode::CREATED,
        "a result",
    )
    .await;
    let code = receipt["code"].as_str().expect("a code").to_owned();
    let plain = world.app.create_submission(&valid_submission()).await;

    // Act
    let graded = world
        .reviewer
        .post_json(
            &format!("/api/staff/submissions/{code}/grade"),
            &json!({ "grade": "excellent", "comment": "调研扎实，建议可行" }),
        )
        .await;
    let reviewed_board = board(&world, id).await;
    let not_a_result = world
        .reviewer
        .post_json(
            &format!("/api/staff/submissions/{}/grade", plain.code),
            &json!({ "grade": "good" }),
        )
        .await;
    let adopted = world
        .reviewer
        .post_json(
            &format!("/api/staff/submissions/{code}/adoptions"),
            &json!({ "level": "district", "body": "区政府办公室", "on_date": "2026-12-20" }),
        )
        .await;
    let adopted_board = board(&world, id).await;
    let member_view = world.member1.get(&format!("/api/member/topics/{id}")).await;

    // Assert
    let graded = json_of(graded, StatusCode::OK, "grading").await;
    assert_eq!(graded["grade"]["grade"], "excellent");
    assert_eq!(graded["grade"]["comment"], "调研扎实，建议可行");
    assert!(graded["grade"]["by"]
        .as_str()
        .is_some_and(|by| by.starts_with("审阅人")));
    assert_eq!(row_of(&reviewed_board, 1)["state"], "reviewed");
    assert_eq!(
        row_of(&reviewed_board, 1)["results"][0]["grade"],
        "excellent"
    );
    assert_error(
        not_a_result,
        StatusCode::CONFLICT,
        "grading a plain suggestion",
    )
    .await;
    let listed = world
        .reviewer
        .get(&format!("/api/staff/submissions?topic={id}"))
        .await;
    let listed = json_of(listed, StatusCode::OK, "the desk list").await;
    assert_eq!(
        listed["rows"][0]["grade"], "excellent",
        "the list shows the grade"
    );
    assert_eq!(listed["rows"][0]["topic_id"], id);
    json_of(adopted, StatusCode::OK, "recording an adoption").await;
    assert_eq!(row_of(&adopted_board, 1)["state"], "adopted");
    assert_eq!(adopted_board["counts"]["adopted"], 1);
    let member_view = json_of(member_view, StatusCode::OK, "the member's view").await;
    assert_eq!(member_view["own_state"], "adopted");
    assert_eq!(member_view["own_results"][0]["grade"], "excellent");
    assert!(audit_actions(&world)
        .await
        .contains(&"submission.grade".to_owned()));
}

#[tokio::test]
async fn a_contacts_proposal_once_approved_is_a_claimed_topic_for_that_unit_alone() {
    // Arrange
    let world = world().await;
    let proposal = json!({
        "title": "民营企业用工难问题调研",
        "background": "近年我区民营企业招工难、留人难。",
        "plan": "走访 20 家企业，九月底前完成报告。",
    });

    // Act
    let by_plain_member = world
        .member1
        .post_json("/api/member/proposals", &proposal)
        .await;
    let incomplete = world
        .contact1
        .post_json("/api/member/proposals", &json!({ "title": "用工" }))
        .await;
    let sent = world
        .contact1
        .post_json("/api/member/proposals", &proposal)
        .await;
    let sent = json_of(sent, StatusCode::CREATED, "proposing").await;
    let pid = sent["id"].as_i64().expect("an id");
    let other_unit = world.contact2.get("/api/member/proposals").await;
    let pending = world
        .reviewer
        .get("/api/staff/proposals?state=pending")
        .await;
    let no_deadline = world
        .admin
        .post_json(
            &format!("/api/staff/proposals/{pid}/decision"),
            &json!({ "approve": true }),
        )
        .await;
    let approved = world
        .admin
        .post_json(
            &format!("/api/staff/proposals/{pid}/decision"),
            &json!({ "approve": true, "deadline": "2027-09-30" }),
        )
        .await;
    let again = world
        .admin
        .post_json(
            &format!("/api/staff/proposals/{pid}/decision"),
            &json!({ "approve": false, "reason": "重复" }),
        )
        .await;

    // Assert
    assert_error(
        by_plain_member,
        StatusCode::FORBIDDEN,
        "a member who is no contact",
    )
    .await;
    let body = assert_error(incomplete, StatusCode::UNPROCESSABLE_ENTITY, "incomplete").await;
    for field in ["title", "background", "plan"] {
        assert!(body["fields"][field].is_string(), "{field}: {body}");
    }
    assert_eq!(sent["state"], "pending");
    assert_eq!(sent["contact"], "王联络");
    assert_eq!(
        json_of(other_unit, StatusCode::OK, "unit 2's").await,
        json!([])
    );
    let pending = json_of(pending, StatusCode::OK, "pending").await;
    assert_eq!(pending[0]["id"], pid);
    let body = assert_error(no_deadline, StatusCode::UNPROCESSABLE_ENTITY, "no deadline").await;
    assert!(body["fields"]["deadline"].is_string(), "{body}");
    let approved = json_of(approved, StatusCode::OK, "approving").await;
    assert_eq!(approved["state"], "approved");
    let topic = approved["topic_id"].as_i64().expect("a topic");
    assert_error(again, StatusCode::CONFLICT, "deciding twice").await;
    let view = world
        .member1
        .get(&format!("/api/member/topics/{topic}"))
        .await;
    let view = json_of(view, StatusCode::OK, "the unit's own topic").await;
    assert_eq!(view["origin"], "proposal");
    assert_eq!(view["own_state"], "claimed");
    assert_eq!(view["can_submit"], true);
    assert_error(
        world
            .contact2
            .get(&format!("/api/member/topics/{topic}"))
            .await,
        StatusCode::NOT_FOUND,
        "another unit",
    )
    .await;
    json_of(
        send_result(&world.member1, &result_on(topic)).await,
        StatusCode::CREATED,
        "a result",
    )
    .await;
    let board = board(&world, topic).await;
    assert_eq!(board["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!(board["topic"]["version"], 1);
}
