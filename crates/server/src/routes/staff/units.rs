//! `/api/staff/units`: the department's units, retired ones included. Every staff member reads them (the
//! desk filters by unit, retired ones too); only an administrator adds, renames, reorders or retires.
//! Each change answers with the whole list as it now stands.

use api::{
    roster::{ReorderUnits, SaveUnit, SetSwitch, StaffUnit, UnitDetails},
    ErrorBody, UnitId,
};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    http::StatusCode,
    routing::{get, put},
    Json, Router,
};

use crate::{
    auth::{CurrentStaff, RequireAdmin},
    error::ApiError,
    extract::ApiJson,
    store::units::{self, UnitError},
    AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/units", get(list_staff_units).post(add_unit))
        .route("/staff/units/order", put(reorder_units))
        .route("/staff/units/{id}", put(rename_unit))
        .route("/staff/units/{id}/retired", put(retire_unit))
}

fn unit_id(path: Result<Path<i64>, PathRejection>) -> Result<UnitId, ApiError> {
    path.map(|Path(id)| UnitId(id))
        .map_err(|_| ApiError::NotFound("没有这个单位".into()))
}

impl From<UnitError> for ApiError {
    fn from(error: UnitError) -> Self {
        match error {
            UnitError::NotFound => ApiError::NotFound("没有这个单位，请刷新后重试".into()),
            UnitError::NameTaken => ApiError::field("name", "已有同名的单位，请换一个名称"),
            UnitError::IncompleteOrder => ApiError::Unprocessable(
                "排序须列出全部单位且每个只出现一次；单位可能刚被他人增加，请刷新后重试".into(),
            ),
            UnitError::Other(error) => ApiError::Internal(error),
        }
    }
}

async fn all(state: &AppState) -> Result<Json<Vec<StaffUnit>>, ApiError> {
    Ok(Json(units::list_all(&state.db).await?))
}

/// Every unit, retired ones too, in the department's order.
#[utoipa::path(
    get,
    path = "/api/staff/units",
    tag = "staff",
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "全部单位（含已停用的）", body = Vec<StaffUnit>),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn list_staff_units(
    staff: CurrentStaff,
    State(state): State<AppState>,
) -> Result<Json<Vec<StaffUnit>>, ApiError> {
    all(&state).await
}

/// Adds a unit at the end of the list.
#[utoipa::path(
    post,
    path = "/api/staff/units",
    tag = "staff",
    request_body = SaveUnit,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 201, description = "已添加；返回全部单位", body = Vec<StaffUnit>),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以管理单位", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "名称或分组为空、太长，或名称已被占用", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn add_unit(
    admin: RequireAdmin,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<SaveUnit>,
) -> Result<(StatusCode, Json<Vec<StaffUnit>>), ApiError> {
    let unit = UnitDetails::parse(&request).map_err(ApiError::Invalid)?;
    units::add(&state.db, &unit, admin.0.actor()).await?;
    Ok((StatusCode::CREATED, all(&state).await?))
}

/// Renames a unit or changes its group; its records follow it.
#[utoipa::path(
    put,
    path = "/api/staff/units/{id}",
    tag = "staff",
    params(("id" = i64, Path, description = "单位编号")),
    request_body = SaveUnit,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已保存；返回全部单位", body = Vec<StaffUnit>),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以管理单位", body = ErrorBody),
        (status = 404, description = "没有这个单位", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "名称或分组为空、太长，或名称已被占用", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn rename_unit(
    admin: RequireAdmin,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
    ApiJson(request): ApiJson<SaveUnit>,
) -> Result<Json<Vec<StaffUnit>>, ApiError> {
    let id = unit_id(id)?;
    let unit = UnitDetails::parse(&request).map_err(ApiError::Invalid)?;
    units::rename(&state.db, id, &unit, admin.0.actor()).await?;
    all(&state).await
}

/// Puts the units in a new order (every unit's id, once).
#[utoipa::path(
    put,
    path = "/api/staff/units/order",
    tag = "staff",
    request_body = ReorderUnits,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已排序；返回全部单位", body = Vec<StaffUnit>),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以管理单位", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "没有列出全部单位，或有重复", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn reorder_units(
    admin: RequireAdmin,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<ReorderUnits>,
) -> Result<Json<Vec<StaffUnit>>, ApiError> {
    units::reorder(&state.db, &request.ids, admin.0.actor()).await?;
    all(&state).await
}

/// Retires a unit (`on: true`: it leaves the member forms, keeps its records) or puts it back in use.
#[utoipa::path(
    put,
    path = "/api/staff/units/{id}/retired",
    tag = "staff",
    params(("id" = i64, Path, description = "单位编号")),
    request_body = SetSwitch,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已停用或恢复；返回全部单位", body = Vec<StaffUnit>),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以管理单位", body = ErrorBody),
        (status = 404, description = "没有这个单位", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "缺少 on", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
pub(super) async fn retire_unit(
    admin: RequireAdmin,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
    ApiJson(request): ApiJson<SetSwitch>,
) -> Result<Json<Vec<StaffUnit>>, ApiError> {
    let id = unit_id(id)?;
    units::set_retired(&state.db, id, request.on, admin.0.actor()).await?;
    all(&state).await
}
