//! Staff login: a session cookie for the right password, one answer for every wrong one, logout, and
//! the cookie working only as long as the session does: 12 hours at most, 2 hours unused.

use api::{Role, StaffSession, StaffView};
use jianyan_server::{client_addr::parse_trusted_proxy, client_addr::TrustedProxies, Options};
use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, connect, execute_sql, session_cookie, set_cookie, spawn_app, spawn_app_with,
    Setup,
};

const PASSWORD: &str = "correct-horse-9";

#[tokio::test]
async fn the_right_password_sets_a_session_cookie_that_says_who_is_logged_in() {
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
    let cookie = session_cookie(&response).expect("a session cookie");
    let body: Value = response.json().await.expect("a JSON body");
    assert!(
        body.get("token").is_none() && !body.to_string().contains(&cookie[14..]),
        "the body does not carry the token: {body}"
    );
    let session: StaffSession = serde_json::from_value(body).expect("a StaffSession");
    assert_eq!(
        session.staff,
        StaffView {
            login: "zhangsan".into(),
            name: "张三".into(),
            role: Role::Reviewer,
        }
    );
    assert!(
        cookie.len() >= "jianyan_staff=".len() + 43,
        "256 random bits: {cookie}"
    );
    assert!(
        session.expires_at.ends_with("+08:00"),
        "{}",
        session.expires_at
    );
    let me = app
        .send_with_cookie(Method::GET, "/api/staff/session", &cookie)
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
async fn a_made_up_cookie_or_a_bearer_token_is_not_a_session() {
    // Arrange: a real session, to show that even its token is refused as a bearer token.
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;
    let cookie = app.staff_cookie("zhangsan", PASSWORD).await;
    let token = cookie.trim_start_matches("jianyan_staff=");

    // Act
    let made_up = app
        .send_with_cookie(
            Method::GET,
            "/api/staff/session",
            "jianyan_staff=not-a-real-token",
        )
        .await;
    let bearer = app
        .client
        .get(app.url("/api/staff/session"))
        .bearer_auth(token)
        .send()
        .await
        .expect("the server answers");

    // Assert
    assert_error(made_up, StatusCode::UNAUTHORIZED, "a made-up cookie").await;
    assert_error(bearer, StatusCode::UNAUTHORIZED, "a bearer token").await;
}

#[tokio::test]
async fn logging_out_ends_the_session_and_tells_the_browser_to_forget_the_cookie() {
    // Arrange
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;
    let cookie = app.staff_cookie("zhangsan", PASSWORD).await;
    let other_device = app.staff_cookie("zhangsan", PASSWORD).await;

    // Act
    let out = app
        .send_with_cookie(Method::DELETE, "/api/staff/session", &cookie)
        .await;

    // Assert
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let cleared = set_cookie(&out).unwrap_or_default();
    assert!(
        cleared.starts_with("jianyan_staff=;")
            && cleared.contains("Max-Age=0")
            && cleared.contains("Path=/api/staff"),
        "{cleared}"
    );
    let after = app
        .send_with_cookie(Method::GET, "/api/staff/session", &cookie)
        .await;
    assert_error(after, StatusCode::UNAUTHORIZED, "the cookie after logout").await;
    let other = app
        .send_with_cookie(Method::GET, "/api/staff/session", &other_device)
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
    let cookie = app.staff_cookie("zhangsan", PASSWORD).await;
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
        .send_with_cookie(Method::GET, "/api/staff/session", &cookie)
        .await;

    // Assert
    let body = assert_error(response, StatusCode::UNAUTHORIZED, "an expired session").await;
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
    let cookie = app.staff_cookie("zhangsan", PASSWORD).await;
    let pool = jianyan_server::store::open(&app.db_path)
        .await
        .expect("the database opens");

    // Act
    let changed =
        jianyan_server::auth::accounts::set_password(&pool, "zhangsan", "another-horse-10").await;
    pool.close().await;

    // Assert
    assert!(changed.is_ok(), "{changed:?}");
    let old_session = app
        .send_with_cookie(Method::GET, "/api/staff/session", &cookie)
        .await;
    assert_error(
        old_session,
        StatusCode::UNAUTHORIZED,
        "a session from before",
    )
    .await;
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
    let cookie = app.staff_cookie("zhangsan", PASSWORD).await;
    let token = cookie.trim_start_matches("jianyan_staff=");

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
    assert!(!token_hash.contains(token));
}

#[tokio::test]
async fn the_session_cookie_is_http_only_strict_and_for_the_staff_api_alone() {
    // Arrange
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;

    // Act
    let response = app.log_in("zhangsan", PASSWORD).await;

    // Assert
    let cookie = set_cookie(&response).expect("a Set-Cookie for jianyan_staff");
    let attributes: Vec<&str> = cookie.split(';').skip(1).map(str::trim).collect();
    assert_eq!(
        attributes,
        [
            "HttpOnly",
            "SameSite=Strict",
            "Path=/api/staff",
            "Max-Age=43200"
        ],
        "no Secure over plain http without --cookie-secure: {cookie}"
    );
}

#[tokio::test]
async fn the_cookie_is_secure_over_https_through_a_trusted_proxy_or_with_cookie_secure() {
    // Arrange: three servers: behind a trusted proxy, behind an untrusted one, and with the flag.
    let trusting = |networks: &[&str]| {
        TrustedProxies::new(
            networks
                .iter()
                .map(|text| parse_trusted_proxy(text).expect("a test network"))
                .collect(),
        )
    };
    let behind_proxy = spawn_app_with(Setup {
        options: Options {
            trusted_proxies: trusting(&["127.0.0.1"]),
            ..Options::default()
        },
        connect_info: true,
    })
    .await;
    let untrusted = spawn_app_with(Setup {
        options: Options {
            trusted_proxies: trusting(&["10.0.0.0/8"]),
            ..Options::default()
        },
        connect_info: true,
    })
    .await;
    let flagged = spawn_app_with(Setup {
        options: Options {
            cookie_secure: true,
            ..Options::default()
        },
        connect_info: true,
    })
    .await;
    let cases = [
        (&behind_proxy, true, true, "https through a trusted proxy"),
        (&behind_proxy, false, false, "http through a trusted proxy"),
        (
            &untrusted,
            true,
            false,
            "an untrusted peer's X-Forwarded-Proto",
        ),
        (&flagged, false, true, "--cookie-secure"),
    ];
    for app in [&behind_proxy, &untrusted, &flagged] {
        app.add_staff("zhangsan", "张三", PASSWORD).await;
    }
    for (app, https, secure, why) in cases {
        let mut request = app
            .client
            .post(app.url("/api/staff/session"))
            .json(&json!({ "login": "zhangsan", "password": PASSWORD }));
        if https {
            request = request.header("X-Forwarded-Proto", "https");
        }

        // Act
        let response = request.send().await.expect("the server answers");

        // Assert
        assert_eq!(response.status(), StatusCode::OK, "{why}");
        let cookie = set_cookie(&response).unwrap_or_default();
        assert_eq!(cookie.ends_with("; Secure"), secure, "{why}: {cookie}");
    }
}

#[tokio::test]
async fn a_session_unused_for_two_hours_ends_and_one_used_keeps_going() {
    // Arrange: two sessions, one last used 2 h 1 min ago, the other 1 h 59 min ago (the rows are aged,
    // as the server's clock cannot be moved).
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;
    let idle = app.staff_cookie("zhangsan", PASSWORD).await;
    let recent = app.staff_cookie("zhangsan", PASSWORD).await;
    let age = |cookie: &str, minutes: i64| {
        let hash = jianyan_server::secret::sha256_hex(
            cookie.trim_start_matches("jianyan_staff=").as_bytes(),
        );
        let at = jianyan_server::clock::rfc3339(
            jianyan_server::clock::now() - time::Duration::minutes(minutes),
        );
        format!("UPDATE staff_sessions SET last_used_at = '{at}' WHERE token_hash = '{hash}';")
    };
    execute_sql(&app.db_path, &(age(&idle, 121) + &age(&recent, 119))).await;

    // Act
    let idle_answer = app
        .send_with_cookie(Method::GET, "/api/staff/session", &idle)
        .await;
    let recent_answer = app
        .send_with_cookie(Method::GET, "/api/staff/session", &recent)
        .await;

    // Assert
    let body = assert_error(idle_answer, StatusCode::UNAUTHORIZED, "two hours unused").await;
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("重新登录"),
        "{body}"
    );
    assert_eq!(recent_answer.status(), StatusCode::OK, "still in use");
    let mut db = connect(&app.db_path).await;
    let newest_use: String = sqlx::query_scalar("SELECT MAX(last_used_at) FROM staff_sessions")
        .fetch_one(&mut db)
        .await
        .expect("the sessions can be read");
    let a_minute_ago =
        jianyan_server::clock::rfc3339(jianyan_server::clock::now() - time::Duration::minutes(1));
    assert!(
        newest_use > a_minute_ago,
        "the use was noted, so the session slides on: {newest_use}"
    );
}
