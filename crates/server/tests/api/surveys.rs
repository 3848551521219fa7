//! Surveys (问卷): building and publishing, the change rules once answers exist, members answering
//! (validation naming the question, the window at its edges, one response each, concurrently too,
//! editing until close), and public-link surveys answered without a session, one per device.

use api::{survey::SURVEY_DEVICE_COOKIE, Role, IDEMPOTENCY_KEY_HEADER};
use jianyan_server::clock::TestClock;
use reqwest::{header, Method, Response, StatusCode};
use serde_json::{json, Value};
use time::{macros::datetime, Duration, OffsetDateTime};

use crate::{
    helpers::{spawn_app, spawn_app_with_clock, StaffClient, TestApp},
    member_fixtures::{joined_member, MemberDevice},
};

/// The survey's window in the tests that move the clock: 2026-12-01 09:00 to 2026-12-10 18:00 China time.
const OPENS: OffsetDateTime = datetime!(2026-12-01 09:00:00 +08:00);
const CLOSES: OffsetDateTime = datetime!(2026-12-10 18:00:00 +08:00);

/// Four questions: q1 single choice (是/否), q2 multiple choice (2–3 of four, with 其他), q3 long text
/// shown only when q1 is 是, q4 rating; then q5 number 0–100 and q6 short text, both optional.
pub fn four_questions() -> Value {
    json!({
        "title": "2026年度工作评价",
        "intro": "请如实填写",
        "questions": [
            {"id": 1, "title": "是否参加过调研", "required": true,
             "kind": {"type": "single_choice", "options": [{"id": 1, "label": "是"}, {"id": 2, "label": "否"}]}},
            {"id": 2, "title": "关注的领域", "required": true,
             "kind": {"type": "multiple_choice", "other": true, "min": 2, "max": 3,
                      "options": [{"id": 1, "label": "教育"}, {"id": 2, "label": "医疗"},
                                  {"id": 3, "label": "交通"}, {"id": 4, "label": "养老"}]}},
            {"id": 3, "title": "参加的原因", "required": false, "kind": {"type": "long_text"},
             "show_if": {"question": 1, "any_of": [1]}},
            {"id": 4, "title": "总体评价", "required": true, "kind": {"type": "rating"}},
            {"id": 5, "title": "参加活动次数", "required": false,
             "kind": {"type": "number", "min": 0, "max": 100, "integer": true}},
            {"id": 6, "title": "所在街道", "required": false, "kind": {"type": "short_text"}}
        ]
    })
}

/// Answers that pass every rule.
pub fn good_answers() -> Value {
    json!({"answers": [
        {"question": 1, "value": {"type": "choice", "options": [1]}},
        {"question": 2, "value": {"type": "choice", "options": [1, 3], "other": "环保"}},
        {"question": 3, "value": {"type": "text", "value": "了解情况"}},
        {"question": 4, "value": {"type": "rating", "value": 5}},
        {"question": 5, "value": {"type": "number", "value": 3}}
    ]})
}

/// Settings for all units, named, not editable, in the fixed window.
pub fn settings(audience: Value, anonymous: bool, editable: bool) -> Value {
    json!({
        "opens_at": "2026-12-01T09:00",
        "closes_at": "2026-12-10 18:00",
        "audience": audience,
        "anonymous": anonymous,
        "editable_until_close": editable,
    })
}

