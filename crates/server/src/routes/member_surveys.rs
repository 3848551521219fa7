//! Answering surveys: `/api/member/surveys*` for joined members (device session), and
//! `/api/surveys/link/{key}*` for public-link surveys, which need no session and allow one response per
//! device (the `jianyan_survey_device` cookie). Mounted by `member::router`, behind its cross-site check
//! and `no-store`.
//!
//! Nothing here logs who answered what: handlers record no member or device in their spans, and an
//! anonymous response is stored without its member and with its day only.

use api::{
    survey::{
        validate_response, Audience, MemberSurvey, MemberSurveyItem, ResponseRecorded,
        SubmitResponse, SurveyId, SurveyStatus, SURVEY_DEVICE_COOKIE,
    },
    ErrorBody, IDEMPOTENCY_KEY_HEADER,
};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Extension, Json, Router,
};
use time::Duration;

use crate::{
    auth::{member_session::CurrentMember, session::CookiePolicy},
    client_addr::RequestSite,
    clock::{self, Now},
    error::ApiError,
    extract::ApiJson,
    rate_limit::{self, Limits},
    secret,
    store::surveys::{
        self,
        responses::{self, NewResponse, Recorded, RespondError, Respondent},
        StoredSurvey,
    },
    AppState,
};

/// How long a closed survey stays in the member's list.
const CLOSED_SHOWN_FOR: Duration = Duration::days(30);
/// Longest Idempotency-Key accepted; a UUID is 36.
const MAX_KEY_LEN: usize = 100;
/// The device cookie lives a year and goes only to the link-survey API.
const DEVICE_COOKIE_MAX_AGE: i64 = 365 * 24 * 3600;

const NOT_FOUND: &str = "没有找到这份问卷，或它不面向您所在的单位";
const LINK_NOT_FOUND: &str = "这个问卷链接无效，或问卷已被撤下；请向发链接的人确认";
const ALREADY: &str = "您已经提交过这份问卷，每人只能提交一次";
const ALREADY_DEVICE: &str = "这台设备已经提交过这份问卷，每台设备只能提交一次";

pub fn router(limits: &Limits) -> Router<AppState> {
    Router::new()
        .route("/member/surveys", get(my_surveys))
        .route("/member/surveys/{id}", get(my_survey))
        .route(
            "/member/surveys/{id}/responses",
            rate_limit::limited(post(respond), limits.submit),
        )
        .route("/surveys/link/{key}", get(link_survey))
        .route(
            "/surveys/link/{key}/responses",
            rate_limit::limited(post(respond_by_link), limits.submit),
        )
}

fn notice(survey: &StoredSurvey, status: SurveyStatus, answered: bool, per_device: bool) -> String {
    let Some(settings) = &survey.settings else {
        return String::new();
    };
    let shown = |at: &str| at.get(..16).unwrap_or(at).replace('T', " ");
    let mut parts = Vec::new();
    match status {
        SurveyStatus::Scheduled => parts.push(format!(
            "问卷尚未开始，{} 起可以填写",
            shown(&settings.opens_at)
        )),
        SurveyStatus::Closed => parts.push("问卷已结束，不能再填写".to_owned()),
        SurveyStatus::Collecting | SurveyStatus::Draft => {
            if answered && settings.editable_until_close {
                parts.push(format!(
                    "您已提交过，{} 截止前可以修改答案",
                    shown(&settings.closes_at)
                ));
            } else if answered {
                parts.push(if per_device { ALREADY_DEVICE } else { ALREADY }.to_owned());
            } else {
                parts.push(format!("请在 {} 前填写", shown(&settings.closes_at)));
            }
        }
    }
    if settings.anonymous {
        parts.push(
            "本问卷匿名：您的答案与您的身份分开保存，任何人（包括统战部）都无法知道哪份答卷是您的"
                .to_owned(),
        );
    }
    if per_device && !answered {
        parts.push("每台设备只能提交一次".to_owned());
    }
    parts.join("。")
}

