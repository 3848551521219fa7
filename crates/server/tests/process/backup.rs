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

use crate::helpers::{fresh_db, integrity_check, look_up, post, submission, Posted, ServerProcess};

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
