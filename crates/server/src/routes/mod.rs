//! `/api/*`: one module per area, each with its own `router()`.

mod health;
pub(crate) mod member;
mod member_cosign;
mod member_submissions;
mod member_topics;
mod openapi;
mod staff;
mod submissions;
mod units;
mod uploads;

use axum::{extract::DefaultBodyLimit, Router};

use crate::{error::ApiError, rate_limit::Limits, AppState};

/// Largest request body accepted: a 20,000-character body in UTF-8 and JSON escapes fits with room.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Any path under `/api` that names no endpoint.
pub async fn not_found() -> ApiError {
    ApiError::NotFound("没有这个接口".into())
}

/// Every API route, relative to `/api`.
pub fn router(limits: &Limits) -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(units::router())
        .merge(submissions::router(limits))
        .merge(staff::router(limits))
        .merge(member::router(limits))
        .merge(openapi::router())
        .merge(uploads::router())
        .fallback(not_found)
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Writes the member cookie's renewal or clearing, which the session extractor decides.
        .layer(axum::middleware::from_fn(
            crate::auth::member_session::carry_cookie,
        ))
}
