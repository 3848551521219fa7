//! The real `jianyan` binary as a child process, signals for it, and plain reads of the file it wrote.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Stdio},
    sync::{mpsc, Arc, Mutex},
    time::{Duration, Instant},
};

use api::{SubmissionCreated, IDEMPOTENCY_KEY_HEADER};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::{sqlite::SqliteConnectOptions, Connection, SqliteConnection};

/// How long the binary may take to start listening, or to exit once told to.
const PATIENCE: Duration = Duration::from_secs(20);

/// A running `jianyan serve`; killed when dropped, so a failing test leaves no process behind.
pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl ServerProcess {
    /// Starts the binary on `db` and a free port, and waits until it says where it listens.
    pub fn start(db: &Path) -> ServerProcess {
        Self::start_with(db, &[])
    }

    /// `start`, with more arguments for `jianyan serve`.
    pub fn start_with(db: &Path, args: &[&str]) -> ServerProcess {
        let no_frontend = db.with_extension("no-frontend");
        let mut child = Command::new(env!("CARGO_BIN_EXE_jianyan"))
            .arg("serve")
            .args(["--addr", "127.0.0.1:0"])
            .arg("--db")
            .arg(db)
            .arg("--static")
            .arg(&no_frontend)
            // These tests post hundreds of submissions a second from one address, on purpose.
            .args(["--submit-rate-per-minute", "0"])
            .args(args)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .spawn()
            .expect("the jianyan binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (address_tx, address_rx) = mpsc::channel();
        let lines = Arc::clone(&log);
        // Reads the log to the end, so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let line = strip_ansi(&line);
                if let Some(address) = listening_address(&line) {
                    let _ = address_tx.send(address);
                }
                lines.lock().expect("log lock").push(line);
            }
        });
        let address = match address_rx.recv_timeout(PATIENCE) {
            Ok(address) => address,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the server never said where it listens; its log: {:#?}",
                    log
                );
            }
        };
        ServerProcess {
            child,
            address: format!("http://{address}"),
            log,
        }
    }

    /// The port, for raw TCP.
    pub fn socket_address(&self) -> String {
        self.address.trim_start_matches("http://").to_owned()
    }

    /// `kill -9`: no handler runs, nothing is flushed or closed.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL is delivered");
        self.child.wait().expect("the killed server is reaped");
    }

    /// SIGTERM, the signal a service manager stops the server with.
    pub fn terminate(&self) {
        let pid = i32::try_from(self.child.id())
            .ok()
            .and_then(rustix::process::Pid::from_raw)
            .expect("the child has a valid pid");
        rustix::process::kill_process(pid, rustix::process::Signal::TERM)
            .expect("SIGTERM is delivered");
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the process to end by itself, failing the test after `PATIENCE`.
    pub fn wait(mut self) -> ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("the child can be polled") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit in {PATIENCE:?}; its log: {:#?}",
                self.log
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What the server logged so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().expect("log lock").clone()
    }

    /// SIGTERM, then insists on a clean exit.
    pub fn stop(self) {
        self.terminate();
        let log = Arc::clone(&self.log);
        let status = self.wait();
        assert!(status.success(), "exit status {status}; log: {log:#?}");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `addr=127.0.0.1:4321` from the line `serve()` logs once it listens.
fn listening_address(line: &str) -> Option<String> {
    if !line.contains("serving") {
        return None;
    }
    let rest = &line[line.find("addr=")? + "addr=".len()..];
    Some(rest.split_whitespace().next()?.to_owned())
}

/// The log without terminal colours, in case the subscriber ignores NO_COLOR.
fn strip_ansi(line: &str) -> String {
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

/// A valid submission whose title carries `n`, so rows can be told apart.
pub fn submission(n: usize) -> Value {
    json!({
        "kind": "suggestion",
        "title": format!("关于加强老旧小区加装电梯的建议（第{n}号）"),
        "body": "我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼困难。建议统筹财政补贴，简化审批流程。",
        "unit_id": 1,
        "name": "王建国",
        "phone": "13812345678",
        "cosigners": ["李红", "张伟"]
    })
}

/// What happened to one POST.
pub enum Posted {
    /// 201 with its receipt.
    Stored(SubmissionCreated),
    /// Any other status, or no answer at all (the server died or refused the connection).
    NotConfirmed,
}

/// `POST /api/submissions` with `submission(n)` under `key`.
pub async fn post(client: &reqwest::Client, server: &str, key: &str, n: usize) -> Posted {
    let response = client
        .post(format!("{server}/api/submissions"))
        .header(IDEMPOTENCY_KEY_HEADER, key)
        .json(&submission(n))
        .send()
        .await;
    match response {
        Ok(response) if response.status() == StatusCode::CREATED => match response.json().await {
            Ok(receipt) => Posted::Stored(receipt),
            Err(_) => Posted::NotConfirmed,
        },
        _ => Posted::NotConfirmed,
    }
}

/// `GET /api/submissions/{code}` with the receipt's secret: the status and the title shown.
pub async fn look_up(
    client: &reqwest::Client,
    server: &str,
    receipt: &SubmissionCreated,
) -> (StatusCode, Value) {
    let response = client
        .get(format!("{server}/api/submissions/{}", receipt.code))
        .bearer_auth(&receipt.secret)
        .send()
        .await
        .expect("the server answers GET");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// A read-only connection to the database file, as an operator's `sqlite3` would open it.
pub async fn open_read_only(path: &Path) -> SqliteConnection {
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    SqliteConnection::connect_with(&options)
        .await
        .expect("the database file opens")
}

/// `PRAGMA integrity_check`'s verdict on the file.
pub async fn integrity_check(path: &Path) -> String {
    let mut db = open_read_only(path).await;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut db)
        .await
        .expect("integrity_check runs");
    let _ = db.close().await;
    verdict
}

/// A fresh folder and a database path inside it.
pub fn fresh_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("jianyan.db");
    (dir, path)
}

/// A database as an older release left it: every migration up to and including `version`, none after.
pub async fn database_at_version(path: &Path, version: i64) {
    let mut migrator = sqlx::migrate!("./migrations");
    migrator.migrations = migrator
        .migrations
        .iter()
        .filter(|migration| migration.version <= version)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let mut db = SqliteConnection::connect_with(&options)
        .await
        .expect("a new database file");
    migrator
        .run(&mut db)
        .await
        .expect("the older migrations run");
    let _ = db.close().await;
}

/// The names of the tables in the database file.
pub async fn table_names(path: &Path) -> Vec<String> {
    let mut db = open_read_only(path).await;
    let names =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(&mut db)
            .await
            .expect("the schema can be read");
    let _ = db.close().await;
    names
}
