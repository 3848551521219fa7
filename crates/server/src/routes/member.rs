//! `/api/member/*`: a member on the roster joins a device with a one-time token (a staff invitation, or
//! a link from their other device), and a joined device reads the member's own data. Every route but
//! `config` and the join pair needs the device session (`auth::member_session::CurrentMember`).

use api::{
    DeviceLink, ErrorBody, JoinPreview, JoinRequest, MemberConfig, MemberId, MemberMe, UnitId,
    JOIN_PATH,
};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::{get, post},
    Extension, Json, Router,
};
use time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{
    auth::{
        cross_site,
        member_session::{self, CurrentMember},
        session::CookiePolicy,
    },
    client_addr::RequestSite,
    clock,
    error::ApiError,
    extract::ApiJson,
    rate_limit::{self, Limits},
    secret,
    store::{
        self,
        member_sessions::{kind, NewDevice, NewToken, RosterMember},
    },
    AppState,
};

/// How long a link shown by a joined device works: enough to pick up the other phone and scan.
pub const DEVICE_LINK_LIFETIME: Duration = Duration::minutes(10);

/// Longest token looked at; real ones are 22 (invitations) or 43 characters.
const MAX_TOKEN_LEN: usize = 200;

/// What an unknown, used, replaced or expired link is told: one answer for all, so tokens cannot be
/// probed.
const LINK_DEAD: &str =
    "这个邀请链接无效、已使用或已过期；请向本单位联络员或统战部索取新的邀请链接";

