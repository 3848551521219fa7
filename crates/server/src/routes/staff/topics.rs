//! `/api/staff/topics*`, `/api/staff/proposals*` and `/api/staff/submissions/{code}/grade`: the
//! department's research topics (党委出题). An administrator creates, edits, publishes, closes and
//! withdraws topics and decides 自主选题 proposals; every staff member reads boards, claims for a unit and
//! grades results. Every change is audited in the store, in the same transaction.

use api::{
    topic::{
        DecideProposal, Decision, GradeResult, ListProposals, ListTopics, ProposalView,
        ResultTopic, SaveTopic, StaffClaim, TopicBoard, TopicDetails, TopicOverview,
        TopicVersionView, TopicView, WithdrawTopic,
    },
    ErrorBody, ProposalId, TopicId, TrackingCode, UnitId,
};
use axum::{
    extract::{rejection::PathRejection, rejection::QueryRejection, Path, Query, State},
    http::StatusCode,
    routing::{get, post},
    Extension, Json, Router,
};

use crate::{
    auth::{CurrentStaff, RequireAdmin},
    clock::Clock,
    error::ApiError,
    extract::ApiJson,
    store::topics::{
        self, board,
        claims::{self, Claimer},
        proposals, TopicError,
    },
    AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/topics", get(list_topics).post(create_topic))
        .route("/staff/topics/{id}", get(get_topic).put(edit_topic))
        .route("/staff/topics/{id}/publish", post(publish_topic))
        .route("/staff/topics/{id}/close", post(close_topic))
        .route("/staff/topics/{id}/withdraw", post(withdraw_topic))
        .route("/staff/topics/{id}/versions", get(topic_versions))
        .route("/staff/topics/{id}/board", get(topic_board))
        .route("/staff/topics/{id}/claims", post(staff_claim))
        .route(
            "/staff/topics/{id}/claims/{unit}",
            axum::routing::delete(staff_give_back),
        )
        .route(
            "/staff/topics/{id}/claims/{unit}/researching",
            post(staff_mark_researching),
        )
        .route("/staff/proposals", get(list_proposals))
        .route("/staff/proposals/{id}/decision", post(decide_proposal))
        .route("/staff/submissions/{code}/grade", post(grade_result))
}

impl From<TopicError> for ApiError {
    fn from(error: TopicError) -> Self {
        match error {
            TopicError::NotFound(message) => ApiError::NotFound(message.into()),
            TopicError::Forbidden(message) => ApiError::Forbidden(message),
            TopicError::Conflict(message) => ApiError::Conflict(message),
            TopicError::Invalid(fields) => ApiError::Invalid(fields),
            TopicError::Other(error) => ApiError::Internal(error),
        }
    }
}

pub(crate) fn topic_id(path: Result<Path<i64>, PathRejection>) -> Result<TopicId, ApiError> {
    path.map(|Path(id)| TopicId(id))
        .map_err(|_| ApiError::NotFound(topics::NO_TOPIC.into()))
}

fn topic_and_unit(
    path: Result<Path<(i64, i64)>, PathRejection>,
) -> Result<(TopicId, UnitId), ApiError> {
    path.map(|Path((topic, unit))| (TopicId(topic), UnitId(unit)))
        .map_err(|_| ApiError::NotFound("没有这个课题或单位".into()))
}

