//! The roster: units kept by administrators (add, rename, reorder, retire), members imported from the
//! department's spreadsheet (preview, commit, idempotent re-import), edited, disabled, and looked up.

use api::{
    roster::{MemberDetailView, MemberPage, MemberView, RosterImportReport, StaffUnit},
    Role, Unit,
};
use reqwest::{Method, StatusCode};
use rust_xlsxwriter::Workbook;
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, count_rows_in, execute_sql, spawn_app, valid_submission, with, StaffClient,
    TestApp,
};

/// The header every roster file here starts with.
const HEADER: [&str; 5] = ["姓名", "单位", "手机号", "职务", "联络员"];

/// `POST /api/staff/members/import` with the file as the body; `commit` stores it.
async fn import(staff: &StaffClient, file: Vec<u8>, commit: bool) -> reqwest::Response {
    let path = if commit {
        "/api/staff/members/import?commit=true"
    } else {
        "/api/staff/members/import"
    };
    staff
        .request(Method::POST, path)
        .header("Content-Type", "application/octet-stream")
        .body(file)
        .send()
        .await
        .expect("the server answers the import")
}

async fn report(response: reqwest::Response) -> RosterImportReport {
    assert_eq!(response.status(), StatusCode::OK, "the import is read");
    response.json().await.expect("an import report")
}

/// An .xlsx of `rows` under `HEADER`; a cell that parses as a whole number is written as a number, as
/// Excel keeps a phone number typed into a cell.
fn xlsx(rows: &[[&str; 5]]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, title) in HEADER.iter().enumerate() {
        sheet
            .write_string(0, column as u16, *title)
            .expect("a header cell");
    }
    for (index, row) in rows.iter().enumerate() {
        for (column, cell) in row.iter().enumerate() {
            let (r, c) = (index as u32 + 1, column as u16);
            match cell.parse::<i64>() {
                Ok(number) if column == 2 => sheet.write_number(r, c, number as f64),
                _ => sheet.write_string(r, c, *cell),
            }
            .expect("a cell");
        }
    }
    workbook.save_to_buffer().expect("the workbook is written")
}

/// A UTF-8 CSV with the BOM Excel writes, of `rows` under `HEADER`.
fn csv(rows: &[[&str; 5]]) -> Vec<u8> {
    let mut text = String::from("\u{feff}");
    for row in std::iter::once(&HEADER).chain(rows) {
        text.push_str(&row.join(","));
        text.push_str("\r\n");
    }
    text.into_bytes()
}

/// The seeded unit a row names.
const MINGE: &str = "民革中原区支部";
const MINMENG: &str = "民盟中原区支部";

/// Rows of every kind, numbered as a spreadsheet shows them (the header is row 1): 2 and 3 are new,
/// 4 changes the 职务 and 联络员 of 张伟 (stored by `existing`), 5 is 刘洋 as stored; the rest are
/// refused.
fn every_kind_of_row() -> Vec<[&'static str; 5]> {
    vec![
        ["王建国", MINGE, "13812345678", "主委", "是"], // 2 new
        ["李红", MINMENG, "13900000001", "", "否"],     // 3 new
        ["张伟", MINGE, "13900000002", "秘书长", "是"], // 4 update of 张伟 (职务, 联络员)
        ["刘洋", MINMENG, "13900000003", "", ""],       // 5 unchanged
        ["", MINGE, "13900000004", "", ""],             // 6 empty name
        ["赵六", "不存在的支部", "13900000005", "", ""], // 7 unknown unit
        ["钱七", MINGE, "12345", "", ""],               // 8 bad phone
        ["孙八", MINGE, "13900000006", "", ""],         // 9 duplicate of 10
        ["周九", MINMENG, "13900000006", "", ""],       // 10 duplicate of 9
        ["吴十", MINGE, "13900000007", "", "也许"],     // 11 bad 联络员
    ]
}

/// The expected refusals: (row, words the reason contains).
const REFUSED: [(u32, &str); 6] = [
    (6, "姓名为空"),
    (7, "未知单位「不存在的支部」"),
    (8, "手机号格式不对"),
    (9, "文件内重复"),
    (10, "文件内重复"),
    (11, "联络员"),
];

/// Two members already on the roster: 张伟 (to be updated) and 刘洋 (unchanged).
async fn existing(admin: &StaffClient) {
    let file = csv(&[
        ["张伟", MINGE, "13900000002", "", "否"],
        ["刘洋", MINMENG, "139 0000 0003", "", "否"],
    ]);
    let stored = report(import(admin, file, true).await).await;
    assert_eq!(stored.added.len(), 2, "{stored:?}");
}

