//! `jianyan units import <file>`: a district that is not 中原区 replaces the seeded units with its own,
//! and the running server then offers members exactly those.

use std::{
    path::Path,
    process::{Command, Output},
};

use api::Unit;

use crate::helpers::{fresh_db, ServerProcess};

fn units_import(db: &Path, file: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jianyan"))
        .args(["units", "import"])
        .arg(file)
        .args(extra)
        .arg("--db")
        .arg(db)
        .env("NO_COLOR", "1")
        .output()
        .expect("the units command runs")
}

async fn offered_units(server: &ServerProcess) -> Vec<(String, String)> {
    let units: Vec<Unit> = reqwest::get(format!("{}/api/units", server.address))
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("the units");
    units
        .into_iter()
        .map(|unit| (unit.name, unit.group))
        .collect()
}

#[tokio::test]
async fn importing_a_districts_units_replaces_the_seeded_ones_in_the_member_form() {
    // Arrange
    let (dir, db) = fresh_db();
    let file = dir.path().join("units.csv");
    std::fs::write(
        &file,
        "\u{feff}名称,分组\n民革金水区支部,民主党派\n民盟金水区支部,民主党派\n金水区工商联,工商联\n",
    )
    .expect("the file is written");

    // Act
    let imported = units_import(&db, &file, &[]);
    let server = ServerProcess::start(&db);
    let offered = offered_units(&server).await;
    server.stop();

    // Assert
    assert!(imported.status.success(), "{imported:?}");
    let said = String::from_utf8_lossy(&imported.stdout);
    assert!(
        said.contains("新增：民革金水区支部、民盟金水区支部、金水区工商联"),
        "{said}"
    );
    assert!(said.contains("停用：民革中原区支部"), "{said}");
    let pair = |name: &str, group: &str| (name.to_owned(), group.to_owned());
    assert_eq!(
        offered,
        [
            pair("民革金水区支部", "民主党派"),
            pair("民盟金水区支部", "民主党派"),
            pair("金水区工商联", "工商联"),
        ]
    );
}

#[tokio::test]
async fn importing_the_same_units_again_changes_nothing_and_keep_others_leaves_the_rest_in_use() {
    // Arrange
    let (dir, db) = fresh_db();
    let file = dir.path().join("units.csv");
    std::fs::write(&file, "名称,分组\n民革金水区支部,民主党派\n").expect("written");

    // Act
    let first = units_import(&db, &file, &["--keep-others"]);
    let second = units_import(&db, &file, &["--keep-others"]);
    let server = ServerProcess::start(&db);
    let offered = offered_units(&server).await;
    server.stop();

    // Assert
    assert!(
        first.status.success() && second.status.success(),
        "{first:?} {second:?}"
    );
    let said = String::from_utf8_lossy(&second.stdout);
    assert!(
        said.contains("新增：无")
            && said.contains("未变：民革金水区支部")
            && said.contains("停用：无"),
        "{said}"
    );
    assert_eq!(
        offered.len(),
        12,
        "the seeded units stay in use, after the file's: {offered:?}"
    );
    assert_eq!(offered[0].0, "民革金水区支部");
}

#[tokio::test]
async fn a_units_file_with_a_bad_row_changes_nothing_and_names_the_row() {
    // Arrange
    let (dir, db) = fresh_db();
    let file = dir.path().join("units.csv");
    std::fs::write(&file, "名称,分组\n民革金水区支部,民主党派\n,工商联\n").expect("written");

    // Act
    let refused = units_import(&db, &file, &[]);

    // Assert
    assert!(!refused.status.success(), "{refused:?}");
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("第 3 行") && said.contains("单位名称"),
        "{said}"
    );
    let server = ServerProcess::start(&db);
    let offered = offered_units(&server).await;
    server.stop();
    assert_eq!(offered.len(), 11, "the seeded units stay: {offered:?}");
}
