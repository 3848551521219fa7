use api::{ErrorBody, Unit};
use axum::{extract::State, routing::get, Json, Router};

use crate::{
    auth::member_session::MaybeMember, error::ApiError, routes::submissions::GUESTS_OFF, store,
    AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/units", get(list_units))
}

/// Every unit a member can submit for, in the department's order: the list a guest's form offers. While
/// the department takes joined members' submissions only, a device that has not joined is told so
/// here (403), so the form says it before anything is typed rather than when it is sent.
#[utoipa::path(
    get,
    path = "/api/units",
    tag = "submissions",
    responses(
        (status = 200, description = "全部单位（已停用的除外）", body = Vec<Unit>),
        (status = 401, description = "带着成员设备 Cookie，但本设备已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 403, description = "统战部只接受已加入成员的提交，而这台设备没有加入：这份单位列表只为访客的表单提供", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(state))]
async fn list_units(
    State(state): State<AppState>,
    MaybeMember(member): MaybeMember,
) -> Result<Json<Vec<Unit>>, ApiError> {
    if member.is_none() && !store::settings::guest_submissions(&state.db).await? {
        return Err(ApiError::Forbidden(GUESTS_OFF.into()));
    }
    Ok(Json(store::units::list(&state.db).await?))
}
