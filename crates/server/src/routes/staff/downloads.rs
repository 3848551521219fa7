//! `GET /api/staff/submissions/export`: the submission list as an Excel workbook, for reports.

use anyhow::Context;
use api::ErrorBody;
use axum::{
    extract::{rejection::QueryRejection, Query, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use serde::Deserialize;

use crate::{
    auth::CurrentStaff,
    error::ApiError,
    store::{self, audit},
    xlsx, AppState,
};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn router() -> Router<AppState> {
    Router::new().route("/staff/submissions/export", get(export_submissions))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// Only the submissions of this year (the year in the tracking code); all years when absent.
    #[param(minimum = 2000, maximum = 2999)]
    year: Option<i32>,
}

/// Downloads submissions as .xlsx: one row each, text cells guarded against formula injection.
#[utoipa::path(
    get,
    path = "/api/staff/submissions/export",
    tag = "staff",
    params(ExportQuery),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "Excel 工作簿（.xlsx），每条建言一行",
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            body = Vec<u8>),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 422, description = "年份不合格式", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
async fn export_submissions(
    staff: CurrentStaff,
    State(state): State<AppState>,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let year_error = || ApiError::field("year", "年份须为 2000 到 2999 之间的四位数字，如 2026");
    let Query(query) = query.map_err(|_| year_error())?;
    if query
        .year
        .is_some_and(|year| !(2000..=2999).contains(&year))
    {
        return Err(year_error());
    }
    let rows = store::submissions::report_rows::rows(&state.db, query.year).await?;
    let count = rows.len();
    let workbook = tokio::task::spawn_blocking(move || xlsx::submissions_workbook(&rows))
        .await
        .context("building the workbook stopped")??;
    tracing::info!(rows = count, year = query.year, "exported submissions");
    let note = match query.year {
        Some(year) => format!("year={year}; rows={count}"),
        None => format!("year=all; rows={count}"),
    };
    let entry = audit::AuditEntry {
        note: Some(&note),
        ..staff.actor().entry(audit::action::EXPORT)
    };
    audit::record(&state.db, &entry).await?;
    let name = match query.year {
        Some(year) => format!("建言列表-{year}年.xlsx"),
        None => "建言列表.xlsx".to_owned(),
    };
    let disposition = format!(
        "attachment; filename=\"submissions.xlsx\"; filename*=UTF-8''{}",
        percent_encode(&name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        workbook,
    )
        .into_response())
}

/// RFC 5987 encoding of a file name: unreserved ASCII as is, every other byte as `%XX`.
pub(super) fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn file_names_are_percent_encoded_as_utf8() {
        assert_eq!(percent_encode("a-1.xlsx"), "a-1.xlsx");
        assert_eq!(percent_encode("建言 1"), "%E5%BB%BA%E8%A8%80%201");
    }
}
