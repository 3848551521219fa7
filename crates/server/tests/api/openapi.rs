//! `GET /api/openapi.json`: a valid OpenAPI 3 document that lists every endpoint and every error it can give.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{content_type, spawn_app, valid_submission, TestApp};

const ERROR_BODY: &str = "#/components/schemas/ErrorBody";
const CHANGE_CONFLICT: &str = "#/components/schemas/ChangeConflict";

async fn document(app: &TestApp) -> Value {
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = content_type(&response);
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let text = response.text().await.expect("the document can be read");
    // The typed model refuses what is not an OpenAPI document; the untyped value is easier to query.
    serde_json::from_str::<utoipa::openapi::OpenApi>(&text).expect("an OpenAPI document");
    serde_json::from_str(&text).expect("JSON")
}

/// `(method, path)` of every operation in the document.
fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let paths = doc["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            let methods = item.as_object().expect("a path item").keys();
            methods.map(move |method| (method.clone(), path.clone()))
        })
        .collect()
}

#[tokio::test]
async fn the_document_is_openapi_3_and_lists_every_endpoint() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let doc = document(&app).await;

    // Assert
    let version = doc["openapi"].as_str().unwrap_or_default();
    assert!(version.starts_with("3."), "OpenAPI 3: {version}");
    let expected: BTreeSet<(String, String)> = [
        ("get", "/api/health"),
        ("get", "/api/units"),
        ("post", "/api/submissions"),
        ("get", "/api/submissions/{code}"),
        ("put", "/api/submissions/{code}"),
        ("post", "/api/submissions/{code}/rating"),
        ("post", "/api/staff/session"),
        ("get", "/api/staff/session"),
        ("delete", "/api/staff/session"),
        ("get", "/api/staff/submissions/export"),
        ("get", "/api/staff/submissions"),
        ("get", "/api/staff/submissions/{code}"),
        ("get", "/api/staff/handlers"),
        ("post", "/api/staff/submissions/{code}/actions"),
        ("post", "/api/staff/submissions/actions"),
        ("post", "/api/staff/submissions/{code}/notes"),
        ("put", "/api/staff/submissions/{code}/outcome"),
        ("put", "/api/staff/submissions/{code}/flags"),
        ("post", "/api/staff/submissions/{code}/adoptions"),
        ("post", "/api/staff/submissions/{code}/instructions"),
        ("get", "/api/staff/submissions/export.csv"),
        ("get", "/api/staff/submissions/export.xlsx"),
        ("get", "/api/staff/audit"),
        ("post", "/api/staff/attachments"),
        ("get", "/api/staff/attachments/{id}"),
        ("get", "/api/staff/units"),
        ("post", "/api/staff/units"),
        ("put", "/api/staff/units/{id}"),
        ("put", "/api/staff/units/order"),
        ("put", "/api/staff/units/{id}/retired"),
        ("get", "/api/staff/members"),
        ("get", "/api/staff/members/{id}"),
        ("put", "/api/staff/members/{id}"),
        ("put", "/api/staff/members/{id}/disabled"),
        ("post", "/api/staff/members/import"),
        ("get", "/api/staff/members/{id}/access"),
        ("post", "/api/staff/members/{id}/invitation"),
        ("post", "/api/staff/units/{id}/invitations"),
        ("delete", "/api/staff/members/{id}/devices/{device}"),
        ("get", "/api/staff/settings"),
        ("put", "/api/staff/settings"),
        ("get", "/api/member/config"),
        ("post", "/api/member/join/preview"),
        ("post", "/api/member/join"),
        ("get", "/api/member/me"),
        ("post", "/api/member/logout"),
        ("post", "/api/member/device-link"),
        ("get", "/api/member/submissions"),
        ("get", "/api/member/submissions/{code}"),
        ("post", "/api/member/submissions/claim"),
        ("get", "/api/member/roster"),
        ("post", "/api/member/cosign-drafts"),
        ("get", "/api/member/cosign-drafts"),
        ("post", "/api/member/cosign-drafts/{id}/send"),
        ("get", "/api/member/cosign-requests"),
        ("post", "/api/member/cosign-requests/{id}"),
        ("get", "/api/uploads/limits"),
        ("post", "/api/uploads"),
        ("get", "/api/uploads/{id}"),
        ("patch", "/api/uploads/{id}"),
        ("delete", "/api/uploads/{id}"),
        ("post", "/api/staff/uploads"),
        ("get", "/api/staff/uploads/{id}"),
        ("patch", "/api/staff/uploads/{id}"),
        ("delete", "/api/staff/uploads/{id}"),
        ("get", "/api/staff/topics"),
        ("post", "/api/staff/topics"),
        ("get", "/api/staff/topics/{id}"),
        ("put", "/api/staff/topics/{id}"),
        ("post", "/api/staff/topics/{id}/publish"),
        ("post", "/api/staff/topics/{id}/close"),
        ("post", "/api/staff/topics/{id}/withdraw"),
        ("get", "/api/staff/topics/{id}/versions"),
        ("get", "/api/staff/topics/{id}/board"),
        ("post", "/api/staff/topics/{id}/claims"),
        ("delete", "/api/staff/topics/{id}/claims/{unit}"),
        ("post", "/api/staff/topics/{id}/claims/{unit}/researching"),
        ("get", "/api/staff/proposals"),
        ("post", "/api/staff/proposals/{id}/decision"),
        ("post", "/api/staff/submissions/{code}/grade"),
        ("get", "/api/member/topics"),
        ("get", "/api/member/topics/{id}"),
        ("post", "/api/member/topics/{id}/claim"),
        ("delete", "/api/member/topics/{id}/claim"),
        ("post", "/api/member/topics/{id}/researching"),
        ("get", "/api/member/proposals"),
        ("post", "/api/member/proposals"),
        ("get", "/api/openapi.json"),
    ]
    .into_iter()
    .map(|(method, path)| (method.to_owned(), path.to_owned()))
    .collect();
    assert_eq!(operations(&doc), expected);
}