fn assert_every_kind(report: &RosterImportReport, committed: bool) {
    assert_eq!(report.committed, committed);
    let rows = |rows: &[api::roster::RosterRow]| rows.iter().map(|r| r.row).collect::<Vec<_>>();
    assert_eq!(rows(&report.added), [2, 3], "{report:?}");
    assert_eq!(rows(&report.unchanged), [5], "{report:?}");
    assert_eq!(report.updated.len(), 1, "{report:?}");
    let update = &report.updated[0];
    assert_eq!((update.row.row, update.row.name.as_str()), (4, "张伟"));
    let changes: Vec<(&str, &str, &str)> = update
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.from.as_str(), c.to.as_str()))
        .collect();
    assert_eq!(
        changes,
        [("职务", "（空）", "秘书长"), ("联络员", "否", "是")]
    );
    let refused: Vec<(u32, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.row, r.reason.as_str()))
        .collect();
    assert_eq!(refused.len(), REFUSED.len(), "{refused:?}");
    for ((row, reason), (want_row, words)) in refused.iter().zip(REFUSED) {
        assert_eq!(*row, want_row, "{refused:?}");
        assert!(
            reason.contains(words),
            "row {row}: {reason:?} names {words}"
        );
    }
}

async fn members(staff: &StaffClient, query: &str) -> MemberPage {
    let response = staff.get(&format!("/api/staff/members{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "listing members {query}");
    response.json().await.expect("a page of members")
}

async fn import_every_kind(app: &TestApp, file: fn(&[[&str; 5]]) -> Vec<u8>) {
    // Arrange
    let admin = app.logged_in_staff(Role::Admin).await;
    existing(&admin).await;
    let file = file(&every_kind_of_row());

    // Act
    let preview = report(import(&admin, file.clone(), false).await).await;
    let after_preview = count_rows_in(&app.db_path, "members").await;
    let committed = report(import(&admin, file.clone(), true).await).await;
    let again = report(import(&admin, file, true).await).await;

    // Assert
    assert_every_kind(&preview, false);
    assert_eq!(after_preview, 2, "a preview stores nothing");
    assert_every_kind(&committed, true);
    assert_eq!(count_rows_in(&app.db_path, "members").await, 4);
    let zhang = members(&admin, "?q=13900000002").await;
    assert_eq!(zhang.members.len(), 1);
    assert_eq!(zhang.members[0].position.as_deref(), Some("秘书长"));
    assert!(zhang.members[0].is_contact);
    let wang = members(&admin, "?q=王建国").await;
    assert_eq!(
        (
            wang.members[0].unit.as_str(),
            wang.members[0].phone.as_str()
        ),
        (MINGE, "13812345678")
    );
    // The second import of the same file changes nothing.
    assert!(
        again.added.is_empty() && again.updated.is_empty(),
        "{again:?}"
    );
    let unchanged: Vec<u32> = again.unchanged.iter().map(|r| r.row).collect();
    assert_eq!(unchanged, [2, 3, 4, 5]);
    assert_eq!(again.rejected.len(), REFUSED.len());
    assert_eq!(count_rows_in(&app.db_path, "members").await, 4);
}

#[tokio::test]
async fn an_xlsx_roster_is_previewed_row_by_row_then_committed_and_importing_it_again_changes_nothing(
) {
    import_every_kind(&spawn_app().await, xlsx).await;
}

#[tokio::test]
async fn a_csv_roster_with_a_bom_is_previewed_row_by_row_then_committed_and_importing_it_again_changes_nothing(
) {
    import_every_kind(&spawn_app().await, csv).await;
}

#[tokio::test]
async fn a_file_that_is_not_a_roster_is_refused_saying_what_to_fix() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let cases: [(Vec<u8>, &str); 3] = [
        ("姓名,手机号\n王建国,13812345678\n".into(), "缺少「单位」列"),
        (vec![0xd6, 0xd0, 0xce, 0xc4, b',', b'\n'], "UTF-8"),
        (Vec::new(), "空"),
    ];

    for (file, words) in cases {
        // Act
        let response = import(&admin, file, true).await;

        // Assert
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, words).await;
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{message:?} names {words}");
    }
    assert_eq!(count_rows_in(&app.db_path, "members").await, 0);
}