/// Every topic of a year (this year when not given), newest first, with each board's counts.
#[utoipa::path(
    get,
    path = "/api/staff/topics",
    tag = "topics",
    params(ListTopics),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "该年度的全部课题及各状态单位数", body = TopicOverview),
        (status = 400, description = "year 不是数字", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn list_topics(
    staff: CurrentStaff,
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    query: Result<Query<ListTopics>, QueryRejection>,
) -> Result<Json<TopicOverview>, ApiError> {
    let Query(query) =
        query.map_err(|_| ApiError::BadRequest("年度应为四位数字，如 year=2026".into()))?;
    let today = clock.today();
    let year = query.year.unwrap_or(today.year());
    Ok(Json(board::overview(&state.db, year, today).await?))
}

/// Adds a topic as a draft (only staff see it until it is published).
#[utoipa::path(
    post,
    path = "/api/staff/topics",
    tag = "topics",
    request_body = SaveTopic,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 201, description = "已保存为草稿", body = TopicView),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以出题", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "有字段不合要求（fields 逐项说明）", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn create_topic(
    admin: RequireAdmin,
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    ApiJson(request): ApiJson<SaveTopic>,
) -> Result<(StatusCode, Json<TopicView>), ApiError> {
    let topic = TopicDetails::parse(&request).map_err(ApiError::Invalid)?;
    let view = topics::create(&state.db, &topic, admin.0.actor(), clock.now()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// One topic in full.
#[utoipa::path(
    get,
    path = "/api/staff/topics/{id}",
    tag = "topics",
    params(("id" = i64, Path, description = "课题编号")),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "课题全文", body = TopicView),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这个课题", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn get_topic(
    staff: CurrentStaff,
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<TopicView>, ApiError> {
    let id = topic_id(id)?;
    Ok(Json(topics::get(&state.db, id, clock.today()).await?))
}

/// Saves an edit: a draft in place; a published topic as a new version that records what changed.
#[utoipa::path(
    put,
    path = "/api/staff/topics/{id}",
    tag = "topics",
    params(("id" = i64, Path, description = "课题编号")),
    request_body = SaveTopic,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已保存", body = TopicView),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以修改课题", body = ErrorBody),
        (status = 404, description = "没有这个课题", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "课题已结束或撤回，或已被他人修改（version 过时）", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "有字段不合要求（fields 逐项说明）", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn edit_topic(
    admin: RequireAdmin,
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    id: Result<Path<i64>, PathRejection>,
    ApiJson(request): ApiJson<SaveTopic>,
) -> Result<Json<TopicView>, ApiError> {
    let id = topic_id(id)?;
    let topic = TopicDetails::parse(&request).map_err(ApiError::Invalid)?;
    let actor = admin.0.actor();
    let keep_year = request.year.is_none();
    let now = clock.now();
    let view = topics::update(
        &state.db,
        id,
        &topic,
        keep_year,
        request.version,
        actor,
        now,
    )
    .await?;
    Ok(Json(view))
}

/// Publishes a draft: the target units see it and may claim it (version 1).
#[utoipa::path(
    post,
    path = "/api/staff/topics/{id}/publish",
    tag = "topics",
    params(("id" = i64, Path, description = "课题编号")),
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已发布", body = TopicView),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以发布课题", body = ErrorBody),
        (status = 404, description = "没有这个课题", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "课题不是草稿", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn publish_topic(
    admin: RequireAdmin,
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<TopicView>, ApiError> {
    let id = topic_id(id)?;
    Ok(Json(
        topics::publish(&state.db, id, admin.0.actor(), clock.now()).await?,
    ))
}

/// Closes a published topic: no more claims or results; its board stays.
#[utoipa::path(
    post,
    path = "/api/staff/topics/{id}/close",
    tag = "topics",
    params(("id" = i64, Path, description = "课题编号")),
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已结束", body = TopicView),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以结束课题", body = ErrorBody),
        (status = 404, description = "没有这个课题", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "课题不在发布中", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn close_topic(
    admin: RequireAdmin,
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<TopicView>, ApiError> {
    let id = topic_id(id)?;
    Ok(Json(
        topics::close(&state.db, id, admin.0.actor(), clock.now()).await?,
    ))
}

/// Withdraws a draft or published topic, with a reason; members no longer see it.
#[utoipa::path(
    post,
    path = "/api/staff/topics/{id}/withdraw",
    tag = "topics",
    params(("id" = i64, Path, description = "课题编号")),
    request_body = WithdrawTopic,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已撤回", body = TopicView),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以撤回课题", body = ErrorBody),
        (status = 404, description = "没有这个课题", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "课题已结束或已撤回", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "没有填写撤回原因", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn withdraw_topic(
    admin: RequireAdmin,
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    id: Result<Path<i64>, PathRejection>,
    ApiJson(request): ApiJson<WithdrawTopic>,
) -> Result<Json<TopicView>, ApiError> {
    let id = topic_id(id)?;
    let reason = api::topic::reason(&request.reason, "请填写撤回原因")
        .map_err(|message| ApiError::field("reason", message))?;
    let actor = admin.0.actor();
    Ok(Json(
        topics::withdraw(&state.db, id, &reason, actor, clock.now()).await?,
    ))
}

/// Every published version of a topic, oldest first, each with what changed from the one before.
#[utoipa::path(
    get,
    path = "/api/staff/topics/{id}/versions",
    tag = "topics",
    params(("id" = i64, Path, description = "课题编号")),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "各版本及其改动", body = Vec<TopicVersionView>),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这个课题", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn topic_versions(
    staff: CurrentStaff,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<Vec<TopicVersionView>>, ApiError> {
    let id = topic_id(id)?;
    Ok(Json(topics::versions(&state.db, id).await?))
}

/// The board: every target unit's state, claim, days left and results.
#[utoipa::path(
    get,
    path = "/api/staff/topics/{id}/board",
    tag = "topics",
    params(("id" = i64, Path, description = "课题编号")),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "课题与各单位进展", body = TopicBoard),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这个课题", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn topic_board(
    staff: CurrentStaff,
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<TopicBoard>, ApiError> {
    let id = topic_id(id)?;
    Ok(Json(board::board(&state.db, id, clock.today()).await?))
}

/// Claims a published topic for one of its target units, on the unit's behalf.
#[utoipa::path(
    post,
    path = "/api/staff/topics/{id}/claims",
    tag = "topics",
    params(("id" = i64, Path, description = "课题编号")),
    request_body = StaffClaim,
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "已代为认领；返回看板", body = TopicBoard),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这个课题", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "课题未发布，不面向该单位，或该单位已认领", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "缺少 unit_id，或不是数字", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn staff_claim(
    staff: CurrentStaff,
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    id: Result<Path<i64>, PathRejection>,
    ApiJson(request): ApiJson<StaffClaim>,
) -> Result<Json<TopicBoard>, ApiError> {
    let id = topic_id(id)?;
    let claimer = Claimer::Staff(staff.actor());
    claims::claim(&state.db, id, request.unit_id, claimer, clock.now()).await?;
    Ok(Json(board::board(&state.db, id, clock.today()).await?))
}

