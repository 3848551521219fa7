//! The one typed HTTP client: one async fn per endpoint. Components never touch gloo-net.

use api::{
    CreateSubmission, ErrorBody, SubmissionCreated, SubmissionView, Unit, IDEMPOTENCY_KEY_HEADER,
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

async fn read<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ClientError> {
    let response = response.map_err(|_| ClientError::Network)?;
    if response.ok() {
        return response.json().await.map_err(|_| ClientError::Network);
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
