//! The deployment files in `deploy/`, run for real: Debian's nginx with `deploy/nginx/jianyan.conf` (TLS
//! with a throwaway certificate, HSTS, X-Forwarded-For) in front of the real binary started with
//! `--trusted-proxy 127.0.0.1`, on loopback ports; and `deploy/systemd/jianyan.service` checked by
//! `systemd-analyze verify` and by the binary's own argument parser.
//!
//! Without nginx, openssl or curl the nginx test says so and passes, unless `CI` is set: there
//! `scripts/install-tools.sh test` has installed them, and a missing tool is a failure.

use std::{
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

use crate::helpers::{fresh_db, ServerProcess};

const NGINX_CONF: &str = include_str!("../../../../deploy/nginx/jianyan.conf");
const SYSTEMD_UNIT: &str = include_str!("../../../../deploy/systemd/jianyan.service");

/// The first of `names` found on PATH or in the sbin folders (nginx lives in /usr/sbin).
fn find_tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The tools, or `None` after saying why the test is skipped; with `CI` set, a missing tool fails.
fn tools(names: &[&str]) -> Option<Vec<PathBuf>> {
    let found: Vec<Option<PathBuf>> = names.iter().map(|name| find_tool(name)).collect();
    let missing: Vec<&str> = names
        .iter()
        .zip(&found)
        .filter(|(_, path)| path.is_none())
        .map(|(name, _)| *name)
        .collect();
    if missing.is_empty() {
        return found.into_iter().collect();
    }
    let reason = format!(
        "{} not installed (scripts/install-tools.sh test installs them)",
        missing.join(", ")
    );
    assert!(std::env::var_os("CI").is_none(), "CI is set but {reason}");
    eprintln!("SKIPPED the nginx check: {reason}");
    None
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port on loopback")
}

fn run(program: &Path, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("{} runs: {error}", program.display()))
}

/// `text` with `from` replaced, insisting that it occurs exactly once, so that an edit of the file
/// cannot leave this test checking something else than what it says.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "deploy/nginx/jianyan.conf has `{from}` once"
    );
    text.replace(from, to)
}

/// nginx in the foreground, killed when dropped.
struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One answer as curl saw it.
struct Answer {
    status: u16,
    /// Header lines, lower-cased.
    head: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            line.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(':'))
                .map(str::trim)
        })
    }
}

fn curl(curl: &Path, args: &[&str]) -> Answer {
    let mut all = vec!["-sS", "--max-time", "10", "-D", "-", "-o", "/dev/null"];
    all.extend_from_slice(args);
    let output = run(curl, &all);
    let head = String::from_utf8_lossy(&output.stdout).to_ascii_lowercase();
    assert!(
        output.status.success(),
        "curl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let status = head
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("curl {args:?}: no status line in {head:?}"));
    Answer { status, head }
}

