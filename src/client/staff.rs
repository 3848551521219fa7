//! The staff's session and the audit log. The session lives in an HttpOnly cookie the browser sends
//! with every `/api/staff/*` request; the app never holds a token.

use api::{AuditPage, ListAudit, LoginRequest, StaffSession, StaffView};
use gloo_net::http::Request;

use super::{check, read, ClientError};

/// `POST /api/staff/session`: a staff member logs in (the answer sets the session cookie).
pub async fn log_in(request: &LoginRequest) -> Result<StaffSession, ClientError> {
    let request = Request::post("/api/staff/session")
        .json(request)
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}

/// `GET /api/staff/session`: who is logged in on this browser, if anyone.
pub async fn current_staff() -> Result<StaffView, ClientError> {
    read(Request::get("/api/staff/session").send().await).await
}

/// `DELETE /api/staff/session`: logs out (the answer clears the cookie).
pub async fn log_out() -> Result<(), ClientError> {
    check(Request::delete("/api/staff/session").send().await)
        .await
        .map(drop)
}

/// `GET /api/staff/audit?…`: a page of the audit log, newest first (admins only).
pub async fn audit_log(query: &ListAudit) -> Result<AuditPage, ClientError> {
    let mut pairs = Vec::new();
    for (name, value) in [
        ("actor", &query.actor),
        ("action", &query.action),
        ("from", &query.from),
        ("to", &query.to),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            pairs.push(format!(
                "{name}={}",
                String::from(js_sys::encode_uri_component(value.trim()))
            ));
        }
    }
    if let Some(before) = query.before {
        pairs.push(format!("before={before}"));
    }
    let url = if pairs.is_empty() {
        "/api/staff/audit".to_owned()
    } else {
        format!("/api/staff/audit?{}", pairs.join("&"))
    };
    read(Request::get(&url).send().await).await
}
