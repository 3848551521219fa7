//! How members get in, as staff run it: a member's invitation and devices, a unit's printed sheet, and
//! whether people who have not joined may submit. Administrators only (but reading the settings); the
//! staff cookie goes with every request.

use api::{IssuedInvitation, MemberAccess, Settings, UnitInvitations};
use gloo_net::http::Request;

use super::{check, read, ClientError};

/// `GET /api/staff/members/{id}/access`: the member's latest invitation and joined devices.
pub async fn member_access(member_id: i64) -> Result<MemberAccess, ClientError> {
    read(
        Request::get(&format!("/api/staff/members/{member_id}/access"))
            .send()
            .await,
    )
    .await
}

/// `POST /api/staff/members/{id}/invitation`: a new personal invitation (the unused older one dies).
pub async fn issue_invitation(member_id: i64) -> Result<IssuedInvitation, ClientError> {
    read(
        Request::post(&format!("/api/staff/members/{member_id}/invitation"))
            .send()
            .await,
    )
    .await
}

/// `POST /api/staff/units/{id}/invitations`: new invitations for every active member of the unit.
pub async fn issue_unit_invitations(unit_id: i64) -> Result<UnitInvitations, ClientError> {
    read(
        Request::post(&format!("/api/staff/units/{unit_id}/invitations"))
            .send()
            .await,
    )
    .await
}

/// `DELETE /api/staff/members/{id}/devices/{device}`: ends one of the member's devices.
pub async fn end_member_device(member_id: i64, device_id: i64) -> Result<(), ClientError> {
    check(
        Request::delete(&format!(
            "/api/staff/members/{member_id}/devices/{device_id}"
        ))
        .send()
        .await,
    )
    .await
    .map(drop)
}

/// `GET /api/staff/settings`: the department's settings.
pub async fn settings() -> Result<Settings, ClientError> {
    read(Request::get("/api/staff/settings").send().await).await
}

/// `PUT /api/staff/settings`: changes them (admins), answering what was saved.
pub async fn save_settings(settings: &Settings) -> Result<Settings, ClientError> {
    let request = Request::put("/api/staff/settings")
        .json(settings)
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}
