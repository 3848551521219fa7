//! The staff's Excel export: every submission as a row, text that would start a formula kept as text,
//! one year at a time when asked, and nothing without a login.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::{header, Method, Response, StatusCode};
use serde_json::json;

use crate::helpers::{assert_error, spawn_app, valid_submission, with, TestApp};

const PASSWORD: &str = "correct-horse-9";
const EXPORT: &str = "/api/staff/submissions/export";

/// A server and the session cookie of a reviewer logged in to it.
async fn logged_in_app() -> (TestApp, String) {
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;
    let cookie = app.staff_cookie("zhangsan", PASSWORD).await;
    (app, cookie)
}

/// The cells of the export's one sheet, row by row, as text (`None` for an empty cell).
async fn sheet(response: Response) -> Vec<Vec<Option<String>>> {
    cells(&workbook_bytes(response).await)
}

async fn workbook_bytes(response: Response) -> Vec<u8> {
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("the workbook downloads");
    bytes.to_vec()
}

fn cells(bytes: &[u8]) -> Vec<Vec<Option<String>>> {
    let mut workbook = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a readable .xlsx");
    let range = workbook
        .worksheet_range("建言列表")
        .expect("a sheet named 建言列表");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => None,
                    Data::String(text) => Some(text.clone()),
                    other => panic!("every cell is text, found {other:?}"),
                })
                .collect()
        })
        .collect()
}

fn header_value(response: &Response, name: header::HeaderName) -> String {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_export_has_a_header_row_and_one_row_per_submission_with_every_field() {
    // Arrange
    let (app, cookie) = logged_in_app().await;
    let first = app.create_submission(&valid_submission()).await;
    let second = app
        .create_submission(&with(
            with(valid_submission(), "kind", json!("public_opinion")),
            "cosigners",
            json!([]),
        ))
        .await;

    // Act
    let response = app.send_with_cookie(Method::GET, EXPORT, &cookie).await;

    // Assert
    assert_eq!(
        header_value(&response, header::CONTENT_TYPE),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = header_value(&response, header::CONTENT_DISPOSITION);
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''%E5%BB%BA%E8%A8%80"),
        "a Chinese file name: {disposition}"
    );
    assert_eq!(header_value(&response, header::CACHE_CONTROL), "no-store");
    let rows = sheet(response).await;
    let titles: Vec<&str> = rows[0].iter().flatten().map(String::as_str).collect();
    assert_eq!(
        titles,
        [
            "回执编号",
            "提交时间",
            "类别",
            "标题",
            "单位",
            "领衔人",
            "联系电话",
            "联名人",
            "状态",
            "内容"
        ]
    );
    assert_eq!(rows.len(), 3, "a header and two submissions");
    let text = |row: usize, column: usize| rows[row][column].clone().unwrap_or_default();
    assert_eq!(text(1, 0), first.code);
    assert_eq!(text(1, 1).len(), "2026-11-27 15:45".len(), "{}", text(1, 1));
    assert_eq!(text(1, 2), "意见建议");
    assert_eq!(text(1, 3), valid_submission()["title"]);
    assert_eq!(text(1, 4), "民革中原区支部");
    assert_eq!(text(1, 5), "王建国");
    assert_eq!(text(1, 6), "13812345678");
    assert_eq!(text(1, 7), "李红、张伟");
    assert_eq!(text(1, 8), "已提交");
    assert_eq!(text(1, 9), valid_submission()["body"]);
    assert_eq!(text(2, 0), second.code);
    assert_eq!(text(2, 2), "社情民意");
    assert_eq!(text(2, 7), "", "no co-signers");
}

#[tokio::test]
async fn text_that_would_start_a_formula_is_exported_as_text() {
    // Arrange: payloads in the free-text fields (names and phone numbers allow no symbols).
    let (app, cookie) = logged_in_app().await;
    let title = "=HYPERLINK(\"http://evil.example\",\"点击查看详情\")";
    let body =
        "+cmd|' /C calc'!A0 我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼十分困难。";
    let submission = with(
        with(valid_submission(), "title", json!(title)),
        "body",
        json!(body),
    );
    let response = app.post_submission(&submission).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "{:?}",
        response.text().await
    );

    // Act
    let rows = sheet(app.send_with_cookie(Method::GET, EXPORT, &cookie).await).await;

    // Assert
    let text = |column: usize| rows[1][column].clone().unwrap_or_default();
    assert_eq!(text(3), title, "exactly as typed, no apostrophe added");
    assert_eq!(text(9), body, "exactly as typed, no apostrophe added");
}

