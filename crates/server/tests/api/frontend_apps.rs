//! The two frontends: the members' app at `/`, the staff's own bundle under `/staff/`, each with its
//! client routes, and one CSP that lets both apps' inline loaders run.

use base64::{engine::general_purpose::STANDARD, Engine};
use reqwest::{header, StatusCode};
use sha2::{Digest, Sha256};
use tempfile::TempDir;

use crate::helpers::spawn_app_with_frontend;

const MEMBERS_SCRIPT: &str = "import('/jianyan-0123456789abcdef.js');";
const STAFF_SCRIPT: &str = "import('/staff/jianyan-staff-fedcba9876543210.js');";

/// dist/ as `make frontend` leaves it, in miniature.
fn dist() -> TempDir {
    let dist = tempfile::tempdir().expect("a temporary folder for the frontend");
    let page = |title: &str, script: &str| {
        format!("<!DOCTYPE html><html><head><title>{title}</title><script type=\"module\">{script}</script></head></html>")
    };
    let staff = dist.path().join("staff");
    std::fs::create_dir(&staff).expect("dist/staff is made");
    let files = [
        (dist.path().join("index.html"), page("成员", MEMBERS_SCRIPT)),
        (staff.join("index.html"), page("工作台", STAFF_SCRIPT)),
        (
            staff.join("jianyan-staff-fedcba9876543210.js"),
            "export default 1;".into(),
        ),
    ];
    for (path, text) in files {
        std::fs::write(&path, text).expect("a frontend file is written");
    }
    dist
}

fn csp_hash(script: &str) -> String {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(script.as_bytes()))
    )
}

#[tokio::test]
async fn staff_paths_get_the_staff_app_and_every_other_page_the_members_app() {
    // Arrange
    let dist = dist();
    let app = spawn_app_with_frontend(dist.path()).await;

    // Act & Assert
    let cases = [
        ("/", "成员"),
        ("/track/JY-2026-000001", "成员"),
        ("/staffing", "成员"),
        ("/staff", "工作台"),
        ("/staff/", "工作台"),
        ("/staff/some/client/route", "工作台"),
    ];
    for (path, title) in cases {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let text = response.text().await.expect("a page");
        assert!(
            text.contains(&format!("<title>{title}</title>")),
            "{path}: {text}"
        );
    }
}

#[tokio::test]
async fn the_staff_bundle_is_served_with_a_year_long_cache_and_both_loaders_are_allowed() {
    // Arrange
    let dist = dist();
    let app = spawn_app_with_frontend(dist.path()).await;

    // Act
    let script = app.get("/staff/jianyan-staff-fedcba9876543210.js").await;
    let page = app.get("/staff/").await;

    // Assert
    assert_eq!(script.status(), StatusCode::OK);
    let cache = script.headers().get(header::CACHE_CONTROL).cloned();
    assert_eq!(
        cache.as_ref().and_then(|v| v.to_str().ok()),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(
        script.text().await.expect("the script"),
        "export default 1;"
    );
    let policy = page
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    for script in [MEMBERS_SCRIPT, STAFF_SCRIPT] {
        assert!(policy.contains(&csp_hash(script)), "{script}: {policy}");
    }
    assert!(!policy.contains("'unsafe-inline'"), "{policy}");
}

const TOPICS_SCRIPT: &str = "import('/topics/jianyan-topics-0123456789abcdef.js');";
const TOPICS_SEND_SCRIPT: &str = "import('/topics/send/jianyan-topics-send-0123456789abcdef.js');";

#[tokio::test]
async fn topics_paths_get_the_topics_apps_with_their_loaders_allowed_and_other_pages_keep_theirs() {
    // Arrange: dist/ with the members' app and the topics apps (dist/topics/ and dist/topics/send/, as
    // `make frontend` builds them).
    let dist = dist();
    let topics = dist.path().join("topics");
    std::fs::create_dir_all(topics.join("send")).expect("dist/topics/send is made");
    let page = |title: &str, script: &str| {
        format!("<!DOCTYPE html><html><head><title>{title}</title><script type=\"module\">{script}</script></head></html>")
    };
    std::fs::write(topics.join("index.html"), page("课题", TOPICS_SCRIPT))
        .expect("the topics page is written");
    std::fs::write(
        topics.join("send").join("index.html"),
        page("提交", TOPICS_SEND_SCRIPT),
    )
    .expect("the forms' page is written");
    std::fs::write(
        topics.join("jianyan-topics-0123456789abcdef.js"),
        "export default 2;",
    )
    .expect("the topics script is written");
    let app = spawn_app_with_frontend(dist.path()).await;

    // Act & Assert: every client route of the topics app gets its page; nearby paths do not.
    let cases = [
        ("/topics", "课题"),
        ("/topics/", "课题"),
        ("/topics/12", "课题"),
        ("/topics/propose", "课题"),
        ("/topics/12/result", "提交"),
        ("/topics/submit", "提交"),
        ("/topics/send/", "提交"),
        ("/topicsx", "成员"),
        ("/submit", "成员"),
    ];
    for (path, title) in cases {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let text = response.text().await.expect("a page");
        assert!(
            text.contains(&format!("<title>{title}</title>")),
            "{path}: {text}"
        );
    }
    let script = app.get("/topics/jianyan-topics-0123456789abcdef.js").await;
    assert_eq!(script.status(), StatusCode::OK);
    assert_eq!(
        script
            .headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("public, max-age=31536000, immutable")
    );
    let missing = app.get("/topics/jianyan-topics-ffffffffffffffff.js").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let policy = app
        .get("/topics/")
        .await
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    for script in [TOPICS_SCRIPT, TOPICS_SEND_SCRIPT] {
        assert!(policy.contains(&csp_hash(script)), "{script}: {policy}");
    }
}
