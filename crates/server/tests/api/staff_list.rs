//! The staff's list: Chinese search of any length, keyset pages that neither repeat nor skip rows
//! added between them, filters with counts per status, the other orders, and 承办单位 suggestions.

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{
    desk::{accept, assign, return_for_revision, Desk},
    helpers::{assert_error, valid_submission, with},
};

async fn page(desk: &Desk, query: &str) -> Value {
    let response = desk.get(&format!("/api/staff/submissions?{query}")).await;
    let status = response.status();
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body
}

fn codes(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn count(page: &Value, status: &str) -> i64 {
    page["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .find(|c| c["status"] == status)
        .and_then(|c| c["count"].as_i64())
        .expect("every status is counted")
}

/// Percent-encodes a query value.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_chinese_search_finds_two_and_four_character_substrings_in_titles_and_bodies() {
    // Arrange
    let desk = Desk::start().await;
    let lift = desk
        .submit_text(
            "关于老旧小区加装电梯的建议",
            "我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼困难。",
        )
        .await
        .code;
    let parking = desk
        .submit_text(
            "关于缓解学校周边停车难的建议",
            "上下学时段学校周边道路拥堵严重，家长临时停车无处可停，建议错峰。",
        )
        .await
        .code;
    let body_only = desk
        .submit_text(
            "关于完善社区养老服务的建议",
            "社区养老服务站覆盖不足，部分老旧小区的老人只能依靠子女照料。",
        )
        .await
        .code;
    let cases = [
        ("电梯", vec![lift.clone()], "two characters, title and body"),
        ("停车", vec![parking.clone()], "two characters"),
        (
            "老旧小区",
            vec![body_only.clone(), lift.clone()],
            "four characters, in a title and in a body",
        ),
        ("学校周边", vec![parking.clone()], "four characters"),
        (
            "老旧小区 电梯",
            vec![lift.clone()],
            "every term must appear",
        ),
        ("潜水艇", vec![], "nothing matches"),
        ("%", vec![], "LIKE's wildcard is a character like any other"),
    ];
    for (q, expected, why) in cases {
        // Act
        let found = page(&desk, &format!("q={}", encoded(q))).await;

        // Assert
        assert_eq!(codes(&found), expected, "{why}: {q}");
        let total: i64 = ["submitted", "accepted"]
            .iter()
            .map(|s| count(&found, s))
            .sum();
        assert_eq!(
            total,
            expected.len() as i64,
            "{why}: counts follow the search"
        );
    }
}

#[tokio::test]
async fn one_and_two_character_terms_are_found_by_their_index_and_follow_a_revision() {
    // Arrange
    let desk = Desk::start().await;
    let lift = desk
        .submit_text(
            "关于老旧小区加装电梯的建议",
            "我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼困难。",
        )
        .await;
    let network = desk
        .submit_text(
            "关于加快5G基站建设的建议",
            "部分社区信号弱，建议统筹规划基站选址，推进杆塔共享。",
        )
        .await
        .code;
    let cases = [
        ("梯", vec![lift.code.clone()], "one character"),
        ("难。", vec![lift.code.clone()], "punctuation: a scan"),
        ("5g", vec![network.clone()], "ASCII, either case"),
        ("G基", vec![network.clone()], "a letter beside a character"),
        (
            "议",
            vec![network.clone(), lift.code.clone()],
            "in every title",
        ),
        ("梯老", vec![], "pairs do not span punctuation"),
        ("建议 梯", vec![lift.code.clone()], "every term must appear"),
    ];
    for (q, expected, why) in cases {
        // Act
        let found = page(&desk, &format!("q={}", encoded(q))).await;

        // Assert
        assert_eq!(codes(&found), expected, "{why}: {q}");
        assert_eq!(
            count(&found, "submitted"),
            expected.len() as i64,
            "{why}: counts follow the search"
        );
    }

    // Act: the member revises the lift submission into one about parking.
    desk.act(&lift.code, return_for_revision()).await;
    let revised = with(
        with(
            valid_submission(),
            "title",
            json!("关于缓解学校周边停车难的建议"),
        ),
        "body",
        json!("上下学时段学校周边道路拥堵严重，家长临时停车无处可停，建议错峰。"),
    );
    let response = desk
        .app
        .client
        .put(desk.app.url(&format!("/api/submissions/{}", lift.code)))
        .bearer_auth(&lift.secret)
        .json(&revised)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), StatusCode::OK);

    // Assert: its old words stop matching, its new ones match.
    assert_eq!(
        codes(&page(&desk, &format!("q={}", encoded("梯"))).await),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&page(&desk, &format!("q={}", encoded("停车"))).await),
        [lift.code]
    );
}

