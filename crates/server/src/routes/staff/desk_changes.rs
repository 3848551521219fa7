//! Changes to a submission from the desk: workflow actions (one or in bulk), notes, outcome, flags,
//! adoptions and instructions. Each answers with the submission as it is afterwards; a stale `version`
//! or an action the status does not allow is a 409 carrying the current view.

use api::{
    desk::{
        bulk_allowed, AddAdoption, AddInstruction, AddNote, ApplyAction, ApplyBulkAction,
        BulkActionResults, BulkRowResult, ChangeConflict, SetFlags, SetOutcome,
        StaffSubmissionView, BULK_MAX,
    },
    ErrorBody, FieldErrors, TrackingCode,
};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{post, put},
    Extension, Json, Router,
};

use super::desk::{current_view, not_found, path_code};
use crate::{
    auth::CurrentStaff,
    client_addr::ClientIp,
    error::ApiError,
    extract::ApiJson,
    store::submissions::changes::{self, Actor, ChangeError},
    AppState, DueMonths,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/submissions/actions", post(apply_bulk_action))
        .route("/staff/submissions/{code}/actions", post(apply_action))
        .route("/staff/submissions/{code}/notes", post(add_note))
        .route("/staff/submissions/{code}/outcome", put(set_outcome))
        .route("/staff/submissions/{code}/flags", put(set_flags))
        .route("/staff/submissions/{code}/adoptions", post(add_adoption))
        .route(
            "/staff/submissions/{code}/instructions",
            post(add_instruction),
        )
}

/// What a change can fail with: an ordinary error, or a 409 with the submission as it is now.
pub enum DeskError {
    Api(ApiError),
    Conflict(Box<ChangeConflict>),
}

impl From<ApiError> for DeskError {
    fn from(error: ApiError) -> Self {
        DeskError::Api(error)
    }
}

impl IntoResponse for DeskError {
    fn into_response(self) -> Response {
        match self {
            DeskError::Api(error) => error.into_response(),
            DeskError::Conflict(conflict) => (StatusCode::CONFLICT, Json(conflict)).into_response(),
        }
    }
}

const STALE: &str = "这条建言刚被其他人修改过，请看过最新内容后再操作";

fn actor(staff: &CurrentStaff, addr: Option<Extension<ClientIp>>) -> Actor {
    Actor {
        staff_id: staff.id,
        login: staff.login.clone(),
        client_addr: addr.map(|Extension(ClientIp(ip))| ip.to_string()),
    }
}

/// The answer to a change: the view afterwards, or the error with the view as it is now.
async fn answer(
    state: &AppState,
    code: TrackingCode,
    result: Result<(), ChangeError>,
) -> Result<Json<StaffSubmissionView>, DeskError> {
    let message = match result {
        Ok(()) => return Ok(Json(current_view(state, code).await?)),
        Err(ChangeError::NotFound) => return Err(not_found().into()),
        Err(ChangeError::Invalid(fields)) => return Err(ApiError::Invalid(fields).into()),
        Err(ChangeError::Other(error)) => return Err(ApiError::Internal(error).into()),
        Err(ChangeError::Stale) => STALE.to_owned(),
        Err(ChangeError::Illegal(message)) => message,
    };
    let current = current_view(state, code).await?;
    Err(DeskError::Conflict(Box::new(ChangeConflict {
        message,
        fields: FieldErrors::new(),
        current,
    })))
}

