//! `jianyan staff add`, `set-password`, `disable`, `enable` and `list`: what an operator types, and what
//! the running server then lets in.

use std::{
    io::Write,
    path::Path,
    process::{Command, Output, Stdio},
};

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{database_at_version, fresh_db, open_read_only, table_names, ServerProcess};

/// `jianyan staff <args> --db <db>` with `password` and a newline on standard input (not a terminal);
/// commands without a password ignore it.
pub(crate) fn staff_command(db: &Path, args: &[&str], password: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jianyan"))
        .arg("staff")
        .args(args)
        .arg("--db")
        .arg(db)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the staff command starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Commands that read no password may have exited already: a closed pipe is no failure here.
    let _ = writeln!(stdin, "{password}");
    drop(stdin);
    child.wait_with_output().expect("the staff command ends")
}

async fn log_in(server: &ServerProcess, login: &str, password: &str) -> StatusCode {
    reqwest::Client::new()
        .post(format!("{}/api/staff/session", server.address))
        .json(&json!({ "login": login, "password": password }))
        .send()
        .await
        .expect("the server answers")
        .status()
}

#[tokio::test]
async fn an_account_added_at_the_console_logs_in_and_a_new_password_replaces_the_old() {
    // Arrange
    let (_dir, db) = fresh_db();

    // Act
    let added = staff_command(
        &db,
        &["add", "zhangsan", "--name", "张三"],
        "correct-horse-9",
    );
    let changed = staff_command(&db, &["set-password", "zhangsan"], "another-horse-10");

    // Assert
    assert!(added.status.success(), "{added:?}");
    assert!(String::from_utf8_lossy(&added.stdout).contains("已添加账号 zhangsan"));
    assert!(changed.status.success(), "{changed:?}");
    let server = ServerProcess::start(&db);
    assert_eq!(
        log_in(&server, "zhangsan", "another-horse-10").await,
        StatusCode::OK
    );
    assert_eq!(
        log_in(&server, "zhangsan", "correct-horse-9").await,
        StatusCode::UNAUTHORIZED
    );
    server.stop();
}

#[tokio::test]
async fn mistakes_at_the_console_are_refused_with_the_reason_and_change_nothing() {
    // Arrange
    let (_dir, db) = fresh_db();
    let first = staff_command(
        &db,
        &["add", "zhangsan", "--name", "张三"],
        "correct-horse-9",
    );
    assert!(first.status.success(), "{first:?}");
    let cases: [(&[&str], &str, &str); 4] = [
        (
            &["add", "lisi", "--name", "李四"],
            "short",
            "密码至少要 10 个字符",
        ),
        (
            &["add", "ZhangSan", "--name", "张三"],
            "correct-horse-9",
            "已经存在",
        ),
        (
            &["add", "张三", "--name", "张三"],
            "correct-horse-9",
            "英文字母",
        ),
        (
            &["set-password", "nobody"],
            "correct-horse-9",
            "没有账号 nobody",
        ),
    ];
    for (args, password, reason) in cases {
        // Act
        let output = staff_command(&db, args, password);

        // Assert
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(reason), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("backtrace"),
            "{args:?}: no backtrace for a person's mistake"
        );
    }
    let server = ServerProcess::start(&db);
    assert_eq!(
        log_in(&server, "lisi", "short").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        log_in(&server, "zhangsan", "correct-horse-9").await,
        StatusCode::OK
    );
    server.stop();
}

#[tokio::test]
async fn a_disabled_account_is_logged_out_at_once_and_can_be_enabled_again() {
    // Arrange: an account with a live session.
    let (_dir, db) = fresh_db();
    let added = staff_command(
        &db,
        &["add", "zhangsan", "--name", "张三"],
        "correct-horse-9",
    );
    assert!(added.status.success(), "{added:?}");
    let server = ServerProcess::start(&db);
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{}/api/staff/session", server.address))
        .json(&json!({ "login": "zhangsan", "password": "correct-horse-9" }))
        .send()
        .await
        .expect("the server answers");
    // `jianyan_staff=<token>`, the first part of the Set-Cookie a browser would keep.
    let cookie = response
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .expect("logging in sets the session cookie")
        .to_owned();
    let who_am_i = || async {
        client
            .get(format!("{}/api/staff/session", server.address))
            .header(reqwest::header::COOKIE, &cookie)
            .send()
            .await
            .expect("the server answers")
            .status()
    };
    assert_eq!(who_am_i().await, StatusCode::OK);

    // Act: disabled while the server runs.
    let disabled = staff_command(&db, &["disable", "zhangsan"], "");

    // Assert
    assert!(disabled.status.success(), "{disabled:?}");
    assert_eq!(
        who_am_i().await,
        StatusCode::UNAUTHORIZED,
        "the live session ends"
    );
    assert_eq!(
        log_in(&server, "zhangsan", "correct-horse-9").await,
        StatusCode::UNAUTHORIZED
    );
    let listed = staff_command(&db, &["list"], "");
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains("zhangsan\t张三") && listed.contains("已停用"),
        "{listed}"
    );

    let enabled = staff_command(&db, &["enable", "zhangsan"], "");
    assert!(enabled.status.success(), "{enabled:?}");
    assert_eq!(
        log_in(&server, "zhangsan", "correct-horse-9").await,
        StatusCode::OK
    );
    let no_database = staff_command(&db.with_file_name("typo.db"), &["list"], "");
    assert_eq!(no_database.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_database.stderr).contains("没有数据库"));
    assert!(
        !db.with_file_name("typo.db").exists(),
        "no empty database at a mistyped path"
    );
    let missing = staff_command(&db, &["disable", "nobody"], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("没有账号 nobody"));
    server.stop();
}

