//! Survey results and exports on a generated dataset with known counts, and the anonymous survey's
//! tables, which share nothing that joins a respondent to a response.

use std::io::Cursor;

use api::Role;
use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use serde_json::{json, Value};
use time::macros::datetime;

use crate::{
    helpers::{connect, execute_sql, spawn_app_with_clock, StaffClient, TestApp},
    member_fixtures::joined_member,
    surveys::{answer, four_questions, good_answers, published, settings},
};

/// Responses in the generated dataset.
const N: usize = 300;

/// Response `i` of the dataset: unit 1 + i%3, day 2026-12-0(1 + i%3); q1 是 for even i; q2 教育 and
/// 养老 always, 医疗 when i%3 == 0, 交通 when i%5 == 0, 其他 when i%10 == 0; q3 for 是; q4 = 1 + i%5;
/// q5 = i%7; q6 = 街道{i%4}.
fn generated(i: usize) -> (i64, String, Value) {
    let mut q2 = vec![1, 4];
    if i.is_multiple_of(3) {
        q2.push(2);
    }
    if i.is_multiple_of(5) {
        q2.push(3);
    }
    q2.sort_unstable();
    let mut q2_value = json!({"type": "choice", "options": q2});
    if i.is_multiple_of(10) {
        q2_value["other"] = json!(format!("其他{i}"));
    }
    let mut answers = vec![
        json!({"question": 1, "value": {"type": "choice", "options": [if i.is_multiple_of(2) { 1 } else { 2 }]}}),
        json!({"question": 2, "value": q2_value}),
    ];
    if i.is_multiple_of(2) {
        answers
            .push(json!({"question": 3, "value": {"type": "text", "value": format!("原因{i}")}}));
    }
    answers.push(json!({"question": 4, "value": {"type": "rating", "value": 1 + i % 5}}));
    answers.push(json!({"question": 5, "value": {"type": "number", "value": i % 7}}));
    answers
        .push(json!({"question": 6, "value": {"type": "text", "value": format!("街道{}", i % 4)}}));
    let unit = 1 + (i % 3) as i64;
    (
        unit,
        format!("2026-12-0{}T10:{:02}:00+08:00", 1 + i % 3, i % 60),
        Value::Array(answers),
    )
}

/// A published named survey for all units with the dataset stored, and 150 active members in each of
/// units 1–3.
async fn survey_with_dataset() -> (TestApp, StaffClient, i64) {
    let clock = jianyan_server::clock::TestClock::default();
    clock.set(datetime!(2026-12-05 10:00:00 +08:00));
    let app = spawn_app_with_clock(clock).await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (id, _) = published(
        &admin,
        &four_questions(),
        &settings(json!({"type": "all_units"}), false, false),
    )
    .await;
    let mut sql = String::from(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 449)
         INSERT INTO members (name, unit_id, phone, is_contact, created_at, updated_at)
         SELECT '成员' || i, 1 + i % 3, '139' || printf('%08d', i), 0, '2026-11-01T09:00:00+08:00',
                '2026-11-01T09:00:00+08:00' FROM n;",
    );
    for i in 0..N {
        let (unit, at, answers) = generated(i);
        sql.push_str(&format!(
            "INSERT INTO survey_respondents VALUES ({id}, 'm:{m}', 'k{i}');
             INSERT INTO survey_responses VALUES ('r{i:05}', {id}, {m}, {unit}, '{at}', '{answers}');",
            m = i + 1,
        ));
    }
    execute_sql(&app.db_path, &sql).await;
    (app, admin, id)
}

fn choice_counts(question: &Value) -> Vec<(String, u64, f64)> {
    question["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .map(|c| {
            (
                c["label"].as_str().expect("label").to_owned(),
                c["count"].as_u64().expect("count"),
                c["percent"].as_f64().expect("percent"),
            )
        })
        .collect()
}

