//! `/api/staff/members`: the roster. Every staff member may read it (reviewers look people up);
//! importing, editing and disabling are for administrators.

use anyhow::Context;
use api::{
    roster::{
        ImportRoster, ListMembers, MemberDetailView, MemberDetails, MemberPage, MemberView,
        RosterImportReport, SaveMember, SetSwitch,
    },
    ErrorBody, MemberId,
};
use axum::{
    body::Bytes,
    extract::{
        rejection::{BytesRejection, PathRejection, QueryRejection},
        DefaultBodyLimit, Path, Query, State,
    },
    http::StatusCode,
    routing::{get, post, put},
    Json, Router,
};

use crate::{
    auth::{CurrentStaff, RequireAdmin},
    error::ApiError,
    extract::ApiJson,
    roster_import,
    store::members::{self, MemberError},
    table_file::Table,
    AppState,
};

/// Largest roster file accepted: a city's roster of 20,000 members as .xlsx or CSV fits with room.
pub const MAX_ROSTER_BYTES: usize = 8 * 1024 * 1024;
/// Longest search, in characters.
const SEARCH_MAX_CHARS: usize = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/members", get(list_members))
        .route(
            "/staff/members/import",
            post(import_roster).layer(DefaultBodyLimit::max(MAX_ROSTER_BYTES)),
        )
        .route("/staff/members/{id}", get(get_member).put(edit_member))
        .route("/staff/members/{id}/disabled", put(disable_member))
}

fn member_id(path: Result<Path<i64>, PathRejection>) -> Result<MemberId, ApiError> {
    path.map(|Path(id)| MemberId(id)).map_err(|_| not_found())
}

fn not_found() -> ApiError {
    ApiError::NotFound("名册中没有这个成员，请刷新后重试".into())
}

impl From<MemberError> for ApiError {
    fn from(error: MemberError) -> Self {
        match error {
            MemberError::NotFound => not_found(),
            MemberError::UnknownUnit => ApiError::field("unit_id", "所选单位不存在，请重新选择"),
            MemberError::PhoneTaken(holder) => ApiError::field(
                "phone",
                format!("这个手机号已是成员「{holder}」的，请核对；同一手机号只能属于一位成员"),
            ),
            MemberError::Other(error) => ApiError::Internal(error),
        }
    }
}

/// Members by unit then name, a page at a time; search by part of a name or phone number.
#[utoipa::path(
    get,
    path = "/api/staff/members",
    tag = "staff",
    params(ListMembers),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "一页成员", body = MemberPage),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 422, description = "查询条件不合格式", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn list_members(
    staff: CurrentStaff,
    State(state): State<AppState>,
    query: Result<Query<ListMembers>, QueryRejection>,
) -> Result<Json<MemberPage>, ApiError> {
    let Query(query) =
        query.map_err(|_| ApiError::Unprocessable("查询条件不合格式，请检查后重试".into()))?;
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if search.is_some_and(|q| q.chars().count() > SEARCH_MAX_CHARS) {
        return Err(ApiError::field(
            "q",
            format!("搜索词最多 {SEARCH_MAX_CHARS} 个字"),
        ));
    }
    let page = query.page.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        return Err(ApiError::field("page", "页码须为 1 到 100000 之间的整数"));
    }
    let page_size = ListMembers::PAGE_SIZE;
    let filter = members::Filter {
        search,
        unit: query.unit,
        offset: (page - 1) * page_size,
        limit: page_size,
    };
    let (rows, total) = members::list(&state.db, &filter).await?;
    Ok(Json(MemberPage {
        members: rows.into_iter().map(members::Member::view).collect(),
        total,
        page,
        page_size,
    }))
}

