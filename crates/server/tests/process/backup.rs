//! `jianyan backup` against a live server's file, and the README's two ways of restoring the copy.

use std::{
    path::Path,
    process::{Command, Output},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use api::SubmissionCreated;
use reqwest::StatusCode;
use tokio::task::JoinSet;

use crate::{
    helpers::{fresh_db, integrity_check, look_up, post, submission, Posted, ServerProcess},
    staff_accounts::staff_command,
};

/// Clients writing while the backup runs.
const WRITERS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_a_server_taking_writes_restores_with_every_row_acknowledged_before_it() {
    // Arrange: a live server with a known row and clients writing to it.
    let (dir, live) = fresh_db();
    let server = ServerProcess::start(&live);
    let client = reqwest::Client::new();
    let Posted::Stored(first) = post(&client, &server.address, "before-backup", 0).await else {
        panic!("the first submission is stored");
    };
    let receipts: Arc<Mutex<Vec<SubmissionCreated>>> = Arc::default();
    let done = Arc::new(AtomicBool::new(false));
    let mut writers = JoinSet::new();
    for worker in 0..WRITERS {
        let (client, address) = (client.clone(), server.address.clone());
        let (receipts, done) = (Arc::clone(&receipts), Arc::clone(&done));
        writers.spawn(async move {
            let mut i = 0;
            while !done.load(Ordering::Relaxed) && i < 20_000 {
                let n = 1 + worker * 20_000 + i;
                if let Posted::Stored(receipt) =
                    post(&client, &address, &format!("live-{n}"), n).await
                {
                    receipts.lock().expect("lock").push(receipt);
                }
                i += 1;
            }
        });
    }
    let acknowledged = || receipts.lock().expect("lock").len();
    wait_until(|| acknowledged() >= 50).await;
    let before_backup = receipts.lock().expect("lock").clone();
    let copy = dir.path().join("copy.db");

    // Act: the real binary, as an operator would run it, while the writes go on.
    let output = run_backup(&live, &copy).await;
    let after_backup = acknowledged();
    wait_until(|| acknowledged() >= after_backup + 20).await;
    // Each client has at most one request in flight, so this one was sent after the backup ended.
    let written_after = receipts.lock().expect("lock")[after_backup + WRITERS].clone();
    done.store(true, Ordering::Relaxed);
    writers.join_all().await;
    server.stop();

    // Assert: the copy is sound and a server on it serves every row acknowledged before the backup.
    assert!(
        output.status.success(),
        "backup failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("copy.db"),
        "names the copy"
    );
    assert_eq!(integrity_check(&copy).await, "ok");
    let restored = ServerProcess::start(&copy);
    for receipt in std::iter::once(&first).chain(&before_backup) {
        let (status, _) = look_up(&client, &restored.address, receipt).await;
        assert_eq!(status, StatusCode::OK, "{} is in the copy", receipt.code);
    }
    let (_, view) = look_up(&client, &restored.address, &first).await;
    assert_eq!(view["title"], submission(0)["title"]);
    restored.stop();

    // Assert: README's other way — copy the file over the stopped server's, minus its -wal/-shm.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", live.display()));
    }
    std::fs::copy(&copy, &live).expect("the copy replaces the live file");
    let server = ServerProcess::start(&live);
    let (status, _) = look_up(&client, &server.address, &first).await;
    assert_eq!(status, StatusCode::OK, "the row from before the backup");
    let (status, _) = look_up(&client, &server.address, &written_after).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a row written after the backup is gone: the file was really replaced"
    );
    server.stop();
}

#[tokio::test]
async fn a_backup_of_a_database_that_does_not_exist_fails_and_creates_nothing() {
    // Arrange
    let (dir, missing) = fresh_db();
    let copy = dir.path().join("copy.db");

    // Act
    let output = run_backup(&missing, &copy).await;

    // Assert
    assert!(!output.status.success(), "a typo in --db is an error");
    assert!(
        !missing.exists(),
        "no empty database is created in its place"
    );
    assert!(!copy.exists(), "no copy of nothing is written");
}