#[tokio::test]
async fn results_are_exact_on_a_dataset_with_known_counts() {
    let (_app, admin, id) = survey_with_dataset().await;

    let results: Value = admin
        .get(&format!("/api/staff/surveys/{id}/results"))
        .await
        .json()
        .await
        .expect("results");

    let q = &results["questions"];
    assert_eq!(results["responses"], N);
    assert_eq!(
        choice_counts(&q[0]),
        [("是".into(), 150, 50.0), ("否".into(), 150, 50.0)]
    );
    assert_eq!(
        choice_counts(&q[1]),
        [
            ("教育".into(), 300, 100.0),
            ("医疗".into(), 100, 33.3),
            ("交通".into(), 60, 20.0),
            ("养老".into(), 300, 100.0),
            ("其他".into(), 30, 10.0),
        ]
    );
    assert_eq!(
        (q[2]["answered"].as_u64(), q[2]["texts"].as_u64()),
        (Some(150), Some(150))
    );
    let scores: Vec<u64> = choice_counts(&q[3]).iter().map(|c| c.1).collect();
    assert_eq!(scores, [60, 60, 60, 60, 60]);
    assert_eq!(q[3]["average"], 3.0);
    let number_sum: usize = (0..N).map(|i| i % 7).sum();
    let expected_mean = (number_sum as f64 / N as f64 * 100.0).round() / 100.0;
    assert_eq!(q[4]["average"].as_f64(), Some(expected_mean));
    assert_eq!(
        q[4]["numbers"],
        json!({"min": 0.0, "max": 6.0, "median": 3.0})
    );
    assert_eq!(
        results["per_day"],
        json!([{"day": "2026-12-01", "count": 100}, {"day": "2026-12-02", "count": 100},
               {"day": "2026-12-03", "count": 100}])
    );
    let units = results["units"].as_array().expect("units");
    let first = &units[0];
    assert_eq!(
        (
            first["unit"].as_i64(),
            first["answered"].as_u64(),
            first["members"].as_u64(),
            first["percent"].as_f64()
        ),
        (Some(1), Some(100), Some(150), Some(66.7))
    );
}

