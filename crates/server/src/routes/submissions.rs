//! Members' submissions: create one, and look one up with its secret.

use api::{
    desk::RateReply, upload, CreateSubmission, ErrorBody, NewSubmission, SubmissionCreated,
    SubmissionView, TrackingCode, UnitId, IDEMPOTENCY_KEY_HEADER,
};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
    Extension, Json, Router,
};

use crate::{
    auth::member_session::{CurrentMember, MaybeMember},
    error::ApiError,
    extract::{bearer_token, ApiJson},
    rate_limit::{self, Limits},
    secret,
    store::{
        self,
        attachments::uploads::{self, LinkError},
        submissions::{changes::ChangeError, CreateError, RetryKey},
    },
    AppState, AttachmentCountLimit, DueMonths,
};

/// Longest idempotency key accepted; a UUID is 36.
const MAX_KEY_LEN: usize = 100;

pub fn router(limits: &Limits) -> Router<AppState> {
    Router::new()
        .route(
            "/submissions",
            rate_limit::limited(post(create_submission), limits.submit),
        )
        .route(
            "/submissions/{code}",
            get(get_submission).put(resubmit_submission),
        )
        .route("/submissions/{code}/rating", post(rate_reply))
}

/// The code in the path, once the receipt's secret opens it; the same 404 for a wrong code or secret.
async fn member_code(
    state: &AppState,
    code: Result<Path<String>, PathRejection>,
    headers: &HeaderMap,
) -> Result<TrackingCode, ApiError> {
    let secret = bearer_token(headers)
        .ok_or_else(|| ApiError::Unauthorized("请提供查询密码（回执上的密码）".into()))?;
    let not_found = || ApiError::NotFound("没有找到这条提交，请核对回执编号和查询密码".into());
    let code = code
        .ok()
        .and_then(|Path(code)| TrackingCode::parse(&code))
        .ok_or_else(not_found)?;
    store::submissions::find(&state.db, code, secret)
        .await?
        .ok_or_else(not_found)?;
    Ok(code)
}

fn member_change_error(error: ChangeError) -> ApiError {
    match error {
        ChangeError::NotFound => {
            ApiError::NotFound("没有找到这条提交，请核对回执编号和查询密码".into())
        }
        ChangeError::Stale => ApiError::Conflict("这条建言刚有变化，请刷新后再试".into()),
        ChangeError::Illegal(message) => ApiError::Conflict(message),
        ChangeError::Invalid(fields) => ApiError::Invalid(fields),
        ChangeError::Other(error) => ApiError::Internal(error),
    }
}