/// Takes a workflow action: accept, return, decline, merge, assign, start, reply, close, extend.
#[utoipa::path(
    post,
    path = "/api/staff/submissions/{code}/actions",
    tag = "staff",
    params(("code" = String, Path, description = "回执编号")),
    request_body = ApplyAction,
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "已办理；返回办理后的建言", body = StaffSubmissionView),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 404, description = "没有这个编号的建言", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 409, description = "当前状态不允许这个操作，或建言已被他人修改（version 已过期）；附当前内容", body = ChangeConflict),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "缺少原因、答复内容、承办单位或日期（fields 说明哪一项）", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn apply_action(
    staff: CurrentStaff,
    State(state): State<AppState>,
    Extension(DueMonths(due_months)): Extension<DueMonths>,
    addr: Option<Extension<ClientIp>>,
    code: Result<Path<String>, PathRejection>,
    ApiJson(request): ApiJson<ApplyAction>,
) -> Result<Json<StaffSubmissionView>, DeskError> {
    let code = path_code(code)?;
    let action = request.action.parse().map_err(ApiError::Invalid)?;
    let actor = actor(&staff, addr);
    let result = changes::apply(
        &state.db,
        code,
        Some(request.version),
        &action,
        &actor,
        due_months,
    )
    .await;
    answer(&state, code, result.map(drop)).await
}

/// One action (accept, assign or close) on many submissions; each succeeds or fails alone.
#[utoipa::path(
    post,
    path = "/api/staff/submissions/actions",
    tag = "staff",
    request_body = ApplyBulkAction,
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "逐条的结果，顺序与 codes 相同", body = BulkActionResults),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "操作不能批量进行、编号太多，或缺少必填内容", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn apply_bulk_action(
    staff: CurrentStaff,
    State(state): State<AppState>,
    Extension(DueMonths(due_months)): Extension<DueMonths>,
    addr: Option<Extension<ClientIp>>,
    ApiJson(request): ApiJson<ApplyBulkAction>,
) -> Result<Json<BulkActionResults>, ApiError> {
    if !bulk_allowed(&request.action) {
        return Err(ApiError::field("action", "批量操作只能是受理、交办或办结"));
    }
    if request.codes.is_empty() || request.codes.len() > BULK_MAX {
        return Err(ApiError::field(
            "codes",
            format!("请选择 1 到 {BULK_MAX} 条建言"),
        ));
    }
    let action = request.action.parse().map_err(ApiError::Invalid)?;
    let actor = actor(&staff, addr);
    let mut results = Vec::with_capacity(request.codes.len());
    for given in request.codes {
        let Some(code) = TrackingCode::parse(&given) else {
            results.push(BulkRowResult {
                code: given,
                ok: false,
                status: None,
                message: Some("编号不正确".into()),
            });
            continue;
        };
        let outcome = changes::apply(&state.db, code, None, &action, &actor, due_months).await;
        let row = match outcome {
            Ok(status) => BulkRowResult {
                code: code.to_string(),
                ok: true,
                status: Some(status),
                message: None,
            },
            Err(error) => {
                let message = match error {
                    ChangeError::NotFound => "没有这个编号的建言".to_owned(),
                    ChangeError::Stale => STALE.to_owned(),
                    ChangeError::Illegal(message) => message,
                    ChangeError::Invalid(fields) => {
                        fields.into_values().collect::<Vec<_>>().join("；")
                    }
                    ChangeError::Other(error) => return Err(ApiError::Internal(error)),
                };
                let status = current_view(&state, code)
                    .await
                    .ok()
                    .map(|view| view.status);
                BulkRowResult {
                    code: code.to_string(),
                    ok: false,
                    status,
                    message: Some(message),
                }
            }
        };
        results.push(row);
    }
    Ok(Json(BulkActionResults { results }))
}