#[tokio::test]
async fn a_backup_copies_the_server_key_beside_the_copy_for_the_owner_alone() {
    // Arrange: a server has run on the database, so its key exists.
    let (dir, live) = fresh_db();
    let server = ServerProcess::start(&live);
    let client = reqwest::Client::new();
    let Posted::Stored(receipt) = post(&client, &server.address, "before-backup", 0).await else {
        panic!("a submission is stored");
    };
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).expect("a folder for backups");
    let copy = backups.join("copy.db");

    // Act
    let output = run_backup(&live, &copy).await;
    server.stop();

    // Assert: the copy's key is the live one, so receipts issued before still open the restored copy.
    assert!(
        output.status.success(),
        "backup failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let key = backups.join("copy.db.secret.key");
    assert_eq!(
        std::fs::read(&key).expect("the key is copied beside the backup"),
        std::fs::read(dir.path().join("secret.key")).expect("the live key"),
    );
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&key)
            .expect("the key's metadata")
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600, "the copied key is the owner's alone");
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("copy.db.secret.key"),
        "the command names the key's copy"
    );
    // Restored as the README says: the copy as the database, its key as secret.key beside it.
    let restored_dir = tempfile::tempdir().expect("a folder");
    let restored = restored_dir.path().join("jianyan.db");
    std::fs::copy(&copy, &restored).expect("the copy is restored");
    std::fs::copy(&key, restored_dir.path().join("secret.key")).expect("the key is restored");
    let server = ServerProcess::start(&restored);
    let (status, _) = look_up(&client, &server.address, &receipt).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the old receipt opens the restored copy"
    );
    server.stop();
}

#[tokio::test]
async fn a_backup_copies_the_uploaded_files_and_a_restored_server_serves_them() {
    // Arrange: a server with a staff member who uploaded a file.
    let (dir, live) = fresh_db();
    let server = ServerProcess::start(&live);
    let added = staff_command(
        &live,
        &["add", "zhangsan", "--name", "张三"],
        "correct-horse-9",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let client = reqwest::Client::new();
    let cookie = staff_cookie(&client, &server.address).await;
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let uploaded = client
        .post(format!("{}/api/staff/attachments", server.address))
        .header("Cookie", &cookie)
        .header("X-File-Name", "%E9%87%87%E7%94%A8%E9%80%9A%E7%9F%A5.pdf")
        .body(pdf.to_vec())
        .send()
        .await
        .expect("the server answers the upload");
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    let id = uploaded.json::<serde_json::Value>().await.expect("JSON")["id"].clone();
    let copy = dir.path().join("copy.db");

    // Act: the backup runs while the server is up.
    let output = run_backup(&live, &copy).await;
    server.stop();

    // Assert: the files sit in <copy>.attachments, named as the live ones, and nothing else.
    assert!(
        output.status.success(),
        "backup failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let copied = dir.path().join("copy.db.attachments");
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("copy.db.attachments"),
        "the command names the folder"
    );
    let names: Vec<String> = std::fs::read_dir(&copied)
        .expect("the attachments are copied beside the backup")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let sha256 = jianyan_server::secret::sha256_hex(pdf);
    assert_eq!(names, vec![sha256.clone()]);
    assert_eq!(std::fs::read(copied.join(&sha256)).expect("the copy"), pdf);
    // Restored as the README says: database, key, and the folder as attachments beside them.
    let restored_dir = tempfile::tempdir().expect("a folder");
    let restored = restored_dir.path().join("jianyan.db");
    std::fs::copy(&copy, &restored).expect("the copy is restored");
    let key = dir.path().join("copy.db.secret.key");
    std::fs::copy(&key, restored_dir.path().join("secret.key")).expect("the key is restored");
    let files = restored_dir.path().join("attachments");
    std::fs::create_dir(&files).expect("the attachments folder");
    std::fs::copy(copied.join(&sha256), files.join(&sha256)).expect("the file is restored");
    let server = ServerProcess::start(&restored);
    let cookie = staff_cookie(&client, &server.address).await;
    let download = client
        .get(format!("{}/api/staff/attachments/{id}", server.address))
        .header("Cookie", &cookie)
        .send()
        .await
        .expect("the restored server answers");
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.expect("bytes").as_ref(), pdf);
    server.stop();
}

/// Logs 张三 (correct-horse-9) in and returns the `jianyan_staff=<token>` pair.
async fn staff_cookie(client: &reqwest::Client, address: &str) -> String {
    let response = client
        .post(format!("{address}/api/staff/session"))
        .json(&serde_json::json!({ "login": "zhangsan", "password": "correct-horse-9" }))
        .send()
        .await
        .expect("the server answers the login");
    assert_eq!(response.status(), StatusCode::OK, "logging in");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| {
            cookie
                .split(';')
                .next()
                .filter(|pair| pair.starts_with("jianyan_staff="))
        })
        .expect("a session cookie")
        .to_owned()
}

/// `jianyan backup <copy> --db <live>`, off the async threads so the live server's clients keep going.
async fn run_backup(live: &Path, copy: &Path) -> Output {
    let (live, copy) = (live.to_owned(), copy.to_owned());
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_jianyan"))
            .arg("backup")
            .arg(&copy)
            .arg("--db")
            .arg(&live)
            .env("NO_COLOR", "1")
            .output()
            .expect("the backup command runs")
    })
    .await
    .expect("the backup command's thread ends")
}

