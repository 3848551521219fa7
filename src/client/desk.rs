//! The staff desk: the submission list, one submission, and the changes staff make to it.
//! Every request carries the staff session cookie (same origin), never a token the app could read.

use api::{
    desk::{
        AddAdoption, AddInstruction, AddNote, ApplyAction, ApplyBulkAction, BulkActionResults,
        ChangeConflict, ListSubmissions, SetFlags, SetOutcome, StaffSubmissionView, SubmissionPage,
    },
    ErrorBody,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;

use super::{encode_path_segment, read, ClientError};

/// Why a change to a submission did not happen.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeError {
    /// Someone changed it first, or the action is no longer legal: the submission as it is now.
    Conflict(Box<ChangeConflict>),
    Other(ClientError),
}

impl ChangeError {
    /// A sentence for the person at the desk.
    pub fn message(&self) -> String {
        match self {
            ChangeError::Conflict(conflict) => conflict.message.clone(),
            ChangeError::Other(error) => error.message(),
        }
    }
}

/// `GET /api/staff/submissions?…`: one page of the list for these filters.
pub async fn list_submissions(query: &ListSubmissions) -> Result<SubmissionPage, ClientError> {
    let url = format!("/api/staff/submissions{}", list_query(query));
    read(Request::get(&url).send().await).await
}

/// The address of the current list as a download: `csv` or `xlsx`.
pub fn export_url(query: &ListSubmissions, format: &str) -> String {
    let mut query = query.clone();
    query.after = None;
    query.limit = None;
    format!(
        "/api/staff/submissions/export.{format}{}",
        list_query(&query)
    )
}

/// `GET /api/staff/submissions/{code}`.
pub async fn get_staff_submission(code: &str) -> Result<StaffSubmissionView, ClientError> {
    read(Request::get(&submission_url(code, "")).send().await).await
}

/// `POST …/{code}/actions`: moves the submission on, if `version` is still current.
pub async fn apply_action(
    code: &str,
    change: &ApplyAction,
) -> Result<StaffSubmissionView, ChangeError> {
    change_request(Request::post(&submission_url(code, "/actions")), change).await
}

/// `POST …/{code}/notes`: an internal note.
pub async fn add_note(code: &str, note: &AddNote) -> Result<StaffSubmissionView, ChangeError> {
    change_request(Request::post(&submission_url(code, "/notes")), note).await
}

/// `PUT …/{code}/outcome`.
pub async fn set_outcome(
    code: &str,
    outcome: &SetOutcome,
) -> Result<StaffSubmissionView, ChangeError> {
    change_request(Request::put(&submission_url(code, "/outcome")), outcome).await
}

/// `PUT …/{code}/flags`.
pub async fn set_flags(code: &str, flags: &SetFlags) -> Result<StaffSubmissionView, ChangeError> {
    change_request(Request::put(&submission_url(code, "/flags")), flags).await
}

/// `POST …/{code}/adoptions`.
pub async fn add_adoption(
    code: &str,
    adoption: &AddAdoption,
) -> Result<StaffSubmissionView, ChangeError> {
    change_request(Request::post(&submission_url(code, "/adoptions")), adoption).await
}

/// `POST …/{code}/instructions`.
pub async fn add_instruction(
    code: &str,
    instruction: &AddInstruction,
) -> Result<StaffSubmissionView, ChangeError> {
    change_request(
        Request::post(&submission_url(code, "/instructions")),
        instruction,
    )
    .await
}

/// `POST /api/staff/submissions/actions`: one action on the selected rows, a result each.
pub async fn apply_bulk_action(change: &ApplyBulkAction) -> Result<BulkActionResults, ClientError> {
    let request = Request::post("/api/staff/submissions/actions")
        .json(change)
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}

/// `GET /api/staff/handlers?q=`: 承办单位 used before, for suggestions.
pub async fn handler_suggestions(prefix: &str) -> Result<Vec<String>, ClientError> {
    let url = format!("/api/staff/handlers?q={}", encode_query(prefix));
    read(Request::get(&url).send().await).await
}

fn submission_url(code: &str, rest: &str) -> String {
    format!("/api/staff/submissions/{}{rest}", encode_path_segment(code))
}

/// Sends a change; a 409 comes back with the submission as it is now.
async fn change_request<T: Serialize>(
    request: RequestBuilder,
    body: &T,
) -> Result<StaffSubmissionView, ChangeError> {
    let response = request
        .json(body)
        .map_err(|_| ChangeError::Other(ClientError::Network))?
        .send()
        .await
        .map_err(|_| ChangeError::Other(ClientError::Network))?;
    if response.status() == 409 {
        return match response.json::<ChangeConflict>().await {
            Ok(conflict) => Err(ChangeError::Conflict(Box::new(conflict))),
            Err(_) => Err(ChangeError::Other(ClientError::Api {
                status: 409,
                body: ErrorBody::new("这条建言刚被别人改动过，请刷新后再操作"),
            })),
        };
    }
    read(Ok::<Response, gloo_net::Error>(response))
        .await
        .map_err(ChangeError::Other)
}

/// `?status=…&q=…` for the filters that are set (empty when none is).
pub fn list_query(query: &ListSubmissions) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(status) = query.status {
        pairs.push(("status", status.as_str().into()));
    }
    if let Some(kind) = query.kind {
        pairs.push(("kind", kind.as_str().into()));
    }
    if let Some(unit) = query.unit {
        pairs.push(("unit", unit.to_string()));
    }
    if let Some(year) = query.year {
        pairs.push(("year", year.to_string()));
    }
    for (name, value) in [("from", &query.from), ("to", &query.to)] {
        if let Some(value) = value {
            pairs.push((name, value.clone()));
        }
    }
    if let Some(flag) = query.flag {
        let flag = match flag {
            api::desk::FlagFilter::Key => "key",
            api::desk::FlagFilter::Excellent => "excellent",
        };
        pairs.push(("flag", flag.into()));
    }
    if let Some(handler) = &query.handler {
        pairs.push(("handler", handler.clone()));
    }
    if query.overdue == Some(true) {
        pairs.push(("overdue", "true".into()));
    }
    if let Some(q) = &query.q {
        pairs.push(("q", q.clone()));
    }
    if let Some(sort) = query.sort {
        let sort = match sort {
            api::desk::SortOrder::Newest => "newest",
            api::desk::SortOrder::Updated => "updated",
            api::desk::SortOrder::Unit => "unit",
        };
        pairs.push(("sort", sort.into()));
    }
    if let Some(topic) = query.topic {
        pairs.push(("topic", topic.to_string()));
    }
    if let Some(codes) = &query.codes {
        pairs.push(("codes", codes.clone()));
    }
    if let Some(after) = &query.after {
        pairs.push(("after", after.clone()));
    }
    if let Some(limit) = query.limit {
        pairs.push(("limit", limit.to_string()));
    }
    if pairs.is_empty() {
        return String::new();
    }
    let joined: Vec<String> = pairs
        .into_iter()
        .map(|(name, value)| format!("{name}={}", encode_query(&value)))
        .collect();
    format!("?{}", joined.join("&"))
}

/// Percent-encodes a query value (UTF-8), as `encodeURIComponent` does.
fn encode_query(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}