/// The published surveys for the member's unit that are open, ahead, or closed within 30 days.
#[utoipa::path(
    get,
    path = "/api/member/surveys",
    tag = "member",
    security(("member_session" = [])),
    responses(
        (status = 200, description = "面向本单位的问卷：收集中、未开始、近 30 天内结束的；截止早的在前", body = Vec<MemberSurveyItem>),
        (status = 401, description = "这台设备没有加入，或已退出", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub(super) async fn my_surveys(
    member: CurrentMember,
    Now(now): Now,
    State(state): State<AppState>,
) -> Result<Json<Vec<MemberSurveyItem>>, ApiError> {
    let since = clock::rfc3339(now - CLOSED_SHOWN_FOR);
    let now = clock::rfc3339(now);
    let list = surveys::for_unit(&state.db, member.member.unit_id, &since).await?;
    let ids: Vec<SurveyId> = list.iter().map(|s| s.id).collect();
    let answered =
        responses::answered_among(&state.db, &Respondent::Member(member.member.id), &ids).await?;
    Ok(Json(
        list.into_iter()
            .filter_map(|survey| {
                let settings = survey.settings.clone()?;
                Some(MemberSurveyItem {
                    id: survey.id,
                    title: survey.definition.title.clone(),
                    status: survey.status(&now),
                    opens_at: settings.opens_at,
                    closes_at: settings.closes_at,
                    questions: u32::try_from(survey.definition.questions.len()).unwrap_or(u32::MAX),
                    anonymous: settings.anonymous,
                    answered: answered.contains(&survey.id),
                })
            })
            .collect(),
    ))
}

async fn member_survey_for(
    state: &AppState,
    member: &CurrentMember,
    id: Result<Path<i64>, PathRejection>,
) -> Result<StoredSurvey, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::NotFound(NOT_FOUND.into()));
    };
    surveys::get(&state.db, SurveyId(id))
        .await?
        .filter(|survey| surveys::reaches_unit(survey, member.member.unit_id))
        .ok_or_else(|| ApiError::NotFound(NOT_FOUND.into()))
}

fn member_view(
    survey: StoredSurvey,
    now: &str,
    answered: bool,
    my_answers: Option<Vec<api::survey::Answer>>,
    per_device: bool,
) -> MemberSurvey {
    let status = survey.status(now);
    let notice = notice(&survey, status, answered, per_device);
    let settings = survey
        .settings
        .unwrap_or_else(|| api::survey::PublishSettings {
            opens_at: String::new(),
            closes_at: String::new(),
            audience: Audience::Link,
            anonymous: false,
            editable_until_close: false,
        });
    MemberSurvey {
        id: survey.id,
        status,
        definition: survey.definition,
        opens_at: settings.opens_at,
        closes_at: settings.closes_at,
        anonymous: settings.anonymous,
        per_device,
        editable_until_close: settings.editable_until_close,
        answered,
        my_answers,
        notice,
    }
}