#[tokio::test]
async fn behind_the_nginx_config_https_works_with_hsts_each_client_s_logins_count_for_it_alone_and_a_login_from_the_site_gets_a_secure_cookie(
) {
    let Some(found) = tools(&["nginx", "openssl", "curl"]) else {
        return;
    };
    let (nginx, openssl, curl_path) = (&found[0], &found[1], &found[2]);
    let started = Instant::now();

    // Arrange: a certificate for 127.0.0.1, the server behind nginx, nginx on two free ports.
    let (dir, db) = fresh_db();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = run(
        openssl,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            &key.to_string_lossy(),
            "-out",
            &cert.to_string_lossy(),
        ],
    );
    assert!(
        made.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    // An account to log in as for real, from the site's own page.
    let pool = jianyan_server::store::open(&db)
        .await
        .expect("the database is made");
    let added = jianyan_server::auth::accounts::add(
        &pool,
        "zhangsan",
        "张三",
        api::Role::Reviewer,
        "correct-horse-9",
    )
    .await;
    assert!(added.is_ok(), "{added:?}");
    pool.close().await;
    // Two logins in a row per client, then one a minute.
    let server = ServerProcess::start_with(
        &db,
        &[
            "--trusted-proxy",
            "127.0.0.1",
            "--login-burst",
            "2",
            "--login-rate-per-minute",
            "1",
        ],
    );
    let (http, https) = (free_port(), free_port());
    let site = [
        ("    listen [::]:80;\n", String::new()),
        ("    listen [::]:443 ssl http2;\n", String::new()),
        ("listen 80;", format!("listen 127.0.0.1:{http};")),
        (
            "listen 443 ssl http2;",
            format!("listen 127.0.0.1:{https} ssl http2;"),
        ),
        (
            "/etc/letsencrypt/live/jianyan.example.org/fullchain.pem",
            cert.display().to_string(),
        ),
        (
            "/etc/letsencrypt/live/jianyan.example.org/privkey.pem",
            key.display().to_string(),
        ),
        (
            "proxy_pass http://127.0.0.1:8080;",
            format!("proxy_pass http://{};", server.socket_address()),
        ),
    ]
    .iter()
    .fold(NGINX_CONF.to_owned(), |text, (from, to)| {
        replace_once(&text, from, to)
    });
    let root = dir.path().display().to_string();
    std::fs::write(dir.path().join("jianyan.conf"), site).expect("the site is written");
    // One process, no workers: nothing changes user, and every path is in the test's folder.
    let main = format!(
        "daemon off;\nmaster_process off;\npid {root}/nginx.pid;\nerror_log {root}/error.log warn;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {root}/body;\n  proxy_temp_path {root}/proxy;\n  \
         fastcgi_temp_path {root}/fastcgi;\n  uwsgi_temp_path {root}/uwsgi;\n  scgi_temp_path {root}/scgi;\n  \
         include {root}/jianyan.conf;\n}}\n"
    );
    let conf = dir.path().join("nginx.conf");
    std::fs::write(&conf, main).expect("nginx.conf is written");
    let _nginx = Nginx(
        Command::new(nginx)
            .args([
                "-p",
                &root,
                "-c",
                &conf.to_string_lossy(),
                "-e",
                &format!("{root}/error.log"),
            ])
            .stdout(Stdio::null())
            .spawn()
            .expect("nginx starts"),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", https)).is_err() {
        let log = std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default();
        assert!(
            Instant::now() < deadline,
            "nginx did not listen; its log: {log}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let base = format!("https://127.0.0.1:{https}");
    let tls = ["--cacert", &*cert.to_string_lossy()].map(str::to_owned);
    let login = |from: &str, name: &str, extra: &[&str]| {
        let mut args: Vec<&str> = tls.iter().map(String::as_str).collect();
        args.extend_from_slice(&[
            "--interface",
            from,
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
        ]);
        args.extend_from_slice(extra);
        let body = format!("{{\"login\":\"{name}\",\"password\":\"wrong-password-1\"}}");
        let url = format!("{base}/api/staff/session");
        args.extend_from_slice(&["--data", &body, &url]);
        curl(curl_path, &args)
    };

    // Act
    let health = curl(
        curl_path,
        &[&tls[0], &tls[1], &format!("{base}/api/health")],
    );
    let redirect = curl(curl_path, &[&format!("http://127.0.0.1:{http}/track/ABC")]);
    let first = [login("127.0.0.2", "a1", &[]), login("127.0.0.2", "a2", &[])];
    let over = login("127.0.0.2", "a3", &[]);
    let spoofing = login("127.0.0.2", "a4", &["-H", "X-Forwarded-For: 198.51.100.1"]);
    let other_client = login("127.0.0.3", "b1", &[]);
    // A browser on the site itself: its Origin names the port nginx listens on, which nginx's `Host $host`
    // drops and X-Forwarded-Host keeps.
    let origin = format!("Origin: {base}");
    let mut args: Vec<&str> = tls.iter().map(String::as_str).collect();
    let url = format!("{base}/api/staff/session");
    args.extend_from_slice(&[
        "--interface",
        "127.0.0.4",
        "-H",
        "Content-Type: application/json",
        "-H",
        &origin,
        "-H",
        "Sec-Fetch-Site: same-origin",
        "--data",
        "{\"login\":\"zhangsan\",\"password\":\"correct-horse-9\"}",
        &url,
    ]);
    let logged_in = curl(curl_path, &args);

    // Assert
    assert_eq!(health.status, 200, "{}", health.head);
    assert_eq!(
        health.header("strict-transport-security"),
        Some("max-age=31536000"),
        "{}",
        health.head
    );
    assert!(
        health.header("content-security-policy").is_some(),
        "the server's own headers pass"
    );
    assert_eq!(redirect.status, 301);
    assert_eq!(
        redirect.header("location"),
        Some("https://127.0.0.1/track/abc")
    );
    assert_eq!(
        first.map(|answer| answer.status),
        [401, 401],
        "127.0.0.2's two"
    );
    assert_eq!(over.status, 429, "127.0.0.2 is over its limit");
    assert!(
        over.header("strict-transport-security").is_some(),
        "HSTS on errors too"
    );
    assert_eq!(
        spoofing.status, 429,
        "a client's own X-Forwarded-For changes nothing"
    );
    assert_eq!(
        other_client.status, 401,
        "127.0.0.3, behind the same nginx, has its own budget"
    );
    assert_eq!(logged_in.status, 200, "{}", logged_in.head);
    let cookie = logged_in.header("set-cookie").unwrap_or_default();
    assert!(
        cookie.starts_with("jianyan_staff=") && cookie.ends_with("; secure"),
        "over https through nginx the session cookie is Secure: {cookie}"
    );
    server.stop();
    eprintln!("the nginx check took {:?}", started.elapsed());
}

#[test]
fn the_systemd_unit_passes_systemd_analyze_verify_and_its_command_line_parses() {
    // Arrange: the unit with the built binary in place of /usr/local/bin/jianyan.
    let binary = env!("CARGO_BIN_EXE_jianyan");
    let exec_start = SYSTEMD_UNIT
        .lines()
        .find_map(|line| line.strip_prefix("ExecStart="))
        .expect("the unit has an ExecStart");
    let args: Vec<&str> = exec_start.split_whitespace().skip(1).collect();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let unit = dir.path().join("jianyan.service");
    std::fs::write(&unit, replace_once_in_unit(SYSTEMD_UNIT, binary)).expect("the unit is written");

    // Act: `--help` after the unit's arguments makes the parser check them all without serving.
    let parsed = Command::new(binary)
        .args(&args)
        .arg("--help")
        .output()
        .expect("the binary runs");
    let verified =
        find_tool("systemd-analyze").map(|tool| run(&tool, &["verify", &unit.to_string_lossy()]));

    // Assert
    assert!(
        parsed.status.success(),
        "jianyan {args:?}: {}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    match verified {
        None => eprintln!("SKIPPED systemd-analyze verify: systemd-analyze is not installed"),
        Some(output) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                output.status.success() && stderr.trim().is_empty(),
                "{stderr}"
            );
        }
    }
}

fn replace_once_in_unit(unit: &str, binary: &str) -> String {
    let from = "ExecStart=/usr/local/bin/jianyan ";
    assert_eq!(
        unit.matches(from).count(),
        1,
        "the unit starts /usr/local/bin/jianyan once"
    );
    unit.replace(from, &format!("ExecStart={binary} "))
}
