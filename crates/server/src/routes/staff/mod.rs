//! `/api/staff/*`: what the department's staff do, each behind a login (`auth::CurrentStaff`).

pub(super) mod desk;
pub(super) mod desk_changes;
pub(super) mod downloads;
pub(super) mod list_export;
pub(super) mod session;

use axum::{
    http::{header, HeaderValue},
    Router,
};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{rate_limit::Limits, AppState};

pub fn router(limits: &Limits) -> Router<AppState> {
    Router::new()
        .merge(session::router(limits))
        .merge(downloads::router())
        .merge(desk::router())
        .merge(desk_changes::router())
        .merge(list_export::router())
        // Staff data is for the person looking at it: no copy in the browser's cache or a proxy's.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}