/// One survey to answer, or the reason it cannot be answered now.
#[utoipa::path(
    get,
    path = "/api/member/surveys/{id}",
    tag = "member",
    params(("id" = i64, Path, description = "问卷编号")),
    security(("member_session" = [])),
    responses(
        (status = 200, description = "问卷；未开始或已结束时 status 说明，notice 给出提示", body = MemberSurvey),
        (status = 401, description = "这台设备没有加入，或已退出", body = ErrorBody),
        (status = 404, description = "没有这份问卷，或它不面向本单位", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub(super) async fn my_survey(
    member: CurrentMember,
    Now(now): Now,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<MemberSurvey>, ApiError> {
    let survey = member_survey_for(&state, &member, id).await?;
    let respondent = Respondent::Member(member.member.id);
    let answered = responses::has_answered(&state.db, survey.id, &respondent).await?;
    let editable = survey
        .settings
        .as_ref()
        .is_some_and(|s| s.editable_until_close && !s.anonymous);
    let my_answers = if answered && editable {
        responses::member_answers(&state.db, survey.id, member.member.id).await?
    } else {
        None
    };
    Ok(Json(member_view(
        survey,
        &clock::rfc3339(now),
        answered,
        my_answers,
        false,
    )))
}

fn retry_key_hash(headers: &HeaderMap) -> Result<String, ApiError> {
    let key = headers
        .get(IDEMPOTENCY_KEY_HEADER)
        .map(|value| value.to_str().unwrap_or_default().trim())
        .unwrap_or_default();
    let printable = key.bytes().all(|b| b.is_ascii_graphic());
    if key.is_empty() || key.len() > MAX_KEY_LEN || !printable {
        return Err(ApiError::BadRequest(format!(
            "请在 Idempotency-Key 中附上 1–{MAX_KEY_LEN} 个可见 ASCII 字符（每份答卷一个，重试时不变）"
        )));
    }
    Ok(secret::sha256_hex(key.as_bytes()))
}

/// Checks the window and the answers, then stores the response for `respondent`.
async fn record(
    state: &AppState,
    survey: &StoredSurvey,
    now: time::OffsetDateTime,
    respondent: Respondent,
    member: Option<&CurrentMember>,
    retry_key_hash: &str,
    request: &SubmitResponse,
) -> Result<(StatusCode, Json<ResponseRecorded>), ApiError> {
    let Some(settings) = &survey.settings else {
        return Err(ApiError::NotFound(NOT_FOUND.into()));
    };
    let stamp = clock::rfc3339(now);
    match survey.status(&stamp) {
        SurveyStatus::Scheduled => {
            return Err(ApiError::Conflict(format!(
                "问卷尚未开始，{} 起可以填写；您的答案仍保存在本机",
                settings
                    .opens_at
                    .get(..16)
                    .unwrap_or_default()
                    .replace('T', " ")
            )))
        }
        SurveyStatus::Closed | SurveyStatus::Draft => {
            return Err(ApiError::Conflict(
                "问卷已结束，不能再提交；如有意见可通过“建言”反映".into(),
            ))
        }
        SurveyStatus::Collecting => {}
    }
    let answers =
        validate_response(&survey.definition, &request.answers).map_err(ApiError::Invalid)?;
    let per_device = matches!(respondent, Respondent::Device(_));
    let submitted_at = if settings.anonymous {
        clock::date_text(now.date())
    } else {
        stamp
    };
    let new = NewResponse {
        survey: survey.id,
        respondent,
        retry_key_hash,
        member_id: member.filter(|_| !settings.anonymous).map(|m| m.member.id),
        unit_id: member.map(|m| m.member.unit_id),
        submitted_at: &submitted_at,
        answers: &answers,
        may_replace: settings.editable_until_close && !settings.anonymous,
    };
    match responses::respond(&state.db, &new).await {
        Ok(Recorded::New) => Ok((
            StatusCode::CREATED,
            Json(ResponseRecorded {
                replaced: false,
                message: "感谢参与，您的答卷已提交".into(),
            }),
        )),
        Ok(Recorded::Replaced) => Ok((
            StatusCode::OK,
            Json(ResponseRecorded {
                replaced: true,
                message: "已更新您的答卷".into(),
            }),
        )),
        Ok(Recorded::Repeat) => Ok((
            StatusCode::OK,
            Json(ResponseRecorded {
                replaced: false,
                message: "感谢参与，您的答卷已提交".into(),
            }),
        )),
        Err(RespondError::AlreadyAnswered) => Err(ApiError::Conflict(
            if per_device { ALREADY_DEVICE } else { ALREADY }.into(),
        )),
        Err(RespondError::Other(error)) => Err(ApiError::Internal(error)),
    }
}

/// Stores the member's response, exactly once per `Idempotency-Key`; one response per member, unless
/// the survey is editable until it closes (then it replaces the earlier one).
#[utoipa::path(
    post,
    path = "/api/member/surveys/{id}/responses",
    tag = "member",
    params(
        ("id" = i64, Path, description = "问卷编号"),
        ("Idempotency-Key" = String, Header, description = "每份答卷一个（如 UUID），重试时不变"),
    ),
    request_body = SubmitResponse,
    security(("member_session" = [])),
    responses(
        (status = 201, description = "已提交", body = ResponseRecorded),
        (status = 200, description = "同一 Idempotency-Key 的重试，或替换了之前的答卷（截止前可修改）", body = ResponseRecorded),
        (status = 400, description = "缺少 Idempotency-Key，或不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "这台设备没有加入，或已退出", body = ErrorBody),
        (status = 403, description = "从其他网站发起的请求", body = ErrorBody),
        (status = 404, description = "没有这份问卷，或它不面向本单位", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "已经提交过，或问卷未开始、已结束", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "答案不合要求；fields 的键为 q{题号}，提示写明是第几题", body = ErrorBody),
        (status = 429, description = "提交太频繁", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub(super) async fn respond(
    member: CurrentMember,
    Now(now): Now,
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SubmitResponse>,
) -> Result<(StatusCode, Json<ResponseRecorded>), ApiError> {
    let key = retry_key_hash(&headers)?;
    let survey = member_survey_for(&state, &member, id).await?;
    let respondent = Respondent::Member(member.member.id);
    record(
        &state,
        &survey,
        now,
        respondent,
        Some(&member),
        &key,
        &request,
    )
    .await
}

/// The device token in the request's cookies, if any.
fn device_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| {
            *name == SURVEY_DEVICE_COOKIE
                && (16..=100).contains(&value.len())
                && value.bytes().all(|b| b.is_ascii_alphanumeric())
        })
        .map(|(_, value)| value.to_owned())
}

/// The device's token, and the `Set-Cookie` to send when it is new.
fn device(
    headers: &HeaderMap,
    policy: CookiePolicy,
    site: Option<&RequestSite>,
) -> Result<(String, Option<HeaderValue>), ApiError> {
    if let Some(token) = device_token(headers) {
        return Ok((token, None));
    }
    let token = secret::generate()?;
    let secure = policy.always_secure || site.is_some_and(|site| site.https);
    let cookie = format!(
        "{SURVEY_DEVICE_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/api/surveys; Max-Age={DEVICE_COOKIE_MAX_AGE}{}",
        if secure { "; Secure" } else { "" }
    );
    let value = HeaderValue::from_str(&cookie).map_err(|error| ApiError::Internal(error.into()))?;
    Ok((token, Some(value)))
}

async fn link_target(
    state: &AppState,
    key: Result<Path<String>, PathRejection>,
) -> Result<StoredSurvey, ApiError> {
    let Ok(Path(key)) = key else {
        return Err(ApiError::NotFound(LINK_NOT_FOUND.into()));
    };
    if key.len() > 100 {
        return Err(ApiError::NotFound(LINK_NOT_FOUND.into()));
    }
    surveys::by_link(&state.db, &key)
        .await?
        .ok_or_else(|| ApiError::NotFound(LINK_NOT_FOUND.into()))
}

fn with_cookie(response: impl IntoResponse, cookie: Option<HeaderValue>) -> Response {
    let mut response = response.into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// A public-link survey, for anyone with the link: no session needed. Gives the device its
/// `jianyan_survey_device` cookie when it has none (one response per device).
#[utoipa::path(
    get,
    path = "/api/surveys/link/{key}",
    tag = "member",
    params(("key" = String, Path, description = "问卷链接中的密钥")),
    responses(
        (status = 200, description = "问卷；per_device 为 true。未开始或已结束时 status 说明", body = MemberSurvey),
        (status = 404, description = "链接无效", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub(super) async fn link_survey(
    Now(now): Now,
    State(state): State<AppState>,
    key: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    policy: Option<Extension<CookiePolicy>>,
    site: Option<Extension<RequestSite>>,
) -> Result<Response, ApiError> {
    let survey = link_target(&state, key).await?;
    let policy = policy.map(|Extension(p)| p).unwrap_or_default();
    let (token, cookie) = device(&headers, policy, site.as_ref().map(|Extension(s)| s))?;
    let respondent = Respondent::Device(secret::sha256_hex(token.as_bytes()));
    let answered = responses::has_answered(&state.db, survey.id, &respondent).await?;
    let view = member_view(survey, &clock::rfc3339(now), answered, None, true);
    Ok(with_cookie(Json(view), cookie))
}

/// A response to a public-link survey: one per device (its cookie; set here when missing), exactly once
/// per `Idempotency-Key`.
#[utoipa::path(
    post,
    path = "/api/surveys/link/{key}/responses",
    tag = "member",
    params(
        ("key" = String, Path, description = "问卷链接中的密钥"),
        ("Idempotency-Key" = String, Header, description = "每份答卷一个（如 UUID），重试时不变"),
    ),
    request_body = SubmitResponse,
    responses(
        (status = 201, description = "已提交", body = ResponseRecorded),
        (status = 200, description = "同一 Idempotency-Key 的重试", body = ResponseRecorded),
        (status = 400, description = "缺少 Idempotency-Key，或不是 JSON 对象", body = ErrorBody),
        (status = 403, description = "从其他网站发起的请求", body = ErrorBody),
        (status = 404, description = "链接无效", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "这台设备已经提交过，或问卷未开始、已结束", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "答案不合要求；fields 的键为 q{题号}", body = ErrorBody),
        (status = 429, description = "提交太频繁", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub(super) async fn respond_by_link(
    Now(now): Now,
    State(state): State<AppState>,
    key: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    policy: Option<Extension<CookiePolicy>>,
    site: Option<Extension<RequestSite>>,
    ApiJson(request): ApiJson<SubmitResponse>,
) -> Result<Response, ApiError> {
    let retry = retry_key_hash(&headers)?;
    let survey = link_target(&state, key).await?;
    let policy = policy.map(|Extension(p)| p).unwrap_or_default();
    let (token, cookie) = device(&headers, policy, site.as_ref().map(|Extension(s)| s))?;
    let respondent = Respondent::Device(secret::sha256_hex(token.as_bytes()));
    let recorded = record(&state, &survey, now, respondent, None, &retry, &request).await?;
    Ok(with_cookie(recorded, cookie))
}
