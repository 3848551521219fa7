//! Personal invitations: previewed without being used, used once, dead when expired or replaced,
//! rate-limited per address, kept only as hashes, issued per unit for the printed sheet, and audited.

use std::num::NonZeroU32;

use api::{Role, UnitInvitations};
use jianyan_server::{
    rate_limit::{Limits, RateLimit},
    Options,
};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::{
    helpers::{assert_error, execute_sql, file_contains, spawn_app, spawn_app_with, Setup},
    member_fixtures::{add_member, invite, join, post_token, token_of},
};

#[tokio::test]
async fn an_invitation_shows_whose_it_is_without_being_used_then_joins_one_device_once() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let id = add_member(&app, "王建国", 1, "13812345678").await;
    let invitation = invite(&admin, id).await;
    let token = token_of(&invitation.link);
    assert!(
        invitation
            .link
            .starts_with(&format!("{}/me/join#", app.address)),
        "the link is <origin>/me/join#<token>: {}",
        invitation.link
    );
    assert!(token.len() >= 22, "at least 128 bits: {token}");

    // Act: previewed twice, then joined, then tried again
    let first_preview = post_token(&app, "/api/member/join/preview", &token).await;
    let second_preview = post_token(&app, "/api/member/join/preview", &token).await;
    let joined = post_token(&app, "/api/member/join", &token).await;
    let again = post_token(&app, "/api/member/join", &token).await;
    let preview_after = post_token(&app, "/api/member/join/preview", &token).await;

    // Assert
    assert_eq!(first_preview.status(), StatusCode::OK);
    let preview: Value = second_preview.json().await.expect("a preview");
    assert_eq!(preview["name"], "王建国");
    assert!(preview["unit"]
        .as_str()
        .is_some_and(|unit| !unit.is_empty()));
    assert_eq!(
        joined.status(),
        StatusCode::OK,
        "the preview did not use it up"
    );
    let set_cookie = crate::member_fixtures::member_set_cookie(&joined).expect("a cookie");
    for attribute in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api;",
        "Max-Age=31536000",
    ] {
        assert!(set_cookie.contains(attribute), "{attribute}: {set_cookie}");
    }
    let me: Value = joined.json().await.expect("the member");
    assert_eq!(me["name"], "王建国");
    assert_eq!(me["phone"], "13812345678");
    let body = assert_error(again, StatusCode::NOT_FOUND, "a used link").await;
    assert!(body["message"]
        .as_str()
        .unwrap_or_default()
        .contains("已使用"));
    assert_error(
        preview_after,
        StatusCode::NOT_FOUND,
        "preview of a used link",
    )
    .await;
}

#[tokio::test]
async fn an_expired_invitation_joins_nothing_and_the_default_is_thirty_days() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let id = add_member(&app, "李红", 2, "13900000001").await;
    let invitation = invite(&admin, id).await;
    let expires = time::OffsetDateTime::parse(
        &invitation.expires_at,
        &time::format_description::well_known::Rfc3339,
    )
    .expect("an RFC 3339 expiry");
    let days = (expires - time::OffsetDateTime::now_utc()).whole_hours();
    assert!((30 * 24 - 1..=30 * 24).contains(&days), "30 days: {days} h");
    // Time moves on: the expiry is put a second into the past.
    execute_sql(
        &app.db_path,
        "UPDATE member_invitations SET expires_at = '2000-01-01T00:00:00+08:00'",
    )
    .await;

    // Act
    let preview = post_token(
        &app,
        "/api/member/join/preview",
        &token_of(&invitation.link),
    )
    .await;
    let joined = post_token(&app, "/api/member/join", &token_of(&invitation.link)).await;

    // Assert
    assert_error(preview, StatusCode::NOT_FOUND, "preview of an expired link").await;
    let body = assert_error(joined, StatusCode::NOT_FOUND, "an expired link").await;
    assert!(body["message"]
        .as_str()
        .unwrap_or_default()
        .contains("已过期"));
    let access: Value = admin
        .get(&format!("/api/staff/members/{id}/access"))
        .await
        .json()
        .await
        .expect("the member's access");
    assert_eq!(access["invitation"]["state"], "expired");
}

#[tokio::test]
async fn the_invitation_lifetime_follows_the_option() {
    // Arrange
    let app = spawn_app_with(Setup {
        options: Options {
            invitation_days: 7,
            ..Options::default()
        },
        ..Setup::default()
    })
    .await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let id = add_member(&app, "李红", 2, "13900000001").await;

    // Act
    let invitation = invite(&admin, id).await;

    // Assert
    let expires = time::OffsetDateTime::parse(
        &invitation.expires_at,
        &time::format_description::well_known::Rfc3339,
    )
    .expect("an RFC 3339 expiry");
    let hours = (expires - time::OffsetDateTime::now_utc()).whole_hours();
    assert!((7 * 24 - 1..=7 * 24).contains(&hours), "7 days: {hours} h");
}

