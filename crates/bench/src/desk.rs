//! The staff desk at 100,000 submissions: the list's first page, a filtered page, a page deep in the
//! list, Chinese searches, one submission in full, and exports of every row as CSV and XLSX with the
//! server's peak memory. The data is `corpus::fill`'s, in its own database file.

use std::{path::Path, sync::Arc, time::Duration};

use anyhow::Context;
use bytes::Bytes;
use http_body_util::Full;
use hyper::{header, Method, Request, StatusCode};
use jianyan_server::store::submissions::list::Cursor;

use crate::{
    corpus,
    load::{closed_loop, MakeRequest, Run},
    report::Row,
    server::Server,
};

/// Requests per list scenario, one at a time (a desk is one person).
const PAGE_REQUESTS: usize = 400;
/// Full exports per format.
const EXPORTS: usize = 2;

/// Percent-encodes a query value.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn get_run(server: &Server, path: String, cookie: &str, requests: usize) -> Run {
    let cookie = cookie.to_owned();
    let make: MakeRequest = Arc::new(move |_| {
        Request::builder()
            .method(Method::GET)
            .uri(path.as_str())
            .header(header::HOST, "127.0.0.1")
            .header(header::COOKIE, &cookie)
            .body(Full::new(Bytes::new()))
            .context("a staff GET request")
    });
    Run {
        addr: server.addr,
        connections: 1,
        requests,
        expect: StatusCode::OK,
        make,
    }
}

/// What the desk scenarios found, and the peak memory of each export's server.
pub struct DeskResults {
    pub rows: Vec<Row>,
    pub fill_seconds: f64,
    pub peak_kib: Vec<(&'static str, Option<u64>, Option<u64>)>,
}

/// Fills `db` with `rows` corpus submissions and runs the desk scenarios against `binary`.
pub async fn run(binary: &Path, db: &Path, rows: usize) -> anyhow::Result<DeskResults> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    eprintln!("desk: filling {} with {rows} corpus rows…", db.display());
    let started = std::time::Instant::now();
    let pool = jianyan_server::store::open(db).await?;
    corpus::fill(&pool, rows).await?;
    pool.close().await;
    let fill_seconds = started.elapsed().as_secs_f64();
    crate::add_staff(db).await?;

    let server = Server::start(binary, db)?;
    let cookie = crate::staff_cookie(&server).await?;
    // ~95 % of the way down the newest-first list.
    let deep = Cursor::Newest {
        id: i64::try_from(rows / 20).unwrap_or(1).max(1),
    }
    .encode();
    let middle = i64::try_from(rows / 2).unwrap_or(1).max(1);
    let scenarios = [
        (
            "first page (newest first, counts per status)",
            "/api/staff/submissions".to_owned(),
            "p99 ≤ 10 ms",
        ),
        (
            "filtered page (status=in_progress, unit=3)",
            "/api/staff/submissions?status=in_progress&unit=3".to_owned(),
            "p99 ≤ 10 ms",
        ),
        (
            "filtered page (overdue=true, sort=updated)",
            "/api/staff/submissions?overdue=true&sort=updated".to_owned(),
            "p99 ≤ 10 ms",
        ),
        (
            "page deep in the list (after row ~95,000)",
            format!("/api/staff/submissions?after={deep}"),
            "p99 ≤ 10 ms",
        ),
        (
            "Chinese search, 4 characters (q=加装电梯, trigram index)",
            format!("/api/staff/submissions?q={}", encoded(corpus::SEARCH)),
            "p99 ≤ 50 ms",
        ),
        (
            "Chinese search, 2 characters (q=电梯, bigram index)",
            format!("/api/staff/submissions?q={}", encoded("电梯")),
            "p99 ≤ 50 ms",
        ),
        (
            "one submission in full (GET …/{code})",
            format!("/api/staff/submissions/JY-2025-{middle:06}"),
            "p99 ≤ 10 ms",
        ),
    ];
    let mut results = Vec::new();
    for (name, path, target) in scenarios {
        eprintln!("desk: {name}…");
        // The code's year follows the corpus' dates; find the row's own code once.
        let path = if path.contains("JY-2025-") {
            code_path(db, middle).await?
        } else {
            path
        };
        let outcome = closed_loop(
            get_run(&server, path, &cookie, PAGE_REQUESTS),
            Duration::from_secs(60),
        )
        .await?;
        results.push(Row {
            scenario: format!("GET /api/staff/submissions: {name}"),
            load: format!("1 connection, {PAGE_REQUESTS} in a row"),
            outcome,
            target: target.into(),
        });
    }
    server.stop()?;

    let mut peak_kib = Vec::new();
    for (format, path) in [
        ("CSV", "/api/staff/submissions/export.csv"),
        ("XLSX", "/api/staff/submissions/export.xlsx"),
    ] {
        eprintln!("desk: export of every row as {format}…");
        let server = Server::start(binary, db)?;
        let cookie = crate::staff_cookie(&server).await?;
        let before = server.peak_memory_kib();
        let outcome = closed_loop(
            get_run(&server, path.to_owned(), &cookie, EXPORTS),
            Duration::from_secs(300),
        )
        .await?;
        peak_kib.push((format, before, server.peak_memory_kib()));
        server.stop()?;
        results.push(Row {
            scenario: format!("GET {path} (all {rows} rows)"),
            load: format!("1 connection, {EXPORTS} in a row"),
            outcome,
            target: "— (a download)".into(),
        });
    }
    Ok(DeskResults {
        rows: results,
        fill_seconds,
        peak_kib,
    })
}

async fn code_path(db: &Path, id: i64) -> anyhow::Result<String> {
    let pool = jianyan_server::store::open(db).await?;
    let year: i32 = sqlx::query_scalar("SELECT year FROM submissions WHERE id = ?")
        .bind(id)
        .fetch_one(&pool)
        .await
        .context("reading a corpus row's year")?;
    pool.close().await;
    Ok(format!(
        "/api/staff/submissions/{}",
        api::TrackingCode::new(year, id)
    ))
}
