//! The one error type of the HTTP layer: every failure becomes an `ErrorBody` a person can act on.

use api::{validation::FIX_FIELDS_MESSAGE, ErrorBody, FieldErrors};
use axum::{
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

/// Everything a handler can fail with.
#[derive(Debug)]
pub enum ApiError {
    /// The request could not be read (malformed JSON, wrong content type): 400.
    BadRequest(String),
    /// The secret was missing: 401.
    Unauthorized(String),
    /// Logged in, but not allowed this (a reviewer at an admin's endpoint; a cross-site request): 403.
    Forbidden(String),
    /// No such thing, or not yours to see: 404.
    NotFound(String),
    /// The path exists, the method does not: 405.
    MethodNotAllowed,
    /// The body is larger than the server accepts: 413.
    PayloadTooLarge,
    /// An uploaded file is larger than the server accepts; the message says the limit: 413.
    FileTooLarge(String),
    /// An uploaded file is not of a kind the server accepts; the message says which are: 415.
    UnsupportedMediaType(String),
    /// The request cannot be done in the thing's present state (the message says why): 409.
    Conflict(String),
    /// The request was readable but some fields are wrong: 422.
    Invalid(FieldErrors),
    /// The request was readable but cannot be done as asked: 422.
    Unprocessable(String),
    /// Too many requests from one address; it may try again after this many seconds: 429.
    TooManyRequests { retry_after_secs: u64 },
    /// Too many attempts at something; `message` says when to try again: 429.
    TooManyAttempts {
        retry_after_secs: u64,
        message: String,
    },
    /// The request took longer than the server allows (`Options::request_timeout`): 503.
    TimedOut,
    /// Our fault: logged with its cause chain; the client gets a generic message.
    Internal(anyhow::Error),
}

impl ApiError {
    /// A 422 naming one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid(FieldErrors::from([(field.to_owned(), message.into())]))
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        ApiError::Internal(error)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::Internal(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::BadRequest(message) => (StatusCode::BAD_REQUEST, ErrorBody::new(message)),
            ApiError::Unauthorized(message) => (StatusCode::UNAUTHORIZED, ErrorBody::new(message)),
            ApiError::Forbidden(message) => (StatusCode::FORBIDDEN, ErrorBody::new(message)),
            ApiError::NotFound(message) => (StatusCode::NOT_FOUND, ErrorBody::new(message)),
            ApiError::Conflict(message) => (StatusCode::CONFLICT, ErrorBody::new(message)),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorBody::new("这个接口不支持该请求方法"),
            ),
            ApiError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorBody::new("提交的内容太大，请精简正文后再试"),
            ),
            ApiError::FileTooLarge(message) => {
                (StatusCode::PAYLOAD_TOO_LARGE, ErrorBody::new(message))
            }
            ApiError::UnsupportedMediaType(message) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorBody::new(message))
            }
            ApiError::Invalid(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorBody::with_fields(FIX_FIELDS_MESSAGE, fields),
            ),
            ApiError::Unprocessable(message) => {
                (StatusCode::UNPROCESSABLE_ENTITY, ErrorBody::new(message))
            }
            ApiError::TooManyRequests { retry_after_secs } => {
                let body = ErrorBody::new(format!("操作太频繁，请等 {retry_after_secs} 秒后再试"));
                let retry_after = [(header::RETRY_AFTER, retry_after_secs.to_string())];
                return (StatusCode::TOO_MANY_REQUESTS, retry_after, Json(body)).into_response();
            }
            ApiError::TooManyAttempts {
                retry_after_secs,
                message,
            } => {
                let retry_after = [(header::RETRY_AFTER, retry_after_secs.to_string())];
                let body = ErrorBody::new(message);
                return (StatusCode::TOO_MANY_REQUESTS, retry_after, Json(body)).into_response();
            }
            ApiError::TimedOut => (
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorBody::new("这次请求用时太长，已被中止；您填写的内容都还在，请检查网络后重试"),
            ),
            ApiError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorBody::new("服务器出了点问题，您填写的内容都还在，请稍后重试"),
                )
            }
        };
        (status, Json(body)).into_response()
    }
}

/// Middleware (`map_response`): the request timeout answers a bare 503; this gives it the `ErrorBody`.
/// No handler answers 503 itself, and every one of our errors has a Content-Type.
pub async fn explain_timeout(response: Response) -> Response {
    if response.status() == StatusCode::SERVICE_UNAVAILABLE
        && !response.headers().contains_key(header::CONTENT_TYPE)
    {
        ApiError::TimedOut.into_response()
    } else {
        response
    }
}