pub fn router(limits: &Limits) -> Router<AppState> {
    Router::new()
        .route("/member/config", get(config))
        .route(
            "/member/join/preview",
            rate_limit::limited(post(preview_join), limits.join),
        )
        .route("/member/join", rate_limit::limited(post(join), limits.join))
        .route("/member/me", get(me))
        .route("/member/logout", post(log_out))
        .route("/member/device-link", post(device_link))
        .merge(super::member_submissions::router(limits))
        .merge(super::member_cosign::router(limits))
        .merge(super::member_topics::router())
        // Joining is refused from another website as logging in is (a site that joins the browser as a
        // member of its choosing); the routes with the session check it in the extractor as well.
        .layer(middleware::from_fn(cross_site::refuse_cross_site))
        // A member's data is for the device that asked: no copy in a shared cache.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// `<origin>/join#<token>`: the origin the request came to (a trusted proxy's if it says so), or the
/// path alone when the request named no host.
pub fn join_link(site: Option<&RequestSite>, token: &str) -> String {
    let origin = site
        .and_then(|site| {
            let scheme = if site.https { "https" } else { "http" };
            site.host.as_ref().map(|host| format!("{scheme}://{host}"))
        })
        .unwrap_or_default();
    format!("{origin}{JOIN_PATH}#{token}")
}

/// A one-time token: 128 random bits, base64url (22 characters), short enough for a small QR code.
pub fn new_link_token() -> anyhow::Result<String> {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    Ok(URL_SAFE_NO_PAD.encode(secret::random_bytes::<16>()?))
}

fn me_of(member: RosterMember) -> MemberMe {
    MemberMe {
        id: MemberId(member.id),
        name: member.name,
        unit_id: UnitId(member.unit_id),
        unit: member.unit,
        phone: member.phone,
        is_contact: member.is_contact,
    }
}

/// The hash of a request's token, or the dead-link answer for one that cannot be a token.
fn requested_hash(request: &JoinRequest) -> Result<String, ApiError> {
    let token = request.token.trim().trim_start_matches('#');
    if token.is_empty() || token.len() > MAX_TOKEN_LEN {
        return Err(ApiError::NotFound(LINK_DEAD.into()));
    }
    Ok(member_session::token_hash(token))
}

/// Whether people who have not joined may submit.
#[utoipa::path(
    get,
    path = "/api/member/config",
    tag = "member",
    responses(
        (status = 200, description = "成员端需要的设置", body = MemberConfig),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn config(State(state): State<AppState>) -> Result<Json<MemberConfig>, ApiError> {
    Ok(Json(MemberConfig {
        guest_submissions: store::settings::guest_submissions(&state.db).await?,
    }))
}

/// Whose invitation a token is, without using it up: the app shows "欢迎，<姓名>（<单位>）" and asks the
/// member to confirm.
#[utoipa::path(
    post,
    path = "/api/member/join/preview",
    tag = "member",
    request_body = JoinRequest,
    responses(
        (status = 200, description = "邀请有效：成员的姓名与单位", body = JoinPreview),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 403, description = "请求来自其他网站", body = ErrorBody),
        (status = 404, description = "链接无效、已使用、已被新链接取代或已过期（回答相同）", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "token 不是字符串", body = ErrorBody),
        (status = 429, description = "同一地址尝试太频繁", body = ErrorBody,
            headers(("Retry-After" = u64, description = "再试之前须等待的秒数"))),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn preview_join(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<JoinRequest>,
) -> Result<Json<JoinPreview>, ApiError> {
    let hash = requested_hash(&request)?;
    let member =
        store::member_sessions::invited_member(&state.db, &hash, &clock::rfc3339(clock::now()))
            .await?
            .ok_or_else(|| ApiError::NotFound(LINK_DEAD.into()))?;
    Ok(Json(JoinPreview {
        name: member.name,
        unit: member.unit,
    }))
}

/// Uses up a one-time token and joins this device: the answer sets the device-session cookie.
#[utoipa::path(
    post,
    path = "/api/member/join",
    tag = "member",
    request_body = JoinRequest,
    responses(
        (status = 200, description = "已加入；设备会话在 HttpOnly 的 jianyan_member Cookie 中（Path=/api），一年内使用即续期", body = MemberMe,
            headers(("Set-Cookie" = String, description = "jianyan_member=<会话>; HttpOnly; SameSite=Strict; Path=/api; Max-Age=31536000（经 https 时加 Secure）"))),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 403, description = "请求来自其他网站", body = ErrorBody),
        (status = 404, description = "链接无效、已使用、已被新链接取代或已过期（回答相同）", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "token 不是字符串", body = ErrorBody),
        (status = 429, description = "同一地址尝试太频繁", body = ErrorBody,
            headers(("Retry-After" = u64, description = "再试之前须等待的秒数"))),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn join(
    State(state): State<AppState>,
    Extension(cookie): Extension<CookiePolicy>,
    site: Option<Extension<RequestSite>>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<JoinRequest>,
) -> Result<Response, ApiError> {
    let hash = requested_hash(&request)?;
    let device_token = member_session::new_token()?;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let now = clock::now();
    let member = store::member_sessions::join(
        &state.db,
        &hash,
        &NewDevice {
            token_hash: &member_session::token_hash(&device_token),
            browser: &member_session::browser_label(user_agent),
            now: &clock::rfc3339(now),
            expires_at: &clock::rfc3339(now + member_session::LIFETIME),
        },
    )
    .await?
    .ok_or_else(|| ApiError::NotFound(LINK_DEAD.into()))?;
    if let Some(earlier) = member_session::device_cookie(&headers) {
        store::member_sessions::leave_by_token(
            &state.db,
            &member_session::token_hash(earlier),
            &clock::rfc3339(now),
        )
        .await?;
    }
    tracing::info!(member = member.id, "a device joined");
    let site = site.map(|Extension(site)| site);
    let set = member_session::set_cookie(cookie, &device_token, site.as_ref());
    Ok(([(header::SET_COOKIE, set)], Json(me_of(member))).into_response())
}

/// The joined member, as the roster has them: the form fills in name, unit and phone from this.
#[utoipa::path(
    get,
    path = "/api/member/me",
    tag = "member",
    security(("member_session" = [])),
    responses(
        (status = 200, description = "本设备所属的成员", body = MemberMe),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用（Cookie 随之清除）", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn me(current: CurrentMember) -> Json<MemberMe> {
    Json(me_of(current.member))
}

/// Ends this device's session (退出此设备); the member's other devices stay joined.
#[utoipa::path(
    post,
    path = "/api/member/logout",
    tag = "member",
    security(("member_session" = [])),
    responses(
        (status = 204, description = "本设备已退出；Cookie 已清除"),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 403, description = "请求来自其他网站", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn log_out(
    State(state): State<AppState>,
    Extension(cookie): Extension<CookiePolicy>,
    site: Option<Extension<RequestSite>>,
    current: CurrentMember,
) -> Result<Response, ApiError> {
    store::member_sessions::leave(&state.db, current.device_id, &clock::rfc3339(clock::now()))
        .await?;
    let site = site.map(|Extension(site)| site);
    let clear = member_session::clear_cookie(cookie, site.as_ref());
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

/// A one-time link, valid 10 minutes, that joins the member's next device (shown there as a QR code).
#[utoipa::path(
    post,
    path = "/api/member/device-link",
    tag = "member",
    security(("member_session" = [])),
    responses(
        (status = 200, description = "一次性链接，10 分钟内有效", body = DeviceLink),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 403, description = "请求来自其他网站", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn device_link(
    State(state): State<AppState>,
    site: Option<Extension<RequestSite>>,
    current: CurrentMember,
) -> Result<Json<DeviceLink>, ApiError> {
    let token = new_link_token()?;
    let now = clock::now();
    let expires_at = clock::rfc3339(now + DEVICE_LINK_LIFETIME);
    store::member_sessions::issue_device_link(
        &state.db,
        &NewToken {
            member_id: current.member.id,
            token_hash: &member_session::token_hash(&token),
            kind: kind::DEVICE_LINK,
            issued_by: None,
            now: &clock::rfc3339(now),
            expires_at: &expires_at,
        },
    )
    .await?;
    let site = site.map(|Extension(site)| site);
    Ok(Json(DeviceLink {
        link: join_link(site.as_ref(), &token),
        token,
        expires_at,
    }))
}
