//! The audit log: rows go in, come back newest first, can be neither changed nor removed, and record
//! logins (failed ones too, never a password), exports, logouts and account changes.

use api::{AuditPage, Role};
use jianyan_server::store::audit::{self, AuditEntry, Filter};
use reqwest::{Method, StatusCode};
use sqlx::{sqlite::SqliteConnectOptions, Connection, SqliteConnection};

use crate::helpers::{assert_error, field_names, spawn_app, StaffClient, STAFF_PASSWORD};

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_an_audit_row() {
    // Arrange: one row, written as the server writes it.
    let app = spawn_app().await;
    let pool = jianyan_server::store::open(&app.db_path)
        .await
        .expect("the database opens");
    let entry = AuditEntry {
        actor: "console",
        action: audit::action::ACCOUNT_ADD,
        target: Some("zhangsan"),
        ..AuditEntry::default()
    };
    audit::record(&pool, &entry).await.expect("a row is added");
    pool.close().await;
    // An operator's own connection, as sqlite3 would open it.
    let options = SqliteConnectOptions::new().filename(&app.db_path);
    let mut db = SqliteConnection::connect_with(&options)
        .await
        .expect("the database opens for writing");

    // Act
    let update = sqlx::query("UPDATE audit_log SET actor = 'someone-else'")
        .execute(&mut db)
        .await;
    let delete = sqlx::query("DELETE FROM audit_log").execute(&mut db).await;

    // Assert
    let update = update.expect_err("an UPDATE is refused");
    assert!(update.to_string().contains("append-only"), "{update}");
    let delete = delete.expect_err("a DELETE is refused");
    assert!(delete.to_string().contains("append-only"), "{delete}");
    let actor: String = sqlx::query_scalar("SELECT actor FROM audit_log")
        .fetch_one(&mut db)
        .await
        .expect("the row is still there");
    assert_eq!(actor, "console");
    let _ = db.close().await;
}

#[tokio::test]
async fn audit_rows_come_back_newest_first_filtered_and_a_page_at_a_time() {
    // Arrange
    let app = spawn_app().await;
    let pool = jianyan_server::store::open(&app.db_path)
        .await
        .expect("the database opens");
    for (actor, action) in [
        ("zhangsan", audit::action::LOGIN),
        ("lisi", audit::action::LOGIN),
        ("zhangsan", audit::action::EXPORT),
        ("zhangsan", audit::action::LOGOUT),
    ] {
        let entry = AuditEntry {
            actor,
            action,
            client_addr: Some("192.0.2.7"),
            ..AuditEntry::default()
        };
        audit::record(&pool, &entry).await.expect("a row is added");
    }

    // Act
    let first_page = audit::list(
        &pool,
        &Filter {
            actor: Some("zhangsan"),
            limit: 2,
            ..Filter::default()
        },
    )
    .await
    .expect("a page");
    let second_page = audit::list(
        &pool,
        &Filter {
            actor: Some("zhangsan"),
            before_id: first_page.last().map(|row| row.id),
            limit: 2,
            ..Filter::default()
        },
    )
    .await
    .expect("a page");
    let logins = audit::list(
        &pool,
        &Filter {
            action: Some(audit::action::LOGIN),
            limit: 10,
            ..Filter::default()
        },
    )
    .await
    .expect("a page");
    pool.close().await;

    // Assert
    let actions = |rows: &[audit::AuditRow]| -> Vec<String> {
        rows.iter().map(|row| row.action.clone()).collect()
    };
    assert_eq!(
        actions(&first_page),
        [audit::action::LOGOUT, audit::action::EXPORT]
    );
    assert_eq!(actions(&second_page), [audit::action::LOGIN]);
    assert_eq!(second_page[0].actor, "zhangsan");
    assert_eq!(
        logins
            .iter()
            .map(|row| row.actor.as_str())
            .collect::<Vec<_>>(),
        ["lisi", "zhangsan"]
    );
    assert!(first_page[0].at.ends_with("+08:00"), "{}", first_page[0].at);
    assert_eq!(first_page[0].client_addr.as_deref(), Some("192.0.2.7"));
}

/// The audit page an admin reads at `query` (e.g. `?action=staff.login`).
async fn audit_page(admin: &StaffClient, query: &str) -> AuditPage {
    let response = admin.get(&format!("/api/staff/audit{query}")).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "GET /api/staff/audit{query}"
    );
    response.json().await.expect("an AuditPage")
}

