//! `/api/staff/*`: what the department's staff do, each behind a login (`auth::CurrentStaff`, or
//! `auth::RequireAdmin` for what only an administrator may do), and every state-changing request behind
//! the cross-site check (`auth::cross_site`).

pub(super) mod attachments;
pub(super) mod audit;
pub(super) mod desk;
pub(super) mod desk_changes;
pub(super) mod downloads;
pub(super) mod list_export;
pub(super) mod member_access;
pub(super) mod members;
pub(super) mod session;
pub(crate) mod topics;
pub(super) mod units;

use axum::{
    http::{header, HeaderValue},
    middleware, Router,
};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{auth::cross_site, rate_limit::Limits, AppState};

pub fn router(limits: &Limits) -> Router<AppState> {
    Router::new()
        .merge(session::router(limits))
        .merge(downloads::router())
        .merge(desk::router())
        .merge(desk_changes::router())
        .merge(list_export::router())
        .merge(audit::router())
        .merge(attachments::router())
        .merge(units::router())
        .merge(members::router())
        .merge(member_access::router())
        .merge(topics::router())
        // Every route above: a POST, PUT, PATCH or DELETE another website started is refused.
        .layer(middleware::from_fn(cross_site::refuse_cross_site))
        // Staff data is for the person looking at it: no copy in the browser's cache or a proxy's.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}
