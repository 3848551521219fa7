//! The filtered list as CSV and XLSX: UTF-8 with BOM, the expected columns and rows, formulas kept as
//! text, the filters and selected codes honoured, and the old yearly export still there.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::{header, Method, StatusCode};
use serde_json::json;

use crate::desk::{accept, assign, reply, start_handling, Desk};

const HEADER: [&str; 14] = [
    "回执编号",
    "提交时间",
    "最近更新",
    "单位",
    "领衔人",
    "类别",
    "标题",
    "状态",
    "办理结果",
    "采用情况",
    "领导批示",
    "承办单位",
    "办理时限",
    "答复",
];

/// Splits CSV text into rows of fields (quotes, doubled quotes and line breaks inside quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

async fn csv(desk: &Desk, query: &str) -> Vec<Vec<String>> {
    let response = desk
        .get(&format!("/api/staff/submissions/export.csv?{query}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let bytes = response.bytes().await.expect("the CSV downloads");
    assert!(bytes.starts_with("\u{FEFF}".as_bytes()), "UTF-8 with a BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    parse_csv(&text)
}

async fn xlsx(desk: &Desk, query: &str) -> Vec<Vec<String>> {
    let response = desk
        .get(&format!("/api/staff/submissions/export.xlsx?{query}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("the workbook downloads");
    let mut workbook = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a readable .xlsx");
    let range = workbook
        .worksheet_range("建言列表")
        .expect("a sheet named 建言列表");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::String(text) => text.clone(),
                    other => panic!("every cell is text, found {other:?}"),
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn the_csv_and_the_workbook_hold_the_filtered_rows_with_every_column() {
    // Arrange
    let desk = Desk::start().await;
    let handled = desk
        .submit("=HYPERLINK(\"http://x\",\"点我\")关于停车")
        .await
        .code;
    for action in [accept(), assign(), start_handling(), reply()] {
        desk.act(&handled, action).await;
    }
    let path = |what: &str| format!("/api/staff/submissions/{handled}/{what}");
    desk.send(Method::PUT, &path("outcome"), &json!({ "outcome": "A" }))
        .await;
    desk.send(
        Method::POST,
        &path("adoptions"),
        &json!({ "level": "district", "body": "区政府办公室", "on_date": "2026-03-01" }),
    )
    .await;
    desk.send(
        Method::POST,
        &path("adoptions"),
        &json!({ "level": "city", "body": "市发改委", "on_date": "2026-05-01" }),
    )
    .await;
    desk.send(
        Method::POST,
        &path("instructions"),
        &json!({ "level": "district", "leader": "区长 张某", "on_date": "2026-04-01" }),
    )
    .await;
    let other = desk.submit("关于垃圾分类的建议，逗号与\"引号\"").await.code;

    for (format, rows) in [
        ("csv", csv(&desk, "").await),
        ("xlsx", xlsx(&desk, "").await),
    ] {
        // Assert
        assert_eq!(rows[0], HEADER, "{format}");
        assert_eq!(rows.len(), 3, "{format}: a header and two rows");
        let newest = &rows[1];
        assert_eq!(newest[0], other, "{format}: newest first");
        assert_eq!(newest[6], "关于垃圾分类的建议，逗号与\"引号\"", "{format}");
        assert_eq!(newest[7], "已提交", "{format}");
        let row = &rows[2];
        assert_eq!(row[0], handled, "{format}");
        let title = if format == "csv" {
            "'=HYPERLINK(\"http://x\",\"点我\")关于停车"
        } else {
            "=HYPERLINK(\"http://x\",\"点我\")关于停车"
        };
        assert_eq!(row[6], title, "{format}: a formula stays text");
        assert_eq!(row[3], "民革中原区支部", "{format}");
        assert_eq!(row[4], "王建国", "{format}");
        assert_eq!(row[5], "意见建议", "{format}");
        assert_eq!(row[7], "已答复", "{format}");
        assert_eq!(row[8], "A 已解决或基本解决", "{format}");
        assert_eq!(
            row[9], "区级（区政府办公室，2026-03-01）；市级（市发改委，2026-05-01）",
            "{format}"
        );
        assert_eq!(row[10], "区级（区长 张某，2026-04-01）", "{format}");
        assert_eq!(row[11], "区住建局", "{format}");
        assert_eq!(row[12].len(), 10, "{format}: a due date");
        assert_eq!(row[13], "已列入明年民生实事，安排专项资金。", "{format}");
    }
}

#[tokio::test]
async fn an_export_follows_the_filters_or_the_selected_codes_and_not_the_page_size() {
    // Arrange
    let desk = Desk::start().await;
    let mut codes = Vec::new();
    for n in 0..5 {
        codes.push(desk.submit(&format!("第{n}条关于停车难的建议")).await.code);
    }
    desk.act(&codes[1], accept()).await;

    // Act
    let accepted = csv(&desk, "status=accepted").await;
    let selected = xlsx(&desk, &format!("codes={},{}", codes[0], codes[4])).await;
    let everything = csv(&desk, "limit=1").await;

    // Assert
    let first_column =
        |rows: &[Vec<String>]| rows[1..].iter().map(|r| r[0].clone()).collect::<Vec<_>>();
    assert_eq!(first_column(&accepted), [codes[1].clone()]);
    assert_eq!(
        first_column(&selected),
        [codes[4].clone(), codes[0].clone()]
    );
    assert_eq!(everything.len(), 6, "an export is never one page");
}

#[tokio::test]
async fn an_export_of_more_rows_than_one_read_holds_each_exactly_once() {
    // Arrange: more than the 1,000 rows read at a time, stored straight into the database.
    let desk = Desk::start().await;
    desk.submit("关于加强老旧小区加装电梯的建议").await;
    crate::helpers::execute_sql(
        &desk.app.db_path,
        "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 2501)
         INSERT INTO submissions (id, year, kind, title, body, unit_id, name, phone, secret_hash,
                                  status, submitted_at, updated_at)
         SELECT i, 2026, 'suggestion', '第' || i || '条建议', '内容内容内容内容内容内容内容内容内容内容', 1,
                '王建国', '13812345678', 'x', 'submitted', '2026-01-01T08:00:00+08:00',
                '2026-01-01T08:00:00+08:00'
         FROM n;",
    )
    .await;

    // Act
    let rows = csv(&desk, "").await;
    // Enough rows match for the page to walk the newest-first order with the filter unindexed.
    let page: serde_json::Value = desk
        .get("/api/staff/submissions?kind=suggestion&limit=3")
        .await
        .json()
        .await
        .expect("a page");

    // Assert
    assert_eq!(rows.len(), 2502, "a header and 2,501 rows");
    let unique: std::collections::HashSet<&String> = rows[1..].iter().map(|r| &r[0]).collect();
    assert_eq!(unique.len(), 2501);
    let newest: Vec<&str> = page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|row| row["code"].as_str())
        .collect();
    assert_eq!(
        newest,
        ["JY-2026-002501", "JY-2026-002500", "JY-2026-002499"]
    );
}

#[tokio::test]
async fn the_yearly_export_still_answers_beside_the_new_ones() {
    // Arrange
    let desk = Desk::start().await;
    desk.submit("关于加强老旧小区加装电梯的建议").await;

    // Act
    let response = desk.get("/api/staff/submissions/export?year=2026").await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
}
