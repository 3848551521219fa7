//! The audit log: rows go in, come back newest first, and can be neither changed nor removed.

use jianyan_server::store::audit::{self, AuditEntry, Filter};
use sqlx::{sqlite::SqliteConnectOptions, Connection, SqliteConnection};

use crate::helpers::spawn_app;

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
