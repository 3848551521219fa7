//! 党委出题: results on topics (who may send one, the board and the desk filter), retries after a topic
//! closed, days left around midnight China time, grading and adoption, and 自主选题 proposals.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use time::macros::datetime;

use crate::{
    helpers::{assert_error, connect, valid_submission, with},
    topic_fixtures::*,
};

#[tokio::test]
async fn a_result_needs_a_joined_member_of_a_claiming_unit_and_the_kind_research_report() {
    // Arrange: unit 1 claims; unit 2 does not
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", Some(&[1, 2]))).await;
    json_of(claim(&world.contact1, id).await, StatusCode::OK, "claiming").await;

    // Act
    let guest = world.app.post_submission(&result_on(id)).await;
    let unclaimed_unit = send_result(&world.contact2, &result_on(id)).await;
    let not_target = send_result(&world.contact3, &result_on(id)).await;
    let wrong_kind = send_result(
        &world.member1,
        &with(result_on(id), "kind", json!("suggestion")),
    )
    .await;
    let unknown_topic = send_result(&world.member1, &result_on(id + 100)).await;
    let accepted = send_result(&world.member1, &result_on(id)).await;

    // Assert
    for (response, why) in [
        (guest, "a guest"),
        (unclaimed_unit, "a unit that has not claimed"),
        (not_target, "a unit the topic is not for"),
        (unknown_topic, "an unknown topic"),
    ] {
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, why).await;
        assert!(body["fields"]["topic_id"].is_string(), "{why}: {body}");
    }
    let body = assert_error(wrong_kind, StatusCode::UNPROCESSABLE_ENTITY, "a suggestion").await;
    assert!(
        body["fields"]["kind"]
            .as_str()
            .is_some_and(|m| m.contains("调研成果")),
        "{body}"
    );
    let receipt = json_of(accepted, StatusCode::CREATED, "the result").await;
    let code = receipt["code"].as_str().expect("a code").to_owned();
    let stored: (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT topic_id, summary FROM submissions WHERE kind = 'research_report'")
            .fetch_one(&mut connect(&world.app.db_path).await)
            .await
            .expect("the stored result");
    assert_eq!(
        stored,
        (Some(id), Some("走访 12 个小区，提出三条建议。".into()))
    );
    assert_eq!(
        world.app.count_rows("submissions").await,
        1,
        "nothing else stored"
    );

    // The board, the desk filter and the desk's detail show it
    let board = board(&world, id).await;
    assert_eq!(row_of(&board, 1)["state"], "submitted");
    assert_eq!(row_of(&board, 1)["results"][0]["code"], code.as_str());
    assert_eq!(row_of(&board, 2)["state"], "unclaimed");
    world.app.create_submission(&valid_submission()).await;
    let listed = world
        .reviewer
        .get(&format!("/api/staff/submissions?topic={id}"))
        .await;
    let listed = json_of(listed, StatusCode::OK, "the desk filtered by topic").await;
    let codes: Vec<&str> = listed["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|row| row["code"].as_str())
        .collect();
    assert_eq!(codes, [code.as_str()]);
    let detail = world
        .reviewer
        .get(&format!("/api/staff/submissions/{code}"))
        .await;
    let detail = json_of(detail, StatusCode::OK, "the desk's detail").await;
    assert_eq!(detail["result"]["topic"]["id"], id);
    assert_eq!(
        detail["result"]["summary"],
        "走访 12 个小区，提出三条建议。"
    );
    assert_eq!(detail["result"]["grade"], Value::Null);
    let everything = world.reviewer.get("/api/staff/submissions").await;
    let everything = json_of(everything, StatusCode::OK, "the whole desk").await;
    assert_eq!(everything["rows"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_retried_result_gets_its_receipt_even_after_the_topic_closed() {
    // Arrange: a result sent with a retry key, then the topic closed
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", None)).await;
    json_of(claim(&world.contact1, id).await, StatusCode::OK, "claiming").await;
    let send = |key: &'static str| {
        world
            .member1
            .request(Method::POST, "/api/submissions")
            .header(api::IDEMPOTENCY_KEY_HEADER, key)
            .json(&result_on(id))
            .send()
    };
    let first = send("retry-key-1").await.expect("the server answers");
    let first = json_of(first, StatusCode::CREATED, "the first send").await;
    let closed = world
        .admin
        .send(Method::POST, &format!("/api/staff/topics/{id}/close"))
        .await;
    json_of(closed, StatusCode::OK, "closing").await;

    // Act
    let retry = send("retry-key-1").await.expect("the server answers");
    let new_one = send("retry-key-2").await.expect("the server answers");

    // Assert
    let retry = json_of(retry, StatusCode::CREATED, "the retry").await;
    assert_eq!(retry["code"], first["code"], "the same receipt");
    let body = assert_error(new_one, StatusCode::UNPROCESSABLE_ENTITY, "a new result").await;
    assert!(
        body["fields"]["topic_id"]
            .as_str()
            .is_some_and(|m| m.contains("已结束")),
        "{body}"
    );
    assert_eq!(world.app.count_rows("submissions").await, 1);
}

#[tokio::test]
async fn days_left_and_overdue_turn_at_midnight_china_time_on_the_deadline() {
    // Arrange
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", Some(&[1, 2]))).await;
    json_of(claim(&world.contact1, id).await, StatusCode::OK, "claiming").await;
    json_of(
        send_result(&world.member1, &result_on(id)).await,
        StatusCode::CREATED,
        "a result",
    )
    .await;

    // Act: the last second of the deadline day, then the first of the next, China time
    world.clock.set(datetime!(2026-12-31 23:59:59 +8));
    let before_list = world.contact2.get("/api/member/topics").await;
    let before_board = board(&world, id).await;
    world.clock.set(datetime!(2027-01-01 00:00:00 +8));
    let after_list = world.contact2.get("/api/member/topics").await;
    let after_board = board(&world, id).await;
    let week_later = {
        world.clock.set(datetime!(2027-01-07 09:00 +8));
        world
            .contact2
            .get(&format!("/api/member/topics/{id}"))
            .await
    };

    // Assert
    let before = json_of(before_list, StatusCode::OK, "before midnight").await;
    assert_eq!(before[0]["days_left"], 0);
    assert_eq!(before[0]["overdue"], false);
    assert_eq!(row_of(&before_board, 2)["overdue"], false);
    assert_eq!(before_board["counts"]["overdue"], 0);
    let after = json_of(after_list, StatusCode::OK, "after midnight").await;
    assert_eq!(after[0]["days_left"], -1);
    assert_eq!(after[0]["overdue"], true);
    assert_eq!(
        row_of(&after_board, 2)["overdue"],
        true,
        "no result from unit 2"
    );
    assert_eq!(
        row_of(&after_board, 1)["overdue"],
        false,
        "unit 1 sent its result"
    );
    assert_eq!(after_board["counts"]["overdue"], 1);
    let later = json_of(week_later, StatusCode::OK, "a week later").await;
    assert_eq!(later["days_left"], -7);
    assert_eq!(api::topic::deadline_words(-7), "已逾期 7 天");
}

#[tokio::test]
async fn a_reviewer_grades_a_result_and_the_board_follows_grade_and_adoption() {
    // Arrange
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", Some(&[1]))).await;
    json_of(claim(&world.contact1, id).await, StatusCode::OK, "claiming").await;
    let receipt = json_of(
        send_result(&world.member1, &result_on(id)).await,
        StatusCode::CREATED,
        "a result",
    )
    .await;
    let code = receipt["code"].as_str().expect("a code").to_owned();
    let plain = world.app.create_submission(&valid_submission()).await;

    // Act
    let graded = world
        .reviewer
        .post_json(
            &format!("/api/staff/submissions/{code}/grade"),
            &json!({ "grade": "excellent", "comment": "调研扎实，建议可行" }),
        )
        .await;
    let reviewed_board = board(&world, id).await;
    let not_a_result = world
        .reviewer
        .post_json(
            &format!("/api/staff/submissions/{}/grade", plain.code),
            &json!({ "grade": "good" }),
        )
        .await;
    let adopted = world
        .reviewer
        .post_json(
            &format!("/api/staff/submissions/{code}/adoptions"),
            &json!({ "level": "district", "body": "区政府办公室", "on_date": "2026-12-20" }),
        )
        .await;
    let adopted_board = board(&world, id).await;
    let member_view = world.member1.get(&format!("/api/member/topics/{id}")).await;

    // Assert
    let graded = json_of(graded, StatusCode::OK, "grading").await;
    assert_eq!(graded["grade"]["grade"], "excellent");
    assert_eq!(graded["grade"]["comment"], "调研扎实，建议可行");
    assert!(graded["grade"]["by"]
        .as_str()
        .is_some_and(|by| by.starts_with("审阅人")));
    assert_eq!(row_of(&reviewed_board, 1)["state"], "reviewed");
    assert_eq!(
        row_of(&reviewed_board, 1)["results"][0]["grade"],
        "excellent"
    );
    assert_error(
        not_a_result,
        StatusCode::CONFLICT,
        "grading a plain suggestion",
    )
    .await;
    let listed = world
        .reviewer
        .get(&format!("/api/staff/submissions?topic={id}"))
        .await;
    let listed = json_of(listed, StatusCode::OK, "the desk list").await;
    assert_eq!(
        listed["rows"][0]["grade"], "excellent",
        "the list shows the grade"
    );
    assert_eq!(listed["rows"][0]["topic_id"], id);
    json_of(adopted, StatusCode::OK, "recording an adoption").await;
    assert_eq!(row_of(&adopted_board, 1)["state"], "adopted");
    assert_eq!(adopted_board["counts"]["adopted"], 1);
    let member_view = json_of(member_view, StatusCode::OK, "the member's view").await;
    assert_eq!(member_view["own_state"], "adopted");
    assert_eq!(member_view["own_results"][0]["grade"], "excellent");
    assert!(audit_actions(&world)
        .await
        .contains(&"submission.grade".to_owned()));
}

#[tokio::test]
async fn a_contacts_proposal_once_approved_is_a_claimed_topic_for_that_unit_alone() {
    // Arrange
    let world = world().await;
    let proposal = json!({
        "title": "民营企业用工难问题调研",
        "background": "近年我区民营企业招工难、留人难。",
        "plan": "走访 20 家企业，九月底前完成报告。",
    });

    // Act
    let by_plain_member = world
        .member1
        .post_json("/api/member/proposals", &proposal)
        .await;
    let incomplete = world
        .contact1
        .post_json("/api/member/proposals", &json!({ "title": "用工" }))
        .await;
    let sent = world
        .contact1
        .post_json("/api/member/proposals", &proposal)
        .await;
    let sent = json_of(sent, StatusCode::CREATED, "proposing").await;
    let pid = sent["id"].as_i64().expect("an id");
    let other_unit = world.contact2.get("/api/member/proposals").await;
    let pending = world
        .reviewer
        .get("/api/staff/proposals?state=pending")
        .await;
    let no_deadline = world
        .admin
        .post_json(
            &format!("/api/staff/proposals/{pid}/decision"),
            &json!({ "approve": true }),
        )
        .await;
    let approved = world
        .admin
        .post_json(
            &format!("/api/staff/proposals/{pid}/decision"),
            &json!({ "approve": true, "deadline": "2027-09-30" }),
        )
        .await;
    let again = world
        .admin
        .post_json(
            &format!("/api/staff/proposals/{pid}/decision"),
            &json!({ "approve": false, "reason": "重复" }),
        )
        .await;

    // Assert
    assert_error(
        by_plain_member,
        StatusCode::FORBIDDEN,
        "a member who is no contact",
    )
    .await;
    let body = assert_error(incomplete, StatusCode::UNPROCESSABLE_ENTITY, "incomplete").await;
    for field in ["title", "background", "plan"] {
        assert!(body["fields"][field].is_string(), "{field}: {body}");
    }
    assert_eq!(sent["state"], "pending");
    assert_eq!(sent["contact"], "王联络");
    assert_eq!(
        json_of(other_unit, StatusCode::OK, "unit 2's").await,
        json!([])
    );
    let pending = json_of(pending, StatusCode::OK, "pending").await;
    assert_eq!(pending[0]["id"], pid);
    let body = assert_error(no_deadline, StatusCode::UNPROCESSABLE_ENTITY, "no deadline").await;
    assert!(body["fields"]["deadline"].is_string(), "{body}");
    let approved = json_of(approved, StatusCode::OK, "approving").await;
    assert_eq!(approved["state"], "approved");
    let topic = approved["topic_id"].as_i64().expect("a topic");
    assert_error(again, StatusCode::CONFLICT, "deciding twice").await;
    let view = world
        .member1
        .get(&format!("/api/member/topics/{topic}"))
        .await;
    let view = json_of(view, StatusCode::OK, "the unit's own topic").await;
    assert_eq!(view["origin"], "proposal");
    assert_eq!(view["own_state"], "claimed");
    assert_eq!(view["can_submit"], true);
    assert_error(
        world
            .contact2
            .get(&format!("/api/member/topics/{topic}"))
            .await,
        StatusCode::NOT_FOUND,
        "another unit",
    )
    .await;
    json_of(
        send_result(&world.member1, &result_on(topic)).await,
        StatusCode::CREATED,
        "a result",
    )
    .await;
    let board = board(&world, topic).await;
    assert_eq!(board["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!(board["topic"]["version"], 1);
}
