//! Resumable uploads (`api::upload`, tus-style): members under `/api/uploads` (device cookie), staff under
//! `/api/staff/uploads` (their cookie lives under `/api/staff`). The store (`store::attachments::uploads`)
//! streams, checks and keeps the bytes; this module reads requests and writes answers.

use api::{
    attachment,
    upload::{self, CreateUpload, UploadLimits, UploadState, CHUNK_CONTENT_TYPE, OFFSET_HEADER},
    ErrorBody,
};
use axum::{
    body::Body,
    extract::{rejection::PathRejection, DefaultBodyLimit, Path, State},
    http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
    Extension, Json, Router,
};

use crate::{
    auth::{cross_site, member_session::CurrentMember, CurrentStaff},
    error::ApiError,
    extract::ApiJson,
    store::attachments::uploads::{self, Owner, UploadError},
    AppState, AttachmentCountLimit, AttachmentLimit,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/uploads/limits", get(limits))
        .route("/uploads", axum::routing::post(member_create))
        .route(
            "/uploads/{id}",
            get(member_state)
                .patch(member_append)
                .delete(member_delete)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/staff/uploads", axum::routing::post(staff_create))
        .route(
            "/staff/uploads/{id}",
            get(staff_state)
                .patch(staff_append)
                .delete(staff_delete)
                .layer(DefaultBodyLimit::disable()),
        )
        .layer(middleware::from_fn(cross_site::refuse_cross_site))
}

fn offset_header() -> HeaderName {
    HeaderName::from_static("upload-offset")
}

fn not_found() -> ApiError {
    ApiError::NotFound(upload::NOT_FOUND_MESSAGE.into())
}

fn refusal(error: UploadError) -> Response {
    match error {
        UploadError::NotFound => not_found().into_response(),
        UploadError::TooLarge { max_bytes } => {
            ApiError::FileTooLarge(attachment::too_large_message(max_bytes)).into_response()
        }
        UploadError::Empty => ApiError::field("size", attachment::EMPTY_MESSAGE).into_response(),
        UploadError::Unsupported => {
            ApiError::UnsupportedMediaType(attachment::UNSUPPORTED_MESSAGE.into()).into_response()
        }
        UploadError::WrongOffset { held } => (
            StatusCode::CONFLICT,
            [(offset_header(), HeaderValue::from(held))],
            Json(ErrorBody::new(upload::WRONG_OFFSET_MESSAGE)),
        )
            .into_response(),
        UploadError::PastEnd => {
            ApiError::FileTooLarge(upload::PAST_END_MESSAGE.into()).into_response()
        }
        UploadError::Interrupted => ApiError::BadRequest(
            "这一段没有传完（连接中断）；已收到的部分已保存，请从服务器告知的位置继续".into(),
        )
        .into_response(),
        UploadError::Other(error) => ApiError::Internal(error).into_response(),
    }
}

fn answer(status: StatusCode, state: UploadState) -> Response {
    (
        status,
        [
            (offset_header(), HeaderValue::from(state.offset)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        Json(state),
    )
        .into_response()
}

async fn create(
    state: &AppState,
    owner: Owner<'_>,
    max_bytes: u64,
    request: CreateUpload,
) -> Response {
    match uploads::create(&state.db, owner, &request.name, request.size, max_bytes).await {
        Ok(created) => answer(StatusCode::CREATED, created),
        Err(error) => refusal(error),
    }
}

async fn show(
    state: &AppState,
    owner: Owner<'_>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(id)) = id else {
        return not_found().into_response();
    };
    match uploads::find(&state.db, owner, &id).await {
        Ok(Some(found)) => answer(StatusCode::OK, found),
        Ok(None) => not_found().into_response(),
        Err(error) => refusal(error),
    }
}

async fn append(
    state: &AppState,
    owner: Owner<'_>,
    id: Result<Path<String>, PathRejection>,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    let Ok(Path(id)) = id else {
        return not_found().into_response();
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if !content_type.eq_ignore_ascii_case(CHUNK_CONTENT_TYPE) {
        return ApiError::UnsupportedMediaType(format!(
            "上传的内容须以 Content-Type: {CHUNK_CONTENT_TYPE} 发送"
        ))
        .into_response();
    }
    let Some(offset) = headers
        .get(OFFSET_HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
    else {
        return ApiError::BadRequest(format!(
            "请在 {OFFSET_HEADER} 请求头中写明这一段从第几个字节开始（服务器已收到的字节数）"
        ))
        .into_response();
    };
    match uploads::append(&state.db, owner, &id, offset, body.into_data_stream()).await {
        Ok(next) => answer(StatusCode::OK, next),
        Err(error) => refusal(error),
    }
}

async fn delete(
    state: &AppState,
    owner: Owner<'_>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(id)) = id else {
        return not_found().into_response();
    };
    match uploads::delete(&state.db, owner, &id).await {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => not_found().into_response(),
        Err(error) => refusal(error),
    }
}

/// The size and count limits for files on one submission, for the browser's checks before sending.
#[utoipa::path(
    get,
    path = "/api/uploads/limits",
    tag = "member",
    responses(
        (status = 200, description = "每个文件的大小上限（字节）与每条提交的文件数上限", body = UploadLimits),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub(super) async fn limits(
    Extension(AttachmentLimit(max_bytes)): Extension<AttachmentLimit>,
    Extension(AttachmentCountLimit(max_files)): Extension<AttachmentCountLimit>,
) -> Json<UploadLimits> {
    Json(UploadLimits {
        max_bytes,
        max_files,
    })
}

/// Announces a file a joined member is about to upload; its bytes follow with `PATCH`.
#[utoipa::path(
    post,
    path = "/api/uploads",
    tag = "member",
    request_body = CreateUpload,
    security(("member_session" = [])),
    responses(
        (status = 201, description = "已登记；用返回的 id 分段上传（PATCH）", body = UploadState,
            headers(("Upload-Offset" = u64, description = "服务器已收到的字节数（0）"))),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "这台设备还没有加入，或已退出", body = ErrorBody),
        (status = 403, description = "来自其他网站的请求", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "文件超过大小上限（默认 20 MB）", body = ErrorBody),
        (status = 415, description = "不是可接受的文件类型（按扩展名）", body = ErrorBody),
        (status = 422, description = "文件是空的", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(member = member.member.id))]
pub(super) async fn member_create(
    member: CurrentMember,
    State(state): State<AppState>,
    Extension(AttachmentLimit(max_bytes)): Extension<AttachmentLimit>,
    ApiJson(request): ApiJson<CreateUpload>,
) -> Response {
    create(&state, Owner::Member(member.member.id), max_bytes, request).await
}

/// How many bytes of an upload the server holds (`HEAD` gives the same headers).
#[utoipa::path(
    get,
    path = "/api/uploads/{id}",
    tag = "member",
    params(("id" = String, Path, description = "上传编号（登记时返回的 id）")),
    security(("member_session" = [])),
    responses(
        (status = 200, description = "上传的进度；complete 为真时已保存为附件", body = UploadState,
            headers(("Upload-Offset" = u64, description = "服务器已收到的字节数"))),
        (status = 401, description = "这台设备还没有加入，或已退出", body = ErrorBody),
        (status = 404, description = "没有这个上传（或不是本人的，或已过期清理）", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(member = member.member.id))]
pub(super) async fn member_state(
    member: CurrentMember,
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    show(&state, Owner::Member(member.member.id), id).await
}

/// Appends the next bytes of an upload, at the offset the server holds; the last byte completes it.
#[utoipa::path(
    patch,
    path = "/api/uploads/{id}",
    tag = "member",
    params(
        ("id" = String, Path, description = "上传编号"),
        ("Upload-Offset" = u64, Header, description = "这一段从第几个字节开始，须等于服务器已收到的字节数"),
    ),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream",
        description = "文件接下来的一段字节（建议每段 512 KB）"),
    security(("member_session" = [])),
    responses(
        (status = 200, description = "已收下；offset 为新的位置，complete 为真时已检查类型并保存为附件", body = UploadState,
            headers(("Upload-Offset" = u64, description = "服务器已收到的字节数"))),
        (status = 400, description = "缺少 Upload-Offset，或这一段中途断开（已收到的部分保留）", body = ErrorBody),
        (status = 401, description = "这台设备还没有加入，或已退出", body = ErrorBody),
        (status = 403, description = "来自其他网站的请求", body = ErrorBody),
        (status = 404, description = "没有这个上传", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "Upload-Offset 与服务器已收到的不一致；正确的位置在响应头 Upload-Offset 中", body = ErrorBody,
            headers(("Upload-Offset" = u64, description = "服务器已收到的字节数"))),
        (status = 413, description = "发送的字节超过登记的大小", body = ErrorBody),
        (status = 415, description = "内容类型不对，或文件内容不是可接受的类型（上传随之删除）", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(member = member.member.id))]
pub(super) async fn member_append(
    member: CurrentMember,
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    append(&state, Owner::Member(member.member.id), id, &headers, body).await
}

/// Takes back an upload not yet on a submission (the member removed the file).
#[utoipa::path(
    delete,
    path = "/api/uploads/{id}",
    tag = "member",
    params(("id" = String, Path, description = "上传编号")),
    security(("member_session" = [])),
    responses(
        (status = 204, description = "已删除"),
        (status = 401, description = "这台设备还没有加入，或已退出", body = ErrorBody),
        (status = 403, description = "来自其他网站的请求", body = ErrorBody),
        (status = 404, description = "没有这个上传", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(member = member.member.id))]
pub(super) async fn member_delete(
    member: CurrentMember,
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    delete(&state, Owner::Member(member.member.id), id).await
}

/// Staff announce a file to upload in pieces (then use its attachment id in a record).
#[utoipa::path(
    post,
    path = "/api/staff/uploads",
    tag = "staff",
    request_body = CreateUpload,
    security(("staff_session" = [])),
    responses(
        (status = 201, description = "已登记；用返回的 id 分段上传（PATCH）", body = UploadState),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "来自其他网站的请求", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "文件超过大小上限（默认 20 MB）", body = ErrorBody),
        (status = 415, description = "不是可接受的文件类型（按扩展名）", body = ErrorBody),
        (status = 422, description = "文件是空的", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn staff_create(
    staff: CurrentStaff,
    State(state): State<AppState>,
    Extension(AttachmentLimit(max_bytes)): Extension<AttachmentLimit>,
    ApiJson(request): ApiJson<CreateUpload>,
) -> Response {
    create(&state, Owner::Staff(staff.actor()), max_bytes, request).await
}

/// How many bytes of a staff upload the server holds.
#[utoipa::path(
    get,
    path = "/api/staff/uploads/{id}",
    tag = "staff",
    params(("id" = String, Path, description = "上传编号")),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "上传的进度", body = UploadState),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这个上传", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn staff_state(
    staff: CurrentStaff,
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    show(&state, Owner::Staff(staff.actor()), id).await
}

/// Appends the next bytes of a staff upload; the last byte completes it (audited as an upload).
#[utoipa::path(
    patch,
    path = "/api/staff/uploads/{id}",
    tag = "staff",
    params(
        ("id" = String, Path, description = "上传编号"),
        ("Upload-Offset" = u64, Header, description = "这一段从第几个字节开始，须等于服务器已收到的字节数"),
    ),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream",
        description = "文件接下来的一段字节"),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "已收下", body = UploadState),
        (status = 400, description = "缺少 Upload-Offset，或这一段中途断开", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "来自其他网站的请求", body = ErrorBody),
        (status = 404, description = "没有这个上传", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "Upload-Offset 与服务器已收到的不一致", body = ErrorBody),
        (status = 413, description = "发送的字节超过登记的大小", body = ErrorBody),
        (status = 415, description = "内容类型不对，或文件内容不是可接受的类型", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn staff_append(
    staff: CurrentStaff,
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    append(&state, Owner::Staff(staff.actor()), id, &headers, body).await
}

/// Takes back a staff upload.
#[utoipa::path(
    delete,
    path = "/api/staff/uploads/{id}",
    tag = "staff",
    params(("id" = String, Path, description = "上传编号")),
    security(("staff_session" = [])),
    responses(
        (status = 204, description = "已删除"),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "来自其他网站的请求", body = ErrorBody),
        (status = 404, description = "没有这个上传", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn staff_delete(
    staff: CurrentStaff,
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    delete(&state, Owner::Staff(staff.actor()), id).await
}
