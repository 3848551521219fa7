//! Logging in and out: `POST /api/staff/session` trades a login and password for a bearer token,
//! `GET` says who the token belongs to, `DELETE` ends it.

use anyhow::Context;
use api::{ErrorBody, FieldErrors, LoginRequest, StaffSession, StaffView};
use axum::{extract::State, http::StatusCode, routing::post, Extension, Json, Router};
use tokio::sync::Semaphore;

use crate::{
    auth::{accounts::MAX_LOGIN_LENGTH, lockout::LoginLockout, password, session, CurrentStaff},
    error::ApiError,
    extract::ApiJson,
    rate_limit::{self, Limits},
    store, AppState,
};

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
        (status = 200, description = "已登录；之后的请求带上 Authorization: Bearer <token>", body = StaffSession),
        (status = 400, description = "不是 JSON 对象", body = ErrorBody),
        (status = 401, description = "账号或密码不正确（两种情况回答相同）", body = ErrorBody),
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
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<StaffSession>, ApiError> {
    let login = request.login.trim();
    check_fields(login, &request.password)?;
    // Before the account is looked up, so a locked name answers alike whether or not it exists.
    lockout.begin(login).map_err(|locked| {
        tracing::info!(login, "login refused: too many failures");
        ApiError::TooManyAttempts {
            retry_after_secs: locked.retry_after_secs(),
            message: locked.message(),
        }
    })?;
    let account = store::staff::find_enabled(&state.db, login).await?;
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
    let Some(account) = account.filter(|_| matches) else {
        tracing::info!(login, "login refused");
        return Err(ApiError::Unauthorized("账号或密码不正确".into()));
    };
    lockout.succeeded(login);
    let session = session::start(&state, account.id).await?;
    tracing::info!(login = account.login, "logged in");
    Ok(Json(StaffSession {
        token: session.token,
        staff: StaffView {
            login: account.login,
            name: account.name,
            role: account.role.0,
        },
        expires_at: session.expires_at,
    }))
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

/// Who is logged in with this token.
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

/// Logs out: the token stops working at once.
#[utoipa::path(
    delete,
    path = "/api/staff/session",
    tag = "staff",
    security(("staff_session" = [])),
    responses(
        (status = 204, description = "已退出"),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(login = staff.login))]
async fn log_out(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<StatusCode, ApiError> {
    staff.log_out(&state).await?;
    tracing::info!("logged out");
    Ok(StatusCode::NO_CONTENT)
}
