//! The 同心建言 server: an axum router over SQLite that also serves the built frontend.

pub mod clock;
pub mod error;
pub mod extract;
pub mod frontend;
pub mod routes;
pub mod secret;
pub mod store;
pub mod telemetry;

use std::path::PathBuf;

use anyhow::Context;
use axum::Router;
use sqlx::SqlitePool;
use tokio::net::TcpListener;
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
}

/// The whole application: `/api/*`, and the frontend from `static_dir` when given.
pub fn app(state: AppState, static_dir: Option<PathBuf>) -> Router {
    let api = routes::router().with_state(state);
    // `nest` leaves `/api/` itself unrouted; without this it would fall through to the frontend.
    let router = Router::new()
        .nest("/api", api)
        .route("/api/", axum::routing::any(routes::not_found));
    let router = match static_dir {
        Some(dir) => router.fallback_service(frontend::service(&dir)),
        None => router,
    };
    router
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

/// Serves until SIGTERM or Ctrl-C, then lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    db: SqlitePool,
    static_dir: Option<PathBuf>,
) -> anyhow::Result<()> {
    let addr = listener.local_addr().context("listener has no address")?;
    tracing::info!(%addr, static_dir = ?static_dir, "serving");
    let app = app(AppState { db: db.clone() }, static_dir);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server failed")?;
    db.close().await;
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
