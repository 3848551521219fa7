//! Resumable uploads (`/api/uploads`, `/api/staff/uploads`) and files on members' submissions: sent in
//! chunks at the offset the server holds, resumed after an interruption with the same bytes in the end,
//! checked by size, kind and count with nothing kept on refusal, seen and downloaded only by staff, and
//! swept when abandoned.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use api::Role;
use reqwest::{header, Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::{
    helpers::{assert_error, spawn_app, valid_submission, StaffClient, TestApp},
    member_fixtures::{joined_member, MemberDevice},
};

/// A well-formed PDF of `size` bytes: a header, then filler inside a comment-free stream.
fn pdf_of(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    let mut n: u32 = 0;
    while bytes.len() < size - 6 {
        // Varied bytes, so a chunk put at the wrong place would change the hash.
        n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        bytes.push(b'a' + (n >> 16) as u8 % 26);
    }
    bytes.extend_from_slice(b"\n%%EOF");
    bytes.truncate(size);
    bytes
}

/// The start of a Windows program, padded past the bytes the type check reads.
fn exe_of(size: usize) -> Vec<u8> {
    let mut bytes = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode.\r\r\n$".to_vec();
    bytes.resize(size, 0);
    bytes
}

fn sha256_hex(bytes: &[u8]) -> String {
    jianyan_server::secret::sha256_hex(bytes)
}

fn attachments_folder(db_path: &Path) -> PathBuf {
    db_path.with_file_name("attachments")
}

/// Every file in the attachments folder, partial ones included.
fn files_in(folder: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

struct Uploads {
    app: TestApp,
    admin: StaffClient,
    member: (i64, MemberDevice),
}

async fn uploads() -> Uploads {
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let member = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    Uploads { app, admin, member }
}

async fn create(device: &MemberDevice, name: &str, size: usize) -> Response {
    device
        .post_json("/api/uploads", &json!({ "name": name, "size": size }))
        .await
}

/// Announces a file, insisting on 201; its id.
async fn created_id(device: &MemberDevice, name: &str, size: usize) -> String {
    let response = create(device, name, size).await;
    assert_eq!(response.status(), StatusCode::CREATED, "announcing {name}");
    let state: Value = response.json().await.expect("an upload state");
    assert_eq!(state["offset"], 0);
    assert_eq!(state["complete"], false);
    state["id"].as_str().expect("an id").to_owned()
}

async fn patch(device: &MemberDevice, id: &str, offset: usize, bytes: Vec<u8>) -> Response {
    device
        .request(Method::PATCH, &format!("/api/uploads/{id}"))
        .header("Upload-Offset", offset.to_string())
        .header(header::CONTENT_TYPE, "application/offset+octet-stream")
        .body(bytes)
        .send()
        .await
        .expect("the server answers PATCH")
}

/// Sends `bytes` from `from` in chunks of `chunk`, insisting on 200 each time; the last answer.
async fn send_rest(
    device: &MemberDevice,
    id: &str,
    bytes: &[u8],
    from: usize,
    chunk: usize,
) -> Value {
    let mut offset = from;
    let mut last = Value::Null;
    while offset < bytes.len() {
        let end = (offset + chunk).min(bytes.len());
        let response = patch(device, id, offset, bytes[offset..end].to_vec()).await;
        assert_eq!(response.status(), StatusCode::OK, "chunk at {offset}");
        let held: usize = response.headers()["upload-offset"]
            .to_str()
            .expect("text")
            .parse()
            .expect("a number");
        last = response.json().await.expect("an upload state");
        assert_eq!(
            held, end,
            "the server holds the bytes up to the chunk's end"
        );
        offset = end;
    }
    last
}

/// Uploads `bytes` whole as `name`; the upload id.
async fn uploaded(device: &MemberDevice, name: &str, bytes: &[u8]) -> String {
    let id = created_id(device, name, bytes.len()).await;
    let last = send_rest(device, &id, bytes, 0, 64 * 1024).await;
    assert_eq!(last["complete"], true, "{name} is complete");
    id
}

async fn offset_of(device: &MemberDevice, id: &str) -> usize {
    let response = device.get(&format!("/api/uploads/{id}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let state: Value = response.json().await.expect("an upload state");
    state["offset"].as_u64().expect("an offset") as usize
}

async fn download(admin: &StaffClient, href: &str) -> Response {
    admin.get(href).await
}

#[tokio::test]
async fn an_upload_interrupted_halfway_resumes_from_the_servers_offset_and_stores_the_same_bytes() {
    // Arrange
    let Uploads { app, admin, member } = uploads().await;
    let (_, device) = &member;
    let bytes = pdf_of(1024 * 1024 + 123);
    let id = created_id(device, "调研报告.pdf", bytes.len()).await;
    send_rest(device, &id, &bytes[..300 * 1024], 0, 100 * 1024).await;

    // Act: a chunk whose connection drops after 50 KB of its 200 KB.
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let part = bytes[300 * 1024..350 * 1024].to_vec();
    let feeding = tokio::spawn(async move {
        let _ = sender.send(Ok(part)).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let _ = sender
            .send(Err(std::io::Error::other("the network went away")))
            .await;
    });
    let body = reqwest::Body::wrap_stream(tokio_stream::wrappers::ReceiverStream::new(receiver));
    let dropped = device
        .request(Method::PATCH, &format!("/api/uploads/{id}"))
        .header("Upload-Offset", (300 * 1024).to_string())
        .header(header::CONTENT_TYPE, "application/offset+octet-stream")
        .header(header::CONTENT_LENGTH, (200 * 1024).to_string())
        .body(body)
        .send()
        .await;
    feeding.await.expect("the feeder ends");
    assert!(dropped.is_err() || !dropped.expect("an answer").status().is_success());
    // The server notices the broken request a moment later.
    let mut held = offset_of(device, &id).await;
    for _ in 0..50 {
        if held > 300 * 1024 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        held = offset_of(device, &id).await;
    }
    let last = send_rest(device, &id, &bytes, held, 256 * 1024).await;

    // Assert
    assert_eq!(
        held,
        350 * 1024,
        "the bytes that arrived before the drop are kept"
    );
    assert_eq!(last["complete"], true);
    let href = format!("/api/staff/attachments/{}", last["attachment"]["id"]);
    assert_eq!(last["attachment"]["content_type"], "application/pdf");
    let file = download(&admin, &href).await;
    assert_eq!(file.status(), StatusCode::OK);
    let downloaded = file.bytes().await.expect("the file");
    assert_eq!(
        sha256_hex(&downloaded),
        sha256_hex(&bytes),
        "the same bytes"
    );
    assert_eq!(
        files_in(&attachments_folder(&app.db_path)),
        vec![sha256_hex(&bytes)],
        "stored under its hash, no partial file left"
    );
}

#[tokio::test]
async fn a_chunk_at_the_wrong_offset_is_refused_409_with_the_right_one() {
    // Arrange
    let Uploads {
        app: _app, member, ..
    } = uploads().await;
    let (_, device) = &member;
    let bytes = pdf_of(200 * 1024);
    let id = created_id(device, "报告.pdf", bytes.len()).await;
    send_rest(device, &id, &bytes[..100 * 1024], 0, 100 * 1024).await;

    // Act
    let behind = patch(device, &id, 0, bytes[..1024].to_vec()).await;
    let ahead = patch(device, &id, 150 * 1024, bytes[150 * 1024..].to_vec()).await;

    // Assert
    for (response, why) in [(behind, "a repeated chunk"), (ahead, "a skipped chunk")] {
        assert_eq!(response.headers()["upload-offset"], "102400", "{why}");
        let body = assert_error(response, StatusCode::CONFLICT, why).await;
        assert_eq!(body["message"], api::upload::WRONG_OFFSET_MESSAGE);
    }
    assert_eq!(
        offset_of(device, &id).await,
        100 * 1024,
        "nothing was added"
    );
}

#[tokio::test]
async fn too_large_wrong_type_and_too_many_are_refused_with_a_clear_4xx_and_nothing_stored() {
    // Arrange
    let Uploads { app, member, .. } = uploads().await;
    let (_, device) = &member;

    // Act: too large (declared), a program by its name, an empty file, then a program renamed .pdf.
    let too_large = create(device, "扫描件.pdf", 20 * 1024 * 1024 + 1).await;
    let program = create(device, "setup.exe", 1000).await;
    let empty = create(device, "空.pdf", 0).await;
    let renamed = created_id(device, "成果.pdf", 64 * 1024).await;
    let sniffed = patch(device, &renamed, 0, exe_of(64 * 1024)).await;

    // Assert
    let body = assert_error(too_large, StatusCode::PAYLOAD_TOO_LARGE, "over 20 MB").await;
    assert_eq!(body["message"], "文件超过 20 MB，请压缩或拆分后再上传");
    let body = assert_error(program, StatusCode::UNSUPPORTED_MEDIA_TYPE, "an .exe").await;
    assert_eq!(body["message"], api::attachment::UNSUPPORTED_MESSAGE);
    assert_error(empty, StatusCode::UNPROCESSABLE_ENTITY, "empty").await;
    let body = assert_error(
        sniffed,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "a program renamed .pdf",
    )
    .await;
    assert_eq!(body["message"], api::attachment::UNSUPPORTED_MESSAGE);
    assert_eq!(
        device
            .get(&format!("/api/uploads/{renamed}"))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "the refused upload is gone"
    );
    assert_eq!(app.count_rows("uploads").await, 0);
    assert_eq!(app.count_rows("attachments").await, 0);
    assert_eq!(
        files_in(&attachments_folder(&app.db_path)),
        Vec::<String>::new()
    );

    // Act: eleven files on one submission.
    let mut ids = Vec::new();
    for n in 0..11 {
        ids.push(uploaded(device, &format!("附件{n}.pdf"), &pdf_of(1000 + n)).await);
    }
    let mut submission = valid_submission();
    submission["attachments"] = json!(ids);
    let too_many = device
        .request(Method::POST, "/api/submissions")
        .header("Idempotency-Key", "eleven-files")
        .json(&submission)
        .send()
        .await
        .expect("the server answers");

    // Assert
    let body = assert_error(too_many, StatusCode::UNPROCESSABLE_ENTITY, "eleven files").await;
    assert_eq!(
        body["fields"]["attachments"],
        "一次最多附 10 个文件，请删去多余的文件，或合并后再上传"
    );
    assert_eq!(
        app.count_rows("submissions").await,
        0,
        "no submission stored"
    );
    assert_eq!(app.count_rows("submission_attachments").await, 0);
}

/// `POST /api/submissions` from `device` with `uploads` as its files.
async fn submit_with(device: &MemberDevice, key: &str, uploads: &[String]) -> Response {
    let mut submission = valid_submission();
    submission["attachments"] = json!(uploads);
    device
        .request(Method::POST, "/api/submissions")
        .header("Idempotency-Key", key)
        .json(&submission)
        .send()
        .await
        .expect("the server answers")
}

#[tokio::test]
async fn a_members_submission_with_files_reaches_the_staff_desk_with_its_files_in_order() {
    // Arrange
    let Uploads { app, admin, member } = uploads().await;
    let (_, device) = &member;
    let report = pdf_of(300 * 1024);
    let photo = {
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        png.resize(20 * 1024, 7);
        png
    };
    let first = uploaded(device, "调研报告.pdf", &report).await;
    let second = uploaded(device, "现场照片.png", &photo).await;

    // Act: sent, then sent again with the same key (a phone that never saw the answer).
    let sent = submit_with(device, "with-files-1", &[first.clone(), second.clone()]).await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    let receipt: Value = sent.json().await.expect("a receipt");
    let again = submit_with(device, "with-files-1", &[first, second]).await;
    let code = receipt["code"].as_str().expect("a code");
    let detail: Value = admin
        .get(&format!("/api/staff/submissions/{code}"))
        .await
        .json()
        .await
        .expect("the staff view");

    // Assert
    assert_eq!(again.status(), StatusCode::CREATED);
    let repeated: Value = again.json().await.expect("a receipt");
    assert_eq!(repeated["code"], receipt["code"], "one submission");
    assert_eq!(app.count_rows("submissions").await, 1);
    assert_eq!(
        app.count_rows("submission_attachments").await,
        2,
        "linked once"
    );
    let files = detail["attachments"].as_array().expect("a list of files");
    let names: Vec<&str> = files
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["调研报告.pdf", "现场照片.png"]);
    assert_eq!(files[0]["size"], 300 * 1024);
    let file = download(
        &admin,
        &format!("/api/staff/attachments/{}", files[0]["id"]),
    )
    .await;
    assert_eq!(file.status(), StatusCode::OK);
    let disposition = file.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("UTF-8''%E8%B0%83%E7%A0%94"),
        "{disposition}"
    );
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    assert_eq!(
        sha256_hex(&file.bytes().await.expect("bytes")),
        sha256_hex(&report)
    );
}

#[tokio::test]
async fn another_member_a_stranger_and_a_member_at_the_staff_route_are_all_told_404() {
    // Arrange
    let Uploads { app, admin, member } = uploads().await;
    let (_, device) = &member;
    let (_, other) = joined_member(&app, &admin, "李红", 2, "13900000001").await;
    let mine = uploaded(device, "我的.pdf", &pdf_of(5000)).await;
    let sent = submit_with(device, "mine-1", std::slice::from_ref(&mine)).await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    let attachment: i64 = sqlx::query_scalar::<_, i64>("SELECT attachment_id FROM uploads")
        .fetch_one(
            &jianyan_server::store::open(&app.db_path)
                .await
                .expect("the database"),
        )
        .await
        .expect("the attachment");
    let href = format!("/api/staff/attachments/{attachment}");

    // Act
    let others_view = other.get(&format!("/api/uploads/{mine}")).await;
    let others_patch = other
        .request(Method::PATCH, &format!("/api/uploads/{mine}"))
        .header("Upload-Offset", "0")
        .header(header::CONTENT_TYPE, "application/offset+octet-stream")
        .body(b"%PDF".to_vec())
        .send()
        .await
        .expect("an answer");
    let others_submission = submit_with(&other, "steal-1", std::slice::from_ref(&mine)).await;
    let member_download = device.get(&href).await;
    let stranger_download = app.get(&href).await;
    let stranger_upload = app
        .client
        .post(app.url("/api/uploads"))
        .header(header::ORIGIN, &app.address)
        .json(&json!({ "name": "a.pdf", "size": 10 }))
        .send()
        .await
        .expect("an answer");

    // Assert
    assert_error(
        others_view,
        StatusCode::NOT_FOUND,
        "another member's upload",
    )
    .await;
    assert_error(
        others_patch,
        StatusCode::NOT_FOUND,
        "writing into another's upload",
    )
    .await;
    let body = assert_error(
        others_submission,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another's file",
    )
    .await;
    assert_eq!(
        body["fields"]["attachments"],
        api::upload::NOT_READY_MESSAGE
    );
    assert_error(
        member_download,
        StatusCode::NOT_FOUND,
        "a member downloading",
    )
    .await;
    assert_error(
        stranger_download,
        StatusCode::NOT_FOUND,
        "a stranger downloading",
    )
    .await;
    assert_error(
        stranger_upload,
        StatusCode::UNAUTHORIZED,
        "guests do not upload",
    )
    .await;
    assert_eq!(app.count_rows("submissions").await, 1);
}

#[tokio::test]
async fn abandoned_uploads_and_unlinked_files_are_swept_and_linked_ones_stay() {
    // Arrange: one upload left halfway, one complete but never sent, one on a submission.
    let Uploads { app, member, .. } = uploads().await;
    let (_, device) = &member;
    let half = pdf_of(100 * 1024);
    let halfway = created_id(device, "半途.pdf", half.len()).await;
    send_rest(device, &halfway, &half[..50 * 1024], 0, 50 * 1024).await;
    let never_sent_bytes = pdf_of(7000);
    let never_sent = uploaded(device, "未提交.pdf", &never_sent_bytes).await;
    let kept_bytes = pdf_of(9000);
    let kept = uploaded(device, "已提交.pdf", &kept_bytes).await;
    assert_eq!(
        submit_with(device, "kept-1", std::slice::from_ref(&kept))
            .await
            .status(),
        StatusCode::CREATED
    );
    let folder = attachments_folder(&app.db_path);
    assert_eq!(
        files_in(&folder).len(),
        3,
        "two stored files and one partial file"
    );
    let db = jianyan_server::store::open(&app.db_path)
        .await
        .expect("the database");
    let now = time::OffsetDateTime::now_utc();
    let sweep = |at| jianyan_server::store::attachments::uploads::cleanup_at(&db, at);

    // Act: an hour on, a day and an hour on, eight days on.
    let early = sweep(now + time::Duration::hours(1))
        .await
        .expect("a sweep");
    let after_a_day = sweep(now + time::Duration::hours(25))
        .await
        .expect("a sweep");
    let halfway_after_a_day = device
        .get(&format!("/api/uploads/{halfway}"))
        .await
        .status();
    let never_sent_after_a_day = device
        .get(&format!("/api/uploads/{never_sent}"))
        .await
        .status();
    let after_a_week = sweep(now + time::Duration::days(8)).await.expect("a sweep");

    // Assert
    assert_eq!(
        early,
        Default::default(),
        "nothing is abandoned after an hour"
    );
    assert_eq!(after_a_day.incomplete, 1);
    assert_eq!(after_a_day.unlinked, 0);
    assert_eq!(halfway_after_a_day, StatusCode::NOT_FOUND);
    assert_eq!(
        never_sent_after_a_day,
        StatusCode::OK,
        "a complete file waits a week"
    );
    assert_eq!(after_a_week.unlinked, 1);
    assert_eq!(after_a_week.files, 1);
    assert_eq!(
        device
            .get(&format!("/api/uploads/{never_sent}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        files_in(&folder),
        vec![sha256_hex(&kept_bytes)],
        "only the linked file"
    );
    assert_eq!(app.count_rows("attachments").await, 1);
    assert_eq!(app.count_rows("submission_attachments").await, 1);
}

#[tokio::test]
async fn staff_upload_in_chunks_too_and_the_completed_upload_is_audited() {
    // Arrange
    let Uploads {
        app: _app,
        admin,
        member,
    } = uploads().await;
    let bytes = pdf_of(150 * 1024);

    // Act
    let created = admin
        .post_json(
            "/api/staff/uploads",
            &json!({ "name": "批示.pdf", "size": bytes.len() }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<Value>().await.expect("state")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let mut last = Value::Null;
    for (offset, chunk) in [
        (0, &bytes[..100 * 1024]),
        (100 * 1024, &bytes[100 * 1024..]),
    ] {
        let response = admin
            .request(Method::PATCH, &format!("/api/staff/uploads/{id}"))
            .header("Upload-Offset", offset.to_string())
            .header(header::CONTENT_TYPE, "application/offset+octet-stream")
            .body(chunk.to_vec())
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::OK);
        last = response.json().await.expect("state");
    }
    let members_view = member.1.get(&format!("/api/uploads/{id}")).await;
    let audit: Value = admin
        .get("/api/staff/audit")
        .await
        .json()
        .await
        .expect("the audit log");

    // Assert
    assert_eq!(last["complete"], true);
    assert_error(
        members_view,
        StatusCode::NOT_FOUND,
        "a staff upload is not a member's",
    )
    .await;
    let text = audit.to_string();
    assert!(
        text.contains("attachments.upload") && text.contains("批示.pdf"),
        "{text}"
    );
}
