//! Surveys as members answer them: the open ones, one to answer (by id for a joined member, or by its
//! public link's key on any device), and sending a response exactly once (`Idempotency-Key`).

use api::{
    survey::{MemberSurvey, MemberSurveyItem, ResponseRecorded, SubmitResponse, SurveyId},
    IDEMPOTENCY_KEY_HEADER,
};
use gloo_net::http::Request;
use serde::{Deserialize, Serialize};

use super::{encode_path_segment, read, ClientError};

/// Which survey a page or a response is about: one published to the member's unit, or one opened by its
/// public link (no roster; the server knows the device by a cookie it sets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SurveyRef {
    Member(SurveyId),
    Link(String),
}

impl SurveyRef {
    fn api_path(&self) -> String {
        match self {
            SurveyRef::Member(id) => format!("/api/member/surveys/{}", id.0),
            SurveyRef::Link(key) => format!("/api/surveys/link/{}", encode_path_segment(key)),
        }
    }

    /// A name for storage keys: `m12` or `l<key>`.
    pub fn storage_name(&self) -> String {
        match self {
            SurveyRef::Member(id) => format!("m{}", id.0),
            SurveyRef::Link(key) => format!("l{}", encode_path_segment(key)),
        }
    }
}

/// `GET /api/member/surveys`: the surveys for this joined member, soonest closing first.
pub async fn my_surveys() -> Result<Vec<MemberSurveyItem>, ClientError> {
    read(Request::get("/api/member/surveys").send().await).await
}

/// `GET /api/member/surveys/{id}` or `GET /api/surveys/link/{key}`: one survey to answer.
pub async fn open_survey(survey: SurveyRef) -> Result<MemberSurvey, ClientError> {
    read(Request::get(&survey.api_path()).send().await).await
}

/// `POST …/responses`, safe to repeat with the same `idempotency_key`.
pub async fn send_response(
    survey: &SurveyRef,
    response: &SubmitResponse,
    idempotency_key: &str,
) -> Result<ResponseRecorded, ClientError> {
    let request = Request::post(&format!("{}/responses", survey.api_path()))
        .header(IDEMPOTENCY_KEY_HEADER, idempotency_key)
        .json(response)
        .map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}
