//! 党委出题 at the desk: topics (overview, editor, versions, board, claims for a unit), 自主选题 proposals
//! and the grading of research results. Every request carries the staff session cookie.

use api::{
    topic::{
        DecideProposal, GradeResult, ListProposals, ProposalView, ResultTopic, SaveTopic,
        StaffClaim, TopicBoard, TopicOverview, TopicVersionView, TopicView, WithdrawTopic,
    },
    TopicId,
};
use gloo_net::http::{Request, RequestBuilder};
use serde::{de::DeserializeOwned, Serialize};

use super::{encode_path_segment, read, ClientError};

/// `GET /api/staff/topics?year=`: every topic of the year with its board counts.
pub async fn topic_overview(year: Option<i32>) -> Result<TopicOverview, ClientError> {
    let url = match year {
        Some(year) => format!("/api/staff/topics?year={year}"),
        None => "/api/staff/topics".to_owned(),
    };
    read(Request::get(&url).send().await).await
}

/// `GET /api/staff/topics/{id}`.
pub async fn get_topic(id: TopicId) -> Result<TopicView, ClientError> {
    read(Request::get(&topic_url(id, "")).send().await).await
}

/// `POST /api/staff/topics`: a new draft.
pub async fn create_topic(topic: &SaveTopic) -> Result<TopicView, ClientError> {
    send_json(Request::post("/api/staff/topics"), topic).await
}

/// `PUT /api/staff/topics/{id}`: a draft changes in place; a published topic gets a new version.
pub async fn save_topic(id: TopicId, topic: &SaveTopic) -> Result<TopicView, ClientError> {
    send_json(Request::put(&topic_url(id, "")), topic).await
}

/// `POST /api/staff/topics/{id}/publish`.
pub async fn publish_topic(id: TopicId) -> Result<TopicView, ClientError> {
    read(Request::post(&topic_url(id, "/publish")).send().await).await
}

/// `POST /api/staff/topics/{id}/close`.
pub async fn close_topic(id: TopicId) -> Result<TopicView, ClientError> {
    read(Request::post(&topic_url(id, "/close")).send().await).await
}

/// `POST /api/staff/topics/{id}/withdraw`, with the reason.
pub async fn withdraw_topic(id: TopicId, reason: &WithdrawTopic) -> Result<TopicView, ClientError> {
    send_json(Request::post(&topic_url(id, "/withdraw")), reason).await
}

/// `GET /api/staff/topics/{id}/versions`: every published version with what changed, oldest first.
pub async fn topic_versions(id: TopicId) -> Result<Vec<TopicVersionView>, ClientError> {
    read(Request::get(&topic_url(id, "/versions")).send().await).await
}

/// `GET /api/staff/topics/{id}/board`.
pub async fn topic_board(id: TopicId) -> Result<TopicBoard, ClientError> {
    read(Request::get(&topic_url(id, "/board")).send().await).await
}

/// `POST /api/staff/topics/{id}/claims`: staff claim the topic for a target unit.
pub async fn claim_for_unit(id: TopicId, claim: &StaffClaim) -> Result<TopicBoard, ClientError> {
    send_json(Request::post(&topic_url(id, "/claims")), claim).await
}

/// `GET /api/staff/proposals?state=`.
pub async fn list_proposals(query: &ListProposals) -> Result<Vec<ProposalView>, ClientError> {
    let url = match query.state {
        Some(state) => format!("/api/staff/proposals?state={}", state.as_str()),
        None => "/api/staff/proposals".to_owned(),
    };
    read(Request::get(&url).send().await).await
}

/// `POST /api/staff/proposals/{id}/decision`: approve (with a deadline) or decline (with a reason).
pub async fn decide_proposal(
    id: api::ProposalId,
    decision: &DecideProposal,
) -> Result<ProposalView, ClientError> {
    let url = format!("/api/staff/proposals/{}/decision", id.0);
    send_json(Request::post(&url), decision).await
}

/// `POST /api/staff/submissions/{code}/grade`.
pub async fn grade_result(code: &str, grade: &GradeResult) -> Result<ResultTopic, ClientError> {
    let url = format!("/api/staff/submissions/{}/grade", encode_path_segment(code));
    send_json(Request::post(&url), grade).await
}

fn topic_url(id: TopicId, rest: &str) -> String {
    format!("/api/staff/topics/{}{rest}", id.0)
}

async fn send_json<T: Serialize, R: DeserializeOwned>(
    request: RequestBuilder,
    body: &T,
) -> Result<R, ClientError> {
    let request = request.json(body).map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}
