//! A real server on port 0 over a fresh SQLite file, a client for it, and ways to look at what it stored.

use std::{
    collections::BTreeSet,
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use api::{Role, SubmissionCreated, TrackingCode, IDEMPOTENCY_KEY_HEADER, STAFF_SESSION_COOKIE};
use jianyan_server::{app_with, store, store::writer::WriterTask, AppState, Options};
use reqwest::{header, Method, Response, StatusCode};
use serde_json::{json, Value};
use sqlx::{sqlite::SqliteConnectOptions, Connection, SqliteConnection, SqlitePool};
use tempfile::TempDir;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

/// How long a server may take to finish its requests when asked to stop.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// One running server, its database file, and a client pointed at it.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub address: String,
    pub db_path: PathBuf,
    pub client: reqwest::Client,
    /// Keeps the database folder alive as long as the app (and across restarts).
    _dir: TempDir,
    server: RunningServer,
}

struct RunningServer {
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<()>,
    writer: WriterTask,
    pool: SqlitePool,
}

/// A server over a new, empty (migrated and seeded) database file.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder for the database");
    let db_path = dir.path().join("jianyan.db");
    start(dir, db_path).await
}

/// A server over an existing database file inside `dir`.
pub async fn spawn_app_on(dir: TempDir, db_path: PathBuf) -> TestApp {
    start(dir, db_path).await
}

/// How a test server differs from the one `spawn_app` starts.
#[derive(Default)]
pub struct Setup {
    /// A frontend folder, rate limits.
    pub options: Options,
    /// Hand the app each peer's address, as `jianyan serve` does; rate limits count only then.
    pub connect_info: bool,
}

/// A server set up as `setup` says, over a new database file.
pub async fn spawn_app_with(setup: Setup) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder for the database");
    let db_path = dir.path().join("jianyan.db");
    start_with(dir, db_path, setup).await
}

/// A server that also serves the built frontend in `static_dir`, over a new database file.
pub async fn spawn_app_with_frontend(static_dir: &Path) -> TestApp {
    spawn_app_with(Setup {
        options: Options {
            static_dir: Some(static_dir.to_owned()),
            ..Options::default()
        },
        ..Setup::default()
    })
    .await
}

async fn start(dir: TempDir, db_path: PathBuf) -> TestApp {
    start_with(dir, db_path, Setup::default()).await
}

/// A server whose handlers that read `clock::Now` see `clock`'s time, over a new database file.
pub async fn spawn_app_with_clock(clock: jianyan_server::clock::TestClock) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder for the database");
    let db_path = dir.path().join("jianyan.db");
    start_clocked(dir, db_path, Setup::default(), Some(clock)).await
}

async fn start_with(dir: TempDir, db_path: PathBuf, setup: Setup) -> TestApp {
    start_clocked(dir, db_path, setup, None).await
}

