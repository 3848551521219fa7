//! Members' submissions: create one, and look one up with its secret.

use api::{
    CreateSubmission, NewSubmission, SubmissionCreated, SubmissionView, TrackingCode,
    IDEMPOTENCY_KEY_HEADER,
};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    http::{header, HeaderMap, StatusCode},
    routing::{get, post},
    Json, Router,
};
use sha2::{Digest, Sha256};

use crate::{
    error::ApiError,
    extract::ApiJson,
    store::{self, submissions::CreateError, submissions::RetryKey},
    AppState,
};

/// Longest idempotency key accepted; a UUID is 36.
const MAX_KEY_LEN: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/submissions", post(create_submission))
        .route("/submissions/{code}", get(get_submission))
}

#[tracing::instrument(skip_all)]
async fn create_submission(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<CreateSubmission>,
) -> Result<(StatusCode, Json<SubmissionCreated>), ApiError> {
    let key = idempotency_key(&headers)?;
    let submission = NewSubmission::parse(&request).map_err(ApiError::Invalid)?;
    let digest = request_digest(&request)?;
    let retry = key.map(|key| RetryKey { key, digest });
    let created = store::submissions::create(&state.db, &submission, retry.as_ref())
        .await
        .map_err(|error| match error {
            CreateError::UnknownUnit => ApiError::field("unit_id", "所选单位不存在，请重新选择"),
            CreateError::KeyReused => ApiError::Unprocessable(
                "这个 Idempotency-Key 已用于另一份不同的提交，请为新的提交换一个".into(),
            ),
            CreateError::Other(error) => ApiError::Internal(error),
        })?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[tracing::instrument(skip_all)]
async fn get_submission(
    State(state): State<AppState>,
    code: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Json<SubmissionView>, ApiError> {
    let secret = bearer_token(&headers)
        .ok_or_else(|| ApiError::Unauthorized("请提供查询密码（回执上的密码）".into()))?;
    // One answer for "no such code" and "wrong secret", so codes cannot be probed.
    let not_found = || ApiError::NotFound("没有找到这条提交，请核对回执编号和查询密码".into());
    let code = code
        .ok()
        .and_then(|Path(code)| TrackingCode::parse(&code))
        .ok_or_else(not_found)?;
    let view = store::submissions::find(&state.db, code, secret)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(view))
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY_HEADER) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim();
    let printable = key.bytes().all(|b| b.is_ascii_graphic());
    if key.is_empty() || key.len() > MAX_KEY_LEN || !printable {
        return Err(ApiError::BadRequest(format!(
            "Idempotency-Key 须为 1–{MAX_KEY_LEN} 个可见 ASCII 字符"
        )));
    }
    Ok(Some(key.to_owned()))
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Fingerprint of a request, to tell a retry (same body) from a reused key (another body).
fn request_digest(request: &CreateSubmission) -> Result<String, ApiError> {
    let canonical = serde_json::to_vec(request).map_err(anyhow::Error::from)?;
    let hash = Sha256::digest(&canonical);
    Ok(hash.iter().map(|b| format!("{b:02x}")).collect())
}