/// One member and every submission they sent as a joined member.
#[utoipa::path(
    get,
    path = "/api/staff/members/{id}",
    tag = "staff",
    params(("id" = i64, Path, description = "成员编号")),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "成员及其提交", body = MemberDetailView),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "名册中没有这个成员", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn get_member(
    staff: CurrentStaff,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<MemberDetailView>, ApiError> {
    let id = member_id(id)?;
    let member = members::get(&state.db, id).await?.ok_or_else(not_found)?;
    let submissions = members::submissions(&state.db, id).await?;
    Ok(Json(MemberDetailView {
        member: member.view(),
        submissions,
    }))
}

/// Saves a member's name, unit, phone number, 职务 and 联络员 flag.
#[utoipa::path(
    put,
    path = "/api/staff/members/{id}",
    tag = "staff",
    params(("id" = i64, Path, description = "成员编号")),
    request_body = SaveMember,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已保存", body = MemberView),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以修改名册", body = ErrorBody),
        (status = 404, description = "名册中没有这个成员", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "某项不合要求，或手机号已属于另一位成员（fields 说明哪一项）", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn edit_member(
    admin: RequireAdmin,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
    ApiJson(request): ApiJson<SaveMember>,
) -> Result<Json<MemberView>, ApiError> {
    let id = member_id(id)?;
    let details = MemberDetails::parse(&request).map_err(ApiError::Invalid)?;
    let member = members::update(&state.db, id, &details, admin.0.actor()).await?;
    Ok(Json(member.view()))
}

/// Disables a member (`on: true`: their devices stop working, records stay) or enables them again.
#[utoipa::path(
    put,
    path = "/api/staff/members/{id}/disabled",
    tag = "staff",
    params(("id" = i64, Path, description = "成员编号")),
    request_body = SetSwitch,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已停用或恢复", body = MemberView),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以停用成员", body = ErrorBody),
        (status = 404, description = "名册中没有这个成员", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "缺少 on", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn disable_member(
    admin: RequireAdmin,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
    ApiJson(request): ApiJson<SetSwitch>,
) -> Result<Json<MemberView>, ApiError> {
    let id = member_id(id)?;
    let member = members::set_disabled(&state.db, id, request.on, admin.0.actor()).await?;
    Ok(Json(member.view()))
}

/// Reads a roster file (.xlsx or CSV; columns 姓名, 单位, 手机号, 职务, 联络员) and answers what it adds,
/// updates (matched by phone number), leaves unchanged and refuses, row by row. With `commit=true` the
/// adds and updates are stored, all in one transaction.
#[utoipa::path(
    post,
    path = "/api/staff/members/import",
    tag = "staff",
    params(ImportRoster),
    request_body(content = Vec<u8>, description = "名册文件本身：.xlsx，或 UTF-8 编码的 CSV（可带 BOM）", content_type = "application/octet-stream"),
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "预览（committed 为 false）或已导入的结果", body = RosterImportReport),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以导入名册", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 400, description = "文件没有完整收到", body = ErrorBody),
        (status = 422, description = "文件无法读取、超过 8 MiB，或缺少必需的列", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn import_roster(
    admin: RequireAdmin,
    State(state): State<AppState>,
    query: Result<Query<ImportRoster>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<RosterImportReport>, ApiError> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::Unprocessable(format!(
            "文件太大（超过 {} MiB），请分成几个文件导入",
            MAX_ROSTER_BYTES / 1024 / 1024
        )),
        _ => ApiError::BadRequest("文件没有完整收到，请重试".into()),
    })?;
    let Query(query) =
        query.map_err(|_| ApiError::Unprocessable("commit 只能是 true 或 false".into()))?;
    let commit = query.commit.unwrap_or(false);
    let table = Table::read(&body).map_err(ApiError::Unprocessable)?;
    if !commit {
        // A preview stores nothing, so it takes no write lock.
        let mut conn = state.db.acquire().await.context("reading the roster")?;
        let (by_phone, units) = members::roster_snapshot(&mut conn).await?;
        let plan =
            roster_import::plan(&table, &by_phone, &units).map_err(ApiError::Unprocessable)?;
        return Ok(Json(plan.report));
    }
    // Planned afresh and stored under one write lock: a roster changed since the preview (a phone number
    // taken meanwhile) is planned as it now is, never half-written.
    let mut tx = members::begin(&state.db).await?;
    let (by_phone, units) = members::roster_snapshot(&mut tx).await?;
    let plan = roster_import::plan(&table, &by_phone, &units).map_err(ApiError::Unprocessable)?;
    members::store_import(&mut tx, &plan.adds, &plan.updates, admin.0.actor()).await?;
    tx.commit().await.context("committing the roster import")?;
    let mut report = plan.report;
    report.committed = true;
    Ok(Json(report))
}