#[tokio::test]
async fn console_commands_refuse_a_database_older_than_the_binary_and_leave_it_as_it_was() {
    // Arrange: a database from before migration 3, as the previous release left it.
    let (dir, db) = fresh_db();
    database_at_version(&db, 2).await;
    let tables_before = table_names(&db).await;
    let copy = dir.path().join("copy.db");

    // Act
    let outputs = [
        ("staff list", staff_command(&db, &["list"], "")),
        (
            "staff add",
            staff_command(&db, &["add", "lisi", "--name", "李四"], "correct-horse-9"),
        ),
        (
            "staff set-password",
            staff_command(&db, &["set-password", "lisi"], "correct-horse-9"),
        ),
        (
            "backup",
            Command::new(env!("CARGO_BIN_EXE_jianyan"))
                .arg("backup")
                .arg(&copy)
                .arg("--db")
                .arg(&db)
                .env("NO_COLOR", "1")
                .output()
                .expect("the backup command runs"),
        ),
    ];

    // Assert: each says what to do, and nothing was migrated behind the server's back.
    for (command, output) in outputs {
        assert!(!output.status.success(), "{command} refuses: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("jianyan serve") && stderr.contains("旧"),
            "{command} says the database is older and to run the server first: {stderr}"
        );
    }
    assert_eq!(
        table_names(&db).await,
        tables_before,
        "the schema is untouched"
    );
    assert!(
        !copy.exists(),
        "no backup of a database the binary cannot read"
    );
}

/// actor, action, target, from, to.
type AuditRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

#[tokio::test]
async fn accounts_are_reviewers_unless_made_admins_and_every_console_change_is_audited() {
    // Arrange
    let (_dir, db) = fresh_db();

    // Act
    let reviewer = staff_command(
        &db,
        &["add", "zhangsan", "--name", "张三"],
        "correct-horse-9",
    );
    let admin = staff_command(
        &db,
        &["add", "lisi", "--name", "李四", "--role", "admin"],
        "correct-horse-9",
    );
    let promoted = staff_command(&db, &["set-role", "ZhangSan", "admin"], "");
    let demoted = staff_command(&db, &["set-role", "lisi", "reviewer"], "");
    let disabled = staff_command(&db, &["disable", "lisi"], "");
    let bad_role = staff_command(&db, &["set-role", "lisi", "root"], "");
    let listed = staff_command(&db, &["list"], "");

    // Assert
    for output in [&reviewer, &admin, &promoted, &demoted, &disabled] {
        assert!(output.status.success(), "{output:?}");
    }
    assert!(String::from_utf8_lossy(&reviewer.stdout).contains("角色为审阅人"));
    assert!(
        String::from_utf8_lossy(&promoted.stdout).contains("由审阅人改为管理员"),
        "{promoted:?}"
    );
    assert!(!bad_role.status.success());
    assert!(
        String::from_utf8_lossy(&bad_role.stderr).contains("admin（管理员）"),
        "{bad_role:?}"
    );
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.contains("角色"), "{listed}");
    assert!(
        listed.contains("lisi\t李四\t审阅人（reviewer）"),
        "{listed}"
    );
    assert!(
        listed.contains("zhangsan\t张三\t管理员（admin）"),
        "{listed}"
    );
    let mut read = open_read_only(&db).await;
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT actor, action, target, from_value, to_value FROM audit_log ORDER BY id",
    )
    .fetch_all(&mut read)
    .await
    .expect("the audit log can be read");
    let console = |action: &str, target: &str, from: Option<&str>, to: Option<&str>| {
        (
            "console".to_owned(),
            action.to_owned(),
            Some(target.to_owned()),
            from.map(str::to_owned),
            to.map(str::to_owned),
        )
    };
    assert_eq!(
        rows,
        [
            console("staff.add", "zhangsan", None, Some("reviewer")),
            console("staff.add", "lisi", None, Some("admin")),
            console(
                "staff.set_role",
                "zhangsan",
                Some("reviewer"),
                Some("admin")
            ),
            console("staff.set_role", "lisi", Some("admin"), Some("reviewer")),
            console("staff.disable", "lisi", Some("enabled"), Some("disabled")),
        ]
    );
}
