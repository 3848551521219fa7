//! The roster: units (every staff member reads them; administrators change them) and members (list,
//! one member's page, edit, disable, import from a spreadsheet file).

use api::{
    roster::{
        ListMembers, MemberDetailView, MemberPage, MemberView, ReorderUnits, RosterImportReport,
        SaveMember, SaveUnit, SetSwitch, StaffUnit,
    },
    MemberId, UnitId,
};
use gloo_net::http::{Request, RequestBuilder};
use serde::{de::DeserializeOwned, Serialize};

use super::{read, ClientError};

/// `GET /api/staff/units`: every unit, retired ones too.
pub async fn staff_units() -> Result<Vec<StaffUnit>, ClientError> {
    read(Request::get("/api/staff/units").send().await).await
}

/// `POST /api/staff/units`: adds a unit; answers the whole list.
pub async fn add_unit(unit: &SaveUnit) -> Result<Vec<StaffUnit>, ClientError> {
    send_json(Request::post("/api/staff/units"), unit).await
}

/// `PUT /api/staff/units/{id}`: renames a unit or changes its group.
pub async fn rename_unit(id: UnitId, unit: &SaveUnit) -> Result<Vec<StaffUnit>, ClientError> {
    send_json(Request::put(&format!("/api/staff/units/{}", id.0)), unit).await
}

/// `PUT /api/staff/units/order`: every unit's id in the new order.
pub async fn reorder_units(ids: Vec<UnitId>) -> Result<Vec<StaffUnit>, ClientError> {
    send_json(
        Request::put("/api/staff/units/order"),
        &ReorderUnits { ids },
    )
    .await
}

/// `PUT /api/staff/units/{id}/retired`.
pub async fn set_unit_retired(id: UnitId, on: bool) -> Result<Vec<StaffUnit>, ClientError> {
    let url = format!("/api/staff/units/{}/retired", id.0);
    send_json(Request::put(&url), &SetSwitch { on }).await
}

/// `GET /api/staff/members?…`: a page of the roster.
pub async fn list_members(query: &ListMembers) -> Result<MemberPage, ClientError> {
    let mut pairs = Vec::new();
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        pairs.push(format!(
            "q={}",
            String::from(js_sys::encode_uri_component(q))
        ));
    }
    if let Some(unit) = query.unit {
        pairs.push(format!("unit={unit}"));
    }
    if let Some(page) = query.page {
        pairs.push(format!("page={page}"));
    }
    let url = if pairs.is_empty() {
        "/api/staff/members".to_owned()
    } else {
        format!("/api/staff/members?{}", pairs.join("&"))
    };
    read(Request::get(&url).send().await).await
}

/// `GET /api/staff/members/{id}`: one member and their submissions.
pub async fn get_member(id: MemberId) -> Result<MemberDetailView, ClientError> {
    read(
        Request::get(&format!("/api/staff/members/{}", id.0))
            .send()
            .await,
    )
    .await
}

/// `PUT /api/staff/members/{id}`.
pub async fn save_member(id: MemberId, member: &SaveMember) -> Result<MemberView, ClientError> {
    send_json(
        Request::put(&format!("/api/staff/members/{}", id.0)),
        member,
    )
    .await
}

/// `PUT /api/staff/members/{id}/disabled`.
pub async fn set_member_disabled(id: MemberId, on: bool) -> Result<MemberView, ClientError> {
    let url = format!("/api/staff/members/{}/disabled", id.0);
    send_json(Request::put(&url), &SetSwitch { on }).await
}

/// `POST /api/staff/members/import`: the chosen file as the body; `commit` stores what it adds and
/// changes, otherwise nothing is stored.
pub async fn import_roster(
    file: &web_sys::File,
    commit: bool,
) -> Result<RosterImportReport, ClientError> {
    let url = if commit {
        "/api/staff/members/import?commit=true"
    } else {
        "/api/staff/members/import"
    };
    let request = Request::post(url)
        .header("Content-Type", "application/octet-stream")
        .body(file.clone())
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}

async fn send_json<T: Serialize, R: DeserializeOwned>(
    request: RequestBuilder,
    body: &T,
) -> Result<R, ClientError> {
    let request = request.json(body).map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}