#[tokio::test]
async fn keyset_pages_neither_repeat_nor_skip_rows_when_submissions_arrive_between_them() {
    // Arrange
    let desk = Desk::start().await;
    let mut before = Vec::new();
    for n in 0..7 {
        before.push(desk.submit(&format!("第{n}条关于停车难的建议")).await.code);
    }

    // Act: a page of three, two new submissions, then the rest from the cursor.
    let first = page(&desk, "limit=3").await;
    desk.submit("新到的第一条停车建议").await;
    desk.submit("新到的第二条停车建议").await;
    let mut seen = codes(&first);
    let mut next = first["next"].as_str().map(str::to_owned);
    while let Some(cursor) = next {
        let more = page(&desk, &format!("limit=3&after={cursor}")).await;
        seen.extend(codes(&more));
        next = more["next"].as_str().map(str::to_owned);
    }

    // Assert
    let newest_first: Vec<String> = before.iter().rev().cloned().collect();
    assert_eq!(
        seen, newest_first,
        "every row that existed, once, newest first"
    );
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len());
}

#[tokio::test]
async fn filters_narrow_the_rows_and_counts_ignore_only_the_status_filter() {
    // Arrange
    let desk = Desk::start().await;
    let a = desk.submit("关于停车难问题的第一条建议").await.code;
    let b = desk.submit("关于停车难问题的第二条建议").await.code;
    let _c = desk.submit("关于垃圾分类的建议").await.code;
    desk.act(&a, accept()).await;
    desk.act(&b, accept()).await;
    desk.act(&b, assign()).await;
    let flags = json!({ "key": true, "excellent": false });
    let flagged = desk
        .send(
            reqwest::Method::PUT,
            &format!("/api/staff/submissions/{a}/flags"),
            &flags,
        )
        .await;
    assert_eq!(flagged.status(), StatusCode::OK);

    // Act
    let accepted = page(&desk, &format!("status=accepted&q={}", encoded("停车"))).await;
    let handled = page(&desk, &format!("handler={}", encoded("区住建局"))).await;
    let key = page(&desk, "flag=key").await;
    let overdue = page(&desk, "overdue=true").await;
    let this_year = page(&desk, &format!("year={}", &a[3..7])).await;
    let empty_form = page(&desk, "status=&kind=&unit=&flag=&overdue=&q=&sort=&after=").await;
    let unfiltered = page(&desk, "status=closed").await;

    // Assert
    assert_eq!(codes(&accepted), [a.as_str()]);
    assert_eq!(count(&accepted, "accepted"), 1);
    assert_eq!(
        count(&accepted, "assigned"),
        1,
        "the status filter does not narrow the counts"
    );
    assert_eq!(count(&accepted, "submitted"), 0, "the search does");
    assert_eq!(codes(&handled), [b.as_str()]);
    assert_eq!(
        handled["rows"][0]["due_on"].as_str().map(str::len),
        Some(10)
    );
    assert_eq!(codes(&key), [a.as_str()]);
    assert_eq!(key["rows"][0]["flags"]["key"], true);
    assert!(
        codes(&overdue).is_empty(),
        "nothing is past a due date three months away"
    );
    assert_eq!(codes(&this_year).len(), 3);
    assert_eq!(this_year["rows"][0]["days_since_submitted"], 0);
    assert_eq!(
        codes(&empty_form).len(),
        3,
        "empty form fields filter nothing"
    );
    let whole: Vec<i64> = ["submitted", "accepted", "assigned", "closed"]
        .iter()
        .map(|status| count(&unfiltered, status))
        .collect();
    assert_eq!(
        whole,
        [1, 1, 1, 0],
        "the whole table's counts follow every change"
    );
}

#[tokio::test]
async fn the_updated_and_unit_orders_page_with_their_own_cursors() {
    // Arrange
    let desk = Desk::start().await;
    let first = desk.submit("关于停车难问题的第一条建议").await.code;
    let second = desk
        .app
        .create_submission(&crate::helpers::with(
            crate::helpers::valid_submission(),
            "unit_id",
            json!(2),
        ))
        .await
        .code;
    let third = desk.submit("关于停车难问题的第三条建议").await.code;
    // Changed after the others were stored; the update time has whole seconds.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    desk.act(&first, accept()).await;

    // Act
    let updated = page(&desk, "sort=updated&limit=1").await;
    let cursor = updated["next"].as_str().expect("a next page").to_owned();
    let rest = page(&desk, &format!("sort=updated&after={cursor}")).await;
    let by_unit = page(&desk, "sort=unit&limit=2").await;
    let unit_cursor = by_unit["next"].as_str().expect("a next page").to_owned();
    let unit_rest = page(&desk, &format!("sort=unit&after={unit_cursor}")).await;
    let wrong = desk
        .get(&format!(
            "/api/staff/submissions?sort=newest&after={cursor}"
        ))
        .await;

    // Assert
    assert_eq!(codes(&updated), [first.as_str()]);
    assert_eq!(codes(&rest), [third.clone(), second.clone()]);
    assert_eq!(codes(&by_unit), [third, first], "unit 1, newest first");
    assert_eq!(codes(&unit_rest), [second], "then unit 2");
    let body = assert_error(
        wrong,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another order's cursor",
    )
    .await;
    assert!(body["fields"]["after"].is_string());
}