async fn start_clocked(
    dir: TempDir,
    db_path: PathBuf,
    setup: Setup,
    clock: Option<jianyan_server::clock::TestClock>,
) -> TestApp {
    let pool = store::open(&db_path)
        .await
        .expect("store::open creates and migrates the database");
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port on localhost");
    let address = format!(
        "http://{}",
        listener.local_addr().expect("the listener has an address")
    );
    let (writer, writer_task) = store::writer::spawn(&pool)
        .await
        .expect("the database writer starts");
    let router = app_with(
        AppState {
            db: pool.clone(),
            writer,
        },
        setup.options,
    );
    let router = match clock {
        Some(clock) => router.layer(axum::Extension(clock)),
        None => router,
    };
    let (shutdown, stop_requested) = oneshot::channel::<()>();
    // `jianyan_server::serve` stops only on SIGTERM/Ctrl-C, which would stop every test's server at once;
    // the same router behind a per-test signal lets one test stop its own server.
    let task = tokio::spawn(async move {
        let stop = async {
            let _ = stop_requested.await;
        };
        let served = if setup.connect_info {
            let router = router.into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, router)
                .with_graceful_shutdown(stop)
                .await
        } else {
            axum::serve(listener, router)
                .with_graceful_shutdown(stop)
                .await
        };
        served.expect("the test server runs until told to stop");
    });
    TestApp {
        address,
        db_path,
        client: reqwest::Client::new(),
        _dir: dir,
        server: RunningServer {
            shutdown,
            task,
            writer: writer_task,
            pool,
        },
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the server answers GET")
    }

    pub async fn get_units(&self) -> Response {
        self.get("/api/units").await
    }

    /// `POST /api/submissions` with a JSON body and no retry key.
    pub async fn post_submission(&self, body: &Value) -> Response {
        self.client
            .post(self.url("/api/submissions"))
            .json(body)
            .send()
            .await
            .expect("the server answers POST /api/submissions")
    }

    /// `POST /api/submissions` with a JSON body and an `Idempotency-Key`.
    pub async fn post_submission_with_key(&self, body: &Value, key: &str) -> Response {
        self.client
            .post(self.url("/api/submissions"))
            .header(IDEMPOTENCY_KEY_HEADER, key)
            .json(body)
            .send()
            .await
            .expect("the server answers POST /api/submissions")
    }

    /// `POST /api/submissions` with exactly these bytes and this Content-Type (none when `None`).
    pub async fn post_raw(
        &self,
        body: impl Into<reqwest::Body>,
        content_type: Option<&str>,
    ) -> Response {
        let mut request = self.client.post(self.url("/api/submissions")).body(body);
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        request
            .send()
            .await
            .expect("the server answers POST /api/submissions")
    }

    /// `GET /api/submissions/{code}` with `Authorization: Bearer <secret>`.
    pub async fn get_submission(&self, code: &str, secret: &str) -> Response {
        self.get_submission_with_authorization(code, Some(&format!("Bearer {secret}")))
            .await
    }

    /// `GET /api/submissions/{code}` with this exact Authorization header (none when `None`).
    pub async fn get_submission_with_authorization(
        &self,
        code: &str,
        authorization: Option<&str>,
    ) -> Response {
        let mut request = self
            .client
            .get(self.url(&format!("/api/submissions/{code}")));
        if let Some(authorization) = authorization {
            request = request.header(header::AUTHORIZATION, authorization);
        }
        request
            .send()
            .await
            .expect("the server answers GET /api/submissions/{code}")
    }

    /// Posts `body`, insists on 201, and returns the receipt.
    pub async fn create_submission(&self, body: &Value) -> SubmissionCreated {
        let response = self.post_submission(body).await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "a valid submission is stored"
        );
        response.json().await.expect("a 201 carries a receipt")
    }

    /// Rows in `table` (one of this suite's fixed table names), counted on the file itself.
    pub async fn count_rows(&self, table: &str) -> i64 {
        count_rows_in(&self.db_path, table).await
    }

    /// What the database holds for the submission behind `code`.
    pub async fn stored(&self, code: &str) -> StoredSubmission {
        stored_in(&self.db_path, code).await
    }

    /// Stops the server gracefully and closes its pool, handing back the database folder and file.
    pub async fn stop(self) -> (TempDir, PathBuf) {
        let TestApp {
            db_path,
            client,
            _dir,
            server,
            ..
        } = self;
        // Idle keep-alive connections would otherwise hold the graceful shutdown open.
        drop(client);
        let _ = server.shutdown.send(());
        tokio::time::timeout(STOP_TIMEOUT, server.task)
            .await
            .expect("the server stops in time")
            .expect("the server task ends without panicking");
        server.writer.stop().await;
        server.pool.close().await;
        (_dir, db_path)
    }

    /// Adds a reviewer's account straight into the database, as `jianyan staff add` does.
    pub async fn add_staff(&self, login: &str, name: &str, password: &str) {
        self.add_staff_with_role(login, name, Role::Reviewer, password)
            .await;
    }

    /// Adds an account with `role` straight into the database, as `jianyan staff add --role` does.
    pub async fn add_staff_with_role(&self, login: &str, name: &str, role: Role, password: &str) {
        let pool = store::open(&self.db_path)
            .await
            .expect("the database opens a second time");
        let added = jianyan_server::auth::accounts::add(&pool, login, name, role, password).await;
        assert!(added.is_ok(), "adding staff {login}: {added:?}");
        pool.close().await;
    }

    /// `POST /api/staff/session`.
    pub async fn log_in(&self, login: &str, password: &str) -> Response {
        self.client
            .post(self.url("/api/staff/session"))
            .json(&json!({ "login": login, "password": password }))
            .send()
            .await
            .expect("the server answers POST /api/staff/session")
    }

    /// Logs in as an account that must exist and returns its session cookie, `jianyan_staff=<token>`,
    /// ready for a `Cookie` header.
    pub async fn staff_cookie(&self, login: &str, password: &str) -> String {
        let response = self.log_in(login, password).await;
        assert_eq!(response.status(), StatusCode::OK, "logging in as {login}");
        session_cookie(&response)
            .unwrap_or_else(|| panic!("logging in as {login} sets the session cookie"))
    }

    /// A request with this `Cookie` header and no Origin (as curl would send it).
    pub async fn send_with_cookie(&self, method: Method, path: &str, cookie: &str) -> Response {
        self.client
            .request(method, self.url(path))
            .header(header::COOKIE, cookie)
            .send()
            .await
            .expect("the server answers")
    }

    /// A new account with `role`, logged in through `POST /api/staff/session`: a client that sends its
    /// session cookie and the headers a browser on this site sends with every request.
    pub async fn logged_in_staff(&self, role: Role) -> StaffClient {
        static NEXT: AtomicUsize = AtomicUsize::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let login = format!("{}{n}", role.as_str());
        let name = format!("{}{n}", role.label());
        self.add_staff_with_role(&login, &name, role, STAFF_PASSWORD)
            .await;
        let cookie = self.staff_cookie(&login, STAFF_PASSWORD).await;
        StaffClient {
            address: self.address.clone(),
            client: self.client.clone(),
            login,
            cookie,
        }
    }

    /// Stops gracefully, then starts a new server on the same file.
    pub async fn restart(self) -> TestApp {
        let (dir, db_path) = self.stop().await;
        start(dir, db_path).await
    }

    /// Kills the server task mid-flight, without closing the pool, then starts a new server on the same file.
    pub async fn kill_and_restart(self) -> TestApp {
        let TestApp {
            db_path,
            _dir,
            server,
            ..
        } = self;
        server.task.abort();
        let _ = server.task.await;
        drop(server.pool);
        start(_dir, db_path).await
    }
}

