//! Staff roles: 管理员 and 审阅人, what login answers with, and accounts from before roles existed.

use api::{Role, StaffSession};
use reqwest::StatusCode;

use crate::helpers::{database_at_version, execute_sql, spawn_app, spawn_app_on};

const PASSWORD: &str = "correct-horse-9";

#[tokio::test]
async fn logging_in_says_which_role_the_account_has() {
    // Arrange
    let app = spawn_app().await;
    app.add_staff_with_role("lisi", "李四", Role::Admin, PASSWORD)
        .await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;

    // Act
    let admin = app.log_in("lisi", PASSWORD).await;
    let reviewer = app.log_in("zhangsan", PASSWORD).await;

    // Assert
    assert_eq!(admin.status(), StatusCode::OK);
    let admin: StaffSession = admin.json().await.expect("a StaffSession");
    assert_eq!(admin.staff.role, Role::Admin);
    let reviewer: StaffSession = reviewer.json().await.expect("a StaffSession");
    assert_eq!(reviewer.staff.role, Role::Reviewer);
}

#[tokio::test]
async fn accounts_made_before_roles_existed_become_admins_and_new_ones_reviewers() {
    // Arrange: a database as the release before roles left it, with one account.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db_path = dir.path().join("jianyan.db");
    database_at_version(&db_path, 4).await;
    let hash = jianyan_server::auth::password::hash(PASSWORD).expect("a hash");
    execute_sql(
        &db_path,
        &format!(
            "INSERT INTO staff (login, name, password_hash, created_at)
             VALUES ('laowang', '老王', '{hash}', '2026-01-05T09:00:00+08:00')"
        ),
    )
    .await;

    // Act: the new server migrates the file.
    let app = spawn_app_on(dir, db_path).await;
    app.add_staff("zhangsan", "张三", PASSWORD).await;

    // Assert
    let old: StaffSession = app
        .log_in("laowang", PASSWORD)
        .await
        .json()
        .await
        .expect("the old account logs in");
    assert_eq!(old.staff.role, Role::Admin);
    let new: StaffSession = app
        .log_in("zhangsan", PASSWORD)
        .await
        .json()
        .await
        .expect("the new account logs in");
    assert_eq!(new.staff.role, Role::Reviewer);
}
