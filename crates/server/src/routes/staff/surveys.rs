//! `/api/staff/surveys*`: administrators build, publish, duplicate, close and delete surveys; every staff
//! member reads them (results and exports are in `survey_results`). Each change is audited.

use api::{
    survey::{
        check_definition, check_settings, PublishSettings, SaveSurvey, SurveyId, SurveySummary,
        SurveyView,
    },
    ErrorBody,
};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};

use crate::{
    auth::{CurrentStaff, RequireAdmin},
    clock::{self, Now},
    error::ApiError,
    extract::ApiJson,
    store::surveys::{self, StoredSurvey, SurveyError},
    AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/surveys", get(list_surveys).post(create_survey))
        .route(
            "/staff/surveys/{id}",
            get(get_survey).put(save_survey).delete(delete_survey),
        )
        .route("/staff/surveys/{id}/publish", post(publish_survey))
        .route("/staff/surveys/{id}/close", post(close_survey))
        .route("/staff/surveys/{id}/duplicate", post(duplicate_survey))
}

pub(super) const NOT_FOUND: &str = "没有这份问卷，可能已被删除，请刷新列表";

pub(super) fn survey_id(path: Result<Path<i64>, PathRejection>) -> Result<SurveyId, ApiError> {
    path.map(|Path(id)| SurveyId(id))
        .map_err(|_| ApiError::NotFound(NOT_FOUND.into()))
}

impl From<SurveyError> for ApiError {
    fn from(error: SurveyError) -> Self {
        match error {
            SurveyError::NotFound => ApiError::NotFound(NOT_FOUND.into()),
            SurveyError::Invalid(fields) => ApiError::Invalid(fields),
            // Refusals of a staff change are 422: a 409 under /api/staff carries the submission's state.
            SurveyError::Conflict(message) => ApiError::Unprocessable(message),
            SurveyError::Other(error) => ApiError::Internal(error),
        }
    }
}

/// The staff's view of a stored survey at `now`.
pub(super) fn view(survey: StoredSurvey, now: &str) -> SurveyView {
    SurveyView {
        id: survey.id,
        status: survey.status(now),
        link_key: survey.link_key.clone(),
        responses: survey.responses,
        closed_at: survey.closed_at.clone(),
        created_at: survey.created_at.clone(),
        updated_at: survey.updated_at.clone(),
        settings: survey.settings,
        definition: survey.definition,
    }
}

pub(super) async fn load(state: &AppState, id: SurveyId) -> Result<StoredSurvey, ApiError> {
    surveys::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(NOT_FOUND.into()))
}

async fn current(state: &AppState, id: SurveyId, now: &str) -> Result<Json<SurveyView>, ApiError> {
    Ok(Json(view(load(state, id).await?, now)))
}

/// Every survey, newest first.
#[utoipa::path(
    get,
    path = "/api/staff/surveys",
    tag = "staff",
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "全部问卷，新建的在前", body = Vec<SurveySummary>),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn list_surveys(
    staff: CurrentStaff,
    Now(now): Now,
    State(state): State<AppState>,
) -> Result<Json<Vec<SurveySummary>>, ApiError> {
    let now = clock::rfc3339(now);
    let list = surveys::list(&state.db).await?;
    Ok(Json(
        list.into_iter()
            .map(|survey| SurveySummary {
                id: survey.id,
                title: survey.definition.title.clone(),
                status: survey.status(&now),
                questions: u32::try_from(survey.definition.questions.len()).unwrap_or(u32::MAX),
                responses: survey.responses,
                opens_at: survey.settings.as_ref().map(|s| s.opens_at.clone()),
                closes_at: survey.settings.as_ref().map(|s| s.closes_at.clone()),
                anonymous: survey.anonymous(),
                updated_at: survey.updated_at,
            })
            .collect(),
    ))
}

/// Stores a new draft.
#[utoipa::path(
    post,
    path = "/api/staff/surveys",
    tag = "staff",
    request_body = SaveSurvey,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 201, description = "已保存为草稿", body = SurveyView),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以编辑问卷", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "标题、题目或选项不合要求；fields 的键为 title、questions 或 q{题号}", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn create_survey(
    admin: RequireAdmin,
    Now(now): Now,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<SaveSurvey>,
) -> Result<(StatusCode, Json<SurveyView>), ApiError> {
    check_definition(&request.definition).map_err(ApiError::Invalid)?;
    let now = clock::rfc3339(now);
    let id = surveys::create(&state.db, &request.definition, &now, admin.0.actor()).await?;
    Ok((StatusCode::CREATED, current(&state, id, &now).await?))
}