/// A record change's OpenAPI description: they differ only in path, method, body and what they do.
macro_rules! record_change {
    ($method:ident, $path:literal, $body:ty, $what:literal, $handler:item) => {
        #[utoipa::path(
            $method,
            path = $path,
            tag = "staff",
            params(("code" = String, Path, description = "回执编号")),
            request_body = $body,
            security(("staff_session" = [])),
            responses(
                (status = 200, description = $what, body = StaffSubmissionView),
                (status = 400, description = "不是 JSON 对象", body = ErrorBody),
                (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
                (status = 404, description = "没有这个编号的建言", body = ErrorBody),
                (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
                (status = 409, description = "建言已被他人修改（所给 version 已过期）；附当前内容", body = ChangeConflict),
                (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
                (status = 422, description = "有字段不合要求（fields 逐项说明）", body = ErrorBody),
                (status = 500, description = "服务器出错", body = ErrorBody),
            )
        )]
        #[tracing::instrument(skip_all, fields(staff = staff.login))]
        $handler
    };
}

record_change!(
    post,
    "/api/staff/submissions/{code}/notes",
    AddNote,
    "已加内部备注（提交人看不到）",
    pub(super) async fn add_note(
        staff: CurrentStaff,
        State(state): State<AppState>,
        addr: Option<Extension<ClientIp>>,
        code: Result<Path<String>, PathRejection>,
        ApiJson(request): ApiJson<AddNote>,
    ) -> Result<Json<StaffSubmissionView>, DeskError> {
        let code = path_code(code)?;
        let actor = actor(&staff, addr);
        let result =
            changes::add_note(&state.db, code, request.version, &request.text, &actor).await;
        answer(&state, code, result).await
    }
);

record_change!(
    put,
    "/api/staff/submissions/{code}/outcome",
    SetOutcome,
    "已设定（或清除）办理结果",
    pub(super) async fn set_outcome(
        staff: CurrentStaff,
        State(state): State<AppState>,
        addr: Option<Extension<ClientIp>>,
        code: Result<Path<String>, PathRejection>,
        ApiJson(request): ApiJson<SetOutcome>,
    ) -> Result<Json<StaffSubmissionView>, DeskError> {
        let code = path_code(code)?;
        let actor = actor(&staff, addr);
        let result =
            changes::set_outcome(&state.db, code, request.version, request.outcome, &actor).await;
        answer(&state, code, result).await
    }
);

record_change!(
    put,
    "/api/staff/submissions/{code}/flags",
    SetFlags,
    "已设定重点、优秀标记",
    pub(super) async fn set_flags(
        staff: CurrentStaff,
        State(state): State<AppState>,
        addr: Option<Extension<ClientIp>>,
        code: Result<Path<String>, PathRejection>,
        ApiJson(request): ApiJson<SetFlags>,
    ) -> Result<Json<StaffSubmissionView>, DeskError> {
        let code = path_code(code)?;
        let actor = actor(&staff, addr);
        let (key, excellent) = (request.key, request.excellent);
        let result =
            changes::set_flags(&state.db, code, request.version, key, excellent, &actor).await;
        answer(&state, code, result).await
    }
);

record_change!(
    post,
    "/api/staff/submissions/{code}/adoptions",
    AddAdoption,
    "已加一条采用记录（之前的都保留）；提交人能看到",
    pub(super) async fn add_adoption(
        staff: CurrentStaff,
        State(state): State<AppState>,
        addr: Option<Extension<ClientIp>>,
        code: Result<Path<String>, PathRejection>,
        ApiJson(request): ApiJson<AddAdoption>,
    ) -> Result<Json<StaffSubmissionView>, DeskError> {
        let code = path_code(code)?;
        let actor = actor(&staff, addr);
        let result = changes::add_adoption(&state.db, code, &request, &actor).await;
        answer(&state, code, result).await
    }
);

record_change!(
    post,
    "/api/staff/submissions/{code}/instructions",
    AddInstruction,
    "已加一条领导批示记录（之前的都保留）",
    pub(super) async fn add_instruction(
        staff: CurrentStaff,
        State(state): State<AppState>,
        addr: Option<Extension<ClientIp>>,
        code: Result<Path<String>, PathRejection>,
        ApiJson(request): ApiJson<AddInstruction>,
    ) -> Result<Json<StaffSubmissionView>, DeskError> {
        let code = path_code(code)?;
        let actor = actor(&staff, addr);
        let result = changes::add_instruction(&state.db, code, &request, &actor).await;
        answer(&state, code, result).await
    }
);
