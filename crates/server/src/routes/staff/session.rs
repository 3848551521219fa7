//! Logging in and out: `POST /api/staff/session` trades a login and password for a session cookie,
//! `GET` says whose session it is, `DELETE` ends it. Each login, failed login and logout is audited.

use anyhow::Context;
use api::{ErrorBody, FieldErrors, LoginRequest, StaffSession, StaffView};
use axum::{
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Extension, Json, Router,
};
use tokio::sync::Semaphore;

use crate::{
    auth::{
        accounts::MAX_LOGIN_LENGTH,
        lockout::LoginLockout,
        password,
        session::{self, CookiePolicy},
        CurrentStaff,
    },
    client_addr::{ClientIp, RequestSite},
    error::ApiError,
    extract::ApiJson,
    rate_limit::{self, Limits},
    store::{
        self,
        audit::{self, Actor},
    },
    AppState,
};

/// The actor of a failed login whose name matches no enabled account: the typed name is not kept, since
/// people type their password into the login box often enough.
const UNKNOWN_LOGIN: &str = "(未知账号)";

/// Password checks running at once. Each takes ~19 MiB and a core for tens of milliseconds, so a flood
/// of logins from many addresses waits here instead of exhausting memory.
static PASSWORD_CHECKS: Semaphore = Semaphore::const_new(4);

pub fn router(limits: &Limits) -> Router<AppState> {
    Router::new()
        .route(
            "/staff/session",
            rate_limit::limited(post(log_in), limits.login)
                .get(current_staff)
                .delete(log_out),
        )
        .layer(Extension(LoginLockout::new(limits.lockout)))
}

/// Logs a staff member in.
#[utoipa::path(
    post,
    path = "/api/staff/session",
    tag = "staff",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "已登录；会话在 HttpOnly 的 jianyan_staff Cookie 中（Path=/api/staff），浏览器随之后的请求自动带上", body = StaffSession,
            headers(("Set-Cookie" = String, description = "jianyan_staff=<会话>; HttpOnly; SameSite=Strict; Path=/api/staff; Max-Age=43200（经 https 时加 Secure）"))),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "账号或密码不正确（两种情况回答相同）", body = ErrorBody),
        (status = 403, description = "请求来自其他网站（Sec-Fetch-Site 或 Origin 不符）", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 413, description = "请求体超过 256 KiB", body = ErrorBody),
        (status = 422, description = "账号或密码没有填写，或太长", body = ErrorBody),
        (status = 429, description = "同一地址登录尝试太频繁，或这个账号名连续登录失败次数过多（不论账号是否存在，回答相同）", body = ErrorBody,
            headers(("Retry-After" = u64, description = "再试之前须等待的秒数"))),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn log_in(
    State(state): State<AppState>,
    Extension(lockout): Extension<LoginLockout>,
    Extension(cookie): Extension<CookiePolicy>,
    site: Option<Extension<RequestSite>>,
    client: Option<Extension<ClientIp>>,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let login = request.login.trim();
    check_fields(login, &request.password)?;
    let client_addr = client.map(|Extension(ClientIp(ip))| ip.to_string());
    let account = store::staff::find_enabled(&state.db, login).await?;
    // Known accounts are named in the audit log by their login; anything else by a placeholder.
    let actor = Actor {
        staff_id: account.as_ref().map(|account| account.id),
        login: account
            .as_ref()
            .map_or(UNKNOWN_LOGIN, |account| account.login.as_str()),
        client_addr: client_addr.as_deref(),
    };
    // Before the password is checked, so a locked name answers alike whether or not it exists.
    if let Err(locked) = lockout.begin(login) {
        tracing::info!(login, "login refused: too many failures");
        record_failure(&state, actor, "连续登录失败次数过多，账号名暂被锁定").await?;
        return Err(ApiError::TooManyAttempts {
            retry_after_secs: locked.retry_after_secs(),
            message: locked.message(),
        });
    }
    let stored = account
        .as_ref()
        .map(|account| account.password_hash.clone());
    let given = request.password;
    let matches = {
        let _permit = PASSWORD_CHECKS
            .acquire()
            .await
            .context("the password-check queue is closed")?;
        tokio::task::spawn_blocking(move || password::verify(&given, stored.as_deref()))
            .await
            .context("the password check stopped")??
    };
    let Some(account) = account.as_ref().filter(|_| matches) else {
        tracing::info!(login, "login refused");
        let note = if actor.staff_id.is_some() {
            "密码不正确"
        } else {
            "没有这个账号，或账号已停用"
        };
        record_failure(&state, actor, note).await?;
        return Err(ApiError::Unauthorized("账号或密码不正确".into()));
    };
    lockout.succeeded(login);
    let session = session::start(&state, actor).await?;
    tracing::info!(login = account.login, "logged in");
    let site = site.map(|Extension(site)| site);
    let body = StaffSession {
        staff: StaffView {
            login: account.login.clone(),
            name: account.name.clone(),
            role: account.role.0,
        },
        expires_at: session.expires_at,
    };
    Ok((
        [(
            header::SET_COOKIE,
            cookie.set(&session.token, site.as_ref()),
        )],
        Json(body),
    )
        .into_response())
}

/// Audits a refused login, saying why in `note` (never the password typed).
async fn record_failure(state: &AppState, actor: Actor<'_>, note: &str) -> anyhow::Result<()> {
    let entry = audit::AuditEntry {
        note: Some(note),
        ..actor.entry(audit::action::LOGIN_FAILED)
    };
    audit::record(&state.db, &entry).await
}

fn check_fields(login: &str, password: &str) -> Result<(), ApiError> {
    let mut fields = FieldErrors::new();
    if login.is_empty() {
        fields.insert("login".into(), "请输入账号".into());
    } else if login.chars().count() > MAX_LOGIN_LENGTH {
        fields.insert(
            "login".into(),
            format!("账号不能超过 {MAX_LOGIN_LENGTH} 个字符"),
        );
    }
    if password.is_empty() {
        fields.insert("password".into(), "请输入密码".into());
    } else if password.chars().count() > password::MAX_LENGTH {
        fields.insert(
            "password".into(),
            format!("密码不能超过 {} 个字符", password::MAX_LENGTH),
        );
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(fields))
    }
}

/// Who is logged in with this session.
#[utoipa::path(
    get,
    path = "/api/staff/session",
    tag = "staff",
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "当前登录的工作人员", body = StaffView),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
async fn current_staff(staff: CurrentStaff) -> Json<StaffView> {
    Json(staff.view())
}

/// Logs out: the session stops working at once, and the browser is told to forget its cookie.
#[utoipa::path(
    delete,
    path = "/api/staff/session",
    tag = "staff",
    security(("staff_session" = [])),
    responses(
        (status = 204, description = "已退出",
            headers(("Set-Cookie" = String, description = "jianyan_staff=; Max-Age=0：浏览器删去会话"))),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "请求来自其他网站（Sec-Fetch-Site 或 Origin 不符）", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(login = staff.login))]
async fn log_out(
    State(state): State<AppState>,
    Extension(cookie): Extension<CookiePolicy>,
    site: Option<Extension<RequestSite>>,
    staff: CurrentStaff,
) -> Result<Response, ApiError> {
    staff.log_out(&state).await?;
    tracing::info!("logged out");
    let site = site.map(|Extension(site)| site);
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, cookie.clear(site.as_ref()))],
    )
        .into_response())
}
