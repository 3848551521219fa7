//! 党委出题: topics' lifecycle and versions, who may create, publish and decide, claims by contacts of
//! target units or by staff for them, and giving a claim back. Every test runs the real router over a
//! fresh SQLite file (see `topic_fixtures`).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::{
    helpers::{assert_error, connect, with},
    topic_fixtures::*,
};

#[tokio::test]
async fn a_draft_is_edited_in_place_and_edits_after_publishing_become_versions_naming_what_changed()
{
    // Arrange
    let world = world().await;
    let body = topic_body("2026-12-31", None);
    let created = world.admin.post_json("/api/staff/topics", &body).await;
    let created = json_of(created, StatusCode::CREATED, "creating").await;
    let id = created["id"].as_i64().expect("an id");
    assert_eq!(created["state"], "draft");
    assert_eq!(created["year"], 2026, "the year comes from the deadline");
    assert_eq!(
        created["units"].as_array().map(Vec::len),
        Some(11),
        "all units"
    );

    // Act: a draft edit, publishing, then an edit of the published topic
    let draft_edit = with(body.clone(), "category", json!("社会治理"));
    let edited = put_json(
        &world.admin,
        &format!("/api/staff/topics/{id}"),
        &draft_edit,
    )
    .await;
    let edited = json_of(edited, StatusCode::OK, "editing the draft").await;
    let published = world
        .admin
        .send(Method::POST, &format!("/api/staff/topics/{id}/publish"))
        .await;
    let published = json_of(published, StatusCode::OK, "publishing").await;
    let change = with(
        with(draft_edit.clone(), "deadline", json!("2027-01-15")),
        "title",
        json!("老旧小区改造居民参与机制研究"),
    );
    let change = with(change, "version", json!(1));
    let second = put_json(&world.admin, &format!("/api/staff/topics/{id}"), &change).await;
    let second = json_of(second, StatusCode::OK, "editing the published topic").await;
    let stale = put_json(&world.admin, &format!("/api/staff/topics/{id}"), &change).await;
    let versions = world
        .reviewer
        .get(&format!("/api/staff/topics/{id}/versions"))
        .await;
    let versions = json_of(versions, StatusCode::OK, "versions").await;

    // Assert
    assert_eq!(edited["version"], 0, "a draft edit makes no version");
    assert_eq!(edited["category"], "社会治理");
    assert_eq!(published["state"], "published");
    assert_eq!(published["version"], 1);
    assert_eq!(second["version"], 2);
    assert_eq!(second["deadline"], "2027-01-15");
    assert_error(
        stale,
        StatusCode::CONFLICT,
        "an edit on version 1 after version 2",
    )
    .await;
    let versions = versions.as_array().expect("a list");
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert_eq!(versions[0]["version"], 1);
    assert_eq!(versions[0]["changes"], json!([]));
    assert_eq!(versions[0]["snapshot"]["category"], "社会治理");
    let labels: Vec<&str> = versions[1]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["label"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(labels, ["课题名称", "截止日期"]);
    assert_eq!(versions[1]["changes"][1]["from"], "2026-12-31");
    assert_eq!(versions[1]["changes"][1]["to"], "2027-01-15");
    assert!(versions[1]["by"]
        .as_str()
        .is_some_and(|by| by.starts_with("管理员")));
}

#[tokio::test]
async fn closed_and_withdrawn_topics_take_no_edits_and_every_change_is_audited() {
    // Arrange
    let world = world().await;
    let first = published(&world, &topic_body("2026-12-31", None)).await;
    let second = published(&world, &topic_body("2026-12-31", Some(&[1]))).await;

    // Act
    let closed = world
        .admin
        .send(Method::POST, &format!("/api/staff/topics/{first}/close"))
        .await;
    let edit_closed = put_json(
        &world.admin,
        &format!("/api/staff/topics/{first}"),
        &topic_body("2027-01-31", None),
    )
    .await;
    let no_reason = world
        .admin
        .post_json(&format!("/api/staff/topics/{second}/withdraw"), &json!({}))
        .await;
    let withdrawn = world
        .admin
        .post_json(
            &format!("/api/staff/topics/{second}/withdraw"),
            &json!({ "reason": "与区政府另行部署的课题重复" }),
        )
        .await;
    let closing_again = world
        .admin
        .send(Method::POST, &format!("/api/staff/topics/{second}/close"))
        .await;

    // Assert
    assert_eq!(
        json_of(closed, StatusCode::OK, "closing").await["state"],
        "closed"
    );
    let body = assert_error(edit_closed, StatusCode::CONFLICT, "editing a closed topic").await;
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("已结束")),
        "{body}"
    );
    let body = assert_error(no_reason, StatusCode::UNPROCESSABLE_ENTITY, "no reason").await;
    assert!(body["fields"]["reason"].is_string(), "{body}");
    let withdrawn = json_of(withdrawn, StatusCode::OK, "withdrawing").await;
    assert_eq!(withdrawn["state"], "withdrawn");
    assert_eq!(withdrawn["withdrawn_reason"], "与区政府另行部署的课题重复");
    assert_error(
        closing_again,
        StatusCode::CONFLICT,
        "closing a withdrawn topic",
    )
    .await;
    let topics = world.contact1.get("/api/member/topics").await;
    let topics = json_of(topics, StatusCode::OK, "the member's topics").await;
    assert_eq!(
        topics,
        json!([]),
        "neither closed-unclaimed nor withdrawn topics are listed"
    );
    assert_eq!(
        audit_actions(&world).await,
        [
            "topic.create",
            "topic.publish",
            "topic.create",
            "topic.publish",
            "topic.close",
            "topic.withdraw"
        ]
    );
}

