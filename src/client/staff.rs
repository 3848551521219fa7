//! The staff's endpoints: session and export.

use api::{LoginRequest, StaffSession, StaffView};
use gloo_net::http::Request;

use super::{check, read, ClientError};

/// `POST /api/staff/session`: a staff member logs in.
pub async fn log_in(request: &LoginRequest) -> Result<StaffSession, ClientError> {
    let request = Request::post("/api/staff/session")
        .json(request)
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}

/// `GET /api/staff/session`: who the token belongs to, if it still works.
pub async fn current_staff(token: &str) -> Result<StaffView, ClientError> {
    let response = Request::get("/api/staff/session")
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await;
    read(response).await
}

/// `DELETE /api/staff/session`: logs out.
pub async fn log_out(token: &str) -> Result<(), ClientError> {
    let response = Request::delete("/api/staff/session")
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await;
    check(response).await.map(drop)
}

/// `GET /api/staff/submissions/export`: the .xlsx file's bytes, of one year or of all.
pub async fn export_submissions(token: &str, year: Option<i32>) -> Result<Vec<u8>, ClientError> {
    let url = match year {
        Some(year) => format!("/api/staff/submissions/export?year={year}"),
        None => "/api/staff/submissions/export".to_owned(),
    };
    let response = Request::get(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await;
    check(response)
        .await?
        .binary()
        .await
        .map_err(|_| ClientError::Network)
}