/// The password of the accounts `logged_in_staff` makes.
pub const STAFF_PASSWORD: &str = "staff-password-1";

/// A logged-in staff member's client: every request carries the session cookie and the headers a
/// browser sends from the site's own pages (`Origin` and `Sec-Fetch-Site: same-origin`).
#[derive(Clone)]
pub struct StaffClient {
    /// `http://127.0.0.1:<port>`, the site's origin.
    pub address: String,
    pub client: reqwest::Client,
    /// The account's login, e.g. `admin3`.
    pub login: String,
    /// `jianyan_staff=<token>`.
    pub cookie: String,
}

impl StaffClient {
    /// A request to `path` with the cookie and same-origin headers; add a body or headers, then send.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
            .header(header::COOKIE, &self.cookie)
            .header(header::ORIGIN, &self.address)
            .header("Sec-Fetch-Site", "same-origin")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(Method::GET, path).await
    }

    /// `POST` with a JSON body.
    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("the server answers POST")
    }

    /// Any method, no body.
    pub async fn send(&self, method: Method, path: &str) -> Response {
        self.request(method, path)
            .send()
            .await
            .expect("the server answers")
    }
}

/// The `jianyan_staff=<token>` pair a response's `Set-Cookie` sets, if any (not one that clears it).
pub fn session_cookie(response: &Response) -> Option<String> {
    set_cookie(response)
        .and_then(|cookie| cookie.split(';').next().map(str::to_owned))
        .filter(|pair| pair.len() > STAFF_SESSION_COOKIE.len() + 1)
}

/// The response's `Set-Cookie` for the session cookie, whole (value and attributes).
pub fn set_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|cookie| cookie.starts_with(&format!("{STAFF_SESSION_COOKIE}=")))
        .map(str::to_owned)
}

/// A read-only connection to a database file.
pub async fn connect(path: &Path) -> SqliteConnection {
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    SqliteConnection::connect_with(&options)
        .await
        .expect("the database file opens with plain sqlx")
}

/// Runs `sql` (one or more statements) on the database file through a connection of its own, as an
/// operator's `sqlite3` would.
pub async fn execute_sql(path: &Path, sql: &str) {
    let options = SqliteConnectOptions::new().filename(path);
    let mut db = SqliteConnection::connect_with(&options)
        .await
        .expect("the database file opens for writing");
    sqlx::raw_sql(sql)
        .execute(&mut db)
        .await
        .unwrap_or_else(|error| panic!("{sql} runs: {error}"));
    let _ = db.close().await;
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

/// Whether `text` appears anywhere in the database file or its write-ahead log, as bytes.
pub fn file_contains(db_path: &Path, text: &str) -> bool {
    ["", "-wal"].iter().any(|suffix| {
        let bytes = std::fs::read(format!("{}{suffix}", db_path.display())).unwrap_or_default();
        bytes
            .windows(text.len())
            .any(|window| window == text.as_bytes())
    })
}

/// Rows in `table` of the database at `path`.
pub async fn count_rows_in(path: &Path, table: &str) -> i64 {
    let mut db = connect(path).await;
    let count = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&mut db)
        .await
        .expect("the table can be counted");
    let _ = db.close().await;
    count
}

