//! The workflow through the API: every legal action, illegal ones answered 409 with the current view,
//! a stale version answered 409, missing reasons answered 422, and records kept beside the status.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::{
    desk::{accept, assign, close, reply, return_for_revision, start_handling, Desk},
    helpers::assert_error,
};

/// actor, action, target, from, to.
type AuditRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn statuses(view: &Value) -> Vec<String> {
    view["timeline"]
        .as_array()
        .expect("a timeline")
        .iter()
        .filter(|entry| entry["kind"] == "status" || entry["kind"] == "reply")
        .map(|entry| entry["status"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn a_submission_goes_from_submitted_to_closed_by_each_legal_action() {
    // Arrange
    let desk = Desk::start().await;
    let code = desk.submit("关于加强老旧小区加装电梯的建议").await.code;
    let steps = [
        (
            accept(),
            "accepted",
            vec!["return", "decline", "merge", "assign"],
        ),
        (assign(), "assigned", vec!["start_handling", "extend_due"]),
        (start_handling(), "in_progress", vec!["reply", "extend_due"]),
        (reply(), "replied", vec!["close"]),
        (close(), "closed", vec![]),
    ];
    let mut version = desk.view(&code).await["version"].as_i64().expect("version");
    for (action, status, legal) in steps {
        // Act
        let response = desk.act_at(&code, version, action.clone()).await;

        // Assert
        assert_eq!(response.status(), StatusCode::OK, "{action}");
        let view: Value = response.json().await.expect("a view");
        assert_eq!(view["status"], status, "{action}");
        assert_eq!(view["legal_actions"], json!(legal), "{action}");
        assert_eq!(
            view["version"],
            version + 1,
            "each change bumps the version"
        );
        version += 1;
    }
    let view = desk.view(&code).await;
    assert_eq!(
        statuses(&view),
        [
            "submitted",
            "accepted",
            "assigned",
            "in_progress",
            "replied",
            "closed"
        ]
    );
    assert_eq!(view["handler"], "区住建局");
    assert!(view["due_on"].as_str().is_some_and(|due| due.len() == 10));
    let actors: Vec<&Value> = view["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .skip(1)
        .map(|entry| &entry["actor"])
        .collect();
    assert!(actors.iter().all(|actor| *actor == "张三"), "{actors:?}");
}

#[tokio::test]
async fn a_submission_can_be_returned_declined_or_merged_from_submitted_and_accepted() {
    // Arrange
    let desk = Desk::start().await;
    let target = desk.submit("关于完善社区养老服务的建议").await.code;
    let decline = json!({ "kind": "decline", "reason": "personal_claim", "text": "属个人诉求，请通过信访渠道反映" });
    let merge = json!({ "kind": "merge", "into": target });
    let cases = [
        (vec![], return_for_revision(), "returned"),
        (vec![], decline.clone(), "declined"),
        (vec![], merge.clone(), "merged"),
        (vec![accept()], return_for_revision(), "returned"),
        (vec![accept()], decline, "declined"),
        (vec![accept()], merge, "merged"),
    ];
    for (before, action, status) in cases {
        let code = desk.submission_after(&before).await;

        // Act
        let view = desk.act(&code, action.clone()).await;

        // Assert
        assert_eq!(view["status"], status, "{before:?} then {action}");
        assert_eq!(
            view["legal_actions"],
            json!([]),
            "{status} waits or is final"
        );
        let last = view["timeline"].as_array().and_then(|t| t.last()).cloned();
        let last = last.expect("an entry");
        assert_eq!(last["public"], true, "{status} is shown to the member");
        if status == "merged" {
            assert_eq!(view["merged_into"], json!(target));
            assert_eq!(last["merged_into"], json!(target));
        } else {
            assert!(
                last["note"].as_str().is_some_and(|n| !n.is_empty()),
                "{status} says why"
            );
        }
    }
}

#[tokio::test]
async fn actions_the_status_does_not_allow_return_409_with_the_current_view() {
    // Arrange
    let desk = Desk::start().await;
    let cases = [
        (vec![], start_handling(), "submitted"),
        (vec![], close(), "submitted"),
        (vec![], assign(), "submitted"),
        (vec![accept()], accept(), "accepted"),
        (vec![accept(), assign()], return_for_revision(), "assigned"),
        (
            vec![accept(), assign(), start_handling()],
            close(),
            "in_progress",
        ),
        (
            vec![accept(), assign(), start_handling(), reply()],
            start_handling(),
            "replied",
        ),
        (vec![return_for_revision()], accept(), "returned"),
    ];
    for (before, action, status) in cases {
        let code = desk.submission_after(&before).await;
        let version = desk.view(&code).await["version"].as_i64().expect("version");

        // Act
        let response = desk.act_at(&code, version, action.clone()).await;

        // Assert
        let why = format!("{action} when {status}");
        assert_eq!(response.status(), StatusCode::CONFLICT, "{why}");
        let body: Value = response.json().await.expect("a ChangeConflict");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains("不能"), "{why}: {message}");
        assert_eq!(body["current"]["status"], status, "{why}");
        assert_eq!(
            body["current"]["version"], version,
            "{why}: nothing changed"
        );
    }
}

#[tokio::test]
async fn of_two_staff_acting_on_the_same_version_the_second_gets_409_and_the_first_ones_change() {
    // Arrange
    let desk = Desk::start().await;
    let code = desk.submit("关于加强老旧小区加装电梯的建议").await.code;
    let version = desk.view(&code).await["version"].as_i64().expect("version");

    // Act: both send at once, chosen on the same view.
    let (first, second) = tokio::join!(
        desk.act_at(&code, version, accept()),
        desk.act_at(&code, version, return_for_revision())
    );

    // Assert
    let mut answers = [first.status(), second.status()];
    answers.sort();
    assert_eq!(answers, [StatusCode::OK, StatusCode::CONFLICT]);
    let (winner, loser) = if first.status() == StatusCode::OK {
        (first, second)
    } else {
        (second, first)
    };
    let winner: Value = winner.json().await.expect("a view");
    let loser: Value = loser.json().await.expect("a ChangeConflict");
    assert!(
        loser["message"]
            .as_str()
            .unwrap_or_default()
            .contains("修改过"),
        "{loser}"
    );
    assert_eq!(loser["current"]["status"], winner["status"]);
    assert_eq!(loser["current"]["version"], version + 1);
}

#[tokio::test]
async fn actions_missing_their_reason_or_text_return_422_naming_the_field() {
    // Arrange
    let desk = Desk::start().await;
    let code = desk.submit("关于加强老旧小区加装电梯的建议").await.code;
    let cases = [
        (json!({ "kind": "return" }), "action.reason"),
        (json!({ "kind": "return", "reason": "  " }), "action.reason"),
        (
            json!({ "kind": "decline", "reason": "vague" }),
            "action.text",
        ),
        (json!({ "kind": "merge", "into": "" }), "action.into"),
        (json!({ "kind": "merge", "into": code }), "action.into"),
        (
            json!({ "kind": "merge", "into": "JY-2026-999999" }),
            "action.into",
        ),
        (json!({ "kind": "assign", "handler": "" }), "action.handler"),
    ];
    for (action, field) in cases {
        // Act
        let response = desk.act_at(&code, 1, action.clone()).await;

        // Assert
        let body = assert_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            &action.to_string(),
        )
        .await;
        assert!(body["fields"][field].is_string(), "{action}: {body}");
    }
    assert_eq!(desk.view(&code).await["status"], "submitted");
}

#[tokio::test]
async fn assigning_without_a_date_sets_the_due_date_three_months_on_and_extending_records_why() {
    // Arrange
    let desk = Desk::start().await;
    let code = desk.submission_after(&[accept()]).await;

    // Act
    let assigned = desk.act(&code, assign()).await;
    let due = assigned["due_on"].as_str().expect("a due date").to_owned();
    let extended = desk
        .act(
            &code,
            json!({ "kind": "extend_due", "due": "2999-12-31", "reason": "需协调多个部门" }),
        )
        .await;
    let earlier = desk
        .act_at(
            &code,
            extended["version"].as_i64().expect("version"),
            json!({ "kind": "extend_due", "due": "2999-01-01", "reason": "再议" }),
        )
        .await;

    // Assert
    let today = desk.view(&code).await["submitted_at"]
        .as_str()
        .expect("time")[..10]
        .to_owned();
    assert!(due.as_str() > today.as_str(), "{due} after {today}");
    let months = |date: &str| {
        date[..4].parse::<i32>().expect("year") * 12 + date[5..7].parse::<i32>().expect("month")
    };
    assert_eq!(months(&due) - months(&today), 3, "{today} → {due}");
    assert_eq!(extended["due_on"], "2999-12-31");
    assert_eq!(extended["extensions"][0]["from"], json!(due));
    assert_eq!(extended["extensions"][0]["reason"], "需协调多个部门");
    let entry = extended["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .cloned()
        .expect("entry");
    assert_eq!(
        (entry["kind"].clone(), entry["public"].clone()),
        (json!("due_extended"), json!(false))
    );
    assert_error(
        earlier,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an earlier due date",
    )
    .await;
}

#[tokio::test]
async fn adoptions_at_two_levels_and_an_instruction_are_all_kept_with_their_dates() {
    // Arrange
    let desk = Desk::start().await;
    let code = desk.submission_after(&[accept()]).await;
    let path = |what: &str| format!("/api/staff/submissions/{code}/{what}");

    // Act
    let district = desk
        .send(
            Method::POST,
            &path("adoptions"),
            &json!({ "level": "district", "body": "区政府办公室", "on_date": "2026-03-01" }),
        )
        .await;
    let city = desk
        .send(Method::POST, &path("adoptions"), &json!({ "level": "city", "body": "市发展改革委", "on_date": "2026-06-15", "note": "写入年度计划" }))
        .await;
    let instruction = desk
        .send(
            Method::POST,
            &path("instructions"),
            &json!({ "level": "city", "leader": "副市长 李某", "on_date": "2026-07-01" }),
        )
        .await;
    let missing = desk
        .send(
            Method::POST,
            &path("adoptions"),
            &json!({ "level": "province", "body": "", "on_date": "去年" }),
        )
        .await;

    // Assert
    for response in [district, city, instruction] {
        assert_eq!(response.status(), StatusCode::OK);
    }
    let body = assert_error(
        missing,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no body, no date",
    )
    .await;
    assert!(
        body["fields"]["body"].is_string() && body["fields"]["on_date"].is_string(),
        "{body}"
    );
    let view = desk.view(&code).await;
    let adoptions: Vec<(Value, Value, Value)> = view["adoptions"]
        .as_array()
        .expect("adoptions")
        .iter()
        .map(|a| (a["level"].clone(), a["body"].clone(), a["on_date"].clone()))
        .collect();
    assert_eq!(
        adoptions,
        [
            (
                json!("district"),
                json!("区政府办公室"),
                json!("2026-03-01")
            ),
            (json!("city"), json!("市发展改革委"), json!("2026-06-15")),
        ]
    );
    assert_eq!(view["instructions"][0]["leader"], "副市长 李某");
    assert_eq!(
        view["version"], 5,
        "accept and three records each bumped it"
    );
}

#[tokio::test]
async fn notes_outcome_and_flags_bump_the_version_and_notes_stay_internal() {
    // Arrange
    let desk = Desk::start().await;
    let receipt = desk.submit("关于加强老旧小区加装电梯的建议").await;
    let code = receipt.code.clone();
    let path = |what: &str| format!("/api/staff/submissions/{code}/{what}");

    // Act
    let noted = desk
        .send(
            Method::POST,
            &path("notes"),
            &json!({ "version": 1, "text": "已电话联系提交人" }),
        )
        .await;
    let outcome = desk
        .send(
            Method::PUT,
            &path("outcome"),
            &json!({ "version": 2, "outcome": "B" }),
        )
        .await;
    let flags = desk
        .send(
            Method::PUT,
            &path("flags"),
            &json!({ "version": 3, "key": true, "excellent": false }),
        )
        .await;
    let stale = desk
        .send(
            Method::POST,
            &path("notes"),
            &json!({ "version": 1, "text": "过时的备注" }),
        )
        .await;

    // Assert
    for response in [noted, outcome, flags] {
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let view = desk.view(&code).await;
    assert_eq!(view["version"], 4);
    assert_eq!(view["outcome"], "B");
    assert_eq!(view["flags"], json!({ "key": true, "excellent": false }));
    let note = view["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|entry| entry["kind"] == "note")
        .cloned()
        .expect("the note is on the timeline");
    assert_eq!(
        (note["public"].clone(), note["actor"].clone()),
        (json!(false), json!("张三"))
    );
    let member: Value = desk
        .app
        .get_submission(&code, &receipt.secret)
        .await
        .json()
        .await
        .expect("the member's view");
    let seen = member["timeline"].to_string();
    assert!(!seen.contains("已电话联系提交人"), "{seen}");
}

#[tokio::test]
async fn a_bulk_action_reports_each_row_on_its_own() {
    // Arrange
    let desk = Desk::start().await;
    let fresh = desk.submit("关于加强老旧小区加装电梯的建议").await.code;
    let accepted = desk.submission_after(&[accept()]).await;

    // Act
    let response = desk
        .send(
            Method::POST,
            "/api/staff/submissions/actions",
            &json!({ "codes": [fresh, accepted, "JY-2026-999999", "乱码"], "action": accept() }),
        )
        .await;
    let refused = desk
        .send(
            Method::POST,
            "/api/staff/submissions/actions",
            &json!({ "codes": [fresh], "action": return_for_revision() }),
        )
        .await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("results");
    let results: Vec<(Value, Value)> = body["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|row| (row["ok"].clone(), row["status"].clone()))
        .collect();
    assert_eq!(
        results,
        [
            (json!(true), json!("accepted")),
            (json!(false), json!("accepted")),
            (json!(false), Value::Null),
            (json!(false), Value::Null),
        ]
    );
    assert_error(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "return is not a bulk action",
    )
    .await;
}

#[tokio::test]
async fn every_workflow_action_writes_an_audit_row_naming_the_code_and_the_change() {
    // Arrange
    let desk = Desk::start().await;
    let code = desk.submit("关于加强老旧小区加装电梯的建议").await.code;

    // Act
    desk.act(&code, accept()).await;
    desk.act(&code, assign()).await;

    // Assert
    let mut db = crate::helpers::connect(&desk.app.db_path).await;
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT actor, action, target, from_value, to_value FROM audit_log
         WHERE action LIKE 'submission.%' ORDER BY id",
    )
    .fetch_all(&mut db)
    .await
    .expect("the audit log can be read");
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        rows,
        [
            (
                "zhangsan".into(),
                "submission.accept".into(),
                some(&code),
                some("submitted"),
                some("accepted")
            ),
            (
                "zhangsan".into(),
                "submission.assign".into(),
                some(&code),
                some("accepted"),
                some("assigned")
            ),
        ]
    );
}

#[tokio::test]
async fn the_desk_endpoints_refuse_anyone_not_logged_in() {
    // Arrange
    let desk = Desk::start().await;
    let code = desk.submit("关于加强老旧小区加装电梯的建议").await.code;
    let paths = [
        (Method::GET, "/api/staff/submissions".to_owned()),
        (Method::GET, format!("/api/staff/submissions/{code}")),
        (
            Method::POST,
            format!("/api/staff/submissions/{code}/actions"),
        ),
        (Method::GET, "/api/staff/submissions/export.csv".to_owned()),
        (Method::GET, "/api/staff/handlers".to_owned()),
    ];
    for (method, path) in paths {
        // Act
        let response = desk
            .app
            .client
            .request(method.clone(), desk.app.url(&path))
            .json(&json!({ "version": 1, "action": accept() }))
            .send()
            .await
            .expect("the server answers");

        // Assert
        assert_error(
            response,
            StatusCode::UNAUTHORIZED,
            &format!("{method} {path}"),
        )
        .await;
    }
    assert_eq!(desk.view(&code).await["status"], "submitted");
}
