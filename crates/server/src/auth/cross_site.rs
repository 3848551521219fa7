//! Refuses state-changing staff requests that another website made the browser send (CSRF). The session
//! cookie is `SameSite=Strict` already; this is the second lock, and it also covers logging in (a site
//! that logs the browser into an account of its choosing).
//!
//! The rule, for POST, PUT, PATCH and DELETE:
//! - `Sec-Fetch-Site: cross-site` (the browser says another site started the request): refused;
//! - else an `Origin` whose host and port differ from the host the request was sent to (its `Host`, or
//!   `X-Forwarded-Host` from a trusted proxy; see `client_addr::RequestSite`): refused;
//! - neither header (curl, scripts, tests; no browser omits both on a cross-site POST): allowed.

use axum::{
    extract::Request,
    http::{header, HeaderMap, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{client_addr::RequestSite, error::ApiError};

/// What the person reads when their request is refused.
pub const REFUSED: &str = "这个请求来自其他网站，已被拒绝；请直接打开本系统的工作台页面再操作";

/// Middleware (`from_fn`) for the staff routes.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if changes_state {
        let site = request.extensions().get::<RequestSite>().cloned();
        if !allowed(request.headers(), site.as_ref()) {
            tracing::info!(
                method = %request.method(),
                path = request.uri().path(),
                origin = ?request.headers().get(header::ORIGIN),
                "refused a cross-site request"
            );
            return ApiError::Forbidden(REFUSED.into()).into_response();
        }
    }
    next.run(request).await
}

/// Whether a state-changing request with these headers may go on.
pub(crate) fn allowed(headers: &HeaderMap, site: Option<&RequestSite>) -> bool {
    let fetch_site = headers
        .get("sec-fetch-site")
        .and_then(|value| value.to_str().ok())
        .map(str::trim);
    if fetch_site.is_some_and(|value| value.eq_ignore_ascii_case("cross-site")) {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let https = site.is_some_and(|site| site.https);
    let target = site
        .and_then(|site| site.host.as_deref())
        .and_then(|host| host_and_port(host, if https { 443 } else { 80 }));
    let origin = origin.to_str().ok().and_then(origin_host_and_port);
    matches!((origin, target), (Some(origin), Some(target)) if origin == target)
}

/// `https://example.org` → `("example.org", 443)`; `"null"` and anything unreadable → `None`.
fn origin_host_and_port(origin: &str) -> Option<(String, u16)> {
    let (scheme, rest) = origin.trim().split_once("://")?;
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "https" => 443,
        "http" => 80,
        _ => return None,
    };
    if rest.contains('/') || rest.is_empty() {
        return None;
    }
    host_and_port(rest, default_port)
}

/// `example.org:8443` → `("example.org", 8443)`, `[::1]` → `("[::1]", default_port)`.
fn host_and_port(text: &str, default_port: u16) -> Option<(String, u16)> {
    let text = text.trim().to_ascii_lowercase();
    let (host, port) = match text.rsplit_once(':') {
        // A bare IPv6 address has colons but no port after its closing bracket.
        Some((host, port))
            if !port.contains(']') && (!host.contains(':') || host.ends_with(']')) =>
        {
            (host.to_owned(), port.parse().ok()?)
        }
        _ => (text, default_port),
    };
    (!host.is_empty()).then_some((host, port))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn site(https: bool, host: &str) -> RequestSite {
        RequestSite {
            https,
            host: Some(host.to_owned()),
        }
    }

    type Headers = &'static [(&'static str, &'static str)];

    #[test]
    fn cross_site_requests_are_refused_and_same_origin_ones_or_headerless_ones_allowed() {
        let cases: [(Headers, RequestSite, bool, &str); 12] = [
            (&[], site(false, "127.0.0.1:8080"), true, "curl: no headers"),
            (
                &[("sec-fetch-site", "cross-site")],
                site(false, "127.0.0.1:8080"),
                false,
                "the browser says cross-site",
            ),
            (
                &[
                    ("sec-fetch-site", "same-origin"),
                    ("origin", "http://127.0.0.1:8080"),
                ],
                site(false, "127.0.0.1:8080"),
                true,
                "same origin",
            ),
            (
                &[("origin", "http://evil.example")],
                site(false, "127.0.0.1:8080"),
                false,
                "another host",
            ),
            (
                &[("origin", "http://127.0.0.1:9999")],
                site(false, "127.0.0.1:8080"),
                false,
                "another port",
            ),
            (
                &[("origin", "null")],
                site(false, "127.0.0.1:8080"),
                false,
                "an opaque origin",
            ),
            (
                &[("origin", "https://jianyan.example.org")],
                site(true, "jianyan.example.org"),
                true,
                "https on the default port, behind a proxy",
            ),
            (
                &[("origin", "https://jianyan.example.org")],
                site(true, "jianyan.example.org:443"),
                true,
                "an explicit default port",
            ),
            (
                &[("origin", "https://JianYan.example.org:8443")],
                site(true, "jianyan.example.org:8443"),
                true,
                "a port of its own, any case",
            ),
            (
                &[("origin", "https://jianyan.example.org.evil.example")],
                site(true, "jianyan.example.org"),
                false,
                "a look-alike host",
            ),
            (
                &[("origin", "http://[::1]:8080")],
                site(false, "[::1]:8080"),
                true,
                "IPv6",
            ),
            (
                &[
                    ("sec-fetch-site", "same-site"),
                    ("origin", "http://a.example.org"),
                ],
                site(false, "b.example.org"),
                false,
                "a sibling site still has to match",
            ),
        ];
        for (pairs, site, expected, why) in cases {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                headers.insert(*name, HeaderValue::from_static(value));
            }
            assert_eq!(allowed(&headers, Some(&site)), expected, "{why}");
        }
    }
}
