//! How members get in, as staff run it: personal invitations (one member, or a whole unit for the printed
//! sheet), a member's joined devices (and ending one), and the guest-submission setting. Administrators
//! only, but reading the setting; every change is audited.

use api::{ErrorBody, IssuedInvitation, MemberAccess, MemberId, Settings, UnitId, UnitInvitations};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    http::StatusCode,
    routing::{delete, get, post},
    Extension, Json, Router,
};
use time::Duration;

use crate::{
    auth::{member_session::token_hash, CurrentStaff, RequireAdmin},
    client_addr::RequestSite,
    clock,
    error::ApiError,
    extract::ApiJson,
    routes::member::{join_link, new_link_token},
    store::{
        self,
        audit::AuditEntry,
        member_sessions::{kind, NewToken, RosterMember},
    },
    AppState, InvitationDays,
};

/// Audit actions of this area.
pub mod action {
    /// A personal invitation was issued; `target` names the member.
    pub const INVITE: &str = "member.invite";
    /// Invitations for every active member of a unit (the printed sheet); `target` names the unit.
    pub const INVITE_UNIT: &str = "unit.invite";
    /// Staff ended one of a member's devices.
    pub const END_DEVICE: &str = "member.end_device";
    /// The guest-submission setting changed.
    pub const GUEST_SUBMISSIONS: &str = "settings.guest_submissions";
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/members/{id}/access", get(member_access))
        .route("/staff/members/{id}/invitation", post(invite_member))
        .route("/staff/units/{id}/invitations", post(invite_unit))
        .route("/staff/members/{id}/devices/{device}", delete(end_device))
        .route("/staff/settings", get(settings).put(set_settings))
}

const NO_MEMBER: &str = "没有这位成员，请从成员名单重新打开";

fn member_target(member: &RosterMember) -> String {
    format!("成员 {}（{}）", member.id, member.name)
}

async fn find_member(
    state: &AppState,
    id: Result<Path<i64>, PathRejection>,
) -> Result<RosterMember, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::NotFound(NO_MEMBER.into()));
    };
    store::member_sessions::member(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(NO_MEMBER.into()))
}