/// Gives a unit's claim back (only before the unit has sent a result on it).
#[utoipa::path(
    delete,
    path = "/api/staff/topics/{id}/claims/{unit}",
    tag = "topics",
    params(
        ("id" = i64, Path, description = "课题编号"),
        ("unit" = i64, Path, description = "单位编号"),
    ),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "已交回；返回看板", body = TopicBoard),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这个课题", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "该单位没有认领，已提交成果，或课题未在发布中", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn staff_give_back(
    staff: CurrentStaff,
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    path: Result<Path<(i64, i64)>, PathRejection>,
) -> Result<Json<TopicBoard>, ApiError> {
    let (id, unit) = topic_and_unit(path)?;
    let claimer = Claimer::Staff(staff.actor());
    claims::give_back(&state.db, id, unit, claimer, clock.now()).await?;
    Ok(Json(board::board(&state.db, id, clock.today()).await?))
}

/// Marks a claiming unit's research started (调研中).
#[utoipa::path(
    post,
    path = "/api/staff/topics/{id}/claims/{unit}/researching",
    tag = "topics",
    params(
        ("id" = i64, Path, description = "课题编号"),
        ("unit" = i64, Path, description = "单位编号"),
    ),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "已标记为调研中；返回看板", body = TopicBoard),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这个课题", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "该单位没有认领，或课题未在发布中", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn staff_mark_researching(
    staff: CurrentStaff,
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    path: Result<Path<(i64, i64)>, PathRejection>,
) -> Result<Json<TopicBoard>, ApiError> {
    let (id, unit) = topic_and_unit(path)?;
    let claimer = Claimer::Staff(staff.actor());
    claims::mark_researching(&state.db, id, unit, claimer, clock.now()).await?;
    Ok(Json(board::board(&state.db, id, clock.today()).await?))
}

/// The units' 自主选题 proposals, newest first; `state=pending` for those waiting.
#[utoipa::path(
    get,
    path = "/api/staff/proposals",
    tag = "topics",
    params(ListProposals),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "选题申报", body = Vec<ProposalView>),
        (status = 400, description = "state 不是 pending / approved / declined", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn list_proposals(
    staff: CurrentStaff,
    State(state): State<AppState>,
    query: Result<Query<ListProposals>, QueryRejection>,
) -> Result<Json<Vec<ProposalView>>, ApiError> {
    let Query(query) = query
        .map_err(|_| ApiError::BadRequest("state 应为 pending、approved 或 declined".into()))?;
    Ok(Json(proposals::list(&state.db, query.state).await?))
}

/// Approves a proposal (a published topic for its unit, already claimed by it) or declines it.
#[utoipa::path(
    post,
    path = "/api/staff/proposals/{id}/decision",
    tag = "topics",
    params(("id" = i64, Path, description = "申报编号")),
    request_body = DecideProposal,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已处理", body = ProposalView),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以审批选题", body = ErrorBody),
        (status = 404, description = "没有这个申报", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "已经处理过", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "同意缺截止日期，或不同意缺理由", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn decide_proposal(
    admin: RequireAdmin,
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    id: Result<Path<i64>, PathRejection>,
    ApiJson(request): ApiJson<DecideProposal>,
) -> Result<Json<ProposalView>, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::NotFound("没有这个选题申报".into()));
    };
    let decision = Decision::parse(&request).map_err(ApiError::Invalid)?;
    let actor = admin.0.actor();
    let view = proposals::decide(&state.db, ProposalId(id), &decision, actor, clock.now()).await?;
    Ok(Json(view))
}

/// Grades a research result 优秀 / 良好 / 一般, with an optional comment (again to change it).
#[utoipa::path(
    post,
    path = "/api/staff/submissions/{code}/grade",
    tag = "topics",
    params(("code" = String, Path, description = "回执编号，如 JY-2026-000123")),
    request_body = GradeResult,
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "已评定", body = ResultTopic),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这条提交", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "不是针对课题的调研成果", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "评语太长", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn grade_result(
    staff: CurrentStaff,
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    code: Result<Path<String>, PathRejection>,
    ApiJson(request): ApiJson<GradeResult>,
) -> Result<Json<ResultTopic>, ApiError> {
    let code = code
        .ok()
        .and_then(|Path(code)| TrackingCode::parse(&code))
        .ok_or_else(|| ApiError::NotFound("没有这条提交，请核对编号".into()))?;
    let comment = api::topic::optional_comment(request.comment.as_deref())
        .map_err(|message| ApiError::field("comment", message))?;
    let view = claims::grade(
        &state.db,
        code,
        &request,
        comment.as_deref(),
        staff.actor(),
        clock.now(),
    )
    .await?;
    Ok(Json(view))
}
