//! `/api/staff/attachments`: staff upload a file (an adoption's document, a scanned instruction) before
//! the record that points to it, and download it again. The store (`store::attachments`) streams,
//! checks and keeps the bytes; this module reads the request and writes the answer.

use api::{
    attachment::{self, AttachmentId, AttachmentView, FILE_NAME_HEADER},
    ErrorBody,
};
use axum::{
    body::Body,
    extract::{rejection::PathRejection, DefaultBodyLimit, Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Extension, Json, Router,
};
use tokio_util::io::ReaderStream;

use super::downloads::percent_encode;
use crate::{
    auth::CurrentStaff,
    error::ApiError,
    store::attachments::{self, SaveError, Upload},
    AppState, AttachmentLimit,
};

pub fn router() -> Router<AppState> {
    Router::new()
        // The API's 256 KiB body limit is for JSON; an upload is streamed to disk with its own limit
        // (`Options::attachment_max_bytes`), checked as the bytes arrive.
        .route(
            "/staff/attachments",
            post(upload_attachment).layer(DefaultBodyLimit::disable()),
        )
        .route("/staff/attachments/{id}", get(download_attachment))
}

/// The file's name from `X-File-Name` (percent-encoded UTF-8), cleaned; `附件` when none is given.
fn file_name(headers: &HeaderMap) -> Result<String, ApiError> {
    let Some(value) = headers.get(FILE_NAME_HEADER) else {
        return Ok(attachment::clean_name(""));
    };
    value
        .to_str()
        .ok()
        .and_then(attachment::percent_decode)
        .map(|name| attachment::clean_name(&name))
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "文件名须按 UTF-8 百分号编码放在 {FILE_NAME_HEADER} 请求头中（encodeURIComponent）"
            ))
        })
}

/// Uploads one file as the request body; the answer's `id` goes into the record that uses it.
#[utoipa::path(
    post,
    path = "/api/staff/attachments",
    tag = "staff",
    params(
        ("X-File-Name" = Option<String>, Header,
            description = "文件原名，UTF-8 百分号编码（encodeURIComponent），如 %E9%87%87%E7%94%A8.pdf"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "文件本身：PDF、Word（.doc/.docx/.wps）、Excel（.xls/.xlsx/.et）、PNG 或 JPEG；类型按文件内容判断，不看文件名"),
    security(("staff_session" = [])),
    responses(
        (status = 201, description = "已保存；在采用或批示记录中用返回的 id", body = AttachmentView),
        (status = 400, description = "文件名编码不正确，或上传中途断开", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "来自其他网站的请求", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "文件超过大小上限（默认 20 MB）", body = ErrorBody),
        (status = 415, description = "不是可接受的文件类型", body = ErrorBody),
        (status = 422, description = "文件是空的", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn upload_attachment(
    staff: CurrentStaff,
    State(state): State<AppState>,
    Extension(AttachmentLimit(max_bytes)): Extension<AttachmentLimit>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<AttachmentView>), ApiError> {
    let name = file_name(&headers)?;
    let declared_len = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok());
    let upload = Upload {
        name: &name,
        max_bytes,
        declared_len,
    };
    let saved = attachments::save(&state.db, body.into_data_stream(), upload, staff.actor()).await;
    match saved {
        Ok(view) => Ok((StatusCode::CREATED, Json(view))),
        Err(SaveError::TooLarge { max_bytes }) => Err(ApiError::FileTooLarge(
            attachment::too_large_message(max_bytes),
        )),
        Err(SaveError::Unsupported) => Err(ApiError::UnsupportedMediaType(
            attachment::UNSUPPORTED_MESSAGE.into(),
        )),
        Err(SaveError::Empty) => Err(ApiError::field("file", attachment::EMPTY_MESSAGE)),
        Err(SaveError::Interrupted) => Err(ApiError::BadRequest(
            "文件没有上传完整（连接中断），请重新上传".into(),
        )),
        Err(SaveError::Other(error)) => Err(ApiError::Internal(error)),
    }
}

/// Downloads a file with the name it was uploaded under.
#[utoipa::path(
    get,
    path = "/api/staff/attachments/{id}",
    tag = "staff",
    params(("id" = i64, Path, description = "附件编号（上传时返回的 id）")),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "文件本身，Content-Type 为上传时按内容判断的类型",
            content(
                (Vec<u8> = "application/pdf"),
                (Vec<u8> = "image/png"),
                (Vec<u8> = "image/jpeg"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (Vec<u8> = "application/msword"),
                (Vec<u8> = "application/vnd.ms-excel"),
            )),
        (status = 404, description = "没有这个附件；没有工作人员登录（成员、访客或登录已过期）时也如此回答，不透露附件是否存在", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub(super) async fn download_attachment(
    staff: Result<CurrentStaff, ApiError>,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, ApiError> {
    // A member or a stranger learns nothing, not even that the attachment exists.
    if staff.is_err() {
        return Err(ApiError::NotFound(
            "没有这个附件；工作人员请先登录工作台再下载".into(),
        ));
    }
    let not_found = || ApiError::NotFound("没有这个附件，请刷新页面后再试".into());
    let Ok(Path(id)) = id else {
        return Err(not_found());
    };
    let stored = attachments::find(&state.db, AttachmentId(id))
        .await?
        .ok_or_else(not_found)?;
    let file = match tokio::fs::File::open(&stored.path).await {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            // A database restored without its attachments folder: the operator can put it back.
            tracing::error!(path = %stored.path.display(), id, "an attachment's file is missing");
            return Err(ApiError::NotFound(
                "这个附件的文件不在服务器上，请联系管理员从备份中恢复附件文件夹".into(),
            ));
        }
        Err(error) => {
            return Err(ApiError::Internal(anyhow::Error::from(error).context(
                format!("cannot open the attachment {}", stored.path.display()),
            )))
        }
    };
    let extension = stored.kind.map_or("bin", |kind| kind.extension());
    let disposition = format!(
        "attachment; filename=\"attachment.{extension}\"; filename*=UTF-8''{}",
        percent_encode(&stored.view.name)
    );
    let content_type = HeaderValue::from_str(&stored.view.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition)
                .map_err(|error| ApiError::Internal(error.into()))?,
        ),
        (header::CONTENT_LENGTH, HeaderValue::from(stored.view.size)),
        // The browser must take the type as given, never guess a script or a page out of the bytes.
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
    ];
    Ok((headers, Body::from_stream(ReaderStream::new(file))).into_response())
}