/// Creates a draft with `definition` and returns its id.
pub async fn create(admin: &StaffClient, definition: &Value) -> i64 {
    let response = admin
        .post_json("/api/staff/surveys", &json!({ "definition": definition }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "creating a survey");
    let view: Value = response.json().await.expect("a survey");
    view["id"].as_i64().expect("an id")
}

/// Creates and publishes a survey, returning its id and view.
pub async fn published(admin: &StaffClient, definition: &Value, settings: &Value) -> (i64, Value) {
    let id = create(admin, definition).await;
    let response = admin
        .post_json(&format!("/api/staff/surveys/{id}/publish"), settings)
        .await;
    assert_eq!(response.status(), StatusCode::OK, "publishing survey {id}");
    (id, response.json().await.expect("a survey"))
}

/// `POST /api/member/surveys/{id}/responses` from `device` with `key`.
pub async fn answer(device: &MemberDevice, id: i64, key: &str, body: &Value) -> Response {
    device
        .request(Method::POST, &format!("/api/member/surveys/{id}/responses"))
        .header(IDEMPOTENCY_KEY_HEADER, key)
        .json(body)
        .send()
        .await
        .expect("the server answers")
}

/// An app whose clock reads 2026-12-05 (inside the window), its clock, and an admin.
async fn app_in_window() -> (TestApp, TestClock, StaffClient) {
    let clock = TestClock::default();
    clock.set(datetime!(2026-12-05 10:00:00 +08:00));
    let app = spawn_app_with_clock(clock.clone()).await;
    let admin = app.logged_in_staff(Role::Admin).await;
    (app, clock, admin)
}

async fn error_fields(response: Response) -> Value {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("an error body");
    body["fields"].clone()
}

#[tokio::test]
async fn an_admin_builds_publishes_and_reads_back_a_survey_and_a_reviewer_cannot_change_it() {
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let reviewer = app.logged_in_staff(Role::Reviewer).await;

    let id = create(&admin, &four_questions()).await;
    let draft: Value = admin
        .get(&format!("/api/staff/surveys/{id}"))
        .await
        .json()
        .await
        .expect("a survey");
    let (_, view) = published(
        &admin,
        &four_questions(),
        &settings(json!({"type": "all_units"}), true, false),
    )
    .await;
    let list: Value = reviewer
        .get("/api/staff/surveys")
        .await
        .json()
        .await
        .expect("list");
    let refused = reviewer
        .post_json(
            "/api/staff/surveys",
            &json!({ "definition": four_questions() }),
        )
        .await;

    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["definition"]["questions"][1]["kind"]["min"], 2);
    assert_eq!(view["settings"]["opens_at"], "2026-12-01T09:00:00+08:00");
    assert_eq!(view["settings"]["closes_at"], "2026-12-10T18:00:00+08:00");
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert_eq!(list[0]["anonymous"], true, "newest first");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let audit: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'surveys.%'")
            .fetch_one(&mut crate::helpers::connect(&app.db_path).await)
            .await
            .expect("count");
    assert_eq!(audit, 3, "two creations and a publication are audited");
}

#[tokio::test]
async fn a_bad_definition_or_bad_settings_are_refused_naming_what_to_fix() {
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let mut definition = four_questions();
    definition["questions"][0]["kind"]["options"] = json!([{"id": 1, "label": "是"}]);
    let id = create(&admin, &four_questions()).await;

    let bad_definition = admin
        .post_json("/api/staff/surveys", &json!({ "definition": definition }))
        .await;
    let bad_settings = admin
        .post_json(
            &format!("/api/staff/surveys/{id}/publish"),
            &json!({"opens_at": "2026-12-10T09:00", "closes_at": "2026-12-01T09:00",
                    "audience": {"type": "units", "unit_ids": []}, "anonymous": true,
                    "editable_until_close": true}),
        )
        .await;

    let fields = error_fields(bad_definition).await;
    assert_eq!(
        fields["q1"],
        "第 1 题「是否参加过调研」：选择题至少要有两个选项"
    );
    let fields = error_fields(bad_settings).await;
    assert_eq!(fields["closes_at"], "截止时间应晚于开始时间");
    assert_eq!(fields["audience"], "请至少选择一个单位");
    assert!(fields["editable_until_close"]
        .as_str()
        .is_some_and(|m| m.starts_with("匿名问卷不能设为")));
}