#[tokio::test]
async fn a_new_invitation_kills_the_unused_old_link_and_devices_already_joined_stay() {
    // Arrange: the first link joined a phone, the second was never used
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let id = add_member(&app, "张伟", 3, "13700000002").await;
    let first = invite(&admin, id).await;
    let phone = join(&app, &token_of(&first.link)).await;
    let unused = invite(&admin, id).await;

    // Act
    let newest = invite(&admin, id).await;

    // Assert
    let old = post_token(&app, "/api/member/join", &token_of(&unused.link)).await;
    assert_error(old, StatusCode::NOT_FOUND, "the replaced link").await;
    let new = post_token(&app, "/api/member/join/preview", &token_of(&newest.link)).await;
    assert_eq!(new.status(), StatusCode::OK, "the newest link works");
    assert_eq!(phone.me().await["name"], "张伟", "the joined phone stays");
}

#[tokio::test]
async fn joining_attempts_past_the_burst_get_429_per_address() {
    // Arrange: three tries in a row, then one a minute
    let app = spawn_app_with(Setup {
        options: Options {
            limits: Limits {
                join: Some(RateLimit {
                    per_minute: NonZeroU32::MIN,
                    burst: NonZeroU32::new(3).expect("not zero"),
                }),
                ..Limits::off()
            },
            ..Options::default()
        },
        connect_info: true,
    })
    .await;
    for n in 0..3 {
        let guess = post_token(&app, "/api/member/join", &format!("guess{n}")).await;
        assert_eq!(guess.status(), StatusCode::NOT_FOUND, "guess {n}");
    }

    // Act
    let fourth = post_token(&app, "/api/member/join", "guess3").await;

    // Assert
    assert!(fourth.headers().contains_key("retry-after"));
    assert_error(fourth, StatusCode::TOO_MANY_REQUESTS, "the fourth guess").await;
}

#[tokio::test]
async fn tokens_are_stored_only_as_hashes() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let id = add_member(&app, "王建国", 1, "13812345678").await;
    let invitation = invite(&admin, id).await;
    let token = token_of(&invitation.link);

    // Act
    let device = join(&app, &token).await;

    // Assert
    let device_token = device
        .cookie
        .split_once('=')
        .map(|(_, t)| t)
        .unwrap_or_default();
    assert!(!file_contains(&app.db_path, &token), "no invitation token");
    assert!(
        !file_contains(&app.db_path, device_token),
        "no device token"
    );
}

#[tokio::test]
async fn a_unit_sheet_invites_every_active_member_of_the_unit_by_name_and_is_audited() {
    // Arrange: two active members and a disabled one in unit 4, one in unit 5
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    add_member(&app, "赵六", 4, "13600000001").await;
    add_member(&app, "钱七", 4, "13600000002").await;
    let disabled = add_member(&app, "孙八", 4, "13600000003").await;
    add_member(&app, "周九", 5, "13600000004").await;
    execute_sql(
        &app.db_path,
        &format!(
            "UPDATE members SET disabled_at = '2026-11-02T09:00:00+08:00' WHERE id = {disabled}"
        ),
    )
    .await;

    // Act
    let response = admin
        .send(Method::POST, "/api/staff/units/4/invitations")
        .await;
    let missing = admin
        .send(Method::POST, "/api/staff/units/999/invitations")
        .await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let sheet: UnitInvitations = response.json().await.expect("the sheet");
    let names: Vec<&str> = sheet.invitations.iter().map(|i| i.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names.len(), 2, "the active members of unit 4: {names:?}");
    assert_eq!(names, sorted, "by name");
    assert!(
        !names.contains(&"孙八") && !names.contains(&"周九"),
        "{names:?}"
    );
    for invitation in &sheet.invitations {
        let preview = post_token(
            &app,
            "/api/member/join/preview",
            &token_of(&invitation.link),
        )
        .await;
        assert_eq!(preview.status(), StatusCode::OK, "{}", invitation.name);
    }
    assert_error(missing, StatusCode::NOT_FOUND, "no such unit").await;
    let audit: Value = admin
        .get("/api/staff/audit?action=unit.invite")
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
async fn issuing_an_invitation_is_audited_and_refused_for_a_disabled_or_unknown_member() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.logged_in_staff(Role::Admin).await;
    let id = add_member(&app, "王建国", 1, "13812345678").await;
    let disabled = add_member(&app, "孙八", 1, "13600000003").await;
    execute_sql(
        &app.db_path,
        &format!(
            "UPDATE members SET disabled_at = '2026-11-02T09:00:00+08:00' WHERE id = {disabled}"
        ),
    )
    .await;

    // Act
    invite(&admin, id).await;
    let refused = admin
        .send(
            Method::POST,
            &format!("/api/staff/members/{disabled}/invitation"),
        )
        .await;
    let unknown = admin
        .send(Method::POST, "/api/staff/members/999/invitation")
        .await;

    // Assert
    assert_error(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a disabled member",
    )
    .await;
    assert_error(unknown, StatusCode::NOT_FOUND, "no such member").await;
    let audit: Value = admin
        .get("/api/staff/audit?action=member.invite")
        .await
        .json()
        .await
        .expect("the audit log");
    let entries = audit["entries"].as_array().cloned().unwrap_or_default();
    assert_eq!(entries.len(), 1, "{audit}");
    assert!(
        entries[0]["target"]
            .as_str()
            .unwrap_or_default()
            .contains("王建国"),
        "{audit}"
    );
}
