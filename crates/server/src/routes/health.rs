use axum::{extract::State, routing::get, Json, Router};
use serde_json::{json, Value};

use crate::{error::ApiError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

/// Up, and the database answers.
async fn health(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    sqlx::query("SELECT 1").execute(&state.db).await?;
    Ok(Json(json!({ "status": "ok" })))
}
