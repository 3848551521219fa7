//! A joined member's devices: what the session lets them do (their own submissions, from any device,
//! and nobody else's), how it ends (leaving, staff, disabling the member), the one-time link for a second
//! device, claiming a receipt from before joining, and the department's guest setting.

use api::Role;
use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};

use crate::{
    helpers::{assert_error, execute_sql, spawn_app, valid_submission, with},
    member_fixtures::{join, joined_member, member_set_cookie, post_token, token_of},
};

#[tokio::test]
async fn a_joined_submission_takes_name_unit_and_phone_from_the_roster_whatever_the_form_sent() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (id, phone) = joined_member(&app, &admin, "王建国", 3, "13812345678").await;
    let form = with(
        with(
            with(valid_submission(), "name", json!("冒名")),
            "phone",
            json!("13999999999"),
        ),
        "unit_id",
        json!(1),
    );

    // Act
    let response = phone.post_json("/api/submissions", &form).await;

    // Assert
    assert_eq!(response.status(), StatusCode::CREATED);
    let receipt: Value = response.json().await.expect("a receipt");
    let code = receipt["code"].as_str().unwrap_or_default().to_owned();
    let stored = app.stored(&code).await;
    assert_eq!(
        (stored.name.as_str(), stored.phone.as_str(), stored.unit_id),
        ("王建国", "13812345678", 3)
    );
    let mut db = crate::helpers::connect(&app.db_path).await;
    let member_id: Option<i64> =
        sqlx::query_scalar("SELECT member_id FROM submissions ORDER BY id DESC LIMIT 1")
            .fetch_one(&mut db)
            .await
            .expect("the row");
    assert_eq!(member_id, Some(id));
    assert_eq!(phone.submission_codes().await, vec![code]);
}

#[tokio::test]
async fn a_member_never_reads_another_members_submission() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (_, author) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let (_, other) = joined_member(&app, &admin, "李红", 1, "13900000001").await;
    let receipt: Value = author
        .post_json("/api/submissions", &valid_submission())
        .await
        .json()
        .await
        .expect("a receipt");
    let code = receipt["code"].as_str().unwrap_or_default();

    // Act
    let own = author.get(&format!("/api/member/submissions/{code}")).await;
    let foreign = other.get(&format!("/api/member/submissions/{code}")).await;

    // Assert
    assert_eq!(own.status(), StatusCode::OK);
    assert_error(
        foreign,
        StatusCode::NOT_FOUND,
        "another member's submission",
    )
    .await;
    assert!(other.submission_codes().await.is_empty(), "nothing listed");
}

