//! The frontend's files: a missing file is a 404 (never the page under a year-long cache), client routes
//! still get the page, and files that are compressed already are sent as they are.

use reqwest::{header, Response, StatusCode};
use tempfile::TempDir;

use crate::helpers::{spawn_app_with_frontend, TestApp};

/// Bytes that do not shrink, standing in for a font, an archive or a picture.
fn incompressible(len: usize) -> Vec<u8> {
    // A xorshift stream: no repeats a compressor could use.
    let mut state: u32 = 0x9e37_79b9;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// dist/ in miniature: both apps' pages, a hashed script each, and files of several kinds.
fn dist() -> TempDir {
    let dist = tempfile::tempdir().expect("a temporary folder for the frontend");
    let staff = dist.path().join("staff");
    std::fs::create_dir(&staff).expect("dist/staff is made");
    let page =
        |title: &str| format!("<!DOCTYPE html><html><head><title>{title}</title></head></html>");
    let css = "body { margin: 0; padding: 0; font-family: sans-serif; }\n".repeat(200);
    let files: [(std::path::PathBuf, Vec<u8>); 7] = [
        (dist.path().join("index.html"), page("成员").into_bytes()),
        (staff.join("index.html"), page("工作台").into_bytes()),
        (
            dist.path().join("jianyan-0123456789abcdef.js"),
            b"export default 1;".to_vec(),
        ),
        (
            dist.path().join("style-0123456789abcdef.css"),
            css.into_bytes(),
        ),
        (dist.path().join("font.woff2"), incompressible(4096)),
        (dist.path().join("icon-192.png"), incompressible(4096)),
        (dist.path().join("forms.zip"), incompressible(4096)),
    ];
    for (path, bytes) in files {
        std::fs::write(&path, bytes).expect("a frontend file is written");
    }
    dist
}

fn header_text(response: &Response, name: header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

async fn get_accepting_compression(app: &TestApp, path: &str) -> Response {
    app.client
        .get(app.url(path))
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .expect("the server answers GET")
}

#[tokio::test]
async fn a_missing_file_is_404_and_never_the_page_with_a_year_long_cache() {
    // Arrange
    let dist = dist();
    let app = spawn_app_with_frontend(dist.path()).await;
    let missing = [
        "/jianyan-abc123_bg.wasm",
        "/jianyan-fedcba9876543210_bg.wasm",
        "/style-0123abcd.css",
        "/style-fedcba9876543210.css",
        "/icon-512.png",
        "/staff/jianyan-staff-0123456789abcdef.js",
        "/staff/missing.css",
    ];

    for path in missing {
        // Act
        let response = app.get(path).await;

        // Assert
        let status = response.status();
        let cache = header_text(&response, header::CACHE_CONTROL).unwrap_or_default();
        let text = response.text().await.unwrap_or_default();
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {cache:?} {text}");
        assert!(!cache.contains("immutable"), "{path}: {cache}");
        assert!(!text.contains("<title>"), "{path} is not a page: {text}");
    }
}

#[tokio::test]
async fn paths_without_an_extension_still_get_their_app_s_page() {
    // Arrange
    let dist = dist();
    let app = spawn_app_with_frontend(dist.path()).await;
    let cases = [
        ("/", "成员"),
        ("/track/ABC", "成员"),
        ("/track/JY-2026-000001", "成员"),
        ("/staff/", "工作台"),
        ("/staff/submissions/JY-2026-000001", "工作台"),
    ];

    for (path, title) in cases {
        // Act
        let response = app.get(path).await;

        // Assert
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let text = response.text().await.expect("a page");
        assert!(
            text.contains(&format!("<title>{title}</title>")),
            "{path}: {text}"
        );
    }
}

#[tokio::test]
async fn files_that_are_compressed_already_are_sent_as_they_are_while_text_is_compressed() {
    // Arrange
    let dist = dist();
    let app = spawn_app_with_frontend(dist.path()).await;
    let cases = [
        ("/font.woff2", None),
        ("/forms.zip", None),
        ("/icon-192.png", None),
        ("/style-0123456789abcdef.css", Some("br")),
    ];

    for (path, expected) in cases {
        // Act
        let response = get_accepting_compression(&app, path).await;

        // Assert
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header_text(&response, header::CONTENT_ENCODING).as_deref(),
            expected,
            "{path}"
        );
    }
}
