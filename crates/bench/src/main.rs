//! `make bench`: fills a fresh database with 100,000 submissions through the store (the ceiling), then
//! puts the release server under load from this process over loopback (members' POSTs and GETs, staff's
//! login check and export), and prints a Markdown report.
//! Every loop is bounded in requests and in time.

mod ceiling;
mod corpus;
mod desk;
mod load;
mod report;
mod server;
mod surveys;

use std::{path::PathBuf, sync::Arc, time::Duration};

use anyhow::Context;
use api::{SubmissionCreated, IDEMPOTENCY_KEY_HEADER};
use bytes::Bytes;
use clap::Parser;
use http_body_util::Full;
use hyper::{header, Method, Request, StatusCode};

use crate::{
    load::{closed_loop, open_loop, MakeRequest, Run},
    report::Row,
    server::{Server, WriterStats, NO_RATE_LIMIT},
};

/// Load benchmark of the 同心建言 server on this machine.
#[derive(Parser)]
struct Cli {
    /// The release server binary (`cargo build --release -p jianyan-server`).
    #[arg(long, default_value = "target/release/jianyan")]
    server: PathBuf,
    /// Folder for the benchmark's database; its database is replaced on every run.
    #[arg(long, default_value = "target/bench")]
    dir: PathBuf,
    /// Submissions in the database before the HTTP runs.
    #[arg(long, default_value_t = 100_000)]
    rows: usize,
    /// Concurrent connections (or in-process tasks) for the max-throughput runs.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Requests per max-throughput run; each run also stops after 30 s.
    #[arg(long, default_value_t = 40_000)]
    requests: usize,
    /// Arrival rate of the fixed-rate runs, per second.
    #[arg(long, default_value_t = 1_000)]
    rate: u32,
    /// Length of each fixed-rate run, in seconds.
    #[arg(long, default_value_t = 10)]
    seconds: u32,
    /// Run only the staff-desk scenarios (list, search, exports) on their own corpus.
    #[arg(long)]
    desk_only: bool,
    /// Run only the survey scenarios (results, breakdowns, exports of 10,000 responses).
    #[arg(long)]
    surveys_only: bool,
}

/// Runs the survey scenarios and prints their table.
async fn surveys_report(cli: &Cli) -> anyhow::Result<()> {
    let results = surveys::run(&cli.server, &cli.dir.join("surveys.db")).await?;
    let mut rows = results.rows;
    println!(
        "\n### Surveys: 20 questions × {} responses\n",
        surveys::RESPONSES
    );
    println!("{}", report::table(&mut rows));
    let (charts, csv, xlsx) = results.compute_ms;
    println!(
        "- in-process, no HTTP or SQLite read (median of 5): every chart and all 20 breakdowns {charts:.0} ms; CSV {csv:.0} ms; XLSX {xlsx:.0} ms"
    );
    println!(
        "- data set: {} responses and members written in {:.1} s (`surveys::fill`, fixed seed)",
        surveys::RESPONSES,
        results.fill_seconds
    );
    Ok(())
}

/// Runs the staff-desk scenarios and prints their table.
async fn desk_report(cli: &Cli) -> anyhow::Result<()> {
    let results = desk::run(&cli.server, &cli.dir.join("desk.db"), cli.rows).await?;
    let mut rows = results.rows;
    println!("\n### Staff desk at {} submissions\n", cli.rows);
    println!("{}", report::table(&mut rows));
    println!(
        "- corpus: {} rows written with their search indexes in {:.0} s (`corpus::fill`, fixed seed)",
        cli.rows, results.fill_seconds
    );
    for (format, idle, peak) in results.peak_kib {
        let mib =
            |kib: Option<u64>| kib.map_or("?".to_owned(), |k| format!("{:.0}", k as f64 / 1024.0));
        println!(
            "- {format} export: server peak resident memory {} MiB (idle after login {} MiB)",
            mib(peak),
            mib(idle)
        );
    }
    Ok(())
}

