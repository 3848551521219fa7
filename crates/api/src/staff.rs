//! Staff of the department signing in to work on submissions, their roles, and the audit log.

use serde::{Deserialize, Serialize};

/// The name of the cookie that carries a staff session (HttpOnly: the app never sees its value).
pub const STAFF_SESSION_COOKIE: &str = "jianyan_staff";

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

/// What a staff account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 管理员: everything a reviewer does, and oversight (the audit log).
    Admin,
    /// 审阅人: reviews and handles submissions.
    #[default]
    Reviewer,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Admin, Role::Reviewer];

    /// The wire and storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Reviewer => "reviewer",
        }
    }

    /// The Chinese word shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Reviewer => "审阅人",
        }
    }

    /// The role with the given wire name, if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == name)
    }
}

/// A staff member as the app shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffView {
    pub login: String,
    /// Real name, e.g. 张三; it is what the timeline shows as who acted.
    pub name: String,
    pub role: Role,
}

/// A successful login. The session itself travels in the `jianyan_staff` cookie (HttpOnly), which the
/// browser sends with every `/api/staff/*` request; the body only says who logged in and until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffSession {
    pub staff: StaffView,
    /// RFC 3339 (China time): the latest the session can last; it ends sooner after two hours unused.
    pub expires_at: String,
}

/// `GET /api/staff/audit`: which audit rows to read, newest first. Every given condition must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ListAudit {
    /// Only what this login did (`console` for the server's console commands).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Only this action, e.g. `staff.login`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Only from this day on (China time), `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub from: Option<String>,
    /// Only up to and including this day (China time), `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub to: Option<String>,
    /// Only rows older than this one: the previous page's `next_before`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub before: Option<i64>,
    /// Rows per page: 50 when absent, at most 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<i64>,
}

impl ListAudit {
    pub const DEFAULT_LIMIT: i64 = 50;
    pub const MAX_LIMIT: i64 = 200;
}

/// One thing a staff member (or the operator at the console) did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntryView {
    pub id: i64,
    /// RFC 3339, China time.
    pub at: String,
    /// The login that acted, or `console`.
    pub actor: String,
    /// What was done, e.g. `staff.login`, `staff.set_role`, `submissions.export`.
    pub action: String,
    /// What it was done to: a login, a tracking code.
    pub target: Option<String>,
    /// The value before (a role, a status).
    pub from: Option<String>,
    /// The value after.
    pub to: Option<String>,
    /// Why, or details (an export's year, why a login failed).
    pub note: Option<String>,
    /// The address the request came from; absent for the console.
    pub client_addr: Option<String>,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntryView>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    pub next_before: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_have_a_wire_name_that_parses_back_and_a_chinese_label() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).expect("a role serializes");
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::Admin.label(), "管理员");
        assert_eq!(Role::Reviewer.label(), "审阅人");
        assert_eq!(Role::parse("Admin"), None, "wire names are lower case");
    }
}
