//! `GET /api/staff/submissions/export.csv` and `…/export.xlsx`: the list as the desk filters it (or the
//! rows ticked in it), for reports. Both stream: the CSV goes out page by page as it is read; the
//! workbook is written row by row to a temporary file (constant memory) and sent from there. Neither
//! holds the whole list in memory.

use std::io::{Read, Seek, SeekFrom};

use anyhow::Context;
use api::{desk::ListSubmissions, spreadsheet::cell_text, ErrorBody, SubmissionKind};
use axum::{
    body::{Body, Bytes},
    extract::{rejection::QueryRejection, Extension, Query, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use rust_xlsxwriter::Workbook;
use sqlx::SqlitePool;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::desk::parse_query;
use crate::{
    auth::CurrentStaff,
    client_addr::ClientIp,
    error::ApiError,
    store::{
        audit::{self, AuditEntry},
        submissions::{
            list::{self, Filter, ListRow, PageRequest},
            parse_status,
        },
    },
    xlsx, AppState,
};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// Rows read per query while exporting.
const CHUNK: u32 = 1000;

/// The columns, with the width (in characters) each gets in the workbook.
const COLUMNS: [(&str, f64); 14] = [
    ("回执编号", 16.0),
    ("提交时间", 18.0),
    ("最近更新", 18.0),
    ("单位", 24.0),
    ("领衔人", 10.0),
    ("类别", 10.0),
    ("标题", 40.0),
    ("状态", 10.0),
    ("办理结果", 18.0),
    ("采用情况", 30.0),
    ("领导批示", 30.0),
    ("承办单位", 20.0),
    ("办理时限", 12.0),
    ("答复", 60.0),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/submissions/export.csv", get(export_csv))
        .route("/staff/submissions/export.xlsx", get(export_xlsx))
}

/// What a row adds for a report: outcome, adoptions, instructions, the latest reply.
#[derive(sqlx::FromRow)]
struct Extra {
    id: i64,
    outcome: Option<String>,
    adoptions: Option<String>,
    instructions: Option<String>,
    reply: Option<String>,
}

/// A page of export rows, as cells, and whether more follow.
async fn cells_page(
    db: &SqlitePool,
    filter: &Filter,
    request: &mut PageRequest,
) -> anyhow::Result<(Vec<[String; 14]>, bool)> {
    let page = list::page(db, filter, request).await?;
    let ids: Vec<i64> = page.rows.iter().map(|row| row.id).collect();
    let extras: Vec<Extra> = sqlx::query_as(
        "SELECT s.id, s.outcome,
            (SELECT group_concat(
                 CASE a.level WHEN 'district' THEN '区级' WHEN 'city' THEN '市级'
                              WHEN 'province' THEN '省级' ELSE '全国' END
                 || '（' || a.body || '，' || a.on_date || '）', '；')
             FROM adoptions a WHERE a.submission_id = s.id) AS adoptions,
            (SELECT group_concat(
                 CASE i.level WHEN 'district' THEN '区级' WHEN 'city' THEN '市级'
                              WHEN 'province' THEN '省级' ELSE '中央' END
                 || '（' || i.leader || '，' || i.on_date || '）', '；')
             FROM instructions i WHERE i.submission_id = s.id) AS instructions,
            (SELECT e.note FROM submission_events e
             WHERE e.submission_id = s.id AND e.kind = 'reply' ORDER BY e.id DESC LIMIT 1) AS reply
         FROM submissions s WHERE s.id IN (SELECT value FROM json_each(?))",
    )
    .bind(serde_json::to_string(&ids).context("encoding ids")?)
    .fetch_all(db)
    .await
    .context("reading what an export row adds")?;
    let more = page.next.is_some();
    request.after = page.next;
    let cells = page
        .rows
        .into_iter()
        .map(|row| {
            let extra = extras.iter().find(|extra| extra.id == row.id);
            row_cells(row, extra)
        })
        .collect::<anyhow::Result<_>>()?;
    Ok((cells, more))
}

fn row_cells(row: ListRow, extra: Option<&Extra>) -> anyhow::Result<[String; 14]> {
    let kind =
        SubmissionKind::parse(&row.kind).with_context(|| format!("unknown kind {:?}", row.kind))?;
    let outcome = extra
        .and_then(|extra| extra.outcome.as_deref())
        .and_then(api::desk::Outcome::parse)
        .map(|outcome| outcome.label().to_owned());
    let text = |value: Option<&Option<String>>| value.cloned().flatten().unwrap_or_default();
    Ok([
        row.code().to_string(),
        display_time(&row.submitted_at),
        display_time(&row.updated_at),
        row.unit,
        row.name,
        kind.label().to_owned(),
        row.title,
        parse_status(&row.status)?.label().to_owned(),
        outcome.unwrap_or_default(),
        text(extra.map(|e| &e.adoptions)),
        text(extra.map(|e| &e.instructions)),
        row.handler.unwrap_or_default(),
        row.due_on.unwrap_or_default(),
        text(extra.map(|e| &e.reply)),
    ])
}

/// `2026-11-27T15:45:09+08:00` as `2026-11-27 15:45` (stored times are China time already).
fn display_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time}"),
        _ => rfc3339.to_owned(),
    }
}