/// Upper bound on each max-throughput run.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// Submissions written one transaction each for the comparison (or 10 s, whichever comes first).
const UNBATCHED_ROWS: usize = 5_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let machine = report::machine();
    std::fs::create_dir_all(&cli.dir)
        .with_context(|| format!("cannot create {}", cli.dir.display()))?;
    if cli.surveys_only {
        println!("Machine: {machine}");
        return surveys_report(&cli).await;
    }
    if cli.desk_only {
        println!("Machine: {machine}");
        return desk_report(&cli).await;
    }
    let (db, scratch) = (cli.dir.join("bench.db"), cli.dir.join("unbatched.db"));
    for file in [&db, &scratch] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }

    eprintln!("one transaction per submission, for comparison…");
    let unbatched = ceiling::unbatched(&scratch, UNBATCHED_ROWS, Duration::from_secs(10)).await?;

    eprintln!(
        "filling {} with {} rows in-process…",
        db.display(),
        cli.rows
    );
    let ceiling = ceiling::run(&db, cli.rows, cli.connections).await?;
    anyhow::ensure!(
        ceiling.receipts.len() == cli.rows,
        "the data set is incomplete: {:?}",
        ceiling.outcome.first_error
    );
    let receipts = Arc::new(ceiling.receipts);
    let fixed_requests = usize::try_from(cli.rate * cli.seconds).context("too many requests")?;

    eprintln!(
        "POST, {} connections, as fast as answered…",
        cli.connections
    );
    let server = Server::start(&cli.server, &db)?;
    let post_max = closed_loop(
        post_run(&server, cli.connections, cli.requests, "max"),
        TIME_LIMIT,
    )
    .await?;
    let post_max_stats = server.stop()?;

    eprintln!("POST, {}/s for {} s…", cli.rate, cli.seconds);
    let server = Server::start(&cli.server, &db)?;
    let post_fixed = open_loop(
        post_run(&server, cli.connections, fixed_requests, "fixed"),
        cli.rate,
    )
    .await?;
    let post_fixed_stats = server.stop()?;

    eprintln!("GET by code…");
    let server = Server::start(&cli.server, &db)?;
    let get_max = closed_loop(
        get_run(&server, cli.connections, cli.requests, &receipts),
        TIME_LIMIT,
    )
    .await?;
    let get_fixed = open_loop(
        get_run(&server, cli.connections, fixed_requests, &receipts),
        cli.rate,
    )
    .await?;
    let (hostile_body, hostile_names) = hostile_submission()?;
    let hostile_bytes = hostile_body.len();
    let hostile = closed_loop(
        hostile_run(&server, hostile_body, HOSTILE_REQUESTS),
        TIME_LIMIT,
    )
    .await?;
    server.stop()?;

    // Every row so far: the data set and each POST that was answered 201.
    let rows_now = cli.rows + post_max.latencies.len() + post_fixed.latencies.len();
    eprintln!("staff: who is logged in, and the export of every row…");
    add_staff(&db).await?;
    let server = Server::start(&cli.server, &db)?;
    let cookie = staff_cookie(&server).await?;
    let session_fixed = open_loop(
        staff_get_run(
            &server,
            cli.connections,
            fixed_requests,
            "/api/staff/session",
            &cookie,
        ),
        cli.rate,
    )
    .await?;
    let export = closed_loop(
        staff_get_run(
            &server,
            1,
            EXPORTS,
            "/api/staff/submissions/export",
            &cookie,
        ),
        TIME_LIMIT * 4,
    )
    .await?;
    server.stop()?;

    let ceiling_rate = ceiling.outcome.throughput();
    let group_commit_gain = ceiling_rate / unbatched.throughput().max(f64::EPSILON);
    let ratio = post_max.throughput() / ceiling_rate.max(f64::EPSILON);
    let c = cli.connections;
    let mut rows = [
        Row {
            scenario: "floor: one transaction per submission, no HTTP".into(),
            load: "1 at a time".into(),
            outcome: unbatched,
            target: "—".into(),
        },
        Row {
            scenario: "ceiling: store writer in-process, no HTTP".into(),
            load: format!("{c} tasks, {} rows", cli.rows),
            outcome: ceiling.outcome,
            target: "—".into(),
        },
        Row {
            scenario: "POST /api/submissions, max".into(),
            load: format!("{c} connections"),
            outcome: post_max,
            target: "≥ 2,000 req/s".into(),
        },
        Row {
            scenario: "POST /api/submissions, fixed rate".into(),
            load: format!("{}/s for {} s", cli.rate, cli.seconds),
            outcome: post_fixed,
            target: "p99 ≤ 20 ms".into(),
        },
        Row {
            scenario: "GET /api/submissions/{code}, max".into(),
            load: format!("{c} connections"),
            outcome: get_max,
            target: "—".into(),
        },
        Row {
            scenario: "GET /api/submissions/{code}, fixed rate".into(),
            load: format!("{}/s for {} s", cli.rate, cli.seconds),
            outcome: get_fixed,
            target: "p99 ≤ 10 ms".into(),
        },
        Row {
            scenario: "GET /api/staff/session (the login check of every staff request), fixed rate"
                .into(),
            load: format!("{}/s for {} s", cli.rate, cli.seconds),
            outcome: session_fixed,
            target: "p99 ≤ 10 ms".into(),
        },
        Row {
            scenario: format!(
                "GET /api/staff/submissions/export (.xlsx of all {} rows)",
                rows_now
            ),
            load: format!("1 connection, {EXPORTS} in a row"),
            outcome: export,
            target: "— (a download, not a list page)".into(),
        },
        Row {
            scenario: format!(
                "POST /api/submissions, hostile body ({:.0} KiB, {hostile_names} distinct co-signers), \
                 answered 422",
                hostile_bytes as f64 / 1024.0
            ),
            load: format!("1 connection, {HOSTILE_REQUESTS} in a row"),
            outcome: hostile,
            target: "p99 ≤ 10 ms".into(),
        },
    ];
    let batching = |stats: WriterStats| {
        format!(
            "{:.1} per transaction ({} in {})",
            stats.mean_batch(),
            stats.jobs,
            stats.batches
        )
    };
    println!("Machine: {machine}\n");
    println!("{}", report::table(&mut rows));
    println!(
        "- HTTP POST max / ceiling: {:.0} / {:.0} = {:.0} %",
        rows[2].outcome.throughput(),
        ceiling_rate,
        ratio * 100.0
    );
    println!(
        "- group commit (ceiling) / one transaction per submission (floor): {group_commit_gain:.1}×"
    );
    println!(
        "- submissions per transaction: ceiling {}; POST max {}; POST fixed rate {}",
        batching(WriterStats {
            batches: ceiling.stats.batches,
            jobs: ceiling.stats.jobs
        }),
        batching(post_max_stats),
        batching(post_fixed_stats)
    );
    println!(
        "- every 201 was committed with synchronous = FULL (WAL) before it was sent; \
         rate limiting was off for the runs (`jianyan serve {}`)",
        NO_RATE_LIMIT.join(" ")
    );
    println!(
        "- database: {} ({} rows before the HTTP runs); server and load generator share this machine",
        db.display(),
        cli.rows
    );
    desk_report(&cli).await?;
    surveys_report(&cli).await
}