#[tokio::test]
async fn a_device_ended_by_staff_gets_401_and_its_cookie_cleared_while_others_stay() {
    // Arrange: two devices of one member
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (id, first) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let link: Value = first
        .post_json("/api/member/device-link", &json!({}))
        .await
        .json()
        .await
        .expect("a device link");
    let second = join(&app, link["token"].as_str().unwrap_or_default()).await;
    let access: Value = admin
        .get(&format!("/api/staff/members/{id}/access"))
        .await
        .json()
        .await
        .expect("the member's access");
    let devices = access["devices"].as_array().cloned().unwrap_or_default();
    assert_eq!(devices.len(), 2, "{access}");
    assert_eq!(devices[0]["browser"], "Android · Chrome");
    let first_device = devices[0]["id"].as_i64().unwrap_or_default();

    // Act
    let ended = admin
        .send(
            Method::DELETE,
            &format!("/api/staff/members/{id}/devices/{first_device}"),
        )
        .await;
    let again = admin
        .send(
            Method::DELETE,
            &format!("/api/staff/members/{id}/devices/{first_device}"),
        )
        .await;

    // Assert
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    assert_error(again, StatusCode::NOT_FOUND, "ended already").await;
    let refused = first.get("/api/member/me").await;
    let cleared = member_set_cookie(&refused).expect("the cookie is cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let body = assert_error(refused, StatusCode::UNAUTHORIZED, "the ended device").await;
    assert!(body["message"]
        .as_str()
        .unwrap_or_default()
        .contains("重新用邀请链接加入"));
    assert_eq!(
        second.me().await["name"],
        "王建国",
        "the other device stays"
    );
    let audit: Value = admin
        .get("/api/staff/audit?action=member.end_device")
        .await
        .json()
        .await
        .expect("the audit log");
    assert_eq!(
        audit["entries"].as_array().map(Vec::len),
        Some(1),
        "{audit}"
    );
}

#[tokio::test]
async fn disabling_the_member_stops_every_device_at_once() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (id, first) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let link: Value = first
        .post_json("/api/member/device-link", &json!({}))
        .await
        .json()
        .await
        .expect("a device link");
    let second = join(&app, link["token"].as_str().unwrap_or_default()).await;

    // Act: the roster's disable sets disabled_at
    execute_sql(
        &app.db_path,
        &format!("UPDATE members SET disabled_at = '2026-11-27T10:00:00+08:00' WHERE id = {id}"),
    )
    .await;

    // Assert
    for device in [&first, &second] {
        let body = assert_error(
            device.get("/api/member/me").await,
            StatusCode::UNAUTHORIZED,
            "a disabled member's device",
        )
        .await;
        assert!(
            body["message"]
                .as_str()
                .unwrap_or_default()
                .contains("停用"),
            "{body}"
        );
        let submit = device
            .post_json("/api/submissions", &valid_submission())
            .await;
        assert_error(
            submit,
            StatusCode::UNAUTHORIZED,
            "submitting as a disabled member",
        )
        .await;
    }
}

#[tokio::test]
async fn leaving_ends_this_device_only_and_clears_its_cookie() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (_, first) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let link: Value = first
        .post_json("/api/member/device-link", &json!({}))
        .await
        .json()
        .await
        .expect("a device link");
    let second = join(&app, link["token"].as_str().unwrap_or_default()).await;

    // Act
    let left = first.post_json("/api/member/logout", &json!({})).await;

    // Assert
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    let cleared = member_set_cookie(&left).expect("the cookie is cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_error(
        first.get("/api/member/me").await,
        StatusCode::UNAUTHORIZED,
        "left",
    )
    .await;
    assert_eq!(second.me().await["name"], "王建国");
}