#[tokio::test]
async fn reviewers_read_topics_but_only_an_admin_creates_publishes_or_decides() {
    // Arrange
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", None)).await;

    // Act
    let create = world
        .reviewer
        .post_json("/api/staff/topics", &topic_body("2026-12-31", None))
        .await;
    let close = world
        .reviewer
        .send(Method::POST, &format!("/api/staff/topics/{id}/close"))
        .await;
    let decide = world
        .reviewer
        .post_json(
            "/api/staff/proposals/1/decision",
            &json!({ "approve": false }),
        )
        .await;
    let read = world.reviewer.get(&format!("/api/staff/topics/{id}")).await;
    let overview = world.reviewer.get("/api/staff/topics?year=2026").await;

    // Assert
    assert_error(create, StatusCode::FORBIDDEN, "a reviewer creating").await;
    assert_error(close, StatusCode::FORBIDDEN, "a reviewer closing").await;
    assert_error(decide, StatusCode::FORBIDDEN, "a reviewer deciding").await;
    assert_eq!(json_of(read, StatusCode::OK, "reading").await["id"], id);
    let overview = json_of(overview, StatusCode::OK, "the overview").await;
    assert_eq!(overview["topics"][0]["target_units"], 11);
    assert_eq!(overview["topics"][0]["counts"]["unclaimed"], 11);
    assert_eq!(overview["totals"]["unclaimed"], 11);
}

