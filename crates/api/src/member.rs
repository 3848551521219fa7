//! Members on the roster getting in: personal invitations, device sessions, what a joined member sees of
//! themself and their submissions, and the department's guest setting.

use serde::{Deserialize, Serialize};

use crate::{MemberId, SubmissionKind, SubmissionStatus, UnitId};

/// The name of the cookie that carries a member's device session (HttpOnly, `Path=/api`).
pub const MEMBER_SESSION_COOKIE: &str = "jianyan_member";

/// The path of the members' page that opens an invitation; the token follows in the fragment
/// (`/me/join#<token>`), so it never reaches a server log or a `Referer`.
pub const JOIN_PATH: &str = "/me/join";

/// `POST /api/member/join` and `/join/preview`: the token from the invitation's fragment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinRequest {
    /// What follows `#` in the link.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub token: String,
}

/// `POST /api/member/join/preview`: whose invitation it is, shown as "欢迎，<姓名>（<单位>）".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinPreview {
    pub name: String,
    /// The member's unit's name.
    pub unit: String,
}

/// `GET /api/member/me` (and `POST /api/member/join`): the joined member as the roster has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberMe {
    pub id: MemberId,
    pub name: String,
    pub unit_id: UnitId,
    /// The unit's name.
    pub unit: String,
    /// 11-digit mobile number.
    pub phone: String,
    /// 联络员: acts for the unit.
    pub is_contact: bool,
}

/// `POST /api/member/device-link`: a one-time link for the member's next device, shown as a QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceLink {
    /// The token, for the other device's `POST /api/member/join`.
    pub token: String,
    /// `<origin>/me/join#<token>`.
    pub link: String,
    /// When it stops working (10 minutes on), RFC 3339.
    pub expires_at: String,
}

/// One of a joined member's submissions, in `GET /api/member/submissions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberSubmission {
    /// Tracking code, e.g. `JY-2026-000123`; `GET /api/member/submissions/{code}` shows it whole.
    pub code: String,
    pub kind: SubmissionKind,
    pub title: String,
    /// The unit it was sent for.
    pub unit: String,
    pub status: SubmissionStatus,
    /// When it was stored, RFC 3339.
    pub submitted_at: String,
    /// Its 查询密码, so that any of the member's devices opens it at `/track/<code>#<secret>` (to rate a
    /// reply or revise it) as the device that sent it does.
    pub secret: String,
}

/// `POST /api/member/submissions/claim`: a receipt kept on the device from before it joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimSubmission {
    /// Tracking code from the receipt.
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub code: String,
    /// The receipt's secret (查询密码).
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub secret: String,
}

/// `GET /api/member/config`: what the members' app needs to know before anyone joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberConfig {
    /// Whether people who have not joined may submit (typing name and phone).
    pub guest_submissions: bool,
}

/// `GET`/`PUT /api/staff/settings`: the department's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Settings {
    /// Whether people who have not joined may submit (default: yes).
    pub guest_submissions: bool,
}

/// A new personal invitation, as staff show, copy or print it. The token exists only in this answer:
/// the server keeps its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedInvitation {
    pub member_id: MemberId,
    pub name: String,
    /// The unit's name.
    pub unit: String,
    /// `<origin>/me/join#<token>`.
    pub link: String,
    /// When it stops working unless used, RFC 3339.
    pub expires_at: String,
}

/// `POST /api/staff/units/{id}/invitations`: one new invitation per active member, for the printed sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitInvitations {
    /// The unit's name.
    pub unit: String,
    /// By name.
    pub invitations: Vec<IssuedInvitation>,
}

/// Where a member's latest staff invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    /// Issued, unused, not expired: the link still works.
    Open,
    /// A device joined with it.
    Used,
    /// Not used in time.
    Expired,
}

impl InvitationState {
    /// The Chinese word shown to staff.
    pub fn label(self) -> &'static str {
        match self {
            InvitationState::Open => "未使用，有效",
            InvitationState::Used => "已使用",
            InvitationState::Expired => "已过期",
        }
    }
}

/// The latest staff invitation of a member (its link cannot be shown again: issue a new one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationSummary {
    pub state: InvitationState,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub expires_at: String,
    /// RFC 3339, once used.
    pub used_at: Option<String>,
}

/// A device a member joined, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberDevice {
    /// For `DELETE /api/staff/members/{id}/devices/{device}`.
    pub id: i64,
    /// The browser, shortened ("Android · Chrome").
    pub browser: String,
    /// RFC 3339.
    pub joined_at: String,
    /// RFC 3339.
    pub last_seen_at: String,
}

/// `GET /api/staff/members/{id}/access`: how a member gets in, and the devices they are in on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberAccess {
    pub member_id: MemberId,
    pub name: String,
    pub unit_id: UnitId,
    /// The unit's name.
    pub unit: String,
    /// Disabled members' devices do not work.
    pub disabled: bool,
    /// The latest staff invitation, if one was ever issued.
    pub invitation: Option<InvitationSummary>,
    /// Devices still joined, oldest first.
    pub devices: Vec<MemberDevice>,
}