/// One CSV field: formula leads quoted away, then quoted if it holds a comma, quote or line break.
fn csv_field(text: &str, out: &mut String) {
    let text = cell_text(text);
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&text);
    }
}

fn csv_line(cells: &[impl AsRef<str>], out: &mut String) {
    for (index, cell) in cells.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        csv_field(cell.as_ref(), out);
    }
    out.push_str("\r\n");
}

fn attachment(name: &str, ascii: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

async fn audit_export(
    state: &AppState,
    staff: &CurrentStaff,
    addr: Option<Extension<ClientIp>>,
    format: &str,
) -> Result<(), ApiError> {
    let addr = addr.map(|Extension(ClientIp(ip))| ip.to_string());
    let entry = AuditEntry {
        staff_id: Some(staff.id),
        actor: &staff.login,
        action: audit::action::EXPORT,
        target: None,
        from: None,
        to: Some(format),
        note: Some("按当前筛选导出建言列表"),
        client_addr: addr.as_deref(),
    };
    audit::record(&state.db, &entry).await?;
    Ok(())
}

/// The filtered list as CSV (UTF-8 with BOM, so Excel and WPS read the Chinese right).
/// What every export does first: reads the filters (a page of `CHUNK` rows from the start, whatever
/// `after` and `limit` say), picks the order's scan as the list does, and writes the audit row.
async fn start_export(
    state: &AppState,
    staff: &CurrentStaff,
    addr: Option<Extension<ClientIp>>,
    query: Result<Query<ListSubmissions>, QueryRejection>,
    format: &str,
) -> Result<(Filter, PageRequest), ApiError> {
    let (filter, mut request) = parse_query(query)?;
    request.after = None;
    request.limit = CHUNK;
    let counts = list::counts(&state.db, &filter).await?;
    request.scan_order = list::matching(&filter, &counts) > list::SCAN_ORDER_ABOVE;
    audit_export(state, staff, addr, format).await?;
    Ok((filter, request))
}

#[utoipa::path(
    get,
    path = "/api/staff/submissions/export.csv",
    tag = "staff",
    params(ListSubmissions),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "CSV（UTF-8，带 BOM），每条建言一行；after 与 limit 不起作用",
            content_type = "text/csv", body = String),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 422, description = "筛选条件不合格式", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn export_csv(
    staff: CurrentStaff,
    State(state): State<AppState>,
    addr: Option<Extension<ClientIp>>,
    query: Result<Query<ListSubmissions>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (filter, mut request) = start_export(&state, &staff, addr, query, "csv").await?;
    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let db = state.db.clone();
    tokio::spawn(async move {
        let mut text = String::from("\u{FEFF}");
        csv_line(&COLUMNS.map(|(title, _)| title), &mut text);
        loop {
            let (rows, more) = match cells_page(&db, &filter, &mut request).await {
                Ok(page) => page,
                Err(error) => {
                    tracing::error!(error = format!("{error:#}"), "the CSV export stopped");
                    let _ = sender
                        .send(Err(std::io::Error::other("export failed")))
                        .await;
                    return;
                }
            };
            for row in &rows {
                csv_line(row, &mut text);
            }
            let chunk = Bytes::from(std::mem::take(&mut text));
            if sender.send(Ok(chunk)).await.is_err() || !more {
                return; // the client has gone, or everything is sent
            }
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                attachment("建言列表.csv", "submissions.csv"),
            ),
        ],
        Body::from_stream(ReceiverStream::new(receiver)),
    )
        .into_response())
}

