//! Serving the built frontend: files from trunk's `dist/`, `index.html` for client-side routes,
//! precompressed `.br`/`.gz` siblings when present, and cache headers that fit each file.

use std::path::Path;

use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::{self, Next},
    response::Response,
    routing::get_service,
    Router,
};
use tower_http::services::{ServeDir, ServeFile};

/// Files whose names carry a content hash never change: a year in every cache.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else (index.html, the service worker, the manifest) is checked on each load.
const REVALIDATE: &str = "no-cache";

/// Where the staff's app is served; trunk builds it into `dist/staff/` (see `staff.html`).
pub const STAFF_PREFIX: &str = "/staff";

/// The frontend as a service for the router's fallback: the members' app at `/`, and the staff's app,
/// a bundle of its own so that phones never download it, under `/staff/`.
pub fn service(dist: &Path) -> Router {
    Router::new()
        .nest_service(STAFF_PREFIX, get_service(app_files(&dist.join("staff"))))
        .fallback_service(get_service(app_files(dist)))
        .layer(middleware::from_fn(cache_headers))
}

/// The files of one app, with its `index.html` for every path that names no file (client-side routes).
fn app_files(dir: &Path) -> ServeDir<ServeFile> {
    let index = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index)
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
    use super::is_hashed_asset;

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
