//! The staff desk: the submission list, one submission in full, and 承办单位 suggestions.
//! Changes to a submission are in `desk_changes`, exports in `list_export`.

use api::{
    desk::{ListSubmissions, SortOrder, StaffSubmissionView, SubmissionPage, PAGE_LIMIT},
    workflow, ErrorBody, TrackingCode,
};
use axum::{
    extract::{rejection::PathRejection, rejection::QueryRejection, Path, Query, State},
    routing::get,
    Json, Router,
};
use serde::Deserialize;

use crate::{
    auth::CurrentStaff,
    clock,
    error::ApiError,
    store::submissions::{
        list::{self, Cursor, Filter, PageRequest},
        staff_view,
    },
    AppState,
};

/// Longest search, in characters.
const QUERY_MAX_CHARS: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/submissions", get(list_submissions))
        .route("/staff/submissions/{code}", get(get_submission))
        .route("/staff/handlers", get(suggest_handlers))
}

/// The one answer for a code that names no submission.
pub(super) fn not_found() -> ApiError {
    ApiError::NotFound("没有这个编号的建言，请核对编号".into())
}

/// The tracking code in the path, or 404.
pub(super) fn path_code(
    path: Result<Path<String>, PathRejection>,
) -> Result<TrackingCode, ApiError> {
    path.ok()
        .and_then(|Path(code)| TrackingCode::parse(&code))
        .ok_or_else(not_found)
}

/// Staff's view of one submission now, or 404.
pub(super) async fn current_view(
    state: &AppState,
    code: TrackingCode,
) -> Result<StaffSubmissionView, ApiError> {
    staff_view::find(&state.db, code, &clock::today())
        .await?
        .ok_or_else(not_found)
}

/// A list query, checked: the filter, the order, where to start and how many.
pub(super) fn parse_query(
    query: Result<Query<ListSubmissions>, QueryRejection>,
) -> Result<(Filter, PageRequest), ApiError> {
    let Query(query) = query.map_err(|rejection| {
        ApiError::Unprocessable(format!(
            "筛选条件不符合要求，请检查后重试（{}）",
            rejection.body_text()
        ))
    })?;
    let date = |field: &str, value: &Option<String>| -> Result<Option<String>, ApiError> {
        match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(value) => workflow::parse_date(value)
                .map(Some)
                .map_err(|message| ApiError::field(field, message)),
        }
    };
    let from = date("from", &query.from)?;
    let to = date("to", &query.to)?;
    let (default_limit, max_limit) = PAGE_LIMIT;
    let limit = query.limit.unwrap_or(default_limit);
    if !(1..=max_limit).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            format!("每页条数须在 1 到 {max_limit} 之间"),
        ));
    }
    if query
        .year
        .is_some_and(|year| !(2000..=2999).contains(&year))
    {
        return Err(ApiError::field(
            "year",
            "年份须为 2000 到 2999 之间的四位数字，如 2026",
        ));
    }
    let q = query.q.unwrap_or_default();
    if q.chars().count() > QUERY_MAX_CHARS {
        return Err(ApiError::field(
            "q",
            format!("搜索词最多 {QUERY_MAX_CHARS} 个字"),
        ));
    }
    let sort = query.sort.unwrap_or(SortOrder::Newest);
    let after = match query.after.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(text) => Some(Cursor::decode(text, sort).ok_or_else(|| {
            ApiError::field("after", "翻页位置无效（可能换了排序），请从第一页重新开始")
        })?),
    };
    let ids = match query.codes.as_deref().filter(|c| !c.trim().is_empty()) {
        None => None,
        Some(codes) => Some(
            codes
                .split(',')
                .filter(|code| !code.trim().is_empty())
                .map(|code| {
                    TrackingCode::parse(code)
                        .map(TrackingCode::number)
                        .ok_or_else(|| {
                            ApiError::field("codes", format!("编号「{}」不正确", code.trim()))
                        })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let handler = query
        .handler
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty());
    let filter = Filter {
        status: query.status,
        kind: query.kind,
        unit: query.unit,
        year: query.year,
        from,
        to,
        flag: query.flag,
        handler,
        overdue: query.overdue.unwrap_or(false),
        terms: list::terms(&q),
        ids,
        today: clock::today(),
        topic: query.topic,
    };
    let request = PageRequest {
        sort,
        after,
        limit,
        scan_order: false,
    };
    Ok((filter, request))
}

/// One page of the submission list, with counts per status for the same filters.
#[utoipa::path(
    get,
    path = "/api/staff/submissions",
    tag = "staff",
    params(ListSubmissions),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "一页建言（按所选排序），及各状态的条数", body = SubmissionPage),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 422, description = "筛选条件不合格式（fields 说明哪一项）", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn list_submissions(
    staff: CurrentStaff,
    State(state): State<AppState>,
    query: Result<Query<ListSubmissions>, QueryRejection>,
) -> Result<Json<SubmissionPage>, ApiError> {
    let (filter, mut request) = parse_query(query)?;
    // The counts first: how many rows match decides how the page is best read.
    let counts = list::counts(&state.db, &filter).await?;
    request.scan_order = list::matching(&filter, &counts) > list::SCAN_ORDER_ABOVE;
    let page = list::page(&state.db, &filter, &request).await?;
    let rows = page
        .rows
        .into_iter()
        .map(list::ListRow::summary)
        .collect::<anyhow::Result<_>>()?;
    Ok(Json(SubmissionPage {
        rows,
        next: page.next.map(|cursor| cursor.encode()),
        counts,
    }))
}

/// Everything about one submission, and what may be done with it now.
#[utoipa::path(
    get,
    path = "/api/staff/submissions/{code}",
    tag = "staff",
    params(("code" = String, Path, description = "回执编号，如 JY-2026-000123")),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "全文、提交人、完整进度（公开与内部）、各项记录、version 与当前可做的操作", body = StaffSubmissionView),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这个编号的建言", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn get_submission(
    staff: CurrentStaff,
    State(state): State<AppState>,
    code: Result<Path<String>, PathRejection>,
) -> Result<Json<StaffSubmissionView>, ApiError> {
    let code = path_code(code)?;
    current_view(&state, code).await.map(Json)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HandlerQuery {
    /// Part of the name; all when absent.
    q: Option<String>,
}

/// 承办单位 used before, most used first, for the assign form's suggestions.
#[utoipa::path(
    get,
    path = "/api/staff/handlers",
    tag = "staff",
    params(HandlerQuery),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "以前填过的承办单位（最多 20 个）", body = Vec<String>),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 422, description = "查询参数不合格式", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn suggest_handlers(
    staff: CurrentStaff,
    State(state): State<AppState>,
    query: Result<Query<HandlerQuery>, QueryRejection>,
) -> Result<Json<Vec<String>>, ApiError> {
    let Query(query) = query.map_err(|_| ApiError::Unprocessable("查询参数不符合要求".into()))?;
    let q: String = query
        .q
        .unwrap_or_default()
        .chars()
        .take(QUERY_MAX_CHARS)
        .collect();
    Ok(Json(list::handlers(&state.db, &q, 20).await?))
}
