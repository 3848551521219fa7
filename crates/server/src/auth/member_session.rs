//! Members' device sessions: a device that joined with a one-time token holds a random token in an
//! HttpOnly cookie (`jianyan_member`, `Path=/api`), which page scripts cannot read; the database keeps
//! only its SHA-256. A session lasts a year from its last use, and ends when the member leaves on that
//! device, when staff end it, or at once for every device when staff disable the member: each request
//! reads the member's `disabled_at`.
//!
//! A dead session answers 401 and clears the cookie, so the app falls back to its guest state. The
//! `Set-Cookie` that clears or renews the cookie is decided by the extractor but written on the response
//! by `carry_cookie`, since an extractor cannot touch the response.

use std::sync::{Arc, Mutex, PoisonError};

use api::MEMBER_SESSION_COOKIE;
use axum::{
    extract::{FromRequestParts, Request},
    http::{header, request::Parts, HeaderMap, HeaderValue, Method},
    middleware::Next,
    response::Response,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use time::Duration;

use super::{cross_site, session::CookiePolicy};
use crate::{
    client_addr::RequestSite,
    clock,
    error::ApiError,
    secret,
    store::{self, member_sessions::RosterMember},
    AppState,
};

/// How long a joined device stays joined without being used: older members open the app rarely.
pub const LIFETIME: Duration = Duration::days(365);
/// A device's last use (and the cookie's renewal) is written at most this often, so most requests only
/// read.
pub const TOUCH_INTERVAL: Duration = Duration::hours(1);
/// The cookie goes with every API request (the member's own routes and `POST /api/submissions`), never
/// with pages or static files.
pub const COOKIE_PATH: &str = "/api";

/// What a request without a device session is told where one is needed.
pub const NOT_JOINED: &str =
    "这台设备还没有加入；请用邀请链接或二维码加入（向本单位联络员或统战部索取邀请链接）";
/// What a device whose session was ended (by the member, by staff, or by time) is told.
pub const ENDED: &str = "这台设备已退出或已被统战部结束，请重新用邀请链接加入（向本单位联络员或统战部索取邀请链接）；您的草稿和未发送的内容仍保存在本机";
/// What a disabled member's device is told.
pub const DISABLED: &str =
    "您的成员身份已被统战部停用，这台设备不能再以成员身份使用；如有疑问请联系统战部";

/// A new device token: 256 random bits, base64url (43 characters).
pub fn new_token() -> anyhow::Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(secret::random_bytes::<32>()?))
}

/// What the database keeps of a token (a device's or an invitation's).
pub fn token_hash(token: &str) -> String {
    secret::sha256_hex(token.as_bytes())
}

/// `Set-Cookie` for a device's token, good for `LIFETIME`.
pub fn set_cookie(policy: CookiePolicy, token: &str, site: Option<&RequestSite>) -> HeaderValue {
    cookie_header(policy, token, LIFETIME.whole_seconds(), site)
}

/// `Set-Cookie` that makes the browser forget the device's session.
pub fn clear_cookie(policy: CookiePolicy, site: Option<&RequestSite>) -> HeaderValue {
    cookie_header(policy, "", 0, site)
}

fn cookie_header(
    policy: CookiePolicy,
    token: &str,
    max_age: i64,
    site: Option<&RequestSite>,
) -> HeaderValue {
    // The same rule as the staff cookie: Secure when asked to, or when the request came over https.
    let secure = policy.always_secure || site.is_some_and(|site| site.https);
    let cookie = format!(
        "{MEMBER_SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path={COOKIE_PATH}; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&cookie)
        .expect("a cookie of ASCII words and a base64url token is a valid header value")
}

/// The device token in a request's `Cookie` headers, if any.
pub fn device_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == MEMBER_SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| value.trim_matches('"'))
}

/// Where the extractor leaves the `Set-Cookie` the response must carry (a renewal, or a clearing).
#[derive(Clone, Default)]
struct CookieSlot(Arc<Mutex<Option<HeaderValue>>>);

impl CookieSlot {
    fn put(&self, value: HeaderValue) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
    }

    fn take(&self) -> Option<HeaderValue> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Middleware (`from_fn`) around the API: writes the member cookie's renewal or clearing that the
/// extractor decided, unless the handler set a cookie of its own (joining, leaving).
pub async fn carry_cookie(mut request: Request, next: Next) -> Response {
    let slot = CookieSlot::default();
    request.extensions_mut().insert(slot.clone());
    let mut response = next.run(request).await;
    if let Some(value) = slot.take() {
        if !response.headers().contains_key(header::SET_COOKIE) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The joined member behind a request, through the device session in its cookie. A handler that takes
/// this answers 401 to anyone else (and clears a dead session's cookie).
#[derive(Debug, Clone)]
pub struct CurrentMember {
    pub device_id: i64,
    pub member: RosterMember,
}

impl FromRequestParts<AppState> for CurrentMember {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        resolve(parts, state)
            .await?
            .ok_or_else(|| ApiError::Unauthorized(NOT_JOINED.into()))
    }
}

/// The joined member behind a request if it carries a device session; `None` for a guest. A cookie
/// whose session is dead is refused (401) rather than taken for a guest, so the app learns it has left.
#[derive(Debug, Clone)]
pub struct MaybeMember(pub Option<CurrentMember>);

impl FromRequestParts<AppState> for MaybeMember {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        resolve(parts, state).await.map(MaybeMember)
    }
}