/// The columns of one stored submission, and its co-signers in order.
#[derive(Debug, PartialEq, Eq)]
pub struct StoredSubmission {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub unit_id: i64,
    pub name: String,
    pub phone: String,
    pub cosigners: Vec<String>,
}

/// What the database at `path` holds for the submission behind `code`.
pub async fn stored_in(path: &Path, code: &str) -> StoredSubmission {
    let id = TrackingCode::parse(code)
        .expect("a code the server issued parses")
        .number();
    let mut db = connect(path).await;
    let (kind, title, body, unit_id, name, phone): (String, String, String, i64, String, String) =
        sqlx::query_as(
            "SELECT kind, title, body, unit_id, name, phone FROM submissions WHERE id = ?",
        )
        .bind(id)
        .fetch_one(&mut db)
        .await
        .expect("the submission is in the database");
    let cosigners = sqlx::query_scalar(
        "SELECT name FROM submission_cosigners WHERE submission_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut db)
    .await
    .expect("the co-signers can be read");
    let _ = db.close().await;
    StoredSubmission {
        kind,
        title,
        body,
        unit_id,
        name,
        phone,
        cosigners,
    }
}

/// A submission every rule accepts, as a member would send it.
pub fn valid_submission() -> Value {
    json!({
        "kind": "suggestion",
        "title": "关于加强老旧小区加装电梯的建议",
        "body": "我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼困难。建议统筹财政补贴，简化审批流程，由街道牵头协调居民意见。",
        "unit_id": 1,
        "name": "王建国",
        "phone": "13812345678",
        "cosigners": ["李红", "张伟"]
    })
}

/// `submission` with `field` set to `value`.
pub fn with(mut submission: Value, field: &str, value: Value) -> Value {
    submission[field] = value;
    submission
}

/// `submission` without `field`.
pub fn without(mut submission: Value, field: &str) -> Value {
    if let Some(object) = submission.as_object_mut() {
        object.remove(field);
    }
    submission
}

/// The response's Content-Type, or "" when it has none.
pub fn content_type(response: &Response) -> String {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Checks the status and the `ErrorBody` shape, `{"message": non-empty Chinese, "fields": {..}}`, and
/// returns the body. `why` names the case in failure messages.
pub async fn assert_error(response: Response, status: StatusCode, why: &str) -> Value {
    assert_eq!(response.status(), status, "{why}: status");
    let content_type = content_type(&response);
    let text = response.text().await.expect("the error body can be read");
    assert!(
        content_type.starts_with("application/json"),
        "{why}: errors are JSON, got Content-Type {content_type:?} and body {text:?}"
    );
    let body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{why}: the error body is not JSON ({error}): {text:?}"));
    assert_error_body_shape(&body, why);
    body
}

/// `{"message": non-empty Chinese, "fields": {"name": "non-empty Chinese", ..}}` and nothing else.
pub fn assert_error_body_shape(body: &Value, why: &str) {
    let object = body
        .as_object()
        .unwrap_or_else(|| panic!("{why}: the error body is an object: {body}"));
    let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(keys, BTreeSet::from(["fields", "message"]), "{why}: {body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        has_chinese(message),
        "{why}: the message is Chinese: {body}"
    );
    let fields = body["fields"]
        .as_object()
        .unwrap_or_else(|| panic!("{why}: fields is an object: {body}"));
    for (field, message) in fields {
        let message = message.as_str().unwrap_or_default();
        assert!(
            has_chinese(message),
            "{why}: the message for {field} is Chinese: {body}"
        );
    }
}

/// The names in an error body's `fields`.
pub fn field_names(body: &Value) -> Vec<String> {
    body["fields"]
        .as_object()
        .map(|fields| fields.keys().cloned().collect())
        .unwrap_or_default()
}

pub fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// `JY-<4 digits>-<6 or more digits>`.
pub fn is_tracking_code(code: &str) -> bool {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    code.strip_prefix("JY-")
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(year, number)| {
            year.len() == 4 && digits(year) && number.len() >= 6 && digits(number)
        })
}

/// 32 lowercase hex characters.
pub fn is_secret(secret: &str) -> bool {
    secret.len() == 32
        && secret
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
