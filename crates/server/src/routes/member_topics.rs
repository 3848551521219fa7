//! `/api/member/topics*` and `/api/member/proposals`: the topics for a joined member's unit, claiming and
//! giving back by the unit's 联络员, and the unit's own 自主选题 proposals. Mounted by `member::router`,
//! behind its cross-site check and `no-store`.

use api::{
    topic::{CreateProposal, MemberTopic, MemberTopicView, ProposalDetails, ProposalView},
    ErrorBody, UnitId,
};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    http::StatusCode,
    routing::{get, post},
    Extension, Json, Router,
};

use crate::{
    auth::member_session::CurrentMember,
    clock::Clock,
    error::ApiError,
    extract::ApiJson,
    routes::staff::topics::topic_id,
    store::topics::{
        claims::{self, Claimer},
        proposals,
    },
    AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/member/topics", get(my_topics))
        .route("/member/topics/{id}", get(my_topic))
        .route(
            "/member/topics/{id}/claim",
            post(claim_topic).delete(give_back_topic),
        )
        .route("/member/topics/{id}/researching", post(mark_researching))
        .route("/member/proposals", get(my_proposals).post(propose))
}

/// The open topics for the member's unit (and closed ones it claimed), soonest deadline first.
#[utoipa::path(
    get,
    path = "/api/member/topics",
    tag = "member",
    security(("member_session" = [])),
    responses(
        (status = 200, description = "本单位的课题", body = Vec<MemberTopic>),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn my_topics(
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    current: CurrentMember,
) -> Result<Json<Vec<MemberTopic>>, ApiError> {
    let topics = claims::member_topics(&state.db, &current.member, clock.today()).await?;
    Ok(Json(topics))
}

async fn topic_view(
    state: &AppState,
    clock: &Clock,
    current: &CurrentMember,
    id: api::TopicId,
) -> Result<Json<MemberTopicView>, ApiError> {
    let view = claims::member_topic(&state.db, id, &current.member, clock.today()).await?;
    Ok(Json(view))
}

/// One topic in full: which units claimed it, the own unit's claim and results, what the member may do.
#[utoipa::path(
    get,
    path = "/api/member/topics/{id}",
    tag = "member",
    params(("id" = i64, Path, description = "课题编号")),
    security(("member_session" = [])),
    responses(
        (status = 200, description = "课题全文与本单位进展", body = MemberTopicView),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 404, description = "没有这个课题，或不面向本单位（回答相同）", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn my_topic(
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    current: CurrentMember,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<MemberTopicView>, ApiError> {
    let id = topic_id(id)?;
    topic_view(&state, &clock, &current, id).await
}

/// The unit's 联络员 claims the topic for the unit (认领).
#[utoipa::path(
    post,
    path = "/api/member/topics/{id}/claim",
    tag = "member",
    params(("id" = i64, Path, description = "课题编号")),
    security(("member_session" = [])),
    responses(
        (status = 200, description = "已认领", body = MemberTopicView),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 403, description = "不是本单位联络员；或请求来自其他网站", body = ErrorBody),
        (status = 404, description = "没有这个课题，或不面向本单位", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "本单位已认领，或课题已结束", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn claim_topic(
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    current: CurrentMember,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<MemberTopicView>, ApiError> {
    let id = topic_id(id)?;
    let unit = UnitId(current.member.unit_id);
    let claimer = Claimer::Contact(&current.member);
    claims::claim(&state.db, id, unit, claimer, clock.now()).await?;
    topic_view(&state, &clock, &current, id).await
}

/// The unit's 联络员 gives the claim back (only before any result on it was sent).
#[utoipa::path(
    delete,
    path = "/api/member/topics/{id}/claim",
    tag = "member",
    params(("id" = i64, Path, description = "课题编号")),
    security(("member_session" = [])),
    responses(
        (status = 200, description = "已交回", body = MemberTopicView),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 403, description = "不是本单位联络员；或请求来自其他网站", body = ErrorBody),
        (status = 404, description = "没有这个课题，或不面向本单位", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "本单位没有认领、已提交成果，或课题已结束", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn give_back_topic(
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    current: CurrentMember,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<MemberTopicView>, ApiError> {
    let id = topic_id(id)?;
    let unit = UnitId(current.member.unit_id);
    let claimer = Claimer::Contact(&current.member);
    claims::give_back(&state.db, id, unit, claimer, clock.now()).await?;
    topic_view(&state, &clock, &current, id).await
}

/// The unit's 联络员 marks the unit's research started (调研中).
#[utoipa::path(
    post,
    path = "/api/member/topics/{id}/researching",
    tag = "member",
    params(("id" = i64, Path, description = "课题编号")),
    security(("member_session" = [])),
    responses(
        (status = 200, description = "已标记为调研中", body = MemberTopicView),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 403, description = "不是本单位联络员；或请求来自其他网站", body = ErrorBody),
        (status = 404, description = "没有这个课题，或不面向本单位", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "本单位没有认领，或课题已结束", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn mark_researching(
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    current: CurrentMember,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<MemberTopicView>, ApiError> {
    let id = topic_id(id)?;
    let unit = UnitId(current.member.unit_id);
    let claimer = Claimer::Contact(&current.member);
    claims::mark_researching(&state.db, id, unit, claimer, clock.now()).await?;
    topic_view(&state, &clock, &current, id).await
}

/// The unit's 自主选题 proposals, newest first.
#[utoipa::path(
    get,
    path = "/api/member/proposals",
    tag = "member",
    security(("member_session" = [])),
    responses(
        (status = 200, description = "本单位的选题申报", body = Vec<ProposalView>),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn my_proposals(
    State(state): State<AppState>,
    current: CurrentMember,
) -> Result<Json<Vec<ProposalView>>, ApiError> {
    Ok(Json(
        proposals::for_unit(&state.db, current.member.unit_id).await?,
    ))
}

/// The unit's 联络员 proposes a topic of the unit's own (自主选题); staff approve or decline it.
#[utoipa::path(
    post,
    path = "/api/member/proposals",
    tag = "member",
    request_body = CreateProposal,
    security(("member_session" = [])),
    responses(
        (status = 201, description = "已提交申报，等待审核", body = ProposalView),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 403, description = "不是本单位联络员；或请求来自其他网站", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "有字段不合要求（fields 逐项说明）", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn propose(
    State(state): State<AppState>,
    Extension(clock): Extension<Clock>,
    current: CurrentMember,
    ApiJson(request): ApiJson<CreateProposal>,
) -> Result<(StatusCode, Json<ProposalView>), ApiError> {
    let proposal = ProposalDetails::parse(&request).map_err(ApiError::Invalid)?;
    let view = proposals::create(&state.db, &current.member, &proposal, clock.now()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}
