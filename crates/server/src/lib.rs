//! The 同心建言 server: an axum router over SQLite that also serves the built frontend.

pub mod auth;
pub mod client_addr;
pub mod clock;
pub mod error;
pub mod extract;
pub mod frontend;
pub mod rate_limit;
pub mod roster_import;
pub mod routes;
pub mod secret;
pub mod security;
pub mod store;
pub mod table_file;
pub mod telemetry;
pub mod xlsx;

use std::{future::IntoFuture, net::SocketAddr, path::PathBuf, time::Duration};

use anyhow::Context;
use axum::{http::StatusCode, middleware, Extension, Router};
use sqlx::SqlitePool;
use tokio::net::TcpListener;
use tower_http::{
    compression::{
        predicate::{NotForContentType, Predicate},
        CompressionLayer, DefaultPredicate,
    },
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// For reads; every write of a submission goes through `writer`.
    pub db: SqlitePool,
    /// The group-commit writer (see `store::writer`).
    pub writer: store::writer::Writer,
}

/// How the app is set up beyond its state.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folder of the built frontend (trunk's dist/); only the API is served when `None`.
    pub static_dir: Option<PathBuf>,
    /// Per-address rate limits; they count only when the server supplies peer addresses (`serve` does).
    pub limits: rate_limit::Limits,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` name the client (`--trusted-proxy`).
    pub trusted_proxies: client_addr::TrustedProxies,
    /// Longest a request may take, its body's upload included, before it is answered 503.
    pub request_timeout: Duration,
    /// After SIGTERM, how long `serve` lets requests in flight finish before it exits anyway.
    pub shutdown_timeout: Duration,
    /// 办理时限 when staff assign without a date, and after a member's 不满意: this many months on.
    pub default_due_months: u32,
    /// Days a staff invitation works before it is used (`--invitation-days`).
    pub invitation_days: u32,
    /// Mark the staff session cookie `Secure` on every response (`--cookie-secure`), not only on those
    /// to requests a trusted proxy says came over https.
    pub cookie_secure: bool,
    /// Largest file staff may upload, in bytes (`--attachment-max-mb`).
    pub attachment_max_bytes: u64,
    /// Most files on one submission (`--attachment-max-files`).
    pub attachment_max_files: usize,
    /// The clock topic deadlines are read by; the system's unless a test sets one.
    pub clock: clock::Clock,
}

/// `Options::invitation_days`, for the handlers that issue invitations.
#[derive(Debug, Clone, Copy)]
pub struct InvitationDays(pub u32);

/// `Options::default_due_months`, for the handlers that set a due date.
#[derive(Debug, Clone, Copy)]
pub struct DueMonths(pub u32);

/// `Options::attachment_max_bytes`, for the upload handler.
#[derive(Debug, Clone, Copy)]
pub struct AttachmentLimit(pub u64);

/// `Options::attachment_max_files`, for the upload and submission handlers.
#[derive(Debug, Clone, Copy)]
pub struct AttachmentCountLimit(pub usize);

impl Options {
    /// Generous for a phone uploading a long text on a weak network; a client that is slower than this
    /// is more likely stuck, or holding a connection open on purpose.
    pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
    /// Below the 90 s a service manager waits before SIGKILL, so the writer still stops cleanly.
    pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(20);
    /// Three months: the usual 办理时限.
    pub const DEFAULT_DUE_MONTHS: u32 = 3;
    /// Thirty days: long enough to reach a member through their unit's 联络员, short enough that a lost
    /// printed card stops working.
    pub const INVITATION_DAYS: u32 = 30;
}

impl Default for Options {
    fn default() -> Self {
        Self {
            static_dir: None,
            limits: rate_limit::Limits::default(),
            trusted_proxies: client_addr::TrustedProxies::default(),
            request_timeout: Self::REQUEST_TIMEOUT,
            shutdown_timeout: Self::SHUTDOWN_TIMEOUT,
            default_due_months: Self::DEFAULT_DUE_MONTHS,
            invitation_days: Self::INVITATION_DAYS,
            cookie_secure: false,
            attachment_max_bytes: api::attachment::DEFAULT_MAX_BYTES,
            attachment_max_files: api::upload::DEFAULT_MAX_FILES,
            clock: clock::Clock::default(),
        }
    }
}

/// The whole application with default limits: `/api/*`, and the frontend from `static_dir` when given.
pub fn app(state: AppState, static_dir: Option<PathBuf>) -> Router {
    app_with(
        state,
        Options {
            static_dir,
            ..Options::default()
        },
    )
}

/// The whole application, set up by `options`.
pub fn app_with(state: AppState, options: Options) -> Router {
    let Options {
        static_dir,
        limits,
        trusted_proxies,
        request_timeout,
        shutdown_timeout: _,
        default_due_months,
        invitation_days,
        cookie_secure,
        attachment_max_bytes,
        attachment_max_files,
        clock,
    } = options;
    let security = security::SecurityHeaders::for_site(static_dir.as_deref());
    let api = routes::router(&limits)
        .layer(axum::Extension(DueMonths(default_due_months)))
        .layer(axum::Extension(AttachmentLimit(attachment_max_bytes)))
        .layer(axum::Extension(AttachmentCountLimit(attachment_max_files)))
        .layer(axum::Extension(InvitationDays(invitation_days)))
        .layer(axum::Extension(clock))
        .with_state(state)
        .layer(Extension(auth::session::CookiePolicy {
            always_secure: cookie_secure,
        }))
        // Before the routes' rate limits, which count by the address it finds.
        .layer(middleware::from_fn_with_state(
            trusted_proxies,
            client_addr::resolve,
        ));
    // `nest` leaves `/api/` itself unrouted; without this it would fall through to the frontend.
    let router = Router::new()
        .nest("/api", api)
        .route("/api/", axum::routing::any(routes::not_found));
    let router = match static_dir {
        Some(dir) => router.fallback_service(frontend::service(&dir)),
        None => router,
    };
    router
        // Bounds the handler and the upload of its body (a client that stops sending mid-body).
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            request_timeout,
        ))
        .layer(middleware::map_response(error::explain_timeout))
        .layer(CompressionLayer::new().compress_when(worth_compressing()))
        // Outside everything but tracing, so errors and static files get the headers too.
        .layer(middleware::map_response_with_state(
            security,
            security::add_headers,
        ))
        .layer(TraceLayer::new_for_http())
}

/// Responses worth compressing: not tiny ones, and not those compressed already. Pictures (but SVG) are
/// left out by tower-http's default; fonts, zip archives and the Excel export (an .xlsx is a zip) here.
fn worth_compressing() -> impl Predicate {
    DefaultPredicate::new()
        .and(NotForContentType::const_new("font/woff"))
        .and(NotForContentType::const_new("application/zip"))
        .and(NotForContentType::const_new("application/gzip"))
        // Attachments: a PDF's streams are compressed inside already.
        .and(NotForContentType::const_new("application/pdf"))
        .and(NotForContentType::const_new(
            "application/vnd.openxmlformats-officedocument",
        ))
        .and(NotForContentType::const_new("audio/"))
        .and(NotForContentType::const_new("video/"))
}

/// Serves until SIGTERM or Ctrl-C, then lets in-flight requests finish for up to
/// `options.shutdown_timeout` before it stops anyway.
pub async fn serve(listener: TcpListener, db: SqlitePool, options: Options) -> anyhow::Result<()> {
    let addr = listener.local_addr().context("listener has no address")?;
    tracing::info!(%addr, ?options, "serving");
    if store::staff::count_enabled(&db).await? == 0 {
        tracing::warn!(
            "no staff account yet: add one with `jianyan staff add <login> --name <姓名>`"
        );
    }
    let shutdown_timeout = options.shutdown_timeout;
    // Abandoned uploads go at start and every hour after (`store::attachments::uploads::cleanup`).
    let sweeper = tokio::spawn(sweep_uploads(db.clone()));
    let (writer, writer_task) = store::writer::spawn(&db).await?;
    let app = app_with(
        AppState {
            db: db.clone(),
            writer,
        },
        options,
    );
    // The peer address: the client's, or a trusted proxy's that names the client (`client_addr`).
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    let (signalled, on_signal) = tokio::sync::oneshot::channel::<()>();
    let serving = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            let _ = signalled.send(());
        })
        .into_future();
    let deadline = async move {
        match on_signal.await {
            Ok(()) => tokio::time::sleep(shutdown_timeout).await,
            // The server ended without a signal; `serving` has finished.
            Err(_) => std::future::pending().await,
        }
    };
    let served = tokio::select! {
        served = serving => served,
        () = deadline => {
            // A client that never finishes its request (or a stuck handler) must not keep the process
            // alive until the service manager's SIGKILL, which would stop the writer mid-batch.
            tracing::warn!(?shutdown_timeout, "shutdown deadline passed: requests still in flight are cut off");
            Ok(())
        }
    };
    // Every answered request is committed by now (a 201 is sent only after its commit); stopping the
    // writer commits what is still queued for clients that hung up or were cut off, before the exit.
    sweeper.abort();
    writer_task.stop().await;
    if tokio::time::timeout(Duration::from_secs(5), db.close())
        .await
        .is_err()
    {
        tracing::warn!("a database connection was still in use at exit");
    }
    served.context("server failed")?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Sweeps abandoned uploads now and every hour, for as long as the server runs.
async fn sweep_uploads(db: SqlitePool) {
    let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        if let Err(error) = store::attachments::uploads::cleanup(&db).await {
            tracing::error!(
                error = format!("{error:#}"),
                "sweeping abandoned uploads failed"
            );
        }
    }
}