#[tokio::test]
async fn a_device_link_joins_a_second_device_once_and_it_sees_the_same_submissions() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (_, first) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let sent = first
        .post_json("/api/submissions", &valid_submission())
        .await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    let link: Value = first
        .post_json("/api/member/device-link", &json!({}))
        .await
        .json()
        .await
        .expect("a device link");
    assert!(
        link["link"]
            .as_str()
            .unwrap_or_default()
            .contains("/me/join#"),
        "{link}"
    );
    let token = token_of(link["link"].as_str().unwrap_or_default());

    // Act
    let second = join(&app, &token).await;
    let reused = post_token(&app, "/api/member/join", &token).await;

    // Assert
    assert_eq!(
        second.submission_codes().await,
        first.submission_codes().await
    );
    assert_eq!(second.submission_codes().await.len(), 1);
    assert_error(reused, StatusCode::NOT_FOUND, "a used device link").await;
    // The list carries each submission's 查询密码: the second phone opens it (to rate a reply or revise
    // it) as the phone that sent it does.
    let sent: Value = sent.json().await.expect("the receipt");
    let listed: Vec<Value> = second
        .get("/api/member/submissions")
        .await
        .json()
        .await
        .expect("a list");
    assert_eq!(listed[0]["secret"], sent["secret"]);
    let opened = app
        .get_submission(
            listed[0]["code"].as_str().unwrap_or_default(),
            listed[0]["secret"].as_str().unwrap_or_default(),
        )
        .await;
    assert_eq!(opened.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_device_link_stops_working_after_ten_minutes() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (_, first) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let link: Value = first
        .post_json("/api/member/device-link", &json!({}))
        .await
        .json()
        .await
        .expect("a device link");
    let expires = time::OffsetDateTime::parse(
        link["expires_at"].as_str().unwrap_or_default(),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("an RFC 3339 expiry");
    let minutes = (expires - time::OffsetDateTime::now_utc()).whole_minutes();
    assert!((9..=10).contains(&minutes), "10 minutes: {minutes}");
    execute_sql(
        &app.db_path,
        "UPDATE member_invitations SET expires_at = '2000-01-01T00:00:00+08:00'
         WHERE kind = 'device_link'",
    )
    .await;

    // Act
    let late = post_token(
        &app,
        "/api/member/join",
        link["token"].as_str().unwrap_or_default(),
    )
    .await;

    // Assert
    assert_error(late, StatusCode::NOT_FOUND, "an expired device link").await;
}

#[tokio::test]
async fn a_receipt_from_before_joining_is_claimed_once_and_a_wrong_secret_is_404() {
    // Arrange: a guest's submission, then the member joins on that phone
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let receipt = app.create_submission(&valid_submission()).await;
    let (_, phone) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let (_, other) = joined_member(&app, &admin, "李红", 1, "13900000001").await;

    // Act
    let wrong = phone
        .post_json(
            "/api/member/submissions/claim",
            &json!({ "code": receipt.code, "secret": "0".repeat(32) }),
        )
        .await;
    let claimed = phone
        .post_json(
            "/api/member/submissions/claim",
            &json!({ "code": receipt.code, "secret": receipt.secret }),
        )
        .await;
    let taken = other
        .post_json(
            "/api/member/submissions/claim",
            &json!({ "code": receipt.code, "secret": receipt.secret }),
        )
        .await;

    // Assert
    assert_error(wrong, StatusCode::NOT_FOUND, "a wrong secret").await;
    assert_eq!(claimed.status(), StatusCode::OK);
    assert_eq!(phone.submission_codes().await, vec![receipt.code.clone()]);
    assert_error(taken, StatusCode::CONFLICT, "another member's already").await;
    assert!(other.submission_codes().await.is_empty());
}

#[tokio::test]
async fn with_guests_turned_off_only_joined_devices_submit_and_turning_it_on_lets_guests_again() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (_, phone) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let config: Value = app
        .get("/api/member/config")
        .await
        .json()
        .await
        .expect("config");
    assert_eq!(config["guest_submissions"], true, "on by default");

    // Act: off
    let off = admin
        .request(Method::PUT, "/api/staff/settings")
        .json(&json!({ "guest_submissions": false }))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(off.status(), StatusCode::OK);
    let guest = app.post_submission(&valid_submission()).await;
    let guest_form = app.get_units().await;
    let member_units = phone.get("/api/units").await;
    let member = phone
        .post_json("/api/submissions", &valid_submission())
        .await;
    let config: Value = app
        .get("/api/member/config")
        .await
        .json()
        .await
        .expect("config");

    // Assert
    let body = assert_error(guest, StatusCode::FORBIDDEN, "a guest with guests off").await;
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("邀请链接"),
        "{body}"
    );
    assert_eq!(
        member.status(),
        StatusCode::CREATED,
        "a joined member still submits"
    );
    assert_eq!(config["guest_submissions"], false);
    // A guest's form learns it on opening: its unit list answers with the same message.
    let form_body = assert_error(guest_form, StatusCode::FORBIDDEN, "a guest's unit list").await;
    assert_eq!(form_body["message"], body["message"]);
    assert_eq!(member_units.status(), StatusCode::OK, "a joined device's");

    // Act: on again
    let on = admin
        .request(Method::PUT, "/api/staff/settings")
        .json(&json!({ "guest_submissions": true }))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(on.status(), StatusCode::OK);

    // Assert
    assert_eq!(
        app.post_submission(&valid_submission()).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(app.get_units().await.status(), StatusCode::OK);
    let settings: Value = admin
        .get("/api/staff/settings")
        .await
        .json()
        .await
        .expect("settings");
    assert_eq!(settings["guest_submissions"], true);
    let audit: Value = admin
        .get("/api/staff/audit?action=settings.guest_submissions")
        .await
        .json()
        .await
        .expect("the audit log");
    assert_eq!(
        audit["entries"].as_array().map(Vec::len),
        Some(2),
        "{audit}"
    );
}