#[tokio::test]
async fn each_question_kinds_bad_answer_is_refused_with_422_naming_the_question() {
    let (app, _clock, admin) = app_in_window().await;
    let (id, _) = published(
        &admin,
        &four_questions(),
        &settings(json!({"type": "all_units"}), false, false),
    )
    .await;
    let (_, device) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let cases = [
        (
            1,
            json!({"type": "choice", "options": [7]}),
            "q1",
            "第 1 题「是否参加过调研」：选了本题没有的选项，问卷可能已更新，请刷新后重选",
        ),
        (
            2,
            json!({"type": "choice", "options": [1]}),
            "q2",
            "第 2 题「关注的领域」：请至少选 2 项，现在选了 1 项",
        ),
        (
            2,
            json!({"type": "choice", "options": [1, 2, 3, 4]}),
            "q2",
            "第 2 题「关注的领域」：最多选 3 项，现在选了 4 项",
        ),
        (
            4,
            json!({"type": "rating", "value": 6}),
            "q4",
            "第 4 题「总体评价」：评分应为 1 到 5 分，收到的是 6 分",
        ),
        (
            5,
            json!({"type": "number", "value": 1.5}),
            "q5",
            "第 5 题「参加活动次数」：请填写整数，收到的是 1.5",
        ),
        (
            6,
            json!({"type": "text", "value": "两\n行"}),
            "q6",
            "第 6 题「所在街道」：本题请写成一行",
        ),
    ];
    for (question, value, field, message) in cases {
        let mut body = good_answers();
        let answers = body["answers"].as_array_mut().expect("answers");
        answers.retain(|a| a["question"] != question);
        answers.push(json!({"question": question, "value": value}));

        let fields =
            error_fields(answer(&device, id, &format!("key-{}", message.len()), &body).await).await;

        assert_eq!(fields[field], message, "{field}");
    }
    let mut missing = good_answers();
    missing["answers"]
        .as_array_mut()
        .expect("answers")
        .retain(|a| a["question"] != 4);
    let fields = error_fields(answer(&device, id, "missing", &missing).await).await;
    assert_eq!(fields["q4"], "第 4 题「总体评价」：本题必答，请作答");
    let mut skipped = good_answers();
    skipped["answers"][0]["value"]["options"] = json!([2]);
    let fields = error_fields(answer(&device, id, "skipped", &skipped).await).await;
    assert_eq!(
        fields["q3"],
        "第 3 题「参加的原因」：按您前面的选择，本题不需作答，请去掉本题的答案"
    );
    assert_eq!(
        app.count_rows("survey_responses").await,
        0,
        "nothing bad is stored"
    );
}

