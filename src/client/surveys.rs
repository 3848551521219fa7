//! 问卷, the staff side: list, build, publish, close, duplicate, read the results and export them.

use api::survey::{
    PublishSettings, QuestionId, SaveSurvey, SurveyBreakdown, SurveyId, SurveyResults,
    SurveySummary, SurveyView, TextAnswers,
};
use gloo_net::http::{Request, RequestBuilder};
use serde::{de::DeserializeOwned, Serialize};

use super::{read, ClientError};

fn survey_url(id: SurveyId, rest: &str) -> String {
    format!("/api/staff/surveys/{}{rest}", id.0)
}

/// `GET /api/staff/surveys`: every survey, newest first.
pub async fn list_surveys() -> Result<Vec<SurveySummary>, ClientError> {
    read(Request::get("/api/staff/surveys").send().await).await
}

/// `POST /api/staff/surveys`: a new draft.
pub async fn create_survey(survey: &SaveSurvey) -> Result<SurveyView, ClientError> {
    send_json(Request::post("/api/staff/surveys"), survey).await
}

/// `GET /api/staff/surveys/{id}`.
pub async fn get_survey(id: SurveyId) -> Result<SurveyView, ClientError> {
    read(Request::get(&survey_url(id, "")).send().await).await
}

/// `PUT /api/staff/surveys/{id}`: the new text; refused with the reason when it would corrupt answers.
pub async fn save_survey(id: SurveyId, survey: &SaveSurvey) -> Result<SurveyView, ClientError> {
    send_json(Request::put(&survey_url(id, "")), survey).await
}

/// `POST /api/staff/surveys/{id}/publish`.
pub async fn publish_survey(
    id: SurveyId,
    settings: &PublishSettings,
) -> Result<SurveyView, ClientError> {
    send_json(Request::post(&survey_url(id, "/publish")), settings).await
}

/// `POST /api/staff/surveys/{id}/close`: ends collecting now.
pub async fn close_survey(id: SurveyId) -> Result<SurveyView, ClientError> {
    read(Request::post(&survey_url(id, "/close")).send().await).await
}

/// `POST /api/staff/surveys/{id}/duplicate`: a new draft with the same questions.
pub async fn duplicate_survey(id: SurveyId) -> Result<SurveyView, ClientError> {
    read(Request::post(&survey_url(id, "/duplicate")).send().await).await
}

/// `GET /api/staff/surveys/{id}/results`: every chart's numbers, computed now.
pub async fn survey_results(id: SurveyId) -> Result<SurveyResults, ClientError> {
    read(Request::get(&survey_url(id, "/results")).send().await).await
}

/// `GET /api/staff/surveys/{id}/results/breakdown?question=`: one question's counts per unit.
pub async fn survey_breakdown(
    id: SurveyId,
    question: QuestionId,
) -> Result<SurveyBreakdown, ClientError> {
    let url = survey_url(id, &format!("/results/breakdown?question={}", question.0));
    read(Request::get(&url).send().await).await
}

/// `GET /api/staff/surveys/{id}/results/questions/{question}/texts?q=&offset=`: typed answers, 50 a page.
pub async fn survey_texts(
    id: SurveyId,
    question: QuestionId,
    search: &str,
    offset: u64,
) -> Result<TextAnswers, ClientError> {
    let mut url = survey_url(
        id,
        &format!("/results/questions/{}/texts?offset={offset}", question.0),
    );
    let search = search.trim();
    if !search.is_empty() {
        url.push_str("&q=");
        url.push_str(&String::from(js_sys::encode_uri_component(search)));
    }
    read(Request::get(&url).send().await).await
}

/// The address of a survey's export (`csv` or `xlsx`), for a plain download link.
pub fn survey_export_url(id: SurveyId, format: &str) -> String {
    survey_url(id, &format!("/export.{format}"))
}

async fn send_json<T: Serialize, R: DeserializeOwned>(
    request: RequestBuilder,
    body: &T,
) -> Result<R, ClientError> {
    let request = request.json(body).map_err(|_| ClientError::Network)?;
    read(request.send().await).await
}
