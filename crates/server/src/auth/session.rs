//! Login sessions: a random bearer token handed to the staff member once; the database keeps only its
//! SHA-256, so a leaked backup holds no working token.

use api::{Role, StaffView};
use axum::{extract::FromRequestParts, http::request::Parts};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use time::Duration;

use crate::{
    clock,
    error::ApiError,
    extract::bearer_token,
    secret,
    store::{self, staff::SessionOwner},
    AppState,
};

/// How long a login lasts: a working day at the desk, then log in again.
pub const LIFETIME: Duration = Duration::hours(12);

/// A session just started: the token to hand out, and when it stops working.
pub struct NewSession {
    pub token: String,
    pub expires_at: String,
}

/// Starts a session for an account whose password was just checked.
pub async fn start(state: &AppState, staff_id: i64) -> anyhow::Result<NewSession> {
    let token = URL_SAFE_NO_PAD.encode(secret::random_bytes::<32>()?);
    let now = clock::now();
    let expires_at = clock::rfc3339(now + LIFETIME);
    store::staff::start_session(
        &state.db,
        staff_id,
        &token_hash(&token),
        &clock::rfc3339(now),
        &expires_at,
    )
    .await?;
    Ok(NewSession { token, expires_at })
}

/// What the database keeps of a token.
fn token_hash(token: &str) -> String {
    secret::sha256_hex(token.as_bytes())
}

/// The logged-in staff member behind a request: a handler that takes this is closed to everyone else,
/// who gets 401 with a message saying to log in.
#[derive(Debug, Clone)]
pub struct CurrentStaff {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: Role,
    token_hash: String,
}

impl CurrentStaff {
    /// The staff member as the app shows them.
    pub fn view(&self) -> StaffView {
        StaffView {
            login: self.login.clone(),
            name: self.name.clone(),
            role: self.role,
        }
    }

    /// Ends the session this request came with.
    pub async fn log_out(&self, state: &AppState) -> anyhow::Result<()> {
        store::staff::end_session(&state.db, &self.token_hash).await
    }
}

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(&parts.headers)
            .ok_or_else(|| ApiError::Unauthorized("请先登录".into()))?;
        let token_hash = token_hash(token);
        let owner =
            store::staff::session_owner(&state.db, &token_hash, &clock::rfc3339(clock::now()))
                .await?
                .ok_or_else(|| ApiError::Unauthorized("登录已过期或已退出，请重新登录".into()))?;
        let SessionOwner {
            id,
            login,
            name,
            role,
            ..
        } = owner;
        Ok(CurrentStaff {
            id,
            login,
            name,
            role: role.0,
            token_hash,
        })
    }
}

/// A logged-in administrator: a handler that takes this answers a reviewer 403, and anyone not logged
/// in 401. Documented with `security(("staff_session" = ["admin"]))`, which the tests read.
#[derive(Debug, Clone)]
pub struct RequireAdmin(pub CurrentStaff);

impl FromRequestParts<AppState> for RequireAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let staff = CurrentStaff::from_request_parts(parts, state).await?;
        match staff.role {
            Role::Admin => Ok(RequireAdmin(staff)),
            Role::Reviewer => Err(ApiError::Forbidden(
                "只有管理员可以进行这项操作；如需使用，请联系管理员".into(),
            )),
        }
    }
}