async fn resolve(parts: &Parts, state: &AppState) -> Result<Option<CurrentMember>, ApiError> {
    let Some(token) = device_cookie(&parts.headers) else {
        return Ok(None);
    };
    let policy = parts
        .extensions
        .get::<CookiePolicy>()
        .copied()
        .unwrap_or_default();
    let site = parts.extensions.get::<RequestSite>();
    // Whatever route it reaches (the member's own, or `POST /api/submissions`), a state-changing request
    // that acts as the member must come from the site itself, as staff requests must.
    let changes_state = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if changes_state && !cross_site::allowed(&parts.headers, site) {
        return Err(ApiError::Forbidden(cross_site::REFUSED.into()));
    }
    let slot = parts.extensions.get::<CookieSlot>();
    let now = clock::now();
    let owner =
        store::member_sessions::device_owner(&state.db, &token_hash(token), &clock::rfc3339(now))
            .await?;
    let refuse = |message: &str| {
        if let Some(slot) = slot {
            slot.put(clear_cookie(policy, site));
        }
        ApiError::Unauthorized(message.into())
    };
    let owner = match owner {
        None => return Err(refuse(ENDED)),
        Some(owner) if owner.over => return Err(refuse(ENDED)),
        Some(owner) if owner.member.disabled_at.is_some() => return Err(refuse(DISABLED)),
        Some(owner) => owner,
    };
    // Sliding, like the staff session but a year long: each use moves the expiry on, written (and the
    // cookie renewed) at most once an hour. A read is not failed when the write cannot be made now.
    if owner.last_seen_at <= clock::rfc3339(now - TOUCH_INTERVAL) {
        let touched = store::member_sessions::touch_device(
            &state.db,
            owner.device_id,
            &clock::rfc3339(now),
            &clock::rfc3339(now + LIFETIME),
        )
        .await;
        match touched {
            Ok(()) => {
                if let Some(slot) = slot {
                    slot.put(set_cookie(policy, token, site));
                }
            }
            Err(error) => tracing::warn!(
                error = format!("{error:#}"),
                "could not note a device's use"
            ),
        }
    }
    Ok(Some(CurrentMember {
        device_id: owner.device_id,
        member: owner.member,
    }))
}

/// A User-Agent shortened to what a person recognises in a list of their devices: the system and the
/// browser ("Android · 微信"), or "未知浏览器".
pub fn browser_label(user_agent: &str) -> String {
    const SYSTEMS: [(&str, &str); 7] = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("HarmonyOS", "鸿蒙"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Macintosh", "Mac"),
        ("Linux", "Linux"),
    ];
    // Most specific first: WeChat's and Edge's agents also say Chrome and Safari.
    const BROWSERS: [(&str, &str); 11] = [
        ("MicroMessenger", "微信"),
        ("DingTalk", "钉钉"),
        ("MQQBrowser", "QQ浏览器"),
        ("UCBrowser", "UC浏览器"),
        ("HuaweiBrowser", "华为浏览器"),
        ("Edg", "Edge"),
        ("Firefox", "Firefox"),
        ("CriOS", "Chrome"),
        ("Chrome", "Chrome"),
        ("Chromium", "Chromium"),
        ("Safari", "Safari"),
    ];
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(needle, _)| user_agent.contains(needle))
            .map(|(_, label)| *label)
    };
    match (find(&SYSTEMS), find(&BROWSERS)) {
        (Some(system), Some(browser)) => format!("{system} · {browser}"),
        (Some(only), None) | (None, Some(only)) => only.to_owned(),
        (None, None) => "未知浏览器".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_agent_is_shortened_to_system_and_browser() {
        let cases = [
            (
                "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36",
                "Android · Chrome",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40",
                "iPhone · 微信",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
                "iPhone · Safari",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0",
                "Windows · Edge",
            ),
            ("curl/8.5.0", "未知浏览器"),
            ("", "未知浏览器"),
        ];
        for (agent, expected) in cases {
            assert_eq!(browser_label(agent), expected, "{agent}");
        }
    }

    #[test]
    fn the_cookie_is_http_only_strict_for_the_api_a_year_long_and_secure_over_https() {
        let plain = set_cookie(CookiePolicy::default(), "tok", None);
        assert_eq!(
            plain.to_str().ok(),
            Some("jianyan_member=tok; HttpOnly; SameSite=Strict; Path=/api; Max-Age=31536000")
        );
        let https = RequestSite {
            https: true,
            host: None,
        };
        let secure = set_cookie(CookiePolicy::default(), "tok", Some(&https));
        assert!(secure.to_str().unwrap_or_default().ends_with("; Secure"));
        let cleared = clear_cookie(CookiePolicy::default(), None);
        assert!(cleared.to_str().unwrap_or_default().contains("Max-Age=0"));
    }

    #[test]
    fn the_device_token_is_found_among_other_cookies_and_an_empty_one_is_none() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("jianyan_staff=x; jianyan_member=abc_123"),
        );
        assert_eq!(device_cookie(&headers), Some("abc_123"));
        let mut empty = HeaderMap::new();
        empty.insert(header::COOKIE, HeaderValue::from_static("jianyan_member="));
        assert_eq!(device_cookie(&empty), None);
    }
}