#[tokio::test]
async fn member_requests_need_a_joined_device_and_refuse_other_websites() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (_, phone) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;

    // Act
    let anonymous = app.get("/api/member/me").await;
    let forged = app
        .client
        .post(app.url("/api/submissions"))
        .header(header::COOKIE, &phone.cookie)
        .header(header::ORIGIN, "https://evil.example")
        .json(&valid_submission())
        .send()
        .await
        .expect("the server answers");
    let forged_link = app
        .client
        .post(app.url("/api/member/device-link"))
        .header(header::COOKIE, &phone.cookie)
        .header("Sec-Fetch-Site", "cross-site")
        .send()
        .await
        .expect("the server answers");

    // Assert
    let body = assert_error(anonymous, StatusCode::UNAUTHORIZED, "no device session").await;
    assert!(body["message"]
        .as_str()
        .unwrap_or_default()
        .contains("邀请链接"));
    assert_error(
        forged,
        StatusCode::FORBIDDEN,
        "a forged submission as the member",
    )
    .await;
    assert_error(forged_link, StatusCode::FORBIDDEN, "a forged device link").await;
    assert!(
        phone.submission_codes().await.is_empty(),
        "nothing was stored"
    );
}

#[tokio::test]
async fn joining_again_on_a_device_ends_the_session_its_cookie_held() {
    // Arrange: one shared phone, joined first as 王建国
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (_, first) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let second_id = crate::member_fixtures::add_member(&app, "李红", 1, "13900000001").await;
    let invitation = crate::member_fixtures::invite(&admin, second_id).await;

    // Act: the same phone (its cookie) joins as 李红
    let response = first
        .post_json(
            "/api/member/join",
            &json!({ "token": token_of(&invitation.link) }),
        )
        .await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    assert_error(
        first.get("/api/member/me").await,
        StatusCode::UNAUTHORIZED,
        "the earlier session",
    )
    .await;
}

#[tokio::test]
async fn a_device_used_after_an_hour_is_renewed_for_another_year_and_its_last_use_noted() {
    // Arrange: the device was last seen long ago, and its year is nearly over
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let (_, phone) = joined_member(&app, &admin, "王建国", 1, "13812345678").await;
    let fresh = phone.get("/api/member/me").await;
    assert!(
        member_set_cookie(&fresh).is_none(),
        "a device just used is not renewed again"
    );
    execute_sql(
        &app.db_path,
        "UPDATE member_devices SET last_seen_at = '2026-01-01T09:00:00+08:00',
                                   expires_at = '2099-01-01T09:00:00+08:00'",
    )
    .await;

    // Act
    let used = phone.get("/api/member/me").await;

    // Assert
    let renewed = member_set_cookie(&used).expect("the cookie is renewed");
    assert!(renewed.contains("Max-Age=31536000"), "{renewed}");
    assert!(
        renewed.starts_with(&format!("{};", phone.cookie)),
        "the same token: {renewed}"
    );
    let mut db = crate::helpers::connect(&app.db_path).await;
    let (last_seen, expires): (String, String) =
        sqlx::query_as("SELECT last_seen_at, expires_at FROM member_devices")
            .fetch_one(&mut db)
            .await
            .expect("the device");
    assert!(
        last_seen.as_str() > "2026-01-01T09:00:00+08:00",
        "{last_seen}"
    );
    assert!(
        expires.as_str() < "2099-01-01T09:00:00+08:00",
        "a year from now: {expires}"
    );
}