/// The submitter rates the latest reply, once; 不满意 sends the submission back to be handled again.
#[utoipa::path(
    post,
    path = "/api/submissions/{code}/rating",
    tag = "submissions",
    params(("code" = String, Path, description = "回执编号，如 JY-2026-000123")),
    request_body = RateReply,
    security(("receipt_secret" = [])),
    responses(
        (status = 200, description = "已评价；返回最新的进度", body = SubmissionView),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有提供 Bearer 查询密码", body = ErrorBody),
        (status = 404, description = "编号不存在或查询密码不对（两者回答相同）", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "还没有答复，或这次答复已经评价过", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "评价内容不合要求", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn rate_reply(
    State(state): State<AppState>,
    Extension(DueMonths(due_months)): Extension<DueMonths>,
    code: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<RateReply>,
) -> Result<Json<SubmissionView>, ApiError> {
    let code = member_code(&state, code, &headers).await?;
    store::submissions::member::rate(
        &state.db,
        code,
        request.rating,
        request.comment.as_deref(),
        due_months,
    )
    .await
    .map_err(member_change_error)?;
    member_view(&state, code, &headers).await
}

/// The submitter sends a returned submission again, revised: same code and secret, same rules as a new
/// one, back to 已提交.
#[utoipa::path(
    put,
    path = "/api/submissions/{code}",
    tag = "submissions",
    params(("code" = String, Path, description = "回执编号，如 JY-2026-000123")),
    request_body = CreateSubmission,
    security(("receipt_secret" = [])),
    responses(
        (status = 200, description = "已重新提交；返回最新的进度", body = SubmissionView),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有提供 Bearer 查询密码", body = ErrorBody),
        (status = 404, description = "编号不存在或查询密码不对（两者回答相同）", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "这条建言没有被退回修改", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "有字段不合要求（fields 逐项说明）", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn resubmit_submission(
    State(state): State<AppState>,
    code: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<CreateSubmission>,
) -> Result<Json<SubmissionView>, ApiError> {
    let code = member_code(&state, code, &headers).await?;
    let submission = NewSubmission::parse(&request).map_err(ApiError::Invalid)?;
    store::submissions::member::resubmit(&state.db, code, &submission)
        .await
        .map_err(member_change_error)?;
    member_view(&state, code, &headers).await
}

async fn member_view(
    state: &AppState,
    code: TrackingCode,
    headers: &HeaderMap,
) -> Result<Json<SubmissionView>, ApiError> {
    let secret = bearer_token(headers).unwrap_or_default();
    store::submissions::find(&state.db, code, secret)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("没有找到这条提交，请核对回执编号和查询密码".into()))
}

/// What a guest is told when the department has turned guest submissions off.
pub const GUESTS_OFF: &str = "现在只有已加入的成员可以提交：请向本单位联络员或统战部索取邀请链接（或二维码），在手机上打开加入后再提交；您填写的内容仍保存在本机";

/// Stores a member's submission and answers with its receipt. A joined member's (device-session cookie)
/// is theirs: name, unit and phone come from the roster, whatever the form sent.
#[utoipa::path(
    post,
    path = "/api/submissions",
    tag = "submissions",
    params(
        ("Idempotency-Key" = Option<String>, Header, nullable = false,
            min_length = 1, max_length = 100, pattern = "^[!-~]+$",
            description = "客户端为这次提交生成的键（如 UUID），1–100 个可见 ASCII 字符；\
                带同一键、同一内容的重试得到第一次的回执，不会重复保存"),
    ),
    request_body = CreateSubmission,
    responses(
        (status = 201, description = "已保存；回执含编号与查询密码", body = SubmissionCreated),
        (status = 400, description = "不是 JSON 对象，或 Idempotency-Key 不合格式", body = ErrorBody),
        (status = 401, description = "带着成员设备 Cookie，但本设备已退出、已被结束，或成员已停用（Cookie 随之清除）", body = ErrorBody),
        (status = 403, description = "统战部已关闭未加入人员的提交（须先凭邀请链接加入）；或带成员 Cookie 的请求来自其他网站", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "有字段不合要求（fields 逐项说明；附件不是本人已上传完成的文件、\
            或超过文件数上限时为 attachments），或 Idempotency-Key 已用于另一份提交", body = ErrorBody),
        (status = 429, description = "同一地址提交太频繁", body = ErrorBody,
            headers(("Retry-After" = u64, description = "再试之前须等待的秒数"))),
        (status = 500, description = "服务器出错，未保存", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn create_submission(
    State(state): State<AppState>,
    MaybeMember(member): MaybeMember,
    Extension(AttachmentCountLimit(max_files)): Extension<AttachmentCountLimit>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<CreateSubmission>,
) -> Result<(StatusCode, Json<SubmissionCreated>), ApiError> {
    let key = idempotency_key(&headers)?;
    let request = match &member {
        Some(CurrentMember { member, .. }) => CreateSubmission {
            unit_id: Some(UnitId(member.unit_id)),
            name: member.name.clone(),
            phone: member.phone.clone(),
            ..request
        },
        None if !store::settings::guest_submissions(&state.db).await? => {
            return Err(ApiError::Forbidden(GUESTS_OFF.into()));
        }
        None => request,
    };
    let member_id = member.map(|current| current.member.id);
    let submission = NewSubmission::parse(&request).map_err(ApiError::Invalid)?;
    if let Some(topic) = submission.topic_id() {
        // A result on a topic comes from a joined member of a unit that holds a claim on it.
        if member_id.is_none() {
            return Err(ApiError::field(
                "topic_id",
                "课题成果须由已加入的成员提交：请先凭邀请链接加入，再提交；内容已保存在本机",
            ));
        }
        let allowed =
            store::topics::claims::may_submit(&state.db, topic, submission.unit_id()).await;
        if let Err(refusal) = allowed {
            // A retry of a result stored before the topic closed (or the claim changed) still gets its
            // receipt from the writer, as every retry does.
            let stored = match &key {
                Some(key) => store::topics::claims::is_stored_retry(&state.db, key).await?,
                None => false,
            };
            if !stored {
                return Err(refusal.into());
            }
        }
    }
    let attachments = attachments_of(&state, member_id, &request.attachments, max_files).await?;
    let digest = with_attachments(request_digest(&submission), &request.attachments);
    let retry = key.map(|key| RetryKey { key, digest });
    let created =
        store::submissions::create_as(&state.writer, &submission, retry.as_ref(), member_id).await;
    if let Err(CreateError::UnknownUnit) = created {
        // Asked only on this rare path, so the batch writer keeps one query for every submission.
        if store::units::is_retired(&state.db, submission.unit_id()).await? {
            return Err(ApiError::field(
                "unit_id",
                "所选单位已停用，不再接收新的建言，请重新选择所在单位（如有疑问请联系统战部）",
            ));
        }
    }
    let created = created.map_err(|error| match error {
        CreateError::UnknownUnit => ApiError::field("unit_id", "所选单位不存在，请重新选择"),
        CreateError::KeyReused => ApiError::Unprocessable(
            "这个 Idempotency-Key 已用于另一份不同的提交，请为新的提交换一个".into(),
        ),
        CreateError::Other(error) => ApiError::Internal(error),
    })?;
    // A retry (the same key) links nothing twice; one that follows a crash here links them now.
    if !attachments.is_empty() {
        let number = TrackingCode::parse(&created.code)
            .ok_or_else(|| {
                anyhow::anyhow!("the new submission's code {} is malformed", created.code)
            })?
            .number();
        uploads::link_to_submission(&state.db, number, &attachments).await?;
    }
    Ok((StatusCode::CREATED, Json(created)))
}

/// The attachment rows of the uploads a submission names: completed uploads of the sending member,
/// at most `max_files`. A guest has none.
async fn attachments_of(
    state: &AppState,
    member_id: Option<i64>,
    ids: &[String],
    max_files: usize,
) -> Result<Vec<i64>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let Some(member_id) = member_id else {
        return Err(ApiError::field("attachments", upload::NOT_READY_MESSAGE));
    };
    uploads::completed_of_member(&state.db, member_id, ids, max_files)
        .await
        .map_err(|error| match error {
            LinkError::TooMany { max_files } => {
                ApiError::field("attachments", upload::too_many_message(max_files))
            }
            LinkError::NotReady => ApiError::field("attachments", upload::NOT_READY_MESSAGE),
            LinkError::Other(error) => ApiError::Internal(error),
        })
}

/// `request_digest` extended by the files, when there are any (so requests without files keep their
/// digest): SHA-256 of the digest, the tag `jianyan/attachments/v1` and each upload id, one a line.
fn with_attachments(digest: String, ids: &[String]) -> String {
    if ids.is_empty() {
        return digest;
    }
    let mut text = format!("{digest}\njianyan/attachments/v1");
    for id in ids {
        text.push('\n');
        text.push_str(id);
    }
    secret::sha256_hex(text.as_bytes())
}

/// What the submitter may see of a submission: the secret from the receipt is the bearer token.
#[utoipa::path(
    get,
    path = "/api/submissions/{code}",
    tag = "submissions",
    params(("code" = String, Path, description = "回执编号，如 JY-2026-000123")),
    security(("receipt_secret" = [])),
    responses(
        (status = 200, description = "状态与公开的办理进度", body = SubmissionView),
        (status = 401, description = "没有提供 Bearer 查询密码", body = ErrorBody),
        (status = 404, description = "编号不存在或查询密码不对（两者回答相同）", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn get_submission(
    State(state): State<AppState>,
    code: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Json<SubmissionView>, ApiError> {
    let secret = bearer_token(&headers)
        .ok_or_else(|| ApiError::Unauthorized("请提供查询密码（回执上的密码）".into()))?;
    // One answer for "no such code" and "wrong secret", so codes cannot be probed.
    let not_found = || ApiError::NotFound("没有找到这条提交，请核对回执编号和查询密码".into());
    let code = code
        .ok()
        .and_then(|Path(code)| TrackingCode::parse(&code))
        .ok_or_else(not_found)?;
    let view = store::submissions::find(&state.db, code, secret)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(view))
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY_HEADER) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim();
    let printable = key.bytes().all(|b| b.is_ascii_graphic());
    if key.is_empty() || key.len() > MAX_KEY_LEN || !printable {
        return Err(ApiError::BadRequest(format!(
            "Idempotency-Key 须为 1–{MAX_KEY_LEN} 个可见 ASCII 字符"
        )));
    }
    Ok(Some(key.to_owned()))
}

/// Fingerprint of a request, to tell a retry (the same submission) from a reused key (another one).
///
/// SHA-256 over the parsed submission's fields (trimmed, the phone as its 11 digits, blank co-signers
/// dropped), never over a re-serialised struct, so that a field added in a later release does not turn an
/// older app's honest retry into `KeyReused`. Each field is written as its UTF-8 length (4 bytes,
/// big-endian) and then its bytes, in this fixed order: the tag `jianyan/submission/v1`, the kind's wire
/// name, title, body, unit id (decimal), name, phone, the number of co-signers (decimal), then each
/// co-signer. A field added later goes after these, and only when it is set, so old digests still match.
fn request_digest(submission: &NewSubmission) -> String {
    let topic = submission.topic_id().map(|id| id.0.to_string());
    let unit_id = submission.unit_id().0.to_string();
    let cosigners = submission.cosigners();
    let count = cosigners.len().to_string();
    let fields = [
        "jianyan/submission/v1",
        submission.kind().as_str(),
        submission.title().as_str(),
        submission.body().as_str(),
        &unit_id,
        submission.name().as_str(),
        submission.phone().as_str(),
        &count,
    ]
    .into_iter()
    .chain(cosigners.iter().map(|name| name.as_str()));
    // Added with topics (0012): written only when set, each after its tag.
    let topic_fields = topic
        .as_deref()
        .map(|id| ["topic", id])
        .into_iter()
        .flatten();
    let summary_fields = submission
        .summary()
        .map(|text| ["summary", text])
        .into_iter()
        .flatten();
    let fields = fields.chain(topic_fields).chain(summary_fields);
    let mut encoded = Vec::new();
    for field in fields {
        // A field is at most a 256 KiB request's worth of bytes, far below u32::MAX.
        let length = u32::try_from(field.len()).unwrap_or(u32::MAX);
        encoded.extend_from_slice(&length.to_be_bytes());
        encoded.extend_from_slice(field.as_bytes());
    }
    secret::sha256_hex(&encoded)
}

#[cfg(test)]
mod tests {
    use api::{CreateSubmission, NewSubmission, SubmissionKind, UnitId};

    use super::request_digest;

    #[test]
    fn a_topic_and_a_summary_each_change_the_digest_and_a_blank_summary_does_not() {
        let report = CreateSubmission {
            kind: SubmissionKind::ResearchReport,
            ..fixed_request()
        };
        let plain = digest_of(&report);
        let on_topic = CreateSubmission {
            topic_id: Some(api::TopicId(1)),
            ..report.clone()
        };
        let other_topic = CreateSubmission {
            topic_id: Some(api::TopicId(2)),
            ..report.clone()
        };
        let summarised = CreateSubmission {
            summary: Some("摘要".into()),
            ..on_topic.clone()
        };
        let blank = CreateSubmission {
            summary: Some("  ".into()),
            ..report.clone()
        };
        let digests = [&on_topic, &other_topic, &summarised].map(digest_of);
        assert!(digests.iter().all(|digest| *digest != plain), "{digests:?}");
        assert_ne!(digests[0], digests[1], "another topic");
        assert_ne!(digests[0], digests[2], "a summary added");
        assert_eq!(digest_of(&blank), plain, "a blank summary is no summary");
    }

    fn digest_of(request: &CreateSubmission) -> String {
        request_digest(&NewSubmission::parse(request).expect("a valid request"))
    }

    fn fixed_request() -> CreateSubmission {
        CreateSubmission {
            kind: SubmissionKind::Suggestion,
            title: "关于加强老旧小区加装电梯的建议".into(),
            body: "我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼困难。".into(),
            unit_id: Some(UnitId(1)),
            name: "王建国".into(),
            phone: "13812345678".into(),
            cosigners: vec!["李红".into(), "张伟".into()],
            ..Default::default()
        }
    }

    #[test]
    fn the_digest_of_a_fixed_request_never_changes_between_releases() {
        // Computed independently of this code from the encoding documented on `request_digest`.
        let digest = digest_of(&fixed_request());
        assert_eq!(
            digest,
            "7628d80da63a425425dcd92dec8a42f72e53a73b7c0dece560083f7fa3db3e79"
        );
    }

    #[test]
    fn the_digest_follows_what_is_stored_not_how_it_was_typed() {
        let fixed = digest_of(&fixed_request());
        let spaced = CreateSubmission {
            title: format!("  {} ", fixed_request().title),
            phone: "+86 138-1234-5678".into(),
            cosigners: vec!["李红".into(), " ".into(), "张伟".into()],
            ..fixed_request()
        };
        assert_eq!(
            digest_of(&spaced),
            fixed,
            "the same submission, typed differently"
        );
        let changes = [
            (
                "another unit",
                CreateSubmission {
                    unit_id: Some(UnitId(2)),
                    ..fixed_request()
                },
            ),
            (
                "co-signers in another order",
                CreateSubmission {
                    cosigners: vec!["张伟".into(), "李红".into()],
                    ..fixed_request()
                },
            ),
            (
                "a name moved between fields",
                CreateSubmission {
                    name: "王建".into(),
                    cosigners: vec!["国李红".into(), "张伟".into()],
                    ..fixed_request()
                },
            ),
        ];
        for (why, request) in changes {
            assert_ne!(digest_of(&request), fixed, "{why}");
        }
    }
}
