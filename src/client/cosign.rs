//! Co-signing (联名) for a joined member: finding co-signers on the roster, asking them, the requests
//! the member leads and those that ask them, and answering.

use api::{
    AnswerCosign, CosignDraft, CosignDraftId, CosignRequest, CreateCosignDraft, RosterEntry,
};
use gloo_net::http::Request;

use super::{check, read, ClientError};

/// `GET /api/member/roster?q=`: active members whose name contains `name` (name and unit only).
pub async fn search_roster(name: &str) -> Result<Vec<RosterEntry>, ClientError> {
    let url = format!(
        "/api/member/roster?q={}",
        String::from(js_sys::encode_uri_component(name))
    );
    read(Request::get(&url).send().await).await
}

/// `POST /api/member/cosign-drafts`: asks the chosen members to co-sign.
pub async fn create_cosign_draft(draft: &CreateCosignDraft) -> Result<CosignDraft, ClientError> {
    let request = Request::post("/api/member/cosign-drafts")
        .json(draft)
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}

/// `GET /api/member/cosign-drafts`: the requests the member leads.
pub async fn my_cosign_drafts() -> Result<Vec<CosignDraft>, ClientError> {
    read(Request::get("/api/member/cosign-drafts").send().await).await
}

/// `POST /api/member/cosign-drafts/{id}/send`: sends it to staff now (直接提交).
pub async fn send_cosign_draft(id: CosignDraftId) -> Result<CosignDraft, ClientError> {
    let url = format!("/api/member/cosign-drafts/{}/send", id.0);
    read(Request::post(&url).send().await).await
}

/// `GET /api/member/cosign-requests`: unsent requests that ask the member to co-sign.
pub async fn cosign_requests() -> Result<Vec<CosignRequest>, ClientError> {
    read(Request::get("/api/member/cosign-requests").send().await).await
}

/// `POST /api/member/cosign-requests/{id}`: 同意联名 (`confirm`) or 不同意, once.
pub async fn answer_cosign(id: CosignDraftId, confirm: bool) -> Result<(), ClientError> {
    let url = format!("/api/member/cosign-requests/{}", id.0);
    let request = Request::post(&url)
        .json(&AnswerCosign { confirm })
        .map_err(|_| ClientError::Network)?;
    check(request.send().await).await.map(drop)
}