#[tokio::test]
async fn the_window_is_enforced_at_its_edges() {
    let (app, clock, admin) = app_in_window().await;
    let (id, _) = published(
        &admin,
        &four_questions(),
        &settings(json!({"type": "all_units"}), false, false),
    )
    .await;
    let mut devices = Vec::new();
    for (i, phone) in ["13800000001", "13800000002", "13800000003", "13800000004"]
        .iter()
        .enumerate()
    {
        devices.push(
            joined_member(&app, &admin, &format!("成员{i}"), 1, phone)
                .await
                .1,
        );
    }
    let second = Duration::seconds(1);

    clock.set(OPENS - second);
    let early = answer(&devices[0], id, "a", &good_answers()).await;
    let early_view: Value = devices[0]
        .get(&format!("/api/member/surveys/{id}"))
        .await
        .json()
        .await
        .expect("view");
    clock.set(OPENS);
    let first_moment = answer(&devices[0], id, "b", &good_answers()).await;
    clock.set(CLOSES - second);
    let last_moment = answer(&devices[1], id, "c", &good_answers()).await;
    clock.set(CLOSES);
    let late = answer(&devices[2], id, "d", &good_answers()).await;
    let late_view: Value = devices[2]
        .get(&format!("/api/member/surveys/{id}"))
        .await
        .json()
        .await
        .expect("view");

    assert_eq!(early.status(), StatusCode::CONFLICT);
    let message: Value = early.json().await.expect("error");
    assert!(
        message["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("问卷尚未开始，2026-12-01 09:00 起可以填写")),
        "{message}"
    );
    assert_eq!(early_view["status"], "scheduled");
    assert_eq!(first_moment.status(), StatusCode::CREATED);
    assert_eq!(last_moment.status(), StatusCode::CREATED);
    assert_eq!(late.status(), StatusCode::CONFLICT);
    assert_eq!(late_view["status"], "closed");
    assert!(late_view["notice"]
        .as_str()
        .is_some_and(|n| n.contains("问卷已结束")));
    assert_eq!(app.count_rows("survey_responses").await, 2);
}

#[tokio::test]
async fn a_second_response_is_refused_and_a_retry_is_answered_as_the_first() {
    let (app, _clock, admin) = app_in_window().await;
    let (id, _) = published(
        &admin,
        &four_questions(),
        &settings(json!({"type": "all_units"}), false, false),
    )
    .await;
    let (_, device) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;

    let first = answer(&device, id, "key-1", &good_answers()).await;
    let retry = answer(&device, id, "key-1", &good_answers()).await;
    let second = answer(&device, id, "key-2", &good_answers()).await;
    let list: Value = device
        .get("/api/member/surveys")
        .await
        .json()
        .await
        .expect("list");

    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(retry.status(), StatusCode::OK);
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let body: Value = second.json().await.expect("error");
    assert_eq!(body["message"], "您已经提交过这份问卷，每人只能提交一次");
    assert_eq!(app.count_rows("survey_responses").await, 1);
    assert_eq!(list[0]["answered"], true);
    assert_eq!(list[0]["closes_at"], "2026-12-10T18:00:00+08:00");
}

#[tokio::test]
async fn concurrent_responses_from_one_member_store_exactly_one() {
    let (app, _clock, admin) = app_in_window().await;
    let (id, _) = published(
        &admin,
        &four_questions(),
        &settings(json!({"type": "all_units"}), true, false),
    )
    .await;
    let (_, device) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;

    let attempts = (0..12).map(|i| {
        let device = device.clone();
        async move {
            answer(&device, id, &format!("key-{i}"), &good_answers())
                .await
                .status()
        }
    });
    let statuses = futures_join_all(attempts).await;

    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((created, refused), (1, 11), "{statuses:?}");
    assert_eq!(app.count_rows("survey_responses").await, 1);
    assert_eq!(app.count_rows("survey_respondents").await, 1);
}

/// Runs the futures at once on the runtime and collects their results in order.
async fn futures_join_all<F, T>(futures: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.expect("the task finishes"));
    }
    out
}

#[tokio::test]
async fn an_editable_survey_replaces_the_members_response_and_shows_it_back() {
    let (app, _clock, admin) = app_in_window().await;
    let (id, _) = published(
        &admin,
        &four_questions(),
        &settings(json!({"type": "all_units"}), false, true),
    )
    .await;
    let (_, device) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let mut changed = good_answers();
    changed["answers"][3]["value"]["value"] = json!(2);

    let first = answer(&device, id, "key-1", &good_answers()).await;
    let second = answer(&device, id, "key-2", &changed).await;
    let view: Value = device
        .get(&format!("/api/member/surveys/{id}"))
        .await
        .json()
        .await
        .expect("view");

    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(second.status(), StatusCode::OK);
    assert_eq!(
        second.json::<Value>().await.expect("body")["replaced"],
        true
    );
    assert_eq!(app.count_rows("survey_responses").await, 1);
    assert_eq!(view["answered"], true);
    assert_eq!(
        view["my_answers"][3],
        json!({"question": 4, "value": {"type": "rating", "value": 2}})
    );
    assert!(view["notice"]
        .as_str()
        .is_some_and(|n| n.contains("截止前可以修改答案")));
}

