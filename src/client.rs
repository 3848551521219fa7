//! The one typed HTTP client: one async fn per endpoint. Components never touch gloo-net.

use api::{
    CreateSubmission, ErrorBody, LoginRequest, StaffSession, StaffView, SubmissionCreated,
    SubmissionView, Unit, IDEMPOTENCY_KEY_HEADER,
};
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;

/// Why a request did not give the expected answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// The request never got an answer: offline, timed out, connection dropped.
    Network,
    /// The server answered with an error status and (normally) an `ErrorBody`.
    Api { status: u16, body: ErrorBody },
}

impl ClientError {
    /// True when sending the same request again later may well succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            ClientError::Network => true,
            ClientError::Api { status, .. } => retryable_status(*status),
        }
    }

    /// A sentence for the person in front of the screen.
    pub fn message(&self) -> String {
        match self {
            ClientError::Network => "网络连接失败，请检查网络后重试".into(),
            ClientError::Api { body, .. } => body.message.clone(),
        }
    }
}

/// Server errors, rate limits and timeouts pass; other 4xx need a change to the request.
pub fn retryable_status(status: u16) -> bool {
    status >= 500 || status == 429 || status == 408
}

/// `GET /api/units`.
pub async fn list_units() -> Result<Vec<Unit>, ClientError> {
    let response = Request::get("/api/units").send().await;
    read(response).await
}

/// `POST /api/submissions`, safe to repeat with the same `idempotency_key`.
pub async fn create_submission(
    submission: &CreateSubmission,
    idempotency_key: &str,
) -> Result<SubmissionCreated, ClientError> {
    let request = Request::post("/api/submissions")
        .header(IDEMPOTENCY_KEY_HEADER, idempotency_key)
        .json(submission)
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}

/// `GET /api/submissions/{code}` with the submitter's secret.
pub async fn get_submission(code: &str, secret: &str) -> Result<SubmissionView, ClientError> {
    let url = format!("/api/submissions/{}", encode_path_segment(code));
    let response = Request::get(&url)
        .header("Authorization", &format!("Bearer {secret}"))
        .send()
        .await;
    read(response).await
}

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

async fn read<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ClientError> {
    check(response)
        .await?
        .json()
        .await
        .map_err(|_| ClientError::Network)
}

/// The response if its status is a success, its `ErrorBody` as an error otherwise.
async fn check(response: Result<Response, gloo_net::Error>) -> Result<Response, ClientError> {
    let response = response.map_err(|_| ClientError::Network)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let body = response
        .json()
        .await
        .unwrap_or_else(|_| ErrorBody::new(format!("服务器暂时无法处理（{status}），请稍后重试")));
    Err(ClientError::Api { status, body })
}

/// Keeps a typed code from escaping its path segment.
fn encode_path_segment(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}