/// Staff account of the benchmark, added to its database before the server starts.
const STAFF: (&str, &str) = ("bench", "bench-password-1");

/// Full exports in the export run: each one reads and writes every row.
const EXPORTS: usize = 3;

async fn add_staff(db: &std::path::Path) -> anyhow::Result<()> {
    let pool = jianyan_server::store::open(db).await?;
    let added = jianyan_server::auth::accounts::add(
        &pool,
        STAFF.0,
        "基准测试",
        api::Role::Reviewer,
        STAFF.1,
    )
    .await;
    pool.close().await;
    match added {
        Ok(()) => Ok(()),
        Err(jianyan_server::auth::accounts::AccountError::Refused(why)) => anyhow::bail!("{why}"),
        Err(jianyan_server::auth::accounts::AccountError::Other(error)) => Err(error),
    }
}

/// Logs in as the benchmark's staff account and returns its session cookie, `jianyan_staff=<token>`.
async fn staff_cookie(server: &Server) -> anyhow::Result<String> {
    let body = serde_json::json!({ "login": STAFF.0, "password": STAFF.1 }).to_string();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/staff/session")
        .header(header::HOST, "127.0.0.1")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body)))
        .context("a login request")?;
    let (status, headers, _) = load::request_once(server.addr, request).await?;
    anyhow::ensure!(status == StatusCode::OK, "login answered {status}");
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|cookie| cookie.starts_with(&format!("{}=", api::STAFF_SESSION_COOKIE)))
        .and_then(|cookie| cookie.split(';').next())
        .map(str::to_owned)
        .context("login set no session cookie")
}

/// GETs of one staff path with a session cookie.
fn staff_get_run(
    server: &Server,
    connections: usize,
    requests: usize,
    path: &'static str,
    cookie: &str,
) -> Run {
    let cookie = cookie.to_owned();
    let make: MakeRequest = Arc::new(move |_| {
        Request::builder()
            .method(Method::GET)
            .uri(path)
            .header(header::HOST, "127.0.0.1")
            .header(header::COOKIE, &cookie)
            .body(Full::new(Bytes::new()))
            .context("a staff GET request")
    });
    Run {
        addr: server.addr,
        connections,
        requests,
        expect: StatusCode::OK,
        make,
    }
}