#[tokio::test]
async fn logins_failed_logins_exports_and_logouts_are_audited_without_any_password() {
    // Arrange
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", "correct-horse-9").await;
    let admin = app.logged_in_staff(Role::Admin).await;

    // Act
    let wrong = app.log_in("zhangsan", "wrong-horse-123").await;
    let typo = app.log_in("correct-horse-9", "correct-horse-9").await;
    let cookie = app.staff_cookie("zhangsan", "correct-horse-9").await;
    let export = app
        .send_with_cookie(
            Method::GET,
            "/api/staff/submissions/export?year=2026",
            &cookie,
        )
        .await;
    let out = app
        .send_with_cookie(Method::DELETE, "/api/staff/session", &cookie)
        .await;

    // Assert
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(typo.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(export.status(), StatusCode::OK);
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let page = audit_page(&admin, "").await;
    let rows: Vec<(&str, &str, Option<&str>, Option<&str>)> = page
        .entries
        .iter()
        .map(|entry| {
            (
                entry.actor.as_str(),
                entry.action.as_str(),
                entry.target.as_deref(),
                entry.note.as_deref(),
            )
        })
        .collect();
    // `logged_in_staff` names account `admin<n>` 管理员<n>.
    let admin_name = format!("管理员{}", admin.login.trim_start_matches("admin"));
    assert_eq!(
        rows,
        [
            ("zhangsan", "staff.logout", None, None),
            (
                "zhangsan",
                "submissions.export",
                None,
                Some("year=2026; rows=0")
            ),
            ("zhangsan", "staff.login", None, None),
            (
                "(未知账号)",
                "staff.login_failed",
                None,
                Some("没有这个账号，或账号已停用")
            ),
            ("zhangsan", "staff.login_failed", None, Some("密码不正确")),
            (admin.login.as_str(), "staff.login", None, None),
            (
                "console",
                "staff.add",
                Some(admin.login.as_str()),
                Some(admin_name.as_str())
            ),
            ("console", "staff.add", Some("zhangsan"), Some("张三")),
        ]
    );
    assert!(page
        .entries
        .iter()
        .all(|entry| entry.at.ends_with("+08:00")));
    assert_eq!(page.next_before, None, "one page holds it all");
    let everything = serde_json::to_string(&page).expect("the page serializes");
    for password in ["wrong-horse-123", "correct-horse-9", STAFF_PASSWORD] {
        assert!(!everything.contains(password), "{password} is not kept");
    }
}

#[tokio::test]
async fn a_role_change_at_the_console_is_audited_from_and_to() {
    // Arrange
    let app = spawn_app().await;
    app.add_staff("zhangsan", "张三", "correct-horse-9").await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let pool = jianyan_server::store::open(&app.db_path)
        .await
        .expect("the database opens");

    // Act
    let changed = jianyan_server::auth::accounts::set_role(&pool, "zhangsan", Role::Admin).await;
    pool.close().await;

    // Assert
    assert!(matches!(changed, Ok(Role::Reviewer)), "{changed:?}");
    let page = audit_page(&admin, "?action=staff.set_role").await;
    let entry = page.entries.first().expect("one role change");
    assert_eq!(page.entries.len(), 1);
    assert_eq!(
        (
            entry.actor.as_str(),
            entry.target.as_deref(),
            entry.from.as_deref(),
            entry.to.as_deref(),
            entry.client_addr.as_deref()
        ),
        (
            "console",
            Some("zhangsan"),
            Some("reviewer"),
            Some("admin"),
            None
        )
    );
}

#[tokio::test]
async fn the_audit_endpoint_pages_by_id_and_filters_by_actor_action_and_day() {
    // Arrange: one admin logged in three times (its account added at the console first).
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    for _ in 0..2 {
        app.staff_cookie(&admin.login, STAFF_PASSWORD).await;
    }
    let today = &jianyan_server::clock::rfc3339(jianyan_server::clock::now())[..10];

    // Act
    let first = audit_page(
        &admin,
        &format!(
            "?actor={}&action=staff.login&limit=2&from={today}&to={today}",
            admin.login
        ),
    )
    .await;
    let next = first.next_before.expect("a second page");
    let second = audit_page(
        &admin,
        &format!("?actor={}&action=&before={next}&limit=2", admin.login),
    )
    .await;
    let tomorrow_on = audit_page(&admin, "?from=2999-01-01").await;
    let bad = admin
        .get("/api/staff/audit?limit=201&from=27.11.2026")
        .await;

    // Assert
    assert_eq!(first.entries.len(), 2);
    assert!(first.entries[0].id > first.entries[1].id, "newest first");
    assert_eq!(next, first.entries[1].id);
    assert_eq!(second.entries.len(), 1, "the third login");
    assert_eq!(second.next_before, None);
    assert!(second.entries[0].id < next);
    assert!(tomorrow_on.entries.is_empty());
    let body = assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "a bad limit and day").await;
    assert_eq!(field_names(&body), ["from", "limit"]);
}
