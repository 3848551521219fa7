//! Units: the list a member picks their own from.

use api::Unit;
use gloo_net::http::Request;

use super::{read, ClientError};

/// `GET /api/units`.
pub async fn list_units() -> Result<Vec<Unit>, ClientError> {
    let response = Request::get("/api/units").send().await;
    read(response).await
}
