//! Members for the invitation and device-session tests: put on the roster straight into the database
//! (the roster import is another area's), invited by an admin, and joined devices that carry their
//! cookie the way a browser on the site would.

use api::{IssuedInvitation, MEMBER_SESSION_COOKIE};
use reqwest::{header, Method, Response, StatusCode};
use serde_json::{json, Value};
use sqlx::{sqlite::SqliteConnectOptions, Connection, SqliteConnection};

use crate::helpers::{StaffClient, TestApp};

/// Puts a member on the roster and returns their id.
pub async fn add_member(app: &TestApp, name: &str, unit_id: i64, phone: &str) -> i64 {
    let options = SqliteConnectOptions::new().filename(&app.db_path);
    let mut db = SqliteConnection::connect_with(&options)
        .await
        .expect("the database file opens for writing");
    let id = sqlx::query_scalar(
        "INSERT INTO members (name, unit_id, phone, is_contact, created_at, updated_at)
         VALUES (?, ?, ?, 0, '2026-11-01T09:00:00+08:00', '2026-11-01T09:00:00+08:00')
         RETURNING id",
    )
    .bind(name)
    .bind(unit_id)
    .bind(phone)
    .fetch_one(&mut db)
    .await
    .expect("a member goes on the roster");
    let _ = db.close().await;
    id
}

/// `POST /api/staff/members/{id}/invitation` as `admin`, insisting on 200.
pub async fn invite(admin: &StaffClient, member_id: i64) -> IssuedInvitation {
    let response = admin
        .send(
            Method::POST,
            &format!("/api/staff/members/{member_id}/invitation"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "inviting {member_id}");
    response.json().await.expect("an invitation")
}

/// The token of an invitation's link: what follows `#`.
pub fn token_of(link: &str) -> String {
    link.split_once('#')
        .map(|(_, token)| token.to_owned())
        .unwrap_or_else(|| panic!("the link {link} carries its token after #"))
}

/// `POST /api/member/join/preview` or `/join` (`path`) from a browser on the site, without a cookie.
pub async fn post_token(app: &TestApp, path: &str, token: &str) -> Response {
    app.client
        .post(app.url(path))
        .header(header::ORIGIN, &app.address)
        .header("Sec-Fetch-Site", "same-origin")
        .header(header::USER_AGENT, PHONE)
        .json(&json!({ "token": token }))
        .send()
        .await
        .expect("the server answers")
}

/// A phone's browser, as the devices here say they are.
pub const PHONE: &str = "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36";

/// Joins a device with `token`, insisting on 200, and returns it.
pub async fn join(app: &TestApp, token: &str) -> MemberDevice {
    let response = post_token(app, "/api/member/join", token).await;
    assert_eq!(response.status(), StatusCode::OK, "joining with {token}");
    let cookie = member_cookie(&response).expect("joining sets the member cookie");
    MemberDevice {
        address: app.address.clone(),
        client: app.client.clone(),
        cookie,
    }
}

/// A member invited by `admin` and joined on one device.
pub async fn joined_member(
    app: &TestApp,
    admin: &StaffClient,
    name: &str,
    unit_id: i64,
    phone: &str,
) -> (i64, MemberDevice) {
    let id = add_member(app, name, unit_id, phone).await;
    let invitation = invite(admin, id).await;
    (id, join(app, &token_of(&invitation.link)).await)
}

/// The response's `Set-Cookie` for the member cookie, whole.
pub fn member_set_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|cookie| cookie.starts_with(&format!("{MEMBER_SESSION_COOKIE}=")))
        .map(str::to_owned)
}

/// The `jianyan_member=<token>` pair a response sets (not one that clears it).
pub fn member_cookie(response: &Response) -> Option<String> {
    member_set_cookie(response)
        .and_then(|cookie| cookie.split(';').next().map(str::to_owned))
        .filter(|pair| pair.len() > MEMBER_SESSION_COOKIE.len() + 1)
}

/// A joined device: every request carries its cookie and a same-site browser's headers.
#[derive(Clone)]
pub struct MemberDevice {
    pub address: String,
    pub client: reqwest::Client,
    /// `jianyan_member=<token>`.
    pub cookie: String,
}

impl MemberDevice {
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
            .header(header::COOKIE, &self.cookie)
            .header(header::ORIGIN, &self.address)
            .header("Sec-Fetch-Site", "same-origin")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("the server answers GET")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("the server answers POST")
    }

    /// `GET /api/member/me`, as JSON, insisting on 200.
    pub async fn me(&self) -> Value {
        let response = self.get("/api/member/me").await;
        assert_eq!(response.status(), StatusCode::OK, "the device is joined");
        response.json().await.expect("a member")
    }

    /// The codes `GET /api/member/submissions` lists, in order.
    pub async fn submission_codes(&self) -> Vec<String> {
        let response = self.get("/api/member/submissions").await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "the member's submissions"
        );
        let list: Vec<Value> = response.json().await.expect("a list");
        list.iter()
            .map(|item| item["code"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}
