//! Login sessions: a random token handed to the browser in an HttpOnly cookie (`jianyan_staff`), which
//! page scripts cannot read; the database keeps only its SHA-256, so a leaked backup holds no working
//! token. A session ends at logout, 12 hours after login, or after 2 hours unused, whichever is first.

use api::{Role, StaffView, STAFF_SESSION_COOKIE};
use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, HeaderMap, HeaderValue},
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use time::Duration;

use crate::{
    client_addr::{ClientIp, RequestSite},
    clock,
    error::ApiError,
    secret,
    store::{self, audit::Actor, staff::SessionOwner},
    AppState,
};

/// How long a login lasts at most: a working day at the desk, then log in again.
pub const LIFETIME: Duration = Duration::hours(12);
/// A session unused this long ends: a desk left alone over lunch asks for the password again.
pub const IDLE_LIMIT: Duration = Duration::hours(2);
/// A session's last use is written at most this often, so most requests only read.
pub const TOUCH_INTERVAL: Duration = Duration::seconds(60);
/// The path the cookie is sent to: the staff API alone, not the members' pages or API.
pub const COOKIE_PATH: &str = "/api/staff";

/// How the session cookie is set: `Secure` always (`--cookie-secure`), or only for requests that came
/// over https through a trusted proxy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CookiePolicy {
    pub always_secure: bool,
}

impl CookiePolicy {
    /// `Set-Cookie` for a new session's token.
    pub fn set(self, token: &str, site: Option<&RequestSite>) -> HeaderValue {
        self.header(token, LIFETIME.whole_seconds(), site)
    }

    /// `Set-Cookie` that makes the browser forget the session.
    pub fn clear(self, site: Option<&RequestSite>) -> HeaderValue {
        self.header("", 0, site)
    }

    fn header(self, token: &str, max_age: i64, site: Option<&RequestSite>) -> HeaderValue {
        let secure = self.always_secure || site.is_some_and(|site| site.https);
        let cookie = format!(
            "{STAFF_SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path={COOKIE_PATH}; Max-Age={max_age}{}",
            if secure { "; Secure" } else { "" }
        );
        HeaderValue::from_str(&cookie)
            .expect("a cookie of ASCII words and a base64url token is a valid header value")
    }
}

/// A session just started: the token to hand out, and when it stops working at the latest.
pub struct NewSession {
    pub token: String,
    pub expires_at: String,
}

/// Starts a session for an account whose password was just checked; the login is audited with it.
pub async fn start(state: &AppState, by: Actor<'_>) -> anyhow::Result<NewSession> {
    let staff_id = by
        .staff_id
        .ok_or_else(|| anyhow::anyhow!("a session needs an account"))?;
    let token = URL_SAFE_NO_PAD.encode(secret::random_bytes::<32>()?);
    let now = clock::now();
    let expires_at = clock::rfc3339(now + LIFETIME);
    store::staff::start_session(
        &state.db,
        staff_id,
        &token_hash(&token),
        &clock::rfc3339(now),
        &expires_at,
        &clock::rfc3339(now - IDLE_LIMIT),
        &by.entry(store::audit::action::LOGIN),
    )
    .await?;
    Ok(NewSession { token, expires_at })
}

/// What the database keeps of a token.
fn token_hash(token: &str) -> String {
    secret::sha256_hex(token.as_bytes())
}

/// The session token in a request's `Cookie` headers, if any.
fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == STAFF_SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| value.trim_matches('"'))
}

/// The logged-in staff member behind a request: a handler that takes this is closed to everyone else,
/// who gets 401 with a message saying to log in.
#[derive(Debug, Clone)]
pub struct CurrentStaff {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: Role,
    /// The address the request came from, for the audit log.
    pub client_addr: Option<String>,
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

    /// Who acts, for the audit log.
    pub fn actor(&self) -> Actor<'_> {
        Actor {
            staff_id: Some(self.id),
            login: &self.login,
            client_addr: self.client_addr.as_deref(),
        }
    }

    /// Ends the session this request came with; the logout is audited with it.
    pub async fn log_out(&self, state: &AppState) -> anyhow::Result<()> {
        let entry = self.actor().entry(store::audit::action::LOGOUT);
        store::staff::end_session(&state.db, &self.token_hash, &entry).await
    }
}

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = session_cookie(&parts.headers)
            .ok_or_else(|| ApiError::Unauthorized("请先登录".into()))?;
        let token_hash = token_hash(token);
        let now = clock::now();
        let owner = store::staff::session_owner(
            &state.db,
            &token_hash,
            &clock::rfc3339(now),
            &clock::rfc3339(now - IDLE_LIMIT),
        )
        .await?
        .ok_or_else(|| {
            ApiError::Unauthorized("登录已过期（或已退出、两小时未操作），请重新登录".into())
        })?;
        let SessionOwner {
            id,
            login,
            name,
            role,
            last_used_at,
        } = owner;
        // Sliding: each use keeps the session alive, written at most once a minute. A read is not
        // failed for it: when the write cannot be made now (the database busy), the next use makes it.
        if last_used_at <= clock::rfc3339(now - TOUCH_INTERVAL) {
            if let Err(error) =
                store::staff::touch_session(&state.db, &token_hash, &clock::rfc3339(now)).await
            {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "could not note a session's use"
                );
            }
        }
        let client_addr = parts
            .extensions
            .get::<ClientIp>()
            .map(|ClientIp(ip)| ip.to_string());
        Ok(CurrentStaff {
            id,
            login,
            name,
            role: role.0,
            client_addr,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_token_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("theme=dark"));
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; jianyan_staff=abc-123; b=2"),
        );
        assert_eq!(session_cookie(&headers), Some("abc-123"));
        let mut empty = HeaderMap::new();
        empty.insert(header::COOKIE, HeaderValue::from_static("jianyan_staff="));
        assert_eq!(session_cookie(&empty), None);
        assert_eq!(session_cookie(&HeaderMap::new()), None);
    }

    #[test]
    fn the_cookie_is_http_only_strict_for_the_staff_api_and_secure_over_https_or_when_asked() {
        let https = RequestSite {
            https: true,
            host: None,
        };
        let plain = CookiePolicy::default().set("tok", None);
        assert_eq!(
            plain.to_str().ok(),
            Some("jianyan_staff=tok; HttpOnly; SameSite=Strict; Path=/api/staff; Max-Age=43200")
        );
        let secure = |value: HeaderValue| value.to_str().unwrap_or_default().ends_with("; Secure");
        assert!(secure(CookiePolicy::default().set("tok", Some(&https))));
        assert!(secure(
            CookiePolicy {
                always_secure: true
            }
            .set("tok", None)
        ));
        let cleared = CookiePolicy::default().clear(None);
        assert!(
            cleared.to_str().unwrap_or_default().contains("Max-Age=0"),
            "{cleared:?}"
        );
    }
}
