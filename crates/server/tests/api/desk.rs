//! What the staff-desk tests share: a server with a logged-in staff member, and every logged-in request
//! made through `Desk::request`, the one place that knows how a session is sent.

use api::SubmissionCreated;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, valid_submission, with, StaffClient, TestApp};

const PASSWORD: &str = "correct-horse-9";

/// A server and a logged-in staff member (张三).
pub struct Desk {
    pub app: TestApp,
    staff: StaffClient,
}

impl Desk {
    pub async fn start() -> Desk {
        let app = spawn_app().await;
        app.add_staff("zhangsan", "张三", PASSWORD).await;
        let staff = StaffClient {
            address: app.address.clone(),
            client: app.client.clone(),
            login: "zhangsan".into(),
            cookie: app.staff_cookie("zhangsan", PASSWORD).await,
        };
        Desk { app, staff }
    }

    /// A request as the logged-in staff member: the only place that attaches the session.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.staff.request(method, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("the server answers")
    }

    pub async fn send(&self, method: Method, path: &str, body: &Value) -> Response {
        self.request(method, path)
            .json(body)
            .send()
            .await
            .expect("the server answers")
    }

    /// A member's submission with this title (and the standard body).
    pub async fn submit(&self, title: &str) -> SubmissionCreated {
        self.app
            .create_submission(&with(valid_submission(), "title", json!(title)))
            .await
    }

    /// A member's submission with this title and body.
    pub async fn submit_text(&self, title: &str, body: &str) -> SubmissionCreated {
        let submission = with(
            with(valid_submission(), "title", json!(title)),
            "body",
            json!(body),
        );
        self.app.create_submission(&submission).await
    }

    /// `GET /api/staff/submissions/{code}`, insisting on 200.
    pub async fn view(&self, code: &str) -> Value {
        let response = self.get(&format!("/api/staff/submissions/{code}")).await;
        assert_eq!(response.status(), StatusCode::OK, "viewing {code}");
        response.json().await.expect("a StaffSubmissionView")
    }

    /// `POST …/{code}/actions` with this version and action.
    pub async fn act_at(&self, code: &str, version: i64, action: Value) -> Response {
        let body = json!({ "version": version, "action": action });
        self.send(
            Method::POST,
            &format!("/api/staff/submissions/{code}/actions"),
            &body,
        )
        .await
    }

    /// The action on the submission's current version, insisting on 200; the view afterwards.
    pub async fn act(&self, code: &str, action: Value) -> Value {
        let version = self.view(code).await["version"]
            .as_i64()
            .expect("a version");
        let response = self.act_at(code, version, action.clone()).await;
        let status = response.status();
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(status, StatusCode::OK, "{action} on {code}: {body}");
        body
    }

    /// Takes a fresh submission along these actions, returning its code.
    pub async fn submission_after(&self, actions: &[Value]) -> String {
        let code = self.submit("关于加强老旧小区加装电梯的建议").await.code;
        for action in actions {
            self.act(&code, action.clone()).await;
        }
        code
    }
}

/// The actions that bring a submission to each status, in order.
pub fn accept() -> Value {
    json!({ "kind": "accept" })
}
pub fn assign() -> Value {
    json!({ "kind": "assign", "handler": "区住建局" })
}
pub fn start_handling() -> Value {
    json!({ "kind": "start_handling" })
}
pub fn reply() -> Value {
    json!({ "kind": "reply", "text": "已列入明年民生实事，安排专项资金。" })
}
pub fn close() -> Value {
    json!({ "kind": "close" })
}
pub fn return_for_revision() -> Value {
    json!({ "kind": "return", "reason": "请补充涉及的小区名单" })
}