#[tokio::test]
async fn text_starting_with_plus_or_dash_comes_back_exactly_and_is_marked_as_text() {
    // Arrange: a phone number written the international way and a list item, as members type them.
    let (app, cookie) = logged_in_app().await;
    let title = "+86 138 1234 5678 联系人的建议";
    let body = "- 一、我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼十分困难。";
    let submission = with(
        with(valid_submission(), "title", json!(title)),
        "body",
        json!(body),
    );
    app.create_submission(&submission).await;

    // Act
    let bytes = workbook_bytes(app.send_with_cookie(Method::GET, EXPORT, &cookie).await).await;

    // Assert: the text is exact, and Excel/WPS keep it as text when the cell is edited.
    let rows = cells(&bytes);
    assert_eq!(rows[1][3].as_deref(), Some(title));
    assert_eq!(rows[1][9].as_deref(), Some(body));
    for cell in ["D2", "J2"] {
        assert!(
            has_quote_prefix(&bytes, cell),
            "{cell} has the quote-prefix format"
        );
    }
    assert!(
        !has_quote_prefix(&bytes, "E2"),
        "ordinary text (the unit's name) needs no quote prefix"
    );
}

/// A part of the .xlsx zip as text, e.g. `xl/styles.xml`.
fn xlsx_part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("an .xlsx is a zip");
    let mut part = archive
        .by_name(name)
        .unwrap_or_else(|error| panic!("the .xlsx has {name}: {error}"));
    let mut text = String::new();
    std::io::Read::read_to_string(&mut part, &mut text).expect("the part is UTF-8 XML");
    text
}

/// Whether the cell `reference` (e.g. `D2`) of the first sheet has a style with `quotePrefix="1"`.
fn has_quote_prefix(bytes: &[u8], reference: &str) -> bool {
    let sheet = xlsx_part(bytes, "xl/worksheets/sheet1.xml");
    let start = format!("<c r=\"{reference}\"");
    let cell = sheet
        .find(&start)
        .map(|at| &sheet[at..])
        .unwrap_or_else(|| panic!("the sheet has a cell {reference}"));
    let cell = &cell[..cell.find('>').unwrap_or(cell.len())];
    let style: usize = match cell.split(" s=\"").nth(1) {
        Some(rest) => rest
            .split('"')
            .next()
            .and_then(|index| index.parse().ok())
            .expect("a style index is a number"),
        None => 0,
    };
    let styles = xlsx_part(bytes, "xl/styles.xml");
    let cell_formats = styles
        .split("<cellXfs")
        .nth(1)
        .and_then(|rest| rest.split("</cellXfs>").next())
        .expect("styles.xml has cellXfs");
    let format = cell_formats
        .split("<xf ")
        .nth(style + 1)
        .unwrap_or_else(|| panic!("cellXfs has a format number {style}"));
    format.contains("quotePrefix=\"1\"")
}

#[tokio::test]
async fn a_year_narrows_the_export_and_a_bad_year_is_named() {
    // Arrange
    let (app, cookie) = logged_in_app().await;
    let created = app.create_submission(&valid_submission()).await;
    let year = &created.code[3..7];

    // Act & Assert
    let this_year = sheet(
        app.send_with_cookie(Method::GET, &format!("{EXPORT}?year={year}"), &cookie)
            .await,
    )
    .await;
    assert_eq!(this_year.len(), 2, "the header and this year's submission");
    let other_year = sheet(
        app.send_with_cookie(Method::GET, &format!("{EXPORT}?year=2001"), &cookie)
            .await,
    )
    .await;
    assert_eq!(other_year.len(), 1, "the header alone");
    for bad in ["abc", "1999", "20266", ""] {
        let response = app
            .send_with_cookie(Method::GET, &format!("{EXPORT}?year={bad}"), &cookie)
            .await;
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, bad).await;
        assert!(body["fields"]["year"].is_string(), "{bad:?}: {body}");
    }
}

#[tokio::test]
async fn the_workbook_is_not_compressed_again_for_a_client_that_accepts_br_and_gzip() {
    // Arrange: an .xlsx is a zip archive already.
    let (app, cookie) = logged_in_app().await;
    app.create_submission(&valid_submission()).await;

    // Act
    let response = app
        .client
        .get(app.url(EXPORT))
        .header(header::COOKIE, &cookie)
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .expect("the server answers the export");

    // Assert
    assert_eq!(header_value(&response, header::CONTENT_ENCODING), "");
    assert_eq!(sheet(response).await.len(), 2, "the workbook still reads");
}
