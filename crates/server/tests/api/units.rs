use std::collections::BTreeSet;

use api::Unit;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;

/// The seeded units, in the department's order: (name, group).
const SEEDED_UNITS: [(&str, &str); 11] = [
    ("民革中原区支部", "民主党派"),
    ("民盟中原区支部", "民主党派"),
    ("民建中原区支部", "民主党派"),
    ("民进中原区支部", "民主党派"),
    ("农工党中原区支部", "民主党派"),
    ("致公党中原区支部", "民主党派"),
    ("九三学社中原区支部", "民主党派"),
    ("台盟中原区支部", "民主党派"),
    ("无党派人士", "无党派人士"),
    ("中原区工商联", "工商联"),
    ("中原区新的社会阶层人士联谊会", "新的社会阶层人士"),
];

#[tokio::test]
async fn listing_units_returns_the_eleven_seeded_units_in_the_departments_order() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = app.get_units().await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let units: Vec<Unit> = response.json().await.expect("a list of units");
    let listed: Vec<(&str, &str)> = units
        .iter()
        .map(|unit| (unit.name.as_str(), unit.group.as_str()))
        .collect();
    assert_eq!(listed, SEEDED_UNITS);
    let ids: BTreeSet<i64> = units.iter().map(|unit| unit.id.0).collect();
    assert_eq!(ids.len(), 11, "every unit has its own id");
    assert!(ids.iter().all(|id| *id > 0), "ids are positive: {ids:?}");
}

#[tokio::test]
async fn units_cover_the_democratic_parties_and_the_other_groups() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let units: Vec<Unit> = app.get_units().await.json().await.expect("a list of units");

    // Assert
    let first = units.first().expect("at least one unit");
    assert_eq!(
        (first.name.as_str(), first.group.as_str()),
        ("民革中原区支部", "民主党派")
    );
    let groups: BTreeSet<&str> = units.iter().map(|unit| unit.group.as_str()).collect();
    assert_eq!(
        groups,
        BTreeSet::from(["民主党派", "无党派人士", "工商联", "新的社会阶层人士"])
    );
    let parties = units.iter().filter(|unit| unit.group == "民主党派").count();
    assert_eq!(
        parties, 8,
        "one branch for each of the eight democratic parties"
    );
}

#[tokio::test]
async fn each_unit_is_sent_as_exactly_id_name_and_group() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let units: Value = app.get_units().await.json().await.expect("JSON");

    // Assert
    let first = &units[0];
    let keys: BTreeSet<&str> = first
        .as_object()
        .expect("a unit is an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["group", "id", "name"]));
    assert!(first["id"].is_i64(), "the id is a plain number: {first}");
}

#[tokio::test]
async fn the_health_check_says_ok_when_the_database_answers() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = app.get("/api/health").await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body, serde_json::json!({ "status": "ok" }));
}
