use api::{ErrorBody, Unit};
use axum::{extract::State, routing::get, Json, Router};

use crate::{error::ApiError, store, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/units", get(list_units))
}

/// Every unit a member can submit for, in the department's order.
#[utoipa::path(
    get,
    path = "/api/units",
    tag = "submissions",
    responses(
        (status = 200, description = "全部单位", body = Vec<Unit>),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(state))]
async fn list_units(State(state): State<AppState>) -> Result<Json<Vec<Unit>>, ApiError> {
    Ok(Json(store::units::list(&state.db).await?))
}
