//! Serving the built frontend: files from trunk's `dist/`, `index.html` for client-side routes,
//! precompressed `.br`/`.gz` siblings when present, and cache headers that fit each file.

use std::{
    convert::Infallible,
    future::Future,
    path::Path,
    pin::Pin,
    task::{Context, Poll},
};

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderValue},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get_service,
    Router,
};
use tower::{Service, ServiceExt};
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;

/// Files whose names carry a content hash never change: a year in every cache.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else (index.html, the service worker, the manifest) is checked on each load.
const REVALIDATE: &str = "no-cache";

/// Where the staff's app is served; trunk builds it into `dist/staff/` (see `staff.html`).
pub const STAFF_PREFIX: &str = "/staff";

/// Where the members' account app (joining with an invitation, 我的) is served; trunk builds it into
/// `dist/me/` (see `account.html`).
pub const ACCOUNT_PREFIX: &str = "/me";

/// Where the members' topics app (课题, research results with attachments) is served; trunk builds it
/// into `dist/topics/` (see `topics.html`).
pub const TOPICS_PREFIX: &str = "/topics";

/// The frontend as a service for the router's fallback: the members' app at `/`, their account app
/// under `/me/`, and the staff's app under `/staff/`: each a bundle of its own, so that the submit form
/// carries neither of the others and phones never download the staff's.
pub fn service(dist: &Path) -> Router {
    Router::new()
        .nest_service(STAFF_PREFIX, get_service(app_files(&dist.join("staff"))))
        .nest_service(ACCOUNT_PREFIX, get_service(app_files(&dist.join("me"))))
        .nest_service(
            TOPICS_PREFIX,
            get_service(topics_files(&dist.join("topics"))),
        )
        .fallback_service(get_service(app_files(dist)))
        .layer(middleware::from_fn(cache_headers))
}

/// The files of one app, with its `index.html` for every path that names no file (client-side routes).
fn app_files(dir: &Path) -> ServeDir<PageOrNotFound> {
    let page = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(PageOrNotFound { page })
}

/// What answers a path with no file behind it: the app's page for a client-side route, and 404 for a path
/// that names a file. Otherwise a page still open from the last release, asking for its old
/// `jianyan-<hash>_bg.wasm`, would get `index.html`, and under that hashed name the year-long cache.
#[derive(Clone)]
struct PageOrNotFound {
    page: ServeFile,
}

impl<B: Send + 'static> Service<Request<B>> for PageOrNotFound {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        if names_a_file(request.uri().path()) {
            let missing =
                ApiError::NotFound("没有这个文件：网页可能已经更新，请刷新页面后再试".into());
            return Box::pin(async move { Ok(missing.into_response()) });
        }
        let page = self.page.clone();
        Box::pin(async move {
            let Ok(response) = page.oneshot(request).await;
            Ok(response.map(Body::new))
        })
    }
}

/// The topics app's files: two bundles, the list's (`dist/topics/`) and the forms with attachments'
/// (`dist/topics/send/`), each page for its own client routes.
fn topics_files(dir: &Path) -> ServeDir<TopicsPageOrNotFound> {
    let page = |dir: &Path| {
        ServeFile::new(dir.join("index.html"))
            .precompressed_br()
            .precompressed_gzip()
    };
    ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(TopicsPageOrNotFound {
            list: PageOrNotFound { page: page(dir) },
            send: PageOrNotFound {
                page: page(&dir.join("send")),
            },
        })
}

/// The topics app's page for a client route: the forms' bundle for `/<id>/result` and `/submit` (paths
/// as seen under `/topics`), the list's for every other.
#[derive(Clone)]
struct TopicsPageOrNotFound {
    list: PageOrNotFound,
    send: PageOrNotFound,
}

impl<B: Send + 'static> Service<Request<B>> for TopicsPageOrNotFound {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        if is_topics_send_page(request.uri().path()) {
            self.send.call(request)
        } else {
            self.list.call(request)
        }
    }
}

/// `/submit` and `/<id>/result` (under `/topics`), with or without a trailing slash.
fn is_topics_send_page(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    path == "/submit"
        || path.strip_suffix("/result").is_some_and(|topic| {
            topic
                .strip_prefix('/')
                .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// Whether the last segment of `path` has a file extension (`app.css`, `x_bg.wasm`), as the members' and
/// the staff's client-side routes never do: their last segments are words, ids and tracking codes.
fn names_a_file(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    last.rsplit_once('.').is_some_and(|(stem, extension)| {
        !stem.is_empty()
            && (1..=16).contains(&extension.len())
            && extension.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() {
        let policy = if immutable { IMMUTABLE } else { REVALIDATE };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Trunk names built assets `name-<hash>.ext` (e.g. `jianyan-3f2a…_bg.wasm`), the hash a u64 in hex
/// without leading zeros, so usually 16 digits and now and then fewer. Below 12 digits (odds of one in
/// 2^16) a name is taken as not hashed, so `icon-192.png` is never cached for a year.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::{is_hashed_asset, is_topics_send_page, names_a_file};

    #[test]
    fn the_topics_forms_with_attachments_get_their_own_page_and_the_rest_the_list_s() {
        let cases = [
            ("/submit", true),
            ("/submit/", true),
            ("/12/result", true),
            ("/12/result/", true),
            ("/", false),
            ("/12", false),
            ("/propose", false),
            ("/x/result", false),
            ("/result", false),
            ("/12/result/more", false),
        ];
        for (path, expected) in cases {
            assert_eq!(is_topics_send_page(path), expected, "{path}");
        }
    }

    #[test]
    fn a_last_segment_with_an_extension_names_a_file_and_a_client_route_does_not() {
        let cases = [
            ("/jianyan-abc123_bg.wasm", true),
            ("/style-0123abcd.css", true),
            ("/staff/jianyan-staff-0123456789abcdef.js", true),
            ("/manifest.webmanifest", true),
            ("/", false),
            ("/staff/", false),
            ("/track/JY-2026-000001", false),
            ("/track/ABC", false),
            ("/.hidden", false),
            ("/v1.2/", false),
            ("/ends-with-a-dot.", false),
        ];
        for (path, expected) in cases {
            assert_eq!(names_a_file(path), expected, "{path}");
        }
    }

    #[test]
    fn only_content_hashed_file_names_count_as_immutable() {
        let cases = [
            ("/jianyan-0123456789abcdef_bg.wasm", true),
            ("/jianyan-0123456789abcdef.js", true),
            ("/jianyan-123456789abcdef.js", true),
            ("/style-fedcba9876543210.css", true),
            ("/", false),
            ("/index.html", false),
            ("/sw.js", false),
            ("/track/JY-2026-000001", false),
            ("/icon-192.png", false),
        ];
        for (path, expected) in cases {
            assert_eq!(is_hashed_asset(path), expected, "{path}");
        }
    }
}
