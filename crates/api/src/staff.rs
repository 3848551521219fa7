//! Staff of the department signing in to work on submissions.

use serde::{Deserialize, Serialize};

/// `POST /api/staff/session`: a staff member's login name and password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// The login name given to the staff member, e.g. `zhangsan`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub login: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 256))]
    pub password: String,
}

/// A staff member as the app shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffView {
    pub login: String,
    /// Real name, e.g. 张三; it is what the timeline shows as who acted.
    pub name: String,
}

/// A successful login: send `token` as `Authorization: Bearer <token>` on every `/api/staff/*` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffSession {
    pub token: String,
    pub staff: StaffView,
    /// RFC 3339 (China time): after this the token no longer works and the staff member logs in again.
    pub expires_at: String,
}