/// A member's latest invitation and the devices still joined.
#[utoipa::path(
    get,
    path = "/api/staff/members/{id}/access",
    tag = "staff",
    params(("id" = i64, Path, description = "成员编号")),
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "成员的邀请与已加入的设备", body = MemberAccess),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以管理成员的邀请与设备", body = ErrorBody),
        (status = 404, description = "没有这位成员", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
async fn member_access(
    admin: RequireAdmin,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<MemberAccess>, ApiError> {
    let member = find_member(&state, id).await?;
    let now = clock::rfc3339(clock::now());
    let invitation = store::member_sessions::latest_invitation(&state.db, member.id, &now).await?;
    let devices = store::member_sessions::devices(&state.db, member.id, &now).await?;
    Ok(Json(MemberAccess {
        member_id: MemberId(member.id),
        name: member.name,
        unit_id: UnitId(member.unit_id),
        unit: member.unit,
        disabled: member.disabled_at.is_some(),
        invitation,
        devices,
    }))
}

/// New invitations for `members`, stored with their audit rows: the tokens exist only in the answer.
async fn issue(
    state: &AppState,
    staff: &CurrentStaff,
    site: Option<&RequestSite>,
    days: u32,
    members: &[RosterMember],
    audit: &[AuditEntry<'_>],
) -> Result<Vec<IssuedInvitation>, ApiError> {
    let now = clock::now();
    let (now_text, expires_at) = (
        clock::rfc3339(now),
        clock::rfc3339(now + Duration::days(i64::from(days))),
    );
    let tokens = members
        .iter()
        .map(|_| new_link_token())
        .collect::<anyhow::Result<Vec<_>>>()?;
    let hashes: Vec<String> = tokens.iter().map(|token| token_hash(token)).collect();
    let rows: Vec<NewToken<'_>> = members
        .iter()
        .zip(&hashes)
        .map(|(member, hash)| NewToken {
            member_id: member.id,
            token_hash: hash,
            kind: kind::INVITATION,
            issued_by: Some(staff.id),
            now: &now_text,
            expires_at: &expires_at,
        })
        .collect();
    store::member_sessions::issue_invitations(&state.db, &rows, audit).await?;
    Ok(members
        .iter()
        .zip(tokens)
        .map(|(member, token)| IssuedInvitation {
            member_id: MemberId(member.id),
            name: member.name.clone(),
            unit: member.unit.clone(),
            link: join_link(site, &token),
            expires_at: expires_at.clone(),
        })
        .collect())
}

/// Issues a member's personal invitation; their unused older one stops working, joined devices stay.
#[utoipa::path(
    post,
    path = "/api/staff/members/{id}/invitation",
    tag = "staff",
    params(("id" = i64, Path, description = "成员编号")),
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "新的邀请链接（只在这次回答中出现，服务器只保存其摘要）", body = IssuedInvitation),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以发邀请；或请求来自其他网站", body = ErrorBody),
        (status = 404, description = "没有这位成员", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 422, description = "成员已停用，不能发邀请", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
async fn invite_member(
    admin: RequireAdmin,
    State(state): State<AppState>,
    Extension(InvitationDays(days)): Extension<InvitationDays>,
    site: Option<Extension<RequestSite>>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<IssuedInvitation>, ApiError> {
    let staff = &admin.0;
    let member = find_member(&state, id).await?;
    if member.disabled_at.is_some() {
        return Err(ApiError::Unprocessable(
            "这位成员已停用，不能发邀请；请先在成员名单中恢复".into(),
        ));
    }
    let target = member_target(&member);
    let entry = AuditEntry {
        target: Some(&target),
        ..staff.actor().entry(action::INVITE)
    };
    let site = site.map(|Extension(site)| site);
    let issued = issue(
        &state,
        staff,
        site.as_ref(),
        days,
        std::slice::from_ref(&member),
        &[entry],
    )
    .await?;
    issued
        .into_iter()
        .next()
        .map(Json)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("one member, no invitation")))
}

/// Issues a new invitation for every active member of a unit, for the printed sheet; each member's
/// unused older link stops working.
#[utoipa::path(
    post,
    path = "/api/staff/units/{id}/invitations",
    tag = "staff",
    params(("id" = i64, Path, description = "单位编号")),
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "本单位每位未停用成员的新邀请，按姓名排列", body = UnitInvitations),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以发邀请；或请求来自其他网站", body = ErrorBody),
        (status = 404, description = "没有这个单位", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
async fn invite_unit(
    admin: RequireAdmin,
    State(state): State<AppState>,
    Extension(InvitationDays(days)): Extension<InvitationDays>,
    site: Option<Extension<RequestSite>>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<UnitInvitations>, ApiError> {
    let staff = &admin.0;
    let no_unit = || ApiError::NotFound("没有这个单位，请从单位列表重新打开".into());
    let Ok(Path(unit_id)) = id else {
        return Err(no_unit());
    };
    let (unit, members) = store::member_sessions::active_members_of_unit(&state.db, unit_id)
        .await?
        .ok_or_else(no_unit)?;
    let target = format!("单位 {unit_id}（{unit}）");
    let note = format!("{} 位成员", members.len());
    let entry = AuditEntry {
        target: Some(&target),
        note: Some(&note),
        ..staff.actor().entry(action::INVITE_UNIT)
    };
    let site = site.map(|Extension(site)| site);
    let invitations = issue(&state, staff, site.as_ref(), days, &members, &[entry]).await?;
    Ok(Json(UnitInvitations { unit, invitations }))
}

/// Ends one of a member's devices: its next request gets 401.
#[utoipa::path(
    delete,
    path = "/api/staff/members/{id}/devices/{device}",
    tag = "staff",
    params(
        ("id" = i64, Path, description = "成员编号"),
        ("device" = i64, Path, description = "设备编号（见成员的设备列表）"),
    ),
    security(("staff_session" = ["admin"])),
    responses(
        (status = 204, description = "已结束这台设备"),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以结束成员的设备；或请求来自其他网站", body = ErrorBody),
        (status = 404, description = "没有这位成员，或这台设备已不在其名下", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
async fn end_device(
    admin: RequireAdmin,
    State(state): State<AppState>,
    ids: Result<Path<(i64, i64)>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let staff = &admin.0;
    let gone = || ApiError::NotFound("这台设备已经结束或不属于这位成员，请刷新后再看".into());
    let Ok(Path((member_id, device_id))) = ids else {
        return Err(gone());
    };
    let member = store::member_sessions::member(&state.db, member_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(NO_MEMBER.into()))?;
    let target = member_target(&member);
    let note = format!("设备 {device_id}");
    let entry = AuditEntry {
        target: Some(&target),
        note: Some(&note),
        ..staff.actor().entry(action::END_DEVICE)
    };
    let ended = store::member_sessions::end_device(
        &state.db,
        member.id,
        device_id,
        &clock::rfc3339(clock::now()),
        &entry,
    )
    .await?;
    if ended {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(gone())
    }
}

/// The department's settings.
#[utoipa::path(
    get,
    path = "/api/staff/settings",
    tag = "staff",
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "当前设置", body = Settings),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
async fn settings(
    staff: CurrentStaff,
    State(state): State<AppState>,
) -> Result<Json<Settings>, ApiError> {
    Ok(Json(Settings {
        guest_submissions: store::settings::guest_submissions(&state.db).await?,
    }))
}

/// Changes the department's settings.
#[utoipa::path(
    put,
    path = "/api/staff/settings",
    tag = "staff",
    request_body = Settings,
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "已保存；返回保存后的设置", body = Settings),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以修改设置；或请求来自其他网站", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "字段缺少或类型不对", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
async fn set_settings(
    admin: RequireAdmin,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<Settings>,
) -> Result<Json<Settings>, ApiError> {
    let before = store::settings::guest_submissions(&state.db).await?;
    let word = |on: bool| if on { "允许" } else { "不允许" };
    let entry = AuditEntry {
        target: Some(store::settings::GUEST_SUBMISSIONS),
        from: Some(word(before)),
        to: Some(word(request.guest_submissions)),
        ..admin.0.actor().entry(action::GUEST_SUBMISSIONS)
    };
    store::settings::set_guest_submissions(&state.db, request.guest_submissions, &entry).await?;
    Ok(Json(request))
}
