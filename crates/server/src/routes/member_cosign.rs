//! Co-signing (联名), `/api/member/roster`, `/cosign-drafts*` and `/cosign-requests*`: a joined member
//! finds co-signers on the roster, asks them, and sends the submission when everyone has answered (or
//! anyway); each co-signer confirms or declines on their own device. Mounted by `member::router`, behind
//! its cross-site check and `no-store`.
//!
//! Nothing reaches staff before it is sent: the staff desk only ever sees an ordinary submission, whose
//! co-signers who confirmed are marked.

use api::{
    check_cosigner_ids, cosign_field_errors, AnswerCosign, CosignAnswer, CosignDraft,
    CosignDraftId, CosignRequest, CreateCosignDraft, CreateSubmission, ErrorBody, FieldErrors,
    MemberId, NewSubmission, RosterEntry, UnitId,
};
use axum::{
    extract::{
        rejection::{PathRejection, QueryRejection},
        Path, Query, State,
    },
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use time::Duration;

use crate::{
    auth::member_session::CurrentMember,
    clock,
    error::ApiError,
    extract::ApiJson,
    rate_limit::{self, Limits},
    store::{
        self,
        cosign::{AnswerError, StoredRequest},
        member_sessions::RosterMember,
        submissions::{CreateError, RetryKey},
    },
    AppState,
};

/// How long a sent request stays in the lead's list (it is in 我的提交 for good).
const SENT_SHOWN_FOR: Duration = Duration::days(30);

/// Longest roster search, in characters: a whole name.
const QUERY_MAX_CHARS: usize = api::validation::NAME_MAX_CHARS;

const DRAFT_NOT_FOUND: &str = "没有找到这份联名建言；“我发起的联名”里只有您领衔的";
const REQUEST_NOT_FOUND: &str = "没有找到这份联名邀请，或它没有邀请您联名";

pub fn router(limits: &Limits) -> Router<AppState> {
    Router::new()
        .route("/member/roster", get(search_roster))
        .route(
            "/member/cosign-drafts",
            // Each draft asks other members for an answer: counted like submissions.
            get(list_drafts).merge(rate_limit::limited(post(create_draft), limits.submit)),
        )
        .route("/member/cosign-drafts/{id}/send", post(send_draft))
        .route("/member/cosign-requests", get(list_requests))
        .route("/member/cosign-requests/{id}", post(answer_request))
}

/// `?q=` of a roster search.
#[derive(Deserialize)]
struct RosterQuery {
    q: Option<String>,
}

/// Members the caller can ask to co-sign: active ones whose name contains `q`, with their unit; never
/// their contact details.
#[utoipa::path(
    get,
    path = "/api/member/roster",
    tag = "member",
    params(("q" = String, Query, min_length = 1, max_length = 20,
        description = "姓名中的字，至少 1 个字（如“李”）")),
    security(("member_session" = [])),
    responses(
        (status = 200, description = "姓名包含所查文字的在册成员（不含本人和已停用的），最多 20 位；只有姓名和单位", body = Vec<RosterEntry>),
        (status = 400, description = "查询参数无法读取", body = ErrorBody),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 422, description = "没有输入要查找的姓名，或太长", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn search_roster(
    State(state): State<AppState>,
    current: CurrentMember,
    query: Result<Query<RosterQuery>, QueryRejection>,
) -> Result<Json<Vec<RosterEntry>>, ApiError> {
    let Query(query) =
        query.map_err(|_| ApiError::BadRequest("查询参数无法读取，请重新输入姓名".into()))?;
    let q = query.q.unwrap_or_default();
    let q = q.trim();
    if q.is_empty() {
        return Err(ApiError::field(
            "q",
            "请输入要查找的联名人姓名（至少 1 个字）",
        ));
    }
    if q.chars().count() > QUERY_MAX_CHARS {
        return Err(ApiError::field(
            "q",
            format!("姓名最多 {QUERY_MAX_CHARS} 个字，请只输入姓名"),
        ));
    }
    Ok(Json(
        store::cosign::search_roster(&state.db, q, current.member.id).await?,
    ))
}

/// The lead's own details, as a submission carries them.
fn lead_details(lead: &RosterMember) -> CreateSubmission {
    CreateSubmission {
        unit_id: Some(UnitId(lead.unit_id)),
        name: lead.name.clone(),
        phone: lead.phone.clone(),
        ..CreateSubmission::default()
    }
}

/// A submission's field errors for the lead: what they typed goes back under its field; a fault in
/// their roster details (which they cannot change) is the department's to fix.
fn lead_errors(errors: FieldErrors) -> ApiError {
    if errors
        .keys()
        .any(|field| matches!(field.as_str(), "name" | "phone" | "unit_id"))
    {
        return ApiError::Unprocessable(
            "您在名册中的姓名、手机号或单位不完整，暂时不能发起联名；请联系统战部更正".into(),
        );
    }
    ApiError::Invalid(cosign_field_errors(errors))
}

/// Asks members on the roster to co-sign what the lead wrote. Checked by the same rules as a submission;
/// nothing reaches staff until it is sent.
#[utoipa::path(
    post,
    path = "/api/member/cosign-drafts",
    tag = "member",
    request_body = CreateCosignDraft,
    security(("member_session" = [])),
    responses(
        (status = 201, description = "已发出联名邀请", body = CosignDraft),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 403, description = "请求来自其他网站", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "有字段不合要求（fields 逐项说明）：案由、内容、联名人", body = ErrorBody),
        (status = 429, description = "同一地址提交太频繁", body = ErrorBody,
            headers(("Retry-After" = u64, description = "再试之前须等待的秒数"))),
        (status = 500, description = "服务器出错，未保存", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn create_draft(
    State(state): State<AppState>,
    current: CurrentMember,
    ApiJson(request): ApiJson<CreateCosignDraft>,
) -> Result<(StatusCode, Json<CosignDraft>), ApiError> {
    let lead = &current.member;
    let ids = &request.cosigner_ids;
    // Before any lookup, so a list of thousands of ids costs one pass.
    check_cosigner_ids(ids, MemberId(lead.id), &request.other_names)
        .map_err(|message| ApiError::field("cosigner_ids", message))?;
    if ids.is_empty() {
        return Err(ApiError::field(
            "cosigner_ids",
            "请从名册中至少选一位联名人；不需要联名确认的建言，请直接用“提交建言”",
        ));
    }
    let active = store::cosign::active_names(&state.db, ids).await?;
    let mut roster_names = Vec::with_capacity(ids.len());
    for id in ids {
        let name = active.iter().find(|(active_id, _)| *active_id == id.0);
        match name {
            Some((_, name)) => roster_names.push(name.clone()),
            None => {
                return Err(ApiError::field(
                    "cosigner_ids",
                    "所选联名人中有人不在名册中或已停用，请重新搜索选择",
                ))
            }
        }
    }
    let submission =
        NewSubmission::parse(&request.as_submission(&lead_details(lead), roster_names))
            .map_err(lead_errors)?;
    if store::units::is_retired(&state.db, submission.unit_id()).await? {
        return Err(ApiError::Unprocessable(
            "您所在的单位已停用，不再接收新的建言；如有疑问请联系统战部".into(),
        ));
    }
    // The typed names follow the chosen members' in the checked list, blanks dropped and trimmed.
    let other_names = submission.cosigners()[ids.len()..]
        .iter()
        .map(|name| name.as_str().to_owned())
        .collect();
    let stored = StoredRequest {
        kind: submission.kind(),
        title: submission.title().as_str().to_owned(),
        body: submission.body().as_str().to_owned(),
        other_names,
    };
    let now = clock::rfc3339(clock::now());
    let id = store::cosign::create(&state.db, lead.id, &stored, ids, &now).await?;
    tracing::info!(
        draft = id.0,
        asked = ids.len(),
        "a co-signing request was made"
    );
    let draft = store::cosign::one_led_by(&state.db, state.writer.key(), lead.id, id)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a stored draft was not found")))?;
    Ok((StatusCode::CREATED, Json(draft)))
}

/// The requests the member leads: those waiting for answers, and those sent in the last 30 days.
#[utoipa::path(
    get,
    path = "/api/member/cosign-drafts",
    tag = "member",
    security(("member_session" = [])),
    responses(
        (status = 200, description = "本人领衔的联名建言，新的在前；每位联名人的回复，已提交的带回执编号", body = Vec<CosignDraft>),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn list_drafts(
    State(state): State<AppState>,
    current: CurrentMember,
) -> Result<Json<Vec<CosignDraft>>, ApiError> {
    let since = clock::rfc3339(clock::now() - SENT_SHOWN_FOR);
    Ok(Json(
        store::cosign::led_by(&state.db, state.writer.key(), current.member.id, &since).await?,
    ))
}

/// The draft id in a path, or the not-found answer `message`.
fn draft_id(
    id: Result<Path<i64>, PathRejection>,
    message: &str,
) -> Result<CosignDraftId, ApiError> {
    id.map(|Path(id)| CosignDraftId(id))
        .map_err(|_| ApiError::NotFound(message.into()))
}

/// The lead sends the request to staff now, with the co-signers who confirmed so far; those who
/// declined or have not answered are left out. Sending again changes nothing.
#[utoipa::path(
    post,
    path = "/api/member/cosign-drafts/{id}/send",
    tag = "member",
    params(("id" = i64, Path, description = "联名建言的编号")),
    security(("member_session" = [])),
    responses(
        (status = 200, description = "已提交（或早已提交）；带回执编号", body = CosignDraft),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 403, description = "请求来自其他网站", body = ErrorBody),
        (status = 404, description = "没有这份联名建言，或不是本人领衔的（回答相同）", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 422, description = "领衔人的单位已停用，或名册信息不完整", body = ErrorBody),
        (status = 500, description = "服务器出错，未提交", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn send_draft(
    State(state): State<AppState>,
    current: CurrentMember,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<CosignDraft>, ApiError> {
    let id = draft_id(id, DRAFT_NOT_FOUND)?;
    let lead = current.member.id;
    if store::cosign::lead_of(&state.db, id).await? != Some(lead) {
        return Err(ApiError::NotFound(DRAFT_NOT_FOUND.into()));
    }
    send(&state, id).await?;
    store::cosign::one_led_by(&state.db, state.writer.key(), lead, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(DRAFT_NOT_FOUND.into()))
}

/// Sends draft `id` as the lead's submission, once however many sends race: the first freezes the
/// answers, and every send stores it under the same retry key, which the writer turns into one row.
async fn send(state: &AppState, id: CosignDraftId) -> Result<(), ApiError> {
    let to_send = store::cosign::freeze(&state.db, id, &clock::rfc3339(clock::now())).await?;
    if to_send.submission_id.is_some() {
        return Ok(());
    }
    let lead = store::member_sessions::member(&state.db, to_send.lead_id)
        .await?
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("a draft's lead is not on the roster"))
        })?;
    let confirmed = to_send.confirmed.len();
    let request = CreateSubmission {
        kind: to_send.request.kind,
        title: to_send.request.title,
        body: to_send.request.body,
        cosigners: to_send
            .confirmed
            .into_iter()
            .chain(to_send.request.other_names)
            .collect(),
        ..lead_details(&lead)
    };
    let outcome = match NewSubmission::parse(&request) {
        Ok(submission) => {
            // A key no client can send (clients' keys have no spaces), fixed per draft: a second send
            // gets the first one's receipt.
            let key = format!("cosign draft {}", id.0);
            let retry = RetryKey {
                key: key.clone(),
                digest: key,
            };
            store::submissions::create_cosigned(
                &state.writer,
                &submission,
                &retry,
                lead.id,
                confirmed,
            )
            .await
            .map_err(|error| match error {
                CreateError::UnknownUnit => ApiError::Unprocessable(
                    "领衔人所在的单位已停用，不再接收新的建言；如有疑问请联系统战部".into(),
                ),
                CreateError::KeyReused => ApiError::Internal(anyhow::anyhow!(
                    "a co-signing request's retry key was taken by another submission"
                )),
                CreateError::Other(error) => ApiError::Internal(error),
            })
        }
        Err(errors) => Err(lead_errors(errors)),
    };
    match outcome {
        Ok(created) => {
            let code = api::TrackingCode::parse(&created.code).ok_or_else(|| {
                ApiError::Internal(anyhow::anyhow!("the writer gave an unreadable code"))
            })?;
            store::cosign::record_sent(&state.db, id, code.number()).await?;
            tracing::info!(draft = id.0, confirmed, "a co-signed submission was sent");
            Ok(())
        }
        Err(error) => {
            // Nothing was stored: the co-signers still waiting may answer, and the lead may try again.
            store::cosign::unfreeze(&state.db, id).await?;
            Err(error)
        }
    }
}

/// The requests that ask the member to co-sign and are not sent yet, with their answer so far.
#[utoipa::path(
    get,
    path = "/api/member/cosign-requests",
    tag = "member",
    security(("member_session" = [])),
    responses(
        (status = 200, description = "邀请本人联名、尚未提交的建言，新的在前", body = Vec<CosignRequest>),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn list_requests(
    State(state): State<AppState>,
    current: CurrentMember,
) -> Result<Json<Vec<CosignRequest>>, ApiError> {
    Ok(Json(
        store::cosign::asking(&state.db, current.member.id).await?,
    ))
}

/// A co-signer confirms or declines, once. The last answer sends the request to staff.
#[utoipa::path(
    post,
    path = "/api/member/cosign-requests/{id}",
    tag = "member",
    params(("id" = i64, Path, description = "联名建言的编号")),
    request_body = AnswerCosign,
    security(("member_session" = [])),
    responses(
        (status = 204, description = "已回复；如果这是最后一位联名人的回复，建言已提交"),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "本设备未加入、已退出、已被结束，或成员已停用", body = ErrorBody),
        (status = 403, description = "请求来自其他网站", body = ErrorBody),
        (status = 404, description = "没有这份联名邀请，或它没有邀请本人（回答相同）", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "已经回复过，或领衔人已经提交", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "confirm 缺少或不是 true/false", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn answer_request(
    State(state): State<AppState>,
    current: CurrentMember,
    id: Result<Path<i64>, PathRejection>,
    ApiJson(request): ApiJson<AnswerCosign>,
) -> Result<StatusCode, ApiError> {
    let id = draft_id(id, REQUEST_NOT_FOUND)?;
    let answer = if request.confirm {
        CosignAnswer::Confirmed
    } else {
        CosignAnswer::Declined
    };
    let now = clock::rfc3339(clock::now());
    let everyone_answered = store::cosign::answer(&state.db, id, current.member.id, answer, &now)
        .await
        .map_err(|error| match error {
            AnswerError::NotAsked => ApiError::NotFound(REQUEST_NOT_FOUND.into()),
            AnswerError::Sent => ApiError::Conflict(
                "领衔人已经提交了这份联名建言，不能再回复；如有疑问请与领衔人联系".into(),
            ),
            AnswerError::Answered => {
                ApiError::Conflict("您已经回复过这份联名邀请，不能更改".into())
            }
            AnswerError::Other(error) => ApiError::Internal(error),
        })?;
    if everyone_answered {
        // The answer is stored whatever happens to the send: the lead sees every answer in and can send
        // it themself, and hears why if it still cannot go.
        if let Err(error) = send(&state, id).await {
            tracing::warn!(
                draft = id.0,
                ?error,
                "sending a fully answered co-signing request failed"
            );
        }
    }
    Ok(StatusCode::NO_CONTENT)
}