async fn staff_units(staff: &StaffClient) -> Vec<StaffUnit> {
    let response = staff.get("/api/staff/units").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("the units")
}

async fn public_units(app: &TestApp) -> Vec<String> {
    let units: Vec<Unit> = app.get_units().await.json().await.expect("the units");
    units.into_iter().map(|unit| unit.name).collect()
}

async fn send_json(
    staff: &StaffClient,
    method: Method,
    path: &str,
    body: Value,
) -> reqwest::Response {
    staff
        .request(method, path)
        .json(&body)
        .send()
        .await
        .expect("the server answers")
}

#[tokio::test]
async fn an_admin_adds_renames_reorders_and_retires_units_and_a_retired_one_leaves_the_member_form()
{
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;

    // Act: add, rename, put it first, retire it.
    let added = send_json(
        &admin,
        Method::POST,
        "/api/staff/units",
        json!({ "name": "民革金水区支部", "group": "民主党派" }),
    )
    .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let units: Vec<StaffUnit> = added.json().await.expect("the units");
    let new = units.last().expect("the new unit is last").id;
    let renamed = send_json(
        &admin,
        Method::PUT,
        &format!("/api/staff/units/{}", new.0),
        json!({ "name": "民革二七区支部", "group": "民主党派" }),
    )
    .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let mut order: Vec<i64> = units.iter().map(|u| u.id.0).collect();
    order.rotate_right(1);
    let reordered = send_json(
        &admin,
        Method::PUT,
        "/api/staff/units/order",
        json!({ "ids": order }),
    )
    .await;
    assert_eq!(reordered.status(), StatusCode::OK);
    let before_retiring = public_units(&app).await;
    let retired = send_json(
        &admin,
        Method::PUT,
        &format!("/api/staff/units/{}/retired", new.0),
        json!({ "on": true }),
    )
    .await;
    assert_eq!(retired.status(), StatusCode::OK);
    let submission = app
        .post_submission(&with(valid_submission(), "unit_id", json!(new.0)))
        .await;

    // Assert
    assert_eq!(
        before_retiring.first().map(String::as_str),
        Some("民革二七区支部")
    );
    assert_eq!(before_retiring.len(), 12);
    let after = public_units(&app).await;
    assert_eq!(
        after.len(),
        11,
        "the retired unit leaves the form: {after:?}"
    );
    assert!(!after.contains(&"民革二七区支部".to_owned()));
    let staff_view = staff_units(&admin).await;
    assert_eq!(staff_view.len(), 12, "staff still see it, to filter by");
    assert_eq!(staff_view[0].name, "民革二七区支部");
    assert!(staff_view[0].retired_at.is_some());
    let body = assert_error(
        submission,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a retired unit",
    )
    .await;
    assert!(
        body["fields"]["unit_id"]
            .as_str()
            .unwrap_or_default()
            .contains("已停用"),
        "{body}"
    );
    let actions: Vec<String> = sqlx_actions(&app).await;
    for action in ["units.add", "units.rename", "units.reorder", "units.retire"] {
        assert!(
            actions.contains(&action.to_owned()),
            "{action} audited: {actions:?}"
        );
    }

    // And back in use.
    let restored = send_json(
        &admin,
        Method::PUT,
        &format!("/api/staff/units/{}/retired", new.0),
        json!({ "on": false }),
    )
    .await;
    assert_eq!(restored.status(), StatusCode::OK);
    assert_eq!(public_units(&app).await.len(), 12);
}

