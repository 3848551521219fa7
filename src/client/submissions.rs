//! Submissions as their submitters see them: create one, read one back with its secret.

use api::{CreateSubmission, SubmissionCreated, SubmissionView, IDEMPOTENCY_KEY_HEADER};
use gloo_net::http::Request;

use super::{encode_path_segment, read, ClientError};

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

/// `PUT /api/submissions/{code}`: the member sends a submission staff returned for revision again,
/// under the same code and secret. Sending the same revision twice is answered as the first.
pub async fn resubmit_submission(
    code: &str,
    secret: &str,
    revision: &CreateSubmission,
) -> Result<SubmissionView, ClientError> {
    let url = format!("/api/submissions/{}", encode_path_segment(code));
    let request = Request::put(&url)
        .header("Authorization", &format!("Bearer {secret}"))
        .json(revision)
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}

/// `POST /api/submissions/{code}/rating`: the submitter rates the reply (满意 / 基本满意 / 不满意).
pub async fn rate_reply(
    code: &str,
    secret: &str,
    rating: &api::desk::RateReply,
) -> Result<SubmissionView, ClientError> {
    let url = format!("/api/submissions/{}/rating", encode_path_segment(code));
    let request = Request::post(&url)
        .header("Authorization", &format!("Bearer {secret}"))
        .json(rating)
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}