#[tokio::test]
async fn a_survey_for_chosen_units_is_not_shown_or_open_to_other_units() {
    let (app, _clock, admin) = app_in_window().await;
    let (id, _) = published(
        &admin,
        &four_questions(),
        &settings(json!({"type": "units", "unit_ids": [2]}), false, false),
    )
    .await;
    let (_, outsider) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let (_, insider) = joined_member(&app, &admin, "李红", 2, "13812345679").await;

    let outsider_list: Value = outsider
        .get("/api/member/surveys")
        .await
        .json()
        .await
        .expect("list");
    let outsider_answer = answer(&outsider, id, "k", &good_answers()).await;
    let insider_list: Value = insider
        .get("/api/member/surveys")
        .await
        .json()
        .await
        .expect("list");

    assert_eq!(outsider_list, json!([]));
    assert_eq!(outsider_answer.status(), StatusCode::NOT_FOUND);
    assert_eq!(insider_list[0]["id"], id);
    assert_eq!(insider_list[0]["answered"], false);
}

#[tokio::test]
async fn changes_that_would_corrupt_answers_are_refused_once_answers_exist_and_text_fixes_are_not()
{
    let (app, _clock, admin) = app_in_window().await;
    let (id, _) = published(
        &admin,
        &four_questions(),
        &settings(json!({"type": "all_units"}), false, false),
    )
    .await;
    let path = format!("/api/staff/surveys/{id}");
    let put = |definition: Value| {
        admin
            .request(Method::PUT, &path)
            .json(&json!({ "definition": definition }))
            .send()
    };
    let mut removed_option = four_questions();
    removed_option["questions"][1]["kind"]["options"]
        .as_array_mut()
        .expect("options")
        .remove(2);
    let before_answers = put(removed_option.clone()).await.expect("answer");
    let (_, device) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let mut answers = good_answers();
    answers["answers"][1]["value"]["options"] = json!([1, 2]);
    assert_eq!(
        answer(&device, id, "k", &answers).await.status(),
        StatusCode::CREATED
    );
    // The survey now has the option removed above; put it back the way the answer was given.
    let restored = put(four_questions()).await.expect("answer");
    assert_eq!(
        before_answers.status(),
        StatusCode::OK,
        "no answers yet: anything goes"
    );
    assert_eq!(
        restored.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "adding back in the middle is a reorder"
    );

    let mut text_fix = removed_option.clone();
    text_fix["questions"][0]["title"] = json!("是否参加过本年度调研");
    let mut retyped = removed_option.clone();
    retyped["questions"][3]["kind"] = json!({"type": "short_text"});
    let mut reordered = removed_option.clone();
    reordered["questions"]
        .as_array_mut()
        .expect("questions")
        .swap(3, 4);
    let mut deleted = removed_option.clone();
    deleted["questions"]
        .as_array_mut()
        .expect("questions")
        .remove(5);

    assert_eq!(
        put(text_fix).await.expect("answer").status(),
        StatusCode::OK
    );
    let fields = error_fields(put(retyped).await.expect("answer")).await;
    assert_eq!(
        fields["q4"],
        "第 4 题「总体评价」：问卷已有答卷，不能把评分题改成简答题"
    );
    let fields = error_fields(put(reordered).await.expect("answer")).await;
    assert!(fields["questions"]
        .as_str()
        .is_some_and(|m| m.contains("不能调整题目顺序")));
    let fields = error_fields(put(deleted).await.expect("answer")).await;
    assert!(fields["q6"]
        .as_str()
        .is_some_and(|m| m.contains("不能删除题目")));
    let anonymous_now = admin
        .post_json(
            &format!("/api/staff/surveys/{id}/publish"),
            &settings(json!({"type": "all_units"}), true, false),
        )
        .await;
    assert_eq!(anonymous_now.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn closing_duplicating_and_deleting_follow_the_surveys_life() {
    let (app, _clock, admin) = app_in_window().await;
    let draft = create(&admin, &four_questions()).await;
    let (id, _) = published(
        &admin,
        &four_questions(),
        &settings(json!({"type": "all_units"}), false, false),
    )
    .await;
    let (_, device) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;

    let closed: Value = admin
        .send(Method::POST, &format!("/api/staff/surveys/{id}/close"))
        .await
        .json()
        .await
        .expect("view");
    let late = answer(&device, id, "k", &good_answers()).await;
    let copy = admin
        .send(Method::POST, &format!("/api/staff/surveys/{id}/duplicate"))
        .await;
    let delete_published = admin
        .send(Method::DELETE, &format!("/api/staff/surveys/{id}"))
        .await;
    let delete_draft = admin
        .send(Method::DELETE, &format!("/api/staff/surveys/{draft}"))
        .await;

    assert_eq!(closed["status"], "closed");
    assert_eq!(late.status(), StatusCode::CONFLICT);
    assert_eq!(copy.status(), StatusCode::CREATED);
    let copy: Value = copy.json().await.expect("view");
    assert_eq!(copy["status"], "draft");
    assert_eq!(copy["definition"]["title"], "2026年度工作评价（副本）");
    let original: Value = admin
        .get(&format!("/api/staff/surveys/{id}"))
        .await
        .json()
        .await
        .expect("view");
    assert_eq!(
        copy["definition"]["questions"], original["definition"]["questions"],
        "the same questions with the same ids"
    );
    assert_eq!(delete_published.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(delete_draft.status(), StatusCode::NO_CONTENT);
}

/// `GET` or `POST` on a link survey from a browser on the site, with `cookie` when given.
async fn link_request(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    body: Option<(&str, &Value)>,
) -> Response {
    let mut request = app
        .client
        .request(method, app.url(path))
        .header(header::ORIGIN, &app.address)
        .header("Sec-Fetch-Site", "same-origin");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    if let Some((key, body)) = body {
        request = request.header(IDEMPOTENCY_KEY_HEADER, key).json(body);
    }
    request.send().await.expect("the server answers")
}

fn device_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{SURVEY_DEVICE_COOKIE}=")))
        .and_then(|c| c.split(';').next().map(str::to_owned))
}

#[tokio::test]
async fn a_public_link_survey_needs_no_session_and_takes_one_response_per_device() {
    let (app, _clock, admin) = app_in_window().await;
    let (_, view) = published(
        &admin,
        &four_questions(),
        &settings(json!({"type": "link"}), true, false),
    )
    .await;
    let key = view["link_key"].as_str().expect("a link key").to_owned();
    let path = format!("/api/surveys/link/{key}");
    let responses_path = format!("{path}/responses");

    let opened = link_request(&app, Method::GET, &path, None, None).await;
    let cookie = device_cookie(&opened).expect("the device gets its cookie");
    let survey: Value = opened.json().await.expect("survey");
    let first = link_request(
        &app,
        Method::POST,
        &responses_path,
        Some(&cookie),
        Some(("a", &good_answers())),
    )
    .await;
    let again = link_request(
        &app,
        Method::POST,
        &responses_path,
        Some(&cookie),
        Some(("b", &good_answers())),
    )
    .await;
    let other_device = link_request(
        &app,
        Method::POST,
        &responses_path,
        None,
        Some(("c", &good_answers())),
    )
    .await;
    let reopened: Value = link_request(&app, Method::GET, &path, Some(&cookie), None)
        .await
        .json()
        .await
        .expect("survey");
    let unknown = link_request(&app, Method::GET, "/api/surveys/link/nope", None, None).await;

    assert_eq!(survey["per_device"], true);
    assert!(survey["notice"]
        .as_str()
        .is_some_and(|n| n.contains("每台设备只能提交一次")));
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(
        again.json::<Value>().await.expect("error")["message"],
        "这台设备已经提交过这份问卷，每台设备只能提交一次"
    );
    assert_eq!(other_device.status(), StatusCode::CREATED);
    assert!(
        device_cookie(&other_device).is_some(),
        "a device without a cookie gets one as it answers"
    );
    assert_eq!(reopened["answered"], true);
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count_rows("survey_responses").await, 2);
}
