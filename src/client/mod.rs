//! The one typed HTTP client: one async fn per endpoint, one file per area. Components never touch
//! gloo-net; a non-2xx answer comes back as `ClientError::Api` with the server's `ErrorBody`.

mod account;
mod attachments;
mod cosign;
mod desk;
mod member_access;
mod member_topics;
mod roster;
mod staff;
mod submissions;
mod units;
mod uploads;

use api::ErrorBody;
use gloo_net::http::Response;
use serde::de::DeserializeOwned;

pub use account::{
    claim_submission, current_member, device_link, join, leave_device, my_submissions,
    preview_invitation,
};
pub use attachments::upload_attachment;
pub use cosign::{
    answer_cosign, cosign_requests, create_cosign_draft, my_cosign_drafts, search_roster,
    send_cosign_draft,
};
pub use desk::{
    add_adoption, add_instruction, add_note, apply_action, apply_bulk_action, export_url,
    get_staff_submission, handler_suggestions, list_query, list_submissions, set_flags,
    set_outcome, ChangeError,
};
pub use member_access::{
    end_member_device, issue_invitation, issue_unit_invitations, member_access, save_settings,
    settings,
};
pub use member_topics::{
    claim_topic, create_proposal, give_back_topic, mark_researching, member_topic, member_topics,
    unit_proposals,
};
pub use roster::{
    add_unit, get_member, import_roster, list_members, rename_unit, reorder_units, save_member,
    set_member_disabled, set_unit_retired, staff_units,
};
pub use staff::{audit_log, current_staff, log_in, log_out};
pub use submissions::{create_submission, get_submission, rate_reply, resubmit_submission};
pub use units::list_units;
pub use uploads::{delete_upload, send_file, upload_limits};

/// Why a request did not give the expected answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// The request never got an answer: offline, timed out, connection dropped.
    Network,
    /// The server answered with an error status and (normally) an `ErrorBody`.
    Api { status: u16, body: ErrorBody },
}

impl ClientError {
    /// True when sending the same request again later may well succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            ClientError::Network => true,
            ClientError::Api { status, .. } => retryable_status(*status),
        }
    }

    /// A sentence for the person in front of the screen.
    pub fn message(&self) -> String {
        match self {
            ClientError::Network => "网络连接失败，请检查网络后重试".into(),
            ClientError::Api { body, .. } => body.message.clone(),
        }
    }
}

/// Server errors, rate limits and timeouts pass; other 4xx need a change to the request.
pub fn retryable_status(status: u16) -> bool {
    status >= 500 || status == 429 || status == 408
}

pub(crate) async fn read<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ClientError> {
    check(response)
        .await?
        .json()
        .await
        .map_err(|_| ClientError::Network)
}

/// The response if its status is a success, its `ErrorBody` as an error otherwise.
pub(crate) async fn check(
    response: Result<Response, gloo_net::Error>,
) -> Result<Response, ClientError> {
    let response = response.map_err(|_| ClientError::Network)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let body = response
        .json()
        .await
        .unwrap_or_else(|_| ErrorBody::new(format!("服务器暂时无法处理（{status}），请稍后重试")));
    Err(ClientError::Api { status, body })
}

/// Keeps a typed code from escaping its path segment.
pub(crate) fn encode_path_segment(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}