#[tokio::test]
async fn unit_changes_that_cannot_be_done_are_refused_with_the_reason() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let cases = [
        (
            Method::POST,
            "/api/staff/units",
            json!({ "name": MINGE, "group": "民主党派" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "同名",
        ),
        (
            Method::POST,
            "/api/staff/units",
            json!({ "name": " ", "group": "民主党派" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "单位名称",
        ),
        (
            Method::PUT,
            "/api/staff/units/order",
            json!({ "ids": [1, 2] }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "全部单位",
        ),
        (
            Method::PUT,
            "/api/staff/units/999",
            json!({ "name": "某支部", "group": "民主党派" }),
            StatusCode::NOT_FOUND,
            "没有这个单位",
        ),
    ];

    for (method, path, body, status, words) in cases {
        // Act
        let response = send_json(&admin, method.clone(), path, body).await;

        // Assert
        let body = assert_error(response, status, &format!("{method} {path}")).await;
        assert!(body.to_string().contains(words), "{method} {path}: {body}");
    }
    assert_eq!(staff_units(&admin).await.len(), 11);
}

async fn sqlx_actions(app: &TestApp) -> Vec<String> {
    let mut db = crate::helpers::connect(&app.db_path).await;
    sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(&mut db)
        .await
        .expect("the audit log")
}

#[tokio::test]
async fn members_are_found_by_name_phone_or_unit_edited_disabled_and_shown_with_their_submissions()
{
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let reviewer = app.logged_in_staff(Role::Reviewer).await;
    let file = csv(&[
        ["王建国", MINGE, "13812345678", "主委", "是"],
        ["李红", MINMENG, "13900000001", "", "否"],
        ["王小明", MINMENG, "13900000002", "", "否"],
    ]);
    report(import(&admin, file, true).await).await;
    let receipt = app.create_submission(&valid_submission()).await;

    // Act
    let by_name = members(&reviewer, "?q=王").await;
    let by_phone = members(&reviewer, "?q=0001").await;
    let minmeng_id = staff_units(&admin).await[1].id.0;
    let by_unit = members(&reviewer, &format!("?unit={minmeng_id}")).await;
    let wang = by_name.members[0].clone();
    execute_sql(
        &app.db_path,
        &format!("UPDATE submissions SET member_id = {}", wang.id.0),
    )
    .await;
    let edited = send_json(
        &admin,
        Method::PUT,
        &format!("/api/staff/members/{}", wang.id.0),
        json!({ "name": "王建国", "unit_id": minmeng_id, "phone": "13812345679", "position": "副主委", "is_contact": false }),
    )
    .await;
    let taken = send_json(
        &admin,
        Method::PUT,
        &format!("/api/staff/members/{}", wang.id.0),
        json!({ "name": "王建国", "unit_id": minmeng_id, "phone": "13900000001", "is_contact": false }),
    )
    .await;
    let disabled = send_json(
        &admin,
        Method::PUT,
        &format!("/api/staff/members/{}/disabled", wang.id.0),
        json!({ "on": true }),
    )
    .await;
    let page = reviewer
        .get(&format!("/api/staff/members/{}", wang.id.0))
        .await;

    // Assert
    let names = |page: &MemberPage| {
        page.members
            .iter()
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&by_name),
        ["王建国", "王小明"],
        "by unit order, then name"
    );
    assert_eq!(names(&by_phone), ["李红"]);
    assert_eq!(names(&by_unit), ["李红", "王小明"]);
    assert_eq!(by_unit.total, 2);
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: MemberView = edited.json().await.expect("the member");
    assert_eq!(
        (
            edited.unit.as_str(),
            edited.phone.as_str(),
            edited.position.as_deref(),
            edited.is_contact
        ),
        (MINMENG, "13812345679", Some("副主委"), false)
    );
    let body = assert_error(
        taken,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a phone of another",
    )
    .await;
    assert!(
        body["fields"]["phone"]
            .as_str()
            .unwrap_or_default()
            .contains("李红"),
        "{body}"
    );
    assert_eq!(disabled.status(), StatusCode::OK);
    let page: MemberDetailView = page.json().await.expect("the member's page");
    assert!(page.member.disabled_at.is_some(), "disabled: {page:?}");
    assert_eq!(page.submissions.len(), 1);
    assert_eq!(page.submissions[0].code, receipt.code);
    let actions = sqlx_actions(&app).await;
    for action in ["members.import", "members.edit", "members.disable"] {
        assert!(
            actions.contains(&action.to_owned()),
            "{action} audited: {actions:?}"
        );
    }
}

#[tokio::test]
async fn a_reviewer_reads_the_roster_but_cannot_import_it() {
    // Arrange
    let app = spawn_app().await;
    let reviewer = app.logged_in_staff(Role::Reviewer).await;

    // Act
    let list = reviewer.get("/api/staff/members").await;
    let units = reviewer.get("/api/staff/units").await;
    let imported = import(
        &reviewer,
        csv(&[["王建国", MINGE, "13812345678", "", ""]]),
        true,
    )
    .await;

    // Assert
    assert_eq!(list.status(), StatusCode::OK);
    assert_eq!(units.status(), StatusCode::OK);
    assert_error(imported, StatusCode::FORBIDDEN, "a reviewer importing").await;
    assert_eq!(count_rows_in(&app.db_path, "members").await, 0);
}