/// The filtered list as an Excel workbook.
#[utoipa::path(
    get,
    path = "/api/staff/submissions/export.xlsx",
    tag = "staff",
    params(ListSubmissions),
    security(("staff_session" = [])),
    responses(
        (status = 200, description = "Excel 工作簿（.xlsx），每条建言一行；after 与 limit 不起作用",
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            body = Vec<u8>),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 422, description = "筛选条件不合格式", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = staff.login))]
pub(super) async fn export_xlsx(
    staff: CurrentStaff,
    State(state): State<AppState>,
    addr: Option<Extension<ClientIp>>,
    query: Result<Query<ListSubmissions>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (filter, mut request) = start_export(&state, &staff, addr, query, "xlsx").await?;
    let db = state.db.clone();
    let runtime = tokio::runtime::Handle::current();
    // Building the workbook is blocking work (compression, file writes); the rows are read on the
    // runtime a page at a time.
    let file = tokio::task::spawn_blocking(move || -> anyhow::Result<std::fs::File> {
        let mut workbook = Workbook::new();
        let sheet = xlsx::list_sheet(&mut workbook, &COLUMNS)?;
        let mut row_number = 1u32;
        loop {
            let (rows, more) = runtime.block_on(cells_page(&db, &filter, &mut request))?;
            for cells in rows {
                for (column, text) in (0u16..).zip(&cells) {
                    xlsx::write_text(sheet, row_number, column, text)?;
                }
                row_number += 1;
            }
            if !more {
                break;
            }
        }
        sheet.autofilter(0, 0, row_number.saturating_sub(1), 13)?;
        sheet.set_freeze_panes(1, 0)?;
        let mut file = tempfile::tempfile().context("cannot create a temporary file")?;
        workbook
            .save_to_writer(&mut file)
            .context("cannot write the workbook")?;
        file.seek(SeekFrom::Start(0))
            .context("cannot rewind the workbook file")?;
        Ok(file)
    })
    .await
    .context("building the workbook stopped")??;
    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let mut file = file;
        loop {
            let mut buffer = vec![0; 64 * 1024];
            match file.read(&mut buffer) {
                Ok(0) => return,
                Ok(read) => {
                    buffer.truncate(read);
                    if sender.blocking_send(Ok(Bytes::from(buffer))).is_err() {
                        return;
                    }
                }
                Err(error) => {
                    let _ = sender.blocking_send(Err(error));
                    return;
                }
            }
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                attachment("建言列表.xlsx", "submissions.xlsx"),
            ),
        ],
        Body::from_stream(ReceiverStream::new(receiver)),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_they_must_be_and_formulas_made_text() {
        let cases = [
            ("关于加装电梯的建议", "关于加装电梯的建议"),
            ("a,b", "\"a,b\""),
            ("他说\"好\"", "\"他说\"\"好\"\"\""),
            ("两行\n文字", "\"两行\n文字\""),
            ("=1+1", "'=1+1"),
            (
                "=HYPERLINK(\"x\",\"y\")",
                "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"",
            ),
        ];
        for (input, expected) in cases {
            let mut out = String::new();
            csv_field(input, &mut out);
            assert_eq!(out, expected, "{input:?}");
        }
    }
}
