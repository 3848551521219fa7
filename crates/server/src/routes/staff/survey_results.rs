//! `/api/staff/surveys/{id}/results*` and `/export.*`: what every staff member may read of a survey's
//! responses, computed live. Exports are audited. In an anonymous survey nothing here names a member.

use api::{
    survey::{Audience, QuestionId, SurveyBreakdown, SurveyResults, TextAnswers},
    ErrorBody,
};
use axum::{
    extract::{
        rejection::{PathRejection, QueryRejection},
        Path, Query, State,
    },
    http::header,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde::Deserialize;

use super::surveys::{load, survey_id, NOT_FOUND};
use crate::{
    auth::CurrentStaff,
    clock::{self, Now},
    error::ApiError,
    store::{
        audit,
        surveys::{action, responses, StoredSurvey},
    },
    surveys::{export, results},
    AppState,
};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/surveys/{id}/results", get(survey_results))
        .route(
            "/staff/surveys/{id}/results/breakdown",
            get(survey_breakdown),
        )
        .route(
            "/staff/surveys/{id}/results/questions/{question}/texts",
            get(survey_texts),
        )
        .route("/staff/surveys/{id}/export.csv", get(export_csv))
        .route("/staff/surveys/{id}/export.xlsx", get(export_xlsx))
}

/// The audience's units with their rosters: all units in use, the chosen ones, or none (link surveys).
pub async fn audience_units(
    state: &AppState,
    survey: &StoredSurvey,
) -> anyhow::Result<Vec<responses::UnitRoster>> {
    match survey.settings.as_ref().map(|s| &s.audience) {
        Some(Audience::AllUnits) => responses::unit_rosters(&state.db, None).await,
        Some(Audience::Units { unit_ids }) => {
            let ids: Vec<i64> = unit_ids.iter().map(|u| u.0).collect();
            responses::unit_rosters(&state.db, Some(&ids)).await
        }
        Some(Audience::Link) | None => Ok(Vec::new()),
    }
}

/// Counts, percentages and averages per question, responses per day, response rate per unit.
#[utoipa::path(
    get,
    path = "/api/staff/surveys/{id}/results",
    tag = "staff",
    params(("id" = i64, Path, description = "问卷编号")),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "统计结果（实时）", body = SurveyResults),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这份问卷", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn survey_results(
    staff: CurrentStaff,
    Now(now): Now,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<SurveyResults>, ApiError> {
    let survey = load(&state, survey_id(id)?).await?;
    let rows = responses::all(&state.db, survey.id).await?;
    let units = audience_units(&state, &survey).await?;
    Ok(Json(results::compute(
        survey.id,
        survey.status(&clock::rfc3339(now)),
        survey.anonymous(),
        &survey.definition,
        &rows,
        &units,
    )))
}

/// `?question=` of a breakdown.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct BreakdownQuery {
    /// 题目编号（QuestionId）.
    question: u32,
}

/// One question's counts per unit.
#[utoipa::path(
    get,
    path = "/api/staff/surveys/{id}/results/breakdown",
    tag = "staff",
    params(("id" = i64, Path, description = "问卷编号"), BreakdownQuery),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "按单位分列的统计", body = SurveyBreakdown),
        (status = 400, description = "缺少 question 参数", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这份问卷或这道题", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn survey_breakdown(
    staff: CurrentStaff,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
    query: Result<Query<BreakdownQuery>, QueryRejection>,
) -> Result<Json<SurveyBreakdown>, ApiError> {
    let survey = load(&state, survey_id(id)?).await?;
    let Query(query) = query.map_err(|_| {
        ApiError::BadRequest("请用 ?question=题目编号 指明要按单位分列的题目".into())
    })?;
    let rows = responses::all(&state.db, survey.id).await?;
    results::breakdown(&survey.definition, QuestionId(query.question), &rows)
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("问卷里没有这道题".into()))
}

/// `?q=&offset=` of a text listing.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct TextsQuery {
    /// Only texts containing this.
    q: Option<String>,
    /// Texts to skip (pages of 50).
    offset: Option<usize>,
}

