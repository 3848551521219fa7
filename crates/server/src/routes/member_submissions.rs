//! `/api/member/submissions*`: a joined member's own submissions, from any of their devices, and
//! receipts from before joining claimed into the account. Mounted by `member::router`, behind its
//! cross-site check and `no-store`.

use api::{ClaimSubmission, ErrorBody, MemberSubmission, SubmissionView, TrackingCode};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    routing::{get, post},
    Json, Router,
};

use crate::{
    auth::member_session::CurrentMember,
    error::ApiError,
    extract::ApiJson,
    rate_limit::{self, Limits},
    store::{self, submissions::by_member::Claim},
    AppState,
};

pub fn router(limits: &Limits) -> Router<AppState> {
    Router::new()
        .route("/member/submissions", get(my_submissions))
        .route(
            "/member/submissions/claim",
            rate_limit::limited(post(claim_submission), limits.join),
        )
        .route("/member/submissions/{code}", get(my_submission))
}

/// Every submission of the member, from any of their devices, newest first.
#[utoipa::path(
    get,
    path = "/api/member/submissions",
    tag = "member",
    security(("member_session" = [])),
    responses(
        (status = 200, description = "本人的全部提交，新的在前", body = Vec<MemberSubmission>),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn my_submissions(
    State(state): State<AppState>,
    current: CurrentMember,
) -> Result<Json<Vec<MemberSubmission>>, ApiError> {
    Ok(Json(
        store::submissions::by_member::list(&state.db, state.writer.key(), current.member.id)
            .await?,
    ))
}

/// One of the member's own submissions, as its submitter sees it.
#[utoipa::path(
    get,
    path = "/api/member/submissions/{code}",
    tag = "member",
    params(("code" = String, Path, description = "回执编号，如 JY-2026-000123")),
    security(("member_session" = [])),
    responses(
        (status = 200, description = "状态与公开的办理进度", body = SubmissionView),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 404, description = "没有这条提交，或不是本人的（回答相同）", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn my_submission(
    State(state): State<AppState>,
    current: CurrentMember,
    code: Result<Path<String>, PathRejection>,
) -> Result<Json<SubmissionView>, ApiError> {
    let not_found = || ApiError::NotFound("没有找到这条提交；“我的提交”里只有您本人的提交".into());
    let code = code
        .ok()
        .and_then(|Path(code)| TrackingCode::parse(&code))
        .ok_or_else(not_found)?;
    store::submissions::find_for_member(&state.db, code, current.member.id)
        .await?
        .map(Json)
        .ok_or_else(not_found)
}

/// Attaches a receipt kept on this device from before it joined to the member.
#[utoipa::path(
    post,
    path = "/api/member/submissions/claim",
    tag = "member",
    request_body = ClaimSubmission,
    security(("member_session" = [])),
    responses(
        (status = 200, description = "已归入本人的提交", body = MemberSubmission),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 403, description = "请求来自其他网站", body = ErrorBody),
        (status = 404, description = "编号不存在或查询密码不对（两者回答相同）", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "这条提交已归入另一位成员", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "字段类型不对", body = ErrorBody),
        (status = 429, description = "同一地址尝试太频繁", body = ErrorBody,
            headers(("Retry-After" = u64, description = "再试之前须等待的秒数"))),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn claim_submission(
    State(state): State<AppState>,
    current: CurrentMember,
    ApiJson(request): ApiJson<ClaimSubmission>,
) -> Result<Json<MemberSubmission>, ApiError> {
    let not_found = || ApiError::NotFound("没有找到这条提交，请核对回执编号和查询密码".into());
    let code = TrackingCode::parse(request.code.trim()).ok_or_else(not_found)?;
    match store::submissions::by_member::claim(
        &state.db,
        state.writer.key(),
        code,
        request.secret.trim(),
        current.member.id,
    )
    .await?
    {
        Claim::Claimed(submission) => Ok(Json(submission)),
        Claim::NotFound => Err(not_found()),
        Claim::Taken => Err(ApiError::Conflict(
            "这条提交已归入另一位成员，不能再归入您的名下；如有疑问请联系统战部".into(),
        )),
    }
}