#[tokio::test]
async fn bad_filters_return_422_naming_the_filter() {
    // Arrange
    let desk = Desk::start().await;
    let cases = [
        ("limit=0", Some("limit")),
        ("limit=201", Some("limit")),
        ("from=2026-02-30", Some("from")),
        ("year=99", Some("year")),
        ("after=garbage", Some("after")),
        ("codes=JY-1", Some("codes")),
        ("status=unknown", None),
    ];
    for (query, field) in cases {
        // Act
        let response = desk.get(&format!("/api/staff/submissions?{query}")).await;

        // Assert
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, query).await;
        if let Some(field) = field {
            assert!(body["fields"][field].is_string(), "{query}: {body}");
        }
    }
}

#[tokio::test]
async fn handler_suggestions_come_from_earlier_assignments_most_used_first() {
    // Arrange
    let desk = Desk::start().await;
    for handler in ["区住建局", "区教育局", "区住建局"] {
        let code = desk.submission_after(&[accept()]).await;
        desk.act(&code, json!({ "kind": "assign", "handler": handler }))
            .await;
    }

    // Act
    let all: Value = desk
        .get("/api/staff/handlers")
        .await
        .json()
        .await
        .expect("JSON");
    let some: Value = desk
        .get(&format!("/api/staff/handlers?q={}", encoded("教育")))
        .await
        .json()
        .await
        .expect("JSON");

    // Assert
    assert_eq!(all, json!(["区住建局", "区教育局"]));
    assert_eq!(some, json!(["区教育局"]));
}

#[tokio::test]
async fn rows_stored_before_the_desk_and_search_migrations_are_searchable_and_sortable_after_them()
{
    // Arrange: a database as the release before the desk left it, with one submission in it.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("jianyan.db");
    crate::helpers::database_at_version(&path, 5).await;
    crate::helpers::execute_sql(
        &path,
        "INSERT INTO submissions (id, year, kind, title, body, unit_id, name, phone, secret_hash,
                                  status, submitted_at)
         VALUES (7, 2026, 'suggestion', '关于缓解学校周边停车难的建议', '上下学时段道路拥堵严重。', 1,
                 '王建国', '13812345678', 'x', 'submitted', '2026-03-01T08:00:00+08:00');",
    )
    .await;

    // Act
    let app = crate::helpers::spawn_app_on(dir, path).await;
    let staff = app.logged_in_staff(api::Role::Reviewer).await;
    let mut found = Vec::new();
    for q in ["学校周边", "停车", "停"] {
        let page: Value = staff
            .get(&format!("/api/staff/submissions?q={}", encoded(q)))
            .await
            .json()
            .await
            .expect("a page");
        found.push(codes(&page));
    }
    let updated: Value = staff
        .get("/api/staff/submissions?sort=updated")
        .await
        .json()
        .await
        .expect("a page");

    // Assert
    assert_eq!(
        found,
        [["JY-2026-000007"]; 3],
        "the trigram and bigram indexes hold the old row"
    );
    assert_eq!(
        codes(&updated),
        ["JY-2026-000007"],
        "updated_at was filled in"
    );
}

#[tokio::test]
async fn search_text_that_means_something_to_fts5_or_like_is_searched_as_plain_text() {
    // Arrange
    let desk = Desk::start().await;
    let code = desk
        .submit_text(
            "关于\"引号\"与NEAR(电梯)的建议",
            "正文含有百分号%、下划线_、星号*和反斜杠\\，以及 AND OR NOT 等字样。",
        )
        .await
        .code;
    let cases = [
        ("\"引号\"", true),
        ("NEAR(电梯)", true),
        ("%、下", true),
        ("_、", true),
        ("*和", true),
        ("\\，", true),
        ("AND OR NOT", true),
        ("\u{0}\u{0}\u{0}", true),
        ("电\u{0}\u{0}梯", true),
        ("\"\"\"", false),
        ("\"", true),
        ("%%", false),
    ];
    // `true`: the submission is found (a search of control characters alone is no search).
    for (q, found) in cases {
        // Act
        let result = page(&desk, &format!("q={}", encoded(q))).await;

        // Assert
        let expected = if found { vec![code.clone()] } else { vec![] };
        assert_eq!(codes(&result), expected, "{q:?}");
    }
}