#[tokio::test]
async fn only_the_contact_of_a_target_unit_claims_and_staff_may_claim_for_a_target_unit() {
    // Arrange: a topic for units 1 and 2
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", Some(&[1, 2]))).await;

    // Act
    let plain_member = claim(&world.member1, id).await;
    let other_unit = claim(&world.contact3, id).await;
    let contact = claim(&world.contact1, id).await;
    let twice = claim(&world.contact1, id).await;
    let for_unit2 = world
        .reviewer
        .post_json(
            &format!("/api/staff/topics/{id}/claims"),
            &json!({ "unit_id": 2 }),
        )
        .await;
    let for_unit3 = world
        .reviewer
        .post_json(
            &format!("/api/staff/topics/{id}/claims"),
            &json!({ "unit_id": 3 }),
        )
        .await;
    let seen_by_unit2 = world
        .contact2
        .get(&format!("/api/member/topics/{id}"))
        .await;
    let seen_by_unit3 = world
        .contact3
        .get(&format!("/api/member/topics/{id}"))
        .await;

    // Assert
    let body = assert_error(
        plain_member,
        StatusCode::FORBIDDEN,
        "a member who is no contact",
    )
    .await;
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("联络员")),
        "{body}"
    );
    assert_error(
        other_unit,
        StatusCode::NOT_FOUND,
        "a unit the topic is not for",
    )
    .await;
    let claimed = json_of(contact, StatusCode::OK, "the contact claims").await;
    assert_eq!(claimed["own_state"], "claimed");
    assert_eq!(claimed["own_claim"]["by"], "王联络");
    assert_eq!(claimed["can_claim"], false);
    assert_eq!(claimed["can_give_back"], true);
    assert_error(twice, StatusCode::CONFLICT, "claiming twice").await;
    let board = json_of(for_unit2, StatusCode::OK, "staff claim for unit 2").await;
    assert_eq!(row_of(&board, 2)["state"], "claimed");
    assert_eq!(row_of(&board, 2)["claim"]["by_staff"], true);
    assert_eq!(row_of(&board, 1)["claim"]["by"], "王联络");
    assert_eq!(board["counts"]["claimed"], 2);
    assert_error(
        for_unit3,
        StatusCode::CONFLICT,
        "staff claiming for a unit not targeted",
    )
    .await;
    let seen = json_of(seen_by_unit2, StatusCode::OK, "unit 2 reads the topic").await;
    assert_eq!(seen["claimed_by"], json!(["民革中原区支部"]));
    assert_eq!(seen["own_state"], "claimed");
    let narrowed = with(
        with(topic_body("2026-12-31", Some(&[1])), "version", json!(1)),
        "year",
        json!(2026),
    );
    let narrowed = put_json(&world.admin, &format!("/api/staff/topics/{id}"), &narrowed).await;
    let body = assert_error(
        narrowed,
        StatusCode::UNPROCESSABLE_ENTITY,
        "leaving out unit 2, which claimed",
    )
    .await;
    assert!(
        body["fields"]["unit_ids"]
            .as_str()
            .is_some_and(|m| m.contains("民盟中原区支部")),
        "{body}"
    );
    assert_error(
        seen_by_unit3,
        StatusCode::NOT_FOUND,
        "unit 3 reads a topic not for it",
    )
    .await;
    assert_eq!(
        audit_actions(&world).await,
        ["topic.create", "topic.publish", "topic.claim"],
        "staff claims are audited"
    );
}

#[tokio::test]
async fn a_claim_is_given_back_only_until_the_unit_submits_a_result() {
    // Arrange
    let world = world().await;
    let id = published(&world, &topic_body("2026-12-31", None)).await;
    json_of(claim(&world.contact1, id).await, StatusCode::OK, "claiming").await;

    // Act
    let given_back = give_back(&world.contact1, id).await;
    let nothing_to_give = give_back(&world.contact1, id).await;
    json_of(
        claim(&world.contact1, id).await,
        StatusCode::OK,
        "claiming again",
    )
    .await;
    let researching = world
        .contact1
        .request(
            Method::POST,
            &format!("/api/member/topics/{id}/researching"),
        )
        .send()
        .await
        .expect("the server answers");
    let result = send_result(&world.member1, &result_on(id)).await;
    let after_result = give_back(&world.contact1, id).await;
    let staff_after_result = world
        .admin
        .send(Method::DELETE, &format!("/api/staff/topics/{id}/claims/1"))
        .await;

    // Assert
    let view = json_of(given_back, StatusCode::OK, "giving back").await;
    assert_eq!(view["own_state"], "unclaimed");
    assert_eq!(view["can_claim"], true);
    assert_error(nothing_to_give, StatusCode::CONFLICT, "giving back twice").await;
    let view = json_of(researching, StatusCode::OK, "marking research").await;
    assert_eq!(view["own_state"], "researching");
    json_of(result, StatusCode::CREATED, "a result").await;
    let body = assert_error(
        after_result,
        StatusCode::CONFLICT,
        "giving back after a result",
    )
    .await;
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("已就该课题提交了成果")),
        "{body}"
    );
    assert_error(
        staff_after_result,
        StatusCode::CONFLICT,
        "staff giving back after a result",
    )
    .await;
    let view = world
        .contact1
        .get(&format!("/api/member/topics/{id}"))
        .await;
    let view = json_of(view, StatusCode::OK, "the topic").await;
    assert_eq!(view["own_state"], "submitted");
    assert_eq!(view["can_give_back"], false);
    let claims: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM topic_claims")
        .fetch_one(&mut connect(&world.app.db_path).await)
        .await
        .expect("counting claims");
    assert_eq!(claims, 2, "the given-back claim is kept");
}
