//! Files staff upload for adoptions and leader instructions: stored once under their SHA-256 in the
//! attachments folder beside the database, checked by their bytes and size, downloaded with their name.

use std::path::{Path, PathBuf};

use api::Role;
use jianyan_server::Options;
use reqwest::{header, Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::{
    desk::{accept, Desk},
    helpers::{assert_error, spawn_app_with, Setup, StaffClient},
};

/// A small but well-formed PDF.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// The start of a Windows program.
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\
\x00\x00\x00\x00\x40\x00\x00\x00This program cannot be run in DOS mode.\r\r\n$";

const UPLOAD: &str = "/api/staff/attachments";

/// `X-File-Name` as the browser sends it (`encodeURIComponent`).
fn encoded(name: &str) -> String {
    name.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

async fn upload(request: reqwest::RequestBuilder, name: &str, bytes: Vec<u8>) -> Response {
    request
        .header("X-File-Name", encoded(name))
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .expect("the server answers the upload")
}

/// The attachments folder beside a test app's database.
fn attachments_folder(db_path: &Path) -> PathBuf {
    db_path.with_file_name("attachments")
}

/// The files in the attachments folder (none when it does not exist), temporary ones included.
fn files_in(folder: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|entry| {
            entry
                .expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn sha256_hex(bytes: &[u8]) -> String {
    jianyan_server::secret::sha256_hex(bytes)
}

#[tokio::test]
async fn an_uploaded_pdf_downloads_as_the_same_bytes_under_its_own_name() {
    // Arrange
    let desk = Desk::start().await;

    // Act
    let response = upload(
        desk.request(Method::POST, UPLOAD),
        "区政府采用通知.pdf",
        PDF.to_vec(),
    )
    .await;

    // Assert
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.expect("an AttachmentView");
    assert_eq!(created["name"], "区政府采用通知.pdf");
    assert_eq!(created["size"], PDF.len());
    assert_eq!(created["content_type"], "application/pdf");
    let id = created["id"].as_i64().expect("an id");
    let stored = attachments_folder(&desk.app.db_path).join(sha256_hex(PDF));
    assert_eq!(std::fs::read(&stored).expect("stored under its hash"), PDF);

    let download = desk.get(&format!("{UPLOAD}/{id}")).await;
    assert_eq!(download.status(), StatusCode::OK);
    let headers = download.headers().clone();
    let text = |name: header::HeaderName| {
        headers
            .get(&name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(text(header::CONTENT_TYPE), "application/pdf");
    assert_eq!(text(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    let disposition = text(header::CONTENT_DISPOSITION);
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains(&format!(
            "filename*=UTF-8''{}",
            encoded("区政府采用通知.pdf")
        )),
        "{disposition}"
    );
    let bytes = download.bytes().await.expect("the file");
    assert_eq!(bytes.as_ref(), PDF);
    assert_eq!(desk.app.count_rows("attachments").await, 1);
}

#[tokio::test]
async fn a_renamed_program_is_refused_415_and_nothing_is_stored() {
    // Arrange
    let desk = Desk::start().await;
    let mut program = EXE.to_vec();
    // Longer than the bytes the type is told from, so it is refused while still arriving.
    program.resize(64 * 1024, 0x90);

    // Act
    let response = upload(desk.request(Method::POST, UPLOAD), "采用通知.pdf", program).await;

    // Assert
    let body = assert_error(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "a renamed .exe",
    )
    .await;
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains("PDF"), "says what is accepted: {message}");
    assert_eq!(desk.app.count_rows("attachments").await, 0);
    assert_eq!(
        files_in(&attachments_folder(&desk.app.db_path)),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_short_unknown_file_is_refused_415_and_nothing_is_stored() {
    // Arrange
    let desk = Desk::start().await;

    // Act: shorter than the bytes the type is told from, so it is judged at its end.
    let response = upload(
        desk.request(Method::POST, UPLOAD),
        "批示.docx",
        EXE.to_vec(),
    )
    .await;

    // Assert
    assert_error(response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "a short .exe").await;
    assert_eq!(desk.app.count_rows("attachments").await, 0);
    assert_eq!(
        files_in(&attachments_folder(&desk.app.db_path)),
        Vec::<String>::new()
    );
}

/// A server whose upload limit is 16 KiB, and a logged-in reviewer (whose cookie a test may send alone).
async fn small_limit_app() -> (crate::helpers::TestApp, StaffClient) {
    let app = spawn_app_with(Setup {
        options: Options {
            attachment_max_bytes: 16 * 1024,
            ..Options::default()
        },
        ..Setup::default()
    })
    .await;
    let staff = app.logged_in_staff(Role::Reviewer).await;
    (app, staff)
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_413_and_nothing_is_stored() {
    // Arrange
    let (app, staff) = small_limit_app().await;
    let mut big = PDF.to_vec();
    big.resize(16 * 1024 + 1, b' ');

    // Act: announced (Content-Length), and sent in chunks without a length.
    let announced = upload(
        staff.request(Method::POST, UPLOAD),
        "扫描件.pdf",
        big.clone(),
    )
    .await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        big.chunks(1000).map(|chunk| Ok(chunk.to_vec())).collect();
    let streamed = staff
        .request(Method::POST, UPLOAD)
        .header("X-File-Name", encoded("扫描件.pdf"))
        .body(reqwest::Body::wrap_stream(tokio_stream::iter(chunks)))
        .send()
        .await
        .expect("the server answers the streamed upload");
    let at_limit = upload(
        staff.request(Method::POST, UPLOAD),
        "扫描件.pdf",
        big[..16 * 1024].to_vec(),
    )
    .await;

    // Assert
    for (response, how) in [(announced, "announced"), (streamed, "streamed")] {
        let body = assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, how).await;
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains("1 MB"), "says the limit: {how}: {message}");
    }
    assert_eq!(
        at_limit.status(),
        StatusCode::CREATED,
        "exactly the limit is allowed"
    );
    assert_eq!(app.count_rows("attachments").await, 1);
    assert_eq!(
        files_in(&attachments_folder(&app.db_path)),
        vec![sha256_hex(&big[..16 * 1024])],
        "only the file at the limit, no temporary file left"
    );
}

#[tokio::test]
async fn without_a_session_upload_answers_401_download_404_and_nothing_is_stored() {
    // Arrange
    let desk = Desk::start().await;
    let stored = upload(desk.request(Method::POST, UPLOAD), "通知.pdf", PDF.to_vec()).await;
    let id = stored.json::<Value>().await.expect("JSON")["id"].clone();

    // Act
    let anonymous_upload = upload(
        desk.app.client.post(desk.app.url(UPLOAD)),
        "另一份.pdf",
        b"%PDF-1.4 other".to_vec(),
    )
    .await;
    let anonymous_download = desk.app.get(&format!("{UPLOAD}/{id}")).await;

    // Assert
    assert_error(
        anonymous_upload,
        StatusCode::UNAUTHORIZED,
        "upload without a session",
    )
    .await;
    assert_error(
        anonymous_download,
        StatusCode::NOT_FOUND,
        "download without a session: nobody learns the attachment exists",
    )
    .await;
    assert_eq!(desk.app.count_rows("attachments").await, 1);
    assert_eq!(files_in(&attachments_folder(&desk.app.db_path)).len(), 1);
}

#[tokio::test]
async fn the_same_bytes_uploaded_twice_are_kept_in_one_file_under_both_names() {
    // Arrange
    let desk = Desk::start().await;

    // Act
    let first = upload(
        desk.request(Method::POST, UPLOAD),
        "采用通知.pdf",
        PDF.to_vec(),
    )
    .await;
    let second = upload(
        desk.request(Method::POST, UPLOAD),
        "采用通知（副本）.pdf",
        PDF.to_vec(),
    )
    .await;

    // Assert
    let first: Value = first.json().await.expect("JSON");
    let second: Value = second.json().await.expect("JSON");
    assert_ne!(first["id"], second["id"], "each upload is its own record");
    assert_eq!(
        files_in(&attachments_folder(&desk.app.db_path)),
        vec![sha256_hex(PDF)]
    );
    let download = desk.get(&format!("{UPLOAD}/{}", second["id"])).await;
    let disposition = download.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        disposition.contains(&encoded("采用通知（副本）.pdf")),
        "{disposition}"
    );
    assert_eq!(download.bytes().await.expect("bytes").as_ref(), PDF);
}

#[tokio::test]
async fn an_adoption_and_an_instruction_with_files_show_them_in_the_staff_view() {
    // Arrange
    let desk = Desk::start().await;
    let code = desk.submission_after(&[accept()]).await;
    let notice = upload(
        desk.request(Method::POST, UPLOAD),
        "采用通知.pdf",
        PDF.to_vec(),
    )
    .await;
    let notice: Value = notice.json().await.expect("JSON");
    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let scan = upload(desk.request(Method::POST, UPLOAD), "批示扫描.png", png).await;
    let scan: Value = scan.json().await.expect("JSON");

    // Act
    let adoption = desk
        .send(
            Method::POST,
            &format!("/api/staff/submissions/{code}/adoptions"),
            &json!({ "level": "district", "body": "区政府办公室", "on_date": "2026-03-01",
                     "attachment_id": notice["id"] }),
        )
        .await;
    let instruction = desk
        .send(
            Method::POST,
            &format!("/api/staff/submissions/{code}/instructions"),
            &json!({ "level": "city", "leader": "副市长 李某", "on_date": "2026-04-01",
                     "attachment_id": scan["id"] }),
        )
        .await;
    let unknown = desk
        .send(
            Method::POST,
            &format!("/api/staff/submissions/{code}/adoptions"),
            &json!({ "level": "city", "body": "市发改委", "on_date": "2026-05-01",
                     "attachment_id": 999 }),
        )
        .await;

    // Assert
    assert_eq!(adoption.status(), StatusCode::OK);
    assert_eq!(instruction.status(), StatusCode::OK);
    let body = assert_error(unknown, StatusCode::UNPROCESSABLE_ENTITY, "an unknown file").await;
    assert!(body["fields"]["attachment_id"].is_string(), "{body}");
    let view = desk.view(&code).await;
    assert_eq!(
        view["adoptions"].as_array().map(Vec::len),
        Some(1),
        "the refused one is not kept"
    );
    let file = &view["adoptions"][0]["attachment"];
    assert_eq!(file["id"], notice["id"]);
    assert_eq!(file["name"], "采用通知.pdf");
    assert_eq!(file["size"], PDF.len());
    assert_eq!(file["content_type"], "application/pdf");
    let file = &view["instructions"][0]["attachment"];
    assert_eq!(file["name"], "批示扫描.png");
    assert_eq!(file["content_type"], "image/png");
    let download = desk.get(&format!("{UPLOAD}/{}", file["id"])).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()[header::CONTENT_TYPE], "image/png");
}

#[tokio::test]
async fn uploads_are_in_the_audit_log_with_who_and_which_file() {
    // Arrange
    let desk = Desk::start().await;

    // Act
    let response = upload(
        desk.request(Method::POST, UPLOAD),
        "采用通知.pdf",
        PDF.to_vec(),
    )
    .await;

    // Assert
    assert_eq!(response.status(), StatusCode::CREATED);
    let pool = sqlx::SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&desk.app.db_path)
            .read_only(true),
    )
    .await
    .expect("the database");
    let row: (String, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT actor, target, note FROM audit_log WHERE action = 'attachments.upload'",
    )
    .fetch_one(&pool)
    .await
    .expect("one audit row");
    assert_eq!(row.0, "zhangsan");
    assert!(row.2.unwrap_or_default().contains("采用通知.pdf"));
}

#[tokio::test]
async fn an_unknown_attachment_is_404_and_an_empty_file_422() {
    // Arrange
    let desk = Desk::start().await;

    // Act
    let missing = desk.get(&format!("{UPLOAD}/4242")).await;
    let not_a_number = desk.get(&format!("{UPLOAD}/abc")).await;
    let empty = upload(desk.request(Method::POST, UPLOAD), "空.pdf", Vec::new()).await;

    // Assert
    assert_error(missing, StatusCode::NOT_FOUND, "no such id").await;
    assert_error(not_a_number, StatusCode::NOT_FOUND, "not an id").await;
    assert_error(empty, StatusCode::UNPROCESSABLE_ENTITY, "an empty file").await;
    assert_eq!(
        files_in(&attachments_folder(&desk.app.db_path)),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn an_upload_another_website_starts_is_refused_403_and_nothing_is_stored() {
    // Arrange: the browser sends the session cookie, but says another site started the request.
    let (app, staff) = small_limit_app().await;
    let cross_site = app
        .client
        .post(app.url(UPLOAD))
        .header(header::COOKIE, &staff.cookie)
        .header(header::ORIGIN, "https://evil.example")
        .header("Sec-Fetch-Site", "cross-site");

    // Act
    let response = upload(cross_site, "通知.pdf", PDF.to_vec()).await;

    // Assert
    assert_error(response, StatusCode::FORBIDDEN, "a cross-site upload").await;
    assert_eq!(app.count_rows("attachments").await, 0);
    assert_eq!(
        files_in(&attachments_folder(&app.db_path)),
        Vec::<String>::new()
    );
}