async fn wait_until(condition: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn a_backup_keeps_a_members_submission_with_its_file_and_the_restored_desk_lists_it() {
    // Arrange: an admin, a member joined on a phone who sends a submission with a PDF in two chunks.
    let (dir, live) = fresh_db();
    let server = ServerProcess::start(&live);
    let added = staff_command(
        &live,
        &["add", "zhangsan", "--name", "张三", "--role", "admin"],
        "correct-horse-9",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let client = reqwest::Client::new();
    let address = server.address.clone();
    let staff = staff_cookie(&client, &address).await;
    let same_site = |request: reqwest::RequestBuilder, cookie: &str| {
        request
            .header("Cookie", cookie.to_owned())
            .header("Origin", address.clone())
            .header("Sec-Fetch-Site", "same-origin")
    };
    let member_id = {
        use sqlx::Connection;
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&live);
        let mut db = sqlx::SqliteConnection::connect_with(&options)
            .await
            .expect("the live database opens");
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO members (name, unit_id, phone, is_contact, created_at, updated_at)
             VALUES ('王建国', 1, '13812345678', 0, '2026-11-01T09:00:00+08:00',
                     '2026-11-01T09:00:00+08:00') RETURNING id",
        )
        .fetch_one(&mut db)
        .await
        .expect("a member on the roster")
    };
    let invitation: serde_json::Value = same_site(
        client.post(format!(
            "{address}/api/staff/members/{member_id}/invitation"
        )),
        &staff,
    )
    .send()
    .await
    .expect("an answer")
    .json()
    .await
    .expect("an invitation");
    let token = invitation["link"]
        .as_str()
        .expect("a link")
        .split_once('#')
        .expect("#")
        .1;
    let joined = same_site(client.post(format!("{address}/api/member/join")), "")
        .json(&serde_json::json!({ "token": token }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(joined.status(), StatusCode::OK, "joining");
    let member = joined
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| {
            cookie
                .split(';')
                .next()
                .filter(|pair| pair.starts_with("jianyan_member="))
        })
        .expect("the member cookie")
        .to_owned();
    let mut pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    pdf.resize(40_000, b'x');
    pdf.extend_from_slice(b"\n%%EOF\n");
    let created: serde_json::Value =
        same_site(client.post(format!("{address}/api/uploads")), &member)
            .json(&serde_json::json!({ "name": "调研报告.pdf", "size": pdf.len() }))
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("an upload");
    let upload = created["id"].as_str().expect("an id").to_owned();
    for (offset, chunk) in [(0, &pdf[..20_000]), (20_000, &pdf[20_000..])] {
        let sent = same_site(
            client.patch(format!("{address}/api/uploads/{upload}")),
            &member,
        )
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", "application/offset+octet-stream")
        .body(chunk.to_vec())
        .send()
        .await
        .expect("an answer");
        assert_eq!(sent.status(), StatusCode::OK, "the chunk at {offset}");
    }
    let mut body = submission(0);
    body["attachments"] = serde_json::json!([upload]);
    let receipt: SubmissionCreated =
        same_site(client.post(format!("{address}/api/submissions")), &member)
            .header("Idempotency-Key", "backup-with-file")
            .json(&body)
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("a receipt");
    let copy = dir.path().join("copy.db");

    // Act: back up, then restore database, key and files into a new folder and start there.
    let output = run_backup(&live, &copy).await;
    server.stop();
    assert!(
        output.status.success(),
        "backup failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let restored_dir = tempfile::tempdir().expect("a folder");
    let restored = restored_dir.path().join("jianyan.db");
    std::fs::copy(&copy, &restored).expect("the copy is restored");
    std::fs::copy(
        dir.path().join("copy.db.secret.key"),
        restored_dir.path().join("secret.key"),
    )
    .expect("the key is restored");
    let files = restored_dir.path().join("attachments");
    std::fs::create_dir(&files).expect("the attachments folder");
    for entry in std::fs::read_dir(dir.path().join("copy.db.attachments")).expect("copied files") {
        let entry = entry.expect("an entry");
        std::fs::copy(entry.path(), files.join(entry.file_name())).expect("a file is restored");
    }
    let server = ServerProcess::start(&restored);
    let staff = staff_cookie(&client, &server.address).await;
    let detail: serde_json::Value = client
        .get(format!(
            "{}/api/staff/submissions/{}",
            server.address, receipt.code
        ))
        .header("Cookie", &staff)
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("the staff view");
    let file = &detail["attachments"][0];
    let download = client
        .get(format!(
            "{}/api/staff/attachments/{}",
            server.address, file["id"]
        ))
        .header("Cookie", &staff)
        .send()
        .await
        .expect("the restored server answers");

    // Assert
    assert_eq!(file["name"], "调研报告.pdf", "{detail}");
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(
        download.bytes().await.expect("bytes").as_ref(),
        pdf.as_slice()
    );
    server.stop();
}