/// Hostile bodies sent in the hostile-body run.
const HOSTILE_REQUESTS: usize = 300;

/// The costliest body to validate that fits the size limit, and how many co-signers it names: a valid
/// submission with every one-letter name there is, then two-letter ones, as distinct co-signers. (The
/// same as crates/server/tests/api/request_cost.rs, which checks that it is refused.)
fn hostile_submission() -> anyhow::Result<(Bytes, usize)> {
    let letters: Vec<char> = ('\u{c0}'..='\u{9fff}')
        .filter(|c| c.is_alphabetic())
        .collect();
    let mut submission: serde_json::Value =
        serde_json::from_slice(&submission(0)).context("the valid submission is JSON")?;
    let mut size = submission.to_string().len();
    let budget = jianyan_server::routes::MAX_BODY_BYTES - 1024;
    let singles = letters.iter().map(|c| c.to_string());
    let pairs = letters
        .iter()
        .flat_map(|a| letters.iter().map(move |b| format!("{a}{b}")));
    let mut names = Vec::new();
    for name in singles.chain(pairs) {
        // `"x",` in the JSON array.
        size += name.len() + 3;
        if size > budget {
            break;
        }
        names.push(name);
    }
    let count = names.len();
    submission["cosigners"] = serde_json::json!(names);
    Ok((Bytes::from(submission.to_string()), count))
}

/// The same hostile body again and again; each must be refused (422), and quickly.
fn hostile_run(server: &Server, body: Bytes, requests: usize) -> Run {
    let make: MakeRequest = Arc::new(move |_| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/submissions")
            .header(header::HOST, "127.0.0.1")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Full::new(body.clone()))
            .context("a hostile POST request")
    });
    Run {
        addr: server.addr,
        connections: 1,
        requests,
        expect: StatusCode::UNPROCESSABLE_ENTITY,
        make,
    }
}

/// A valid submission, numbered so every row differs, as the JSON a client sends.
pub fn submission(n: usize) -> Vec<u8> {
    serde_json::json!({
        "kind": "suggestion",
        "title": format!("关于加强老旧小区加装电梯的建议（基准第{n}号）"),
        "body": "我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼困难。建议统筹财政补贴，简化审批流程，由街道牵头协调居民意见。",
        "unit_id": 1 + n % 11,
        "name": "王建国",
        "phone": "13812345678",
        "cosigners": ["李红", "张伟"]
    })
    .to_string()
    .into_bytes()
}

/// POSTs, each with its own Idempotency-Key, as phones send them.
fn post_run(server: &Server, connections: usize, requests: usize, phase: &'static str) -> Run {
    let make: MakeRequest = Arc::new(move |i| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/submissions")
            .header(header::HOST, "127.0.0.1")
            .header(header::CONTENT_TYPE, "application/json")
            .header(IDEMPOTENCY_KEY_HEADER, format!("bench-{phase}-{i}"))
            .body(Full::new(Bytes::from(submission(i))))
            .context("a POST request")
    });
    Run {
        addr: server.addr,
        connections,
        requests,
        expect: StatusCode::CREATED,
        make,
    }
}

/// GETs of rows spread over the whole table, each with its own secret.
fn get_run(
    server: &Server,
    connections: usize,
    requests: usize,
    receipts: &Arc<Vec<SubmissionCreated>>,
) -> Run {
    let receipts = Arc::clone(receipts);
    let make: MakeRequest = Arc::new(move |i| {
        // A multiplicative hash walks the rows in a scattered order, not the cache-friendly one.
        let index = i.wrapping_mul(2_654_435_761) % receipts.len().max(1);
        let receipt = receipts.get(index).context("no rows to read")?;
        Request::builder()
            .method(Method::GET)
            .uri(format!("/api/submissions/{}", receipt.code))
            .header(header::HOST, "127.0.0.1")
            .header(header::AUTHORIZATION, format!("Bearer {}", receipt.secret))
            .body(Full::new(Bytes::new()))
            .context("a GET request")
    });
    Run {
        addr: server.addr,
        connections,
        requests,
        expect: StatusCode::OK,
        make,
    }
}