/// One survey.
#[utoipa::path(
    get,
    path = "/api/staff/surveys/{id}",
    tag = "staff",
    params(("id" = i64, Path, description = "问卷编号")),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "问卷及其发布设置", body = SurveyView),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这份问卷", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn get_survey(
    staff: CurrentStaff,
    Now(now): Now,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<SurveyView>, ApiError> {
    current(&state, survey_id(id)?, &clock::rfc3339(now)).await
}

/// Replaces the survey's title, introduction and questions. Once it has answers, only changes that keep
/// them meaningful are accepted (`api::survey::check_change`).
#[utoipa::path(
    put,
    path = "/api/staff/surveys/{id}",
    tag = "staff",
    params(("id" = i64, Path, description = "问卷编号")),
    request_body = SaveSurvey,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已保存", body = SurveyView),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以编辑问卷", body = ErrorBody),
        (status = 404, description = "没有这份问卷", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "内容不合要求，或已有答卷时做了会破坏答卷的修改（删除、调序、改题型）", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn save_survey(
    admin: RequireAdmin,
    Now(now): Now,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
    ApiJson(request): ApiJson<SaveSurvey>,
) -> Result<Json<SurveyView>, ApiError> {
    let id = survey_id(id)?;
    check_definition(&request.definition).map_err(ApiError::Invalid)?;
    let now = clock::rfc3339(now);
    surveys::save(&state.db, id, &request.definition, &now, admin.0.actor()).await?;
    current(&state, id, &now).await
}

/// Deletes a draft that was never published.
#[utoipa::path(
    delete,
    path = "/api/staff/surveys/{id}",
    tag = "staff",
    params(("id" = i64, Path, description = "问卷编号")),
    security(("staff_session" = ["admin"])),
    responses(
        (status = 204, description = "已删除"),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以删除问卷", body = ErrorBody),
        (status = 404, description = "没有这份问卷", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 422, description = "已发布的问卷不能删除", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn delete_survey(
    admin: RequireAdmin,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    surveys::delete(&state.db, survey_id(id)?, admin.0.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publishes the survey with its window, audience and anonymity; again while published, moves the
/// window (audience and anonymity are fixed once answers exist). Reopens a closed survey.
#[utoipa::path(
    post,
    path = "/api/staff/surveys/{id}/publish",
    tag = "staff",
    params(("id" = i64, Path, description = "问卷编号")),
    request_body = PublishSettings,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已发布", body = SurveyView),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以发布问卷", body = ErrorBody),
        (status = 404, description = "没有这份问卷", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "时间、范围或选项不合要求；已有答卷时改变了发放范围或匿名设置；所选单位不存在", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn publish_survey(
    admin: RequireAdmin,
    Now(now): Now,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
    ApiJson(request): ApiJson<PublishSettings>,
) -> Result<Json<SurveyView>, ApiError> {
    let id = survey_id(id)?;
    let settings = check_settings(&request).map_err(ApiError::Invalid)?;
    let survey = load(&state, id).await?;
    check_definition(&survey.definition).map_err(|_| {
        ApiError::Unprocessable("问卷内容还不完整（标题、题目或选项），请先补全并保存".into())
    })?;
    let now = clock::rfc3339(now);
    surveys::publish(&state.db, id, &settings, &now, admin.0.actor()).await?;
    current(&state, id, &now).await
}

/// Closes the survey now; members can no longer answer.
#[utoipa::path(
    post,
    path = "/api/staff/surveys/{id}/close",
    tag = "staff",
    params(("id" = i64, Path, description = "问卷编号")),
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已结束", body = SurveyView),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以结束问卷", body = ErrorBody),
        (status = 404, description = "没有这份问卷", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 422, description = "问卷未发布或已结束", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn close_survey(
    admin: RequireAdmin,
    Now(now): Now,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<SurveyView>, ApiError> {
    let id = survey_id(id)?;
    let now = clock::rfc3339(now);
    surveys::close(&state.db, id, &now, admin.0.actor()).await?;
    current(&state, id, &now).await
}

/// A new draft with the same questions, to start from.
#[utoipa::path(
    post,
    path = "/api/staff/surveys/{id}/duplicate",
    tag = "staff",
    params(("id" = i64, Path, description = "问卷编号")),
    security(("staff_session" = ["admin"])),
    responses(
        (status = 201, description = "已复制为新的草稿", body = SurveyView),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以复制问卷", body = ErrorBody),
        (status = 404, description = "没有这份问卷", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn duplicate_survey(
    admin: RequireAdmin,
    Now(now): Now,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<(StatusCode, Json<SurveyView>), ApiError> {
    let now = clock::rfc3339(now);
    let copy = surveys::duplicate(&state.db, survey_id(id)?, &now, admin.0.actor()).await?;
    Ok((StatusCode::CREATED, current(&state, copy, &now).await?))
}
