//! A JSON extractor whose every rejection is an `ErrorBody`, naming the field where it can.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::{header, HeaderMap, StatusCode},
};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Like `axum::Json`, but: wrong content type and malformed JSON are 400, a value of the wrong type is a
/// 422 naming its field, and a body over the limit is 413, all in the `ErrorBody` shape.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::BadRequest(
                "请求须为 JSON 格式（Content-Type: application/json）".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
                _ => ApiError::BadRequest("请求内容没有完整收到，请重试".into()),
            }
        })?;
        parse(&bytes).map(ApiJson)
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| {
            let mime = mime.trim();
            mime.eq_ignore_ascii_case("application/json")
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Syntax first, types second: serde_json alone reports some type errors (a number where an enum's
    // string belongs) as syntax errors, and the client deserves to hear which field is wrong.
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|error| ApiError::BadRequest(format!("请求不是有效的 JSON：{error}")))?;
    if !value.is_object() {
        return Err(ApiError::BadRequest(
            "请求须为一个 JSON 对象，如 {\"title\": \"…\"}".into(),
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner().to_string();
        match (top_level_field(&path), missing_field(&inner)) {
            (Some(field), _) => ApiError::field(field, format!("格式不正确：{inner}")),
            (None, Some(field)) => ApiError::field(field, "缺少此项"),
            (None, None) => ApiError::Unprocessable(format!("请求内容不符合要求：{inner}")),
        }
    })
}

/// `cosigners[3]` → `cosigners`; the document itself (`.`) names no field.
fn top_level_field(path: &str) -> Option<&str> {
    path.split(['.', '['])
        .next()
        .filter(|field| !field.is_empty() && *field != "?")
}

/// serde says "missing field `kind`" at the level of the object that lacks it.
fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split_once('`').map(|(field, _)| field)
}

/// The token of an `Authorization: Bearer <token>` header (a receipt's secret, a staff session).
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_read_from_paths_and_messages() {
        assert_eq!(top_level_field("cosigners[3]"), Some("cosigners"));
        assert_eq!(top_level_field("kind"), Some("kind"));
        assert_eq!(top_level_field("."), None);
        assert_eq!(missing_field("missing field `kind`"), Some("kind"));
        assert_eq!(missing_field("invalid type: null"), None);
    }
}