#[tokio::test]
async fn every_error_status_is_documented_and_every_error_is_an_error_body() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let doc = document(&app).await;

    // Assert
    let mut documented = BTreeSet::new();
    for (method, path) in operations(&doc) {
        let responses = doc["paths"][&path][&method]["responses"]
            .as_object()
            .expect("responses");
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                let schema = &response["content"]["application/json"]["schema"]["$ref"];
                // A staff change's 409 is an ErrorBody with the submission as it is now beside it.
                // An upload's 409 is a plain ErrorBody with the right offset in a header.
                // Topics' 409s (states of topics, claims, proposals, grades) are plain ErrorBodies.
                let topics = path.starts_with("/api/staff/topics")
                    || path.starts_with("/api/staff/proposals")
                    || path.ends_with("/grade");
                let conflict = status == "409"
                    && path.starts_with("/api/staff/")
                    && !topics
                    && !path.starts_with("/api/staff/uploads");
                let expected = if conflict {
                    CHANGE_CONFLICT
                } else {
                    ERROR_BODY
                };
                assert_eq!(schema, expected, "{method} {path} {status}");
                documented.insert(status.clone());
            }
        }
    }
    let all = [
        "400", "401", "403", "404", "405", "409", "413", "415", "422", "429", "500",
    ];
    assert_eq!(documented, all.into_iter().map(String::from).collect());
    let error_body = &doc["components"]["schemas"]["ErrorBody"];
    assert_eq!(error_body["required"], serde_json::json!(["message"]));
    assert!(error_body["properties"]["fields"].is_object());
    let conflict = &doc["components"]["schemas"]["ChangeConflict"];
    assert_eq!(
        conflict["required"],
        serde_json::json!(["message", "current"])
    );
}

#[tokio::test]
async fn the_submission_endpoints_document_their_header_auth_and_bodies() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let doc = document(&app).await;

    // Assert
    let create = &doc["paths"]["/api/submissions"]["post"];
    let key = &create["parameters"][0];
    assert_eq!(key["name"], "Idempotency-Key");
    assert_eq!(key["in"], "header");
    assert_eq!(key["required"], false);
    assert_eq!(
        create["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/CreateSubmission"
    );
    assert!(create["responses"]["429"]["headers"]["Retry-After"].is_object());
    let lookup = &doc["paths"]["/api/submissions/{code}"]["get"];
    assert_eq!(
        lookup["security"],
        serde_json::json!([{ "receipt_secret": [] }])
    );
    let scheme = &doc["components"]["securitySchemes"]["receipt_secret"];
    assert_eq!(
        (&scheme["type"], &scheme["scheme"]),
        (&"http".into(), &"bearer".into())
    );
}

#[tokio::test]
async fn each_documented_operation_is_served_and_answers_with_a_status_it_documents() {
    // Arrange
    let app = spawn_app().await;
    let doc = document(&app).await;

    for (method, path) in operations(&doc) {
        // Act
        let url = app.url(&path.replace("{code}", "JY-2026-000001"));
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
        let mut request = app.client.request(method.clone(), url);
        if method == Method::POST {
            request = request.json(&valid_submission());
        }
        let response = request.send().await.expect("the server answers");

        // Assert
        let status = response.status().as_str().to_owned();
        let documented = &doc["paths"][&path][method.as_str().to_lowercase()]["responses"];
        assert!(
            documented.get(&status).is_some(),
            "{method} {path} answered {status}, which the document does not list"
        );
    }
}

#[tokio::test]
async fn the_staff_endpoints_document_the_session_cookie_the_admin_role_and_the_login_limit() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let doc = document(&app).await;

    // Assert
    let login = &doc["paths"]["/api/staff/session"]["post"];
    assert_eq!(
        login["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/LoginRequest"
    );
    assert!(login["responses"]["429"]["headers"]["Retry-After"].is_object());
    assert!(login["responses"]["200"]["headers"]["Set-Cookie"].is_object());
    let staff_operations: Vec<(String, String)> = operations(&doc)
        .into_iter()
        .filter(|(method, path)| {
            path.starts_with("/api/staff/")
                && (method, path.as_str()) != (&"post".to_owned(), "/api/staff/session")
        })
        .collect();
    assert!(staff_operations.len() >= 4, "{staff_operations:?}");
    for (method, path) in &staff_operations {
        let operation = &doc["paths"][path][method];
        let roles = &operation["security"][0]["staff_session"];
        assert!(
            roles == &serde_json::json!([]) || roles == &serde_json::json!(["admin"]),
            "{method} {path}: {}",
            operation["security"]
        );
        // An attachment's download says 404 to anyone not logged in as staff.
        let download = path == "/api/staff/attachments/{id}";
        assert!(
            download || operation["responses"]["401"].is_object(),
            "{method} {path}"
        );
    }
    let audit = &doc["paths"]["/api/staff/audit"]["get"];
    assert_eq!(
        audit["security"],
        serde_json::json!([{ "staff_session": ["admin"] }])
    );
    assert!(audit["responses"]["403"].is_object());
    let export = &doc["paths"]["/api/staff/submissions/export"]["get"]["responses"]["200"];
    assert!(
        export["content"]["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
            .is_object()
    );
    let scheme = &doc["components"]["securitySchemes"]["staff_session"];
    assert_eq!(
        (&scheme["type"], &scheme["in"], &scheme["name"]),
        (&"apiKey".into(), &"cookie".into(), &"jianyan_staff".into())
    );
}
