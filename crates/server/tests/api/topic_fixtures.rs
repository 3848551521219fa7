//! A world for the topic tests: the app on a clock the test sets, an admin and a reviewer, 联络员 of
//! units 1–3 and a plain member of unit 1, each joined on a device; and the requests the tests repeat.

use api::Role;
use jianyan_server::{clock::Clock, Options};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use time::macros::datetime;

use crate::{
    helpers::{
        connect, execute_sql, spawn_app_with, valid_submission, with, Setup, StaffClient, TestApp,
    },
    member_fixtures::{joined_member, MemberDevice},
};

/// The app, its clock, an admin and a reviewer, and members of units 1–3.
pub struct World {
    pub app: TestApp,
    pub clock: Clock,
    pub admin: StaffClient,
    pub reviewer: StaffClient,
    /// 联络员 of unit 1.
    pub contact1: MemberDevice,
    /// A plain member of unit 1.
    pub member1: MemberDevice,
    /// 联络员 of unit 2.
    pub contact2: MemberDevice,
    /// 联络员 of unit 3.
    pub contact3: MemberDevice,
}

pub async fn world() -> World {
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

pub fn topic_body(deadline: &str, units: Option<&[i64]>) -> Value {
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

pub async fn json_of(response: reqwest::Response, status: StatusCode, why: &str) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual, status, "{why}: {body}");
    body
}

pub async fn put_json(staff: &StaffClient, path: &str, body: &Value) -> reqwest::Response {
    staff
        .request(Method::PUT, path)
        .json(body)
        .send()
        .await
        .expect("the server answers PUT")
}

/// A published topic, returning its id.
pub async fn published(world: &World, body: &Value) -> i64 {
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

pub async fn claim(device: &MemberDevice, topic: i64) -> reqwest::Response {
    device
        .request(Method::POST, &format!("/api/member/topics/{topic}/claim"))
        .send()
        .await
        .expect("the server answers")
}

pub async fn give_back(device: &MemberDevice, topic: i64) -> reqwest::Response {
    device
        .request(Method::DELETE, &format!("/api/member/topics/{topic}/claim"))
        .send()
        .await
        .expect("the server answers")
}

pub fn result_on(topic: i64) -> Value {
    let submission = with(valid_submission(), "kind", json!("research_report"));
    let submission = with(submission, "topic_id", json!(topic));
    with(
        submission,
        "summary",
        json!("走访 12 个小区，提出三条建议。"),
    )
}

pub async fn send_result(device: &MemberDevice, body: &Value) -> reqwest::Response {
    device.post_json("/api/submissions", body).await
}

pub async fn board(world: &World, topic: i64) -> Value {
    let response = world
        .reviewer
        .get(&format!("/api/staff/topics/{topic}/board"))
        .await;
    json_of(response, StatusCode::OK, "the board").await
}

pub fn row_of(board: &Value, unit: i64) -> &Value {
    board["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["unit"]["id"] == unit)
        .unwrap_or_else(|| panic!("unit {unit} on the board: {board}"))
}

pub async fn audit_actions(world: &World) -> Vec<String> {
    let mut db = connect(&world.app.db_path).await;
    sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'topic.%' OR action LIKE 'proposal.%' OR action = 'submission.grade' ORDER BY id")
        .fetch_all(&mut db)
        .await
        .expect("the audit log reads")
}