/// The texts typed for a question (or its 其他), newest first, with search.
#[utoipa::path(
    get,
    path = "/api/staff/surveys/{id}/results/questions/{question}/texts",
    tag = "staff",
    params(
        ("id" = i64, Path, description = "问卷编号"),
        ("question" = u32, Path, description = "题目编号"),
        TextsQuery,
    ),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "文字答案，每页 50 条", body = TextAnswers),
        (status = 400, description = "查询参数无法读取", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这份问卷或这道题", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn survey_texts(
    staff: CurrentStaff,
    State(state): State<AppState>,
    path: Result<Path<(i64, u32)>, PathRejection>,
    query: Result<Query<TextsQuery>, QueryRejection>,
) -> Result<Json<TextAnswers>, ApiError> {
    let Path((id, question)) = path.map_err(|_| ApiError::NotFound(NOT_FOUND.into()))?;
    let Query(query) =
        query.map_err(|_| ApiError::BadRequest("q 或 offset 参数无法读取".into()))?;
    let survey = load(&state, api::survey::SurveyId(id)).await?;
    let question = QuestionId(question);
    if survey.definition.question(question).is_none() {
        return Err(ApiError::NotFound("问卷里没有这道题".into()));
    }
    let rows = responses::all(&state.db, survey.id).await?;
    Ok(Json(results::texts(
        question,
        &rows,
        query.q.as_deref(),
        query.offset.unwrap_or(0),
    )))
}

fn attachment(name: &str, ascii: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

async fn start_export(
    state: &AppState,
    staff: &CurrentStaff,
    id: Result<Path<i64>, PathRejection>,
    format: &str,
) -> Result<(StoredSurvey, Vec<responses::ResponseRow>), ApiError> {
    let survey = load(state, survey_id(id)?).await?;
    let rows = responses::all(&state.db, survey.id).await?;
    let target = survey.id.0.to_string();
    let entry = audit::AuditEntry {
        target: Some(&target),
        to: Some(format),
        note: Some(survey.definition.title.trim()),
        ..staff.actor().entry(action::EXPORT)
    };
    audit::record(&state.db, &entry).await?;
    Ok((survey, rows))
}

/// The responses as CSV (UTF-8 with BOM): one row per response, one column per question (one per
/// option of a multiple-choice question), unit and time; names only in a named survey.
#[utoipa::path(
    get,
    path = "/api/staff/surveys/{id}/export.csv",
    tag = "staff",
    params(("id" = i64, Path, description = "问卷编号")),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "CSV（UTF-8，带 BOM），每份答卷一行", content_type = "text/csv", body = String),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这份问卷", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn export_csv(
    staff: CurrentStaff,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, ApiError> {
    let (survey, rows) = start_export(&state, &staff, id, "csv").await?;
    let text = export::csv(&survey.definition, survey.anonymous(), &rows);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                attachment(
                    &format!("问卷{}答卷.csv", survey.id.0),
                    &format!("survey-{}.csv", survey.id.0),
                ),
            ),
        ],
        text,
    )
        .into_response())
}

/// The responses as an Excel workbook, laid out as the CSV.
#[utoipa::path(
    get,
    path = "/api/staff/surveys/{id}/export.xlsx",
    tag = "staff",
    params(("id" = i64, Path, description = "问卷编号")),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "Excel 工作簿（.xlsx），每份答卷一行",
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            body = Vec<u8>),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这份问卷", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn export_xlsx(
    staff: CurrentStaff,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, ApiError> {
    let (survey, rows) = start_export(&state, &staff, id, "xlsx").await?;
    let anonymous = survey.anonymous();
    let definition = survey.definition.clone();
    let bytes =
        tokio::task::spawn_blocking(move || export::workbook(&definition, anonymous, &rows))
            .await
            .map_err(|error| ApiError::Internal(error.into()))??;
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                attachment(
                    &format!("问卷{}答卷.xlsx", survey.id.0),
                    &format!("survey-{}.xlsx", survey.id.0),
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}
