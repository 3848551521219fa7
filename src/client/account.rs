//! A member's own device session: joining with an invitation, who they are, their submissions from any
//! device, a link for their next device, and leaving. The session is an HttpOnly cookie (path `/api`);
//! the app never holds its token.

use api::{ClaimSubmission, DeviceLink, JoinPreview, JoinRequest, MemberMe, MemberSubmission};
use gloo_net::http::Request;

use super::{check, read, ClientError};

/// `POST /api/member/join/preview`: whose invitation `token` is, without using it up.
pub async fn preview_invitation(token: &str) -> Result<JoinPreview, ClientError> {
    let request = Request::post("/api/member/join/preview")
        .json(&JoinRequest {
            token: token.to_owned(),
        })
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}

/// `POST /api/member/join`: uses the invitation and makes this browser one of the member's devices.
pub async fn join(token: &str) -> Result<MemberMe, ClientError> {
    let request = Request::post("/api/member/join")
        .json(&JoinRequest {
            token: token.to_owned(),
        })
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}

/// `GET /api/member/me`: the joined member, or 401 when this device is not (or no longer) joined.
pub async fn current_member() -> Result<MemberMe, ClientError> {
    read(Request::get("/api/member/me").send().await).await
}

/// `GET /api/member/submissions`: every submission of the member, from any of their devices.
pub async fn my_submissions() -> Result<Vec<MemberSubmission>, ClientError> {
    read(Request::get("/api/member/submissions").send().await).await
}

/// `POST /api/member/submissions/claim`: a receipt this device kept from before it joined becomes the
/// member's.
pub async fn claim_submission(code: &str, secret: &str) -> Result<(), ClientError> {
    let request = Request::post("/api/member/submissions/claim")
        .json(&ClaimSubmission {
            code: code.to_owned(),
            secret: secret.to_owned(),
        })
        .map_err(|_| ClientError::Network)?;
    check(request.send().await).await.map(drop)
}

/// `POST /api/member/device-link`: a one-time link (10 minutes) for the member's next device.
pub async fn device_link() -> Result<DeviceLink, ClientError> {
    read(Request::post("/api/member/device-link").send().await).await
}

/// `POST /api/member/logout`: ends this device's session (the answer clears the cookie).
pub async fn leave_device() -> Result<(), ClientError> {
    check(Request::post("/api/member/logout").send().await)
        .await
        .map(drop)
}
