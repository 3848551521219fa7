//! The member's side of 党委出题 (`/api/member/topics`, `/api/member/proposals`): the open topics for
//! the member's unit, one topic, 认领 / 放弃认领 / 调研中 by the unit's 联络员, and 自主选题.

use api::topic::{CreateProposal, MemberTopic, MemberTopicView, ProposalView, TopicId};
use gloo_net::http::Request;

use super::{read, ClientError};

/// `GET /api/member/topics`: the open topics for the member's unit, soonest deadline first.
pub async fn member_topics() -> Result<Vec<MemberTopic>, ClientError> {
    read(Request::get("/api/member/topics").send().await).await
}

/// `GET /api/member/topics/{id}`: one topic in full, with the unit's claim and results.
pub async fn member_topic(id: TopicId) -> Result<MemberTopicView, ClientError> {
    read(
        Request::get(&format!("/api/member/topics/{}", id.0))
            .send()
            .await,
    )
    .await
}

/// `POST /api/member/topics/{id}/claim`: the unit's 联络员 claims the topic for the unit (认领).
pub async fn claim_topic(id: TopicId) -> Result<MemberTopicView, ClientError> {
    let path = format!("/api/member/topics/{}/claim", id.0);
    read(Request::post(&path).send().await).await
}

/// `DELETE /api/member/topics/{id}/claim`: the unit's 联络员 gives the topic back (放弃认领).
pub async fn give_back_topic(id: TopicId) -> Result<MemberTopicView, ClientError> {
    let path = format!("/api/member/topics/{}/claim", id.0);
    read(Request::delete(&path).send().await).await
}

/// `POST /api/member/topics/{id}/researching`: the unit's 联络员 marks its research started (调研中).
pub async fn mark_researching(id: TopicId) -> Result<MemberTopicView, ClientError> {
    let path = format!("/api/member/topics/{}/researching", id.0);
    read(Request::post(&path).send().await).await
}

/// `GET /api/member/proposals`: the unit's 自主选题 proposals, newest first.
pub async fn unit_proposals() -> Result<Vec<ProposalView>, ClientError> {
    read(Request::get("/api/member/proposals").send().await).await
}

/// `POST /api/member/proposals`: the unit's 联络员 proposes a topic of the unit's own.
pub async fn create_proposal(proposal: &CreateProposal) -> Result<ProposalView, ClientError> {
    let request = Request::post("/api/member/proposals")
        .json(proposal)
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}
