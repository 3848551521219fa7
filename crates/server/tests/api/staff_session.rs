//! Staff login: a token for the right password, one answer for every wrong one, logout, and the
//! token working only as long as the session does.

use api::{Role, StaffSession, StaffView};
use reqwest::{header, Method, StatusCode};
use serde_json::json;

use crate::helpers::{assert_error, connect, spawn_app};

const PASSWORD: &str = "correct-horse-9";

#[tokio::test]
async fn the_right_password_gives_a_token_that_says_who_is_logged_in() {
    // Arrange
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;

    // Act: the login is typed with other capitals and surrounding spaces.
    let response = app.log_in(" ZhangSan ", PASSWORD).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let cache = response.headers().get(header::CACHE_CONTROL).cloned();
    assert_eq!(
        cache.as_ref().and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let session: StaffSession = response.json().await.expect("a StaffSession");
    assert_eq!(
        session.staff,
        StaffView {
            login: "zhangsan".into(),
            name: "张三".into(),
            role: Role::Reviewer,
        }
    );
    assert!(
        session.token.len() >= 43,
        "256 random bits: {}",
        session.token
    );
    assert!(
        session.expires_at.ends_with("+08:00"),
        "{}",
        session.expires_at
    );
    let me = app
        .send_with_token(Method::GET, "/api/staff/session", &session.token)
        .await;
    assert_eq!(me.status(), StatusCode::OK);
    let me: StaffView = me.json().await.expect("a StaffView");
    assert_eq!(me.name, "张三");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_login_get_the_same_answer() {
    // Arrange
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;

    // Act
    let wrong_password = app.log_in("zhangsan", "correct-horse-8").await;
    let unknown_login = app.log_in("lisi", PASSWORD).await;

    // Assert
    let wrong_password =
        assert_error(wrong_password, StatusCode::UNAUTHORIZED, "wrong password").await;
    let unknown_login =
        assert_error(unknown_login, StatusCode::UNAUTHORIZED, "unknown login").await;
    assert_eq!(
        wrong_password, unknown_login,
        "nothing tells which logins exist"
    );
    assert!(wrong_password["message"]
        .as_str()
        .unwrap_or_default()
        .contains("账号或密码不正确"));
    assert_eq!(
        app.count_rows("staff_sessions").await,
        0,
        "no session for a failed login"
    );
}

#[tokio::test]
async fn empty_or_oversized_fields_are_named_in_the_answer() {
    let app = spawn_app().await;
    let long_password = "x".repeat(257);
    let long_login = "a".repeat(65);
    let cases = [
        (
            json!({ "login": "", "password": "" }),
            &["login", "password"][..],
            "both empty",
        ),
        (
            json!({ "login": "   ", "password": PASSWORD }),
            &["login"][..],
            "login only spaces",
        ),
        (
            json!({ "login": "zhangsan", "password": long_password }),
            &["password"][..],
            "password too long",
        ),
        (
            json!({ "login": long_login, "password": PASSWORD }),
            &["login"][..],
            "login too long",
        ),
    ];
    for (body, fields, why) in cases {
        let response = app
            .client
            .post(app.url("/api/staff/session"))
            .json(&body)
            .send()
            .await
            .expect("the server answers");
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, why).await;
        let named: Vec<&str> = body["fields"]
            .as_object()
            .map(|fields| fields.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(named, fields, "{why}");
    }
}

#[tokio::test]
async fn without_a_valid_token_staff_endpoints_answer_401() {
    // Arrange
    let app = spawn_app().await;

    // Act & Assert
    let none = app.get("/api/staff/session").await;
    assert_error(none, StatusCode::UNAUTHORIZED, "no token").await;
    let made_up = app
        .send_with_token(Method::GET, "/api/staff/session", "not-a-real-token")
        .await;
    assert_error(made_up, StatusCode::UNAUTHORIZED, "a made-up token").await;
    let export = app.get("/api/staff/submissions/export").await;
    assert_error(export, StatusCode::UNAUTHORIZED, "export without a token").await;
}

#[tokio::test]
async fn after_logging_out_the_token_no_longer_works() {
    // Arrange
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;
    let token = app.staff_token("zhangsan", PASSWORD).await;
    let other_device = app.staff_token("zhangsan", PASSWORD).await;

    // Act
    let out = app
        .send_with_token(Method::DELETE, "/api/staff/session", &token)
        .await;

    // Assert
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let after = app
        .send_with_token(Method::GET, "/api/staff/session", &token)
        .await;
    assert_error(after, StatusCode::UNAUTHORIZED, "the token after logout").await;
    let other = app
        .send_with_token(Method::GET, "/api/staff/session", &other_device)
        .await;
    assert_eq!(
        other.status(),
        StatusCode::OK,
        "another session of the same account goes on"
    );
}

#[tokio::test]
async fn an_expired_session_is_refused() {
    // Arrange: a session whose end has passed (the clock cannot be moved, so the row is aged).
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;
    let token = app.staff_token("zhangsan", PASSWORD).await;
    let pool = jianyan_server::store::open(&app.db_path)
        .await
        .expect("the database opens");
    sqlx::query("UPDATE staff_sessions SET expires_at = '2000-01-01T00:00:00+08:00'")
        .execute(&pool)
        .await
        .expect("the session can be aged");
    pool.close().await;

    // Act
    let response = app
        .send_with_token(Method::GET, "/api/staff/session", &token)
        .await;

    // Assert
    let body = assert_error(response, StatusCode::UNAUTHORIZED, "an expired token").await;
    assert!(body["message"]
        .as_str()
        .unwrap_or_default()
        .contains("重新登录"));
}

#[tokio::test]
async fn a_new_password_ends_every_session_and_only_the_new_one_logs_in() {
    // Arrange
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;
    let token = app.staff_token("zhangsan", PASSWORD).await;
    let pool = jianyan_server::store::open(&app.db_path)
        .await
        .expect("the database opens");

    // Act
    let changed =
        jianyan_server::auth::accounts::set_password(&pool, "zhangsan", "another-horse-10").await;
    pool.close().await;

    // Assert
    assert!(changed.is_ok(), "{changed:?}");
    let old_token = app
        .send_with_token(Method::GET, "/api/staff/session", &token)
        .await;
    assert_error(old_token, StatusCode::UNAUTHORIZED, "a token from before").await;
    let old_password = app.log_in("zhangsan", PASSWORD).await;
    assert_error(old_password, StatusCode::UNAUTHORIZED, "the old password").await;
    assert_eq!(
        app.log_in("zhangsan", "another-horse-10").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_database_keeps_a_hash_of_the_password_and_of_the_token_never_the_text() {
    // Arrange
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;

    // Act
    let token = app.staff_token("zhangsan", PASSWORD).await;

    // Assert
    let mut db = connect(&app.db_path).await;
    let password_hash: String = sqlx::query_scalar("SELECT password_hash FROM staff")
        .fetch_one(&mut db)
        .await
        .expect("one account");
    assert!(password_hash.starts_with("$argon2id$"), "{password_hash}");
    assert!(!password_hash.contains(PASSWORD));
    let token_hash: String = sqlx::query_scalar("SELECT token_hash FROM staff_sessions")
        .fetch_one(&mut db)
        .await
        .expect("one session");
    assert_eq!(token_hash.len(), 64, "SHA-256 in hex");
    assert!(!token_hash.contains(&token));
}