#[tokio::test]
async fn a_breakdown_by_unit_and_the_text_search_are_exact() {
    let (_app, admin, id) = survey_with_dataset().await;

    let breakdown: Value = admin
        .get(&format!(
            "/api/staff/surveys/{id}/results/breakdown?question=4"
        ))
        .await
        .json()
        .await
        .expect("breakdown");
    let texts: Value = admin
        .get(&format!(
            "/api/staff/surveys/{id}/results/questions/6/texts?q=街道3"
        ))
        .await
        .json()
        .await
        .expect("texts");
    let others: Value = admin
        .get(&format!(
            "/api/staff/surveys/{id}/results/questions/2/texts"
        ))
        .await
        .json()
        .await
        .expect("texts");
    let no_question = admin
        .get(&format!(
            "/api/staff/surveys/{id}/results/breakdown?question=99"
        ))
        .await;

    assert_eq!(
        breakdown["columns"],
        json!(["1 分", "2 分", "3 分", "4 分", "5 分"])
    );
    let rows = breakdown["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3, "the three units with responses");
    for row in rows {
        let unit = row["unit"].as_u64().expect("unit") as usize;
        let mut expected = [0u64; 5];
        for i in (0..N).filter(|i| 1 + i % 3 == unit) {
            expected[i % 5] += 1;
        }
        assert_eq!(row["counts"], json!(expected), "unit {unit}");
        assert_eq!(row["answered"], 100);
    }
    assert_eq!(texts["total"], 75, "街道3 is every fourth response");
    assert_eq!(
        texts["items"].as_array().map(Vec::len),
        Some(50),
        "a page of 50"
    );
    assert_eq!(others["total"], 30);
    assert_eq!(no_question.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_exports_parse_back_with_a_row_per_response_and_a_column_per_option() {
    let (_app, admin, id) = survey_with_dataset().await;

    let csv_text = admin
        .get(&format!("/api/staff/surveys/{id}/export.csv"))
        .await
        .text()
        .await
        .expect("csv");
    let xlsx_bytes = admin
        .get(&format!("/api/staff/surveys/{id}/export.xlsx"))
        .await
        .bytes()
        .await
        .expect("xlsx");

    let mut reader = csv::Reader::from_reader(csv_text.trim_start_matches('\u{FEFF}').as_bytes());
    let head: Vec<String> = reader
        .headers()
        .expect("head")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(
        head,
        [
            "提交时间",
            "单位",
            "姓名",
            "1. 是否参加过调研",
            "2. 关注的领域：教育",
            "2. 关注的领域：医疗",
            "2. 关注的领域：交通",
            "2. 关注的领域：养老",
            "2. 关注的领域：其他",
            "3. 参加的原因",
            "4. 总体评价",
            "5. 参加活动次数",
            "6. 所在街道",
        ]
    );
    assert_eq!(rows.len(), N);
    let first = rows
        .iter()
        .find(|r| r[2] == "成员0")
        .expect("response 0 (member 1) is there");
    assert_eq!(
        &first[3..],
        ["是", "1", "1", "1", "1", "其他0", "原因0", "1", "0", "街道0"]
    );
    assert_eq!(first[0], "2026-12-01 10:00");
    let medical = rows.iter().filter(|r| r[5] == "1").count();
    assert_eq!(medical, 100);

    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(xlsx_bytes.to_vec())).expect("an xlsx");
    let sheet = workbook.worksheet_range("答卷").expect("the 答卷 sheet");
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    assert_eq!(cells[0], head);
    assert_eq!(cells.len(), N + 1);
    for (sheet_row, csv_row) in cells[1..].iter().zip(&rows) {
        let mut padded = sheet_row.clone();
        padded.resize(head.len(), String::new());
        assert_eq!(&padded, csv_row);
    }
}

#[tokio::test]
async fn an_anonymous_surveys_respondents_cannot_be_joined_to_its_responses() {
    let clock = jianyan_server::clock::TestClock::default();
    clock.set(datetime!(2026-12-05 10:17:33 +08:00));
    let app = spawn_app_with_clock(clock).await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (id, _) = published(
        &admin,
        &four_questions(),
        &settings(json!({"type": "all_units"}), true, false),
    )
    .await;
    let (member, device) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    assert_eq!(
        answer(&device, id, "k", &good_answers()).await.status(),
        StatusCode::CREATED
    );
    let mut db = connect(&app.db_path).await;

    let mut respondents: Vec<String> = Vec::new();
    let mut responses: Vec<String> = Vec::new();
    for (table, out) in [
        ("survey_respondents", &mut respondents),
        ("survey_responses", &mut responses),
    ] {
        *out = sqlx::query_scalar(&format!(
            "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
        ))
        .fetch_all(&mut db)
        .await
        .expect("columns");
    }
    let sql: Vec<String> = sqlx::query_scalar(
        "SELECT sql FROM sqlite_master WHERE name IN ('survey_respondents', 'survey_responses')",
    )
    .fetch_all(&mut db)
    .await
    .expect("schema");
    let rowid = sqlx::query("SELECT rowid FROM survey_responses")
        .fetch_all(&mut db)
        .await;
    let stored: (Option<i64>, Option<i64>, String, String) =
        sqlx::query_as("SELECT member_id, unit_id, submitted_at, id FROM survey_responses")
            .fetch_one(&mut db)
            .await
            .expect("the response");
    let who: (String, String) =
        sqlx::query_as("SELECT respondent, retry_key_hash FROM survey_respondents")
            .fetch_one(&mut db)
            .await
            .expect("the respondent");
    let export = admin
        .get(&format!("/api/staff/surveys/{id}/export.csv"))
        .await
        .text()
        .await
        .expect("csv");

    assert_eq!(
        respondents,
        ["survey_id", "respondent", "retry_key_hash"],
        "no time, no response id"
    );
    let shared: Vec<&String> = respondents
        .iter()
        .filter(|c| responses.contains(c))
        .collect();
    assert_eq!(shared, ["survey_id"], "the survey is all they share");
    assert!(
        sql.iter().all(|s| s.contains("WITHOUT ROWID")),
        "no insertion order: {sql:?}"
    );
    assert!(rowid.is_err(), "responses have no rowid to order by");
    assert_eq!(stored.0, None, "no member on an anonymous response");
    assert_eq!(stored.1, Some(1), "the unit is kept for the rates");
    assert_eq!(stored.2, "2026-12-05", "the day only, not the time of day");
    assert_eq!(stored.3.len(), 32, "a random id");
    assert_eq!(who.0, format!("m:{member}"));
    assert!(!who.1.contains(&stored.3) && !stored.3.contains(&who.1));
    assert!(
        !export.contains("姓名") && !export.contains("王建国"),
        "{export}"
    );
    assert!(export.contains("2026-12-05,"), "{export}");
}
