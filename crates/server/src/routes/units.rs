use api::Unit;
use axum::{extract::State, routing::get, Json, Router};

use crate::{error::ApiError, store, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/units", get(list_units))
}

#[tracing::instrument(skip(state))]
async fn list_units(State(state): State<AppState>) -> Result<Json<Vec<Unit>>, ApiError> {
    Ok(Json(store::units::list(&state.db).await?))
}
