//! Who may call which staff endpoint, read from the OpenAPI document so that a new route cannot be left
//! out: nobody without a session (401), no reviewer where the document asks for the `admin` role (403),
//! and no state-changing request that another website started (403), login and logout included.

use api::Role;
use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, TestApp};

/// `(method, path, roles)` of every documented `/api/staff/*` operation; `roles` is what its
/// `staff_session` security requirement lists (`["admin"]` for administrators only).
async fn staff_operations(app: &TestApp) -> Vec<(Method, String, Vec<String>)> {
    let doc: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("the OpenAPI document");
    let paths = doc["paths"].as_object().expect("paths");
    let mut operations = Vec::new();
    for (path, item) in paths
        .iter()
        .filter(|(path, _)| path.starts_with("/api/staff"))
    {
        for (method, operation) in item.as_object().expect("a path item") {
            let roles = operation["security"][0]["staff_session"]
                .as_array()
                .map(|roles| {
                    roles
                        .iter()
                        .filter_map(|role| role.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
            operations.push((method, path.clone(), roles));
        }
    }
    operations
}

/// A concrete URL path for a documented one: every `{parameter}` filled with a value of its usual shape
/// (a tracking code for `{code}`, a number otherwise), so the request reaches the handler's checks.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |end| start + end + 1);
        let name = &rest[start + 1..end.saturating_sub(1)];
        out.push_str(if name == "code" {
            "JY-2026-000001"
        } else {
            "1"
        });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

#[tokio::test]
async fn every_staff_endpoint_refuses_the_unauthenticated_the_unauthorized_and_other_websites() {
    // Arrange
    let app = spawn_app().await;
    let operations = staff_operations(&app).await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let reviewer = app.logged_in_staff(Role::Reviewer).await;
    let is_login =
        |method: &Method, path: &str| *method == Method::POST && path == "/api/staff/session";
    let admin_only: Vec<_> = operations
        .iter()
        .filter(|(_, _, roles)| roles.iter().any(|role| role == "admin"))
        .collect();
    let state_changing: Vec<_> = operations
        .iter()
        .filter(|(method, _, _)| changes_state(method))
        .collect();
    // The table is only as good as the document: these must be in it.
    assert!(
        admin_only
            .iter()
            .any(|(method, path, _)| *method == Method::GET && path == "/api/staff/audit"),
        "the audit log is documented as admin-only: {operations:?}"
    );
    for (method, path) in [
        (Method::POST, "/api/staff/members/import"),
        (Method::PUT, "/api/staff/members/{id}"),
        (Method::PUT, "/api/staff/members/{id}/disabled"),
        (Method::POST, "/api/staff/units"),
        (Method::PUT, "/api/staff/units/{id}"),
        (Method::PUT, "/api/staff/units/order"),
        (Method::PUT, "/api/staff/units/{id}/retired"),
    ] {
        assert!(
            admin_only.iter().any(|(m, p, _)| *m == method && p == path),
            "the roster's {method} {path} is documented as admin-only: {operations:?}"
        );
    }
    assert!(
        state_changing
            .iter()
            .any(|(method, path, _)| is_login(method, path))
            && state_changing
                .iter()
                .any(|(method, path, _)| *method == Method::DELETE && path == "/api/staff/session"),
        "login and logout are in the table: {operations:?}"
    );

    // An attachment's download answers 404 to anyone not logged in as staff (issue 11: a member or a
    // stranger learns nothing); `attachments::without_a_session_…` checks it.
    let is_download = |method: &Method, path: &str| {
        *method == Method::GET && path == "/api/staff/attachments/{id}"
    };
    for (method, path, _) in operations
        .iter()
        .filter(|(method, path, _)| !is_login(method, path) && !is_download(method, path))
    {
        // Act
        let mut request = app.client.request(method.clone(), app.url(&concrete(path)));
        if changes_state(method) {
            request = request.json(&json!({}));
        }
        let response = request.send().await.expect("the server answers");

        // Assert
        assert_error(
            response,
            StatusCode::UNAUTHORIZED,
            &format!("{method} {path} without a session"),
        )
        .await;
    }

    for (method, path, _) in &admin_only {
        // Act
        let mut request = reviewer.request(method.clone(), &concrete(path));
        if changes_state(method) {
            request = request.json(&json!({}));
        }
        let response = request.send().await.expect("the server answers");

        // Assert
        let body = assert_error(
            response,
            StatusCode::FORBIDDEN,
            &format!("{method} {path} as a reviewer"),
        )
        .await;
        assert!(
            body["message"]
                .as_str()
                .unwrap_or_default()
                .contains("只有管理员"),
            "{method} {path}: {body}"
        );
    }

    let cross_site: [(&str, &str, &str); 3] = [
        (
            "Sec-Fetch-Site",
            "cross-site",
            "the browser says another site sent it",
        ),
        (
            header::ORIGIN.as_str(),
            "https://evil.example",
            "a foreign Origin",
        ),
        (header::ORIGIN.as_str(), "null", "an opaque Origin"),
    ];
    for (method, path, _) in &state_changing {
        for (name, value, why) in cross_site {
            // Act: with the admin's real session, as a forged form or fetch would carry it.
            let response = app
                .client
                .request(method.clone(), app.url(&concrete(path)))
                .header(header::COOKIE, &admin.cookie)
                .header(name, value)
                .json(&json!({ "login": admin.login, "password": crate::helpers::STAFF_PASSWORD }))
                .send()
                .await
                .expect("the server answers");

            // Assert
            let body = assert_error(
                response,
                StatusCode::FORBIDDEN,
                &format!("{method} {path}: {why}"),
            )
            .await;
            assert!(
                body["message"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("其他网站"),
                "{method} {path}: {body}"
            );
        }
    }
    // Nothing refused was done: the admin is still logged in (the logout was refused).
    assert_eq!(
        admin.get("/api/staff/session").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_request_from_the_site_itself_passes_the_cross_site_check() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;

    // Act: logout and login from the site's own page (Origin and Sec-Fetch-Site as a browser sends them).
    let out = admin.send(Method::DELETE, "/api/staff/session").await;
    let after_logout = admin.get("/api/staff/session").await.status();
    let login = admin
        .post_json(
            "/api/staff/session",
            &json!({ "login": admin.login, "password": crate::helpers::STAFF_PASSWORD }),
        )
        .await;

    // Assert
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(after_logout, StatusCode::UNAUTHORIZED);
    assert_eq!(login.status(), StatusCode::OK);
}
