//! `GET /api/staff/audit`: the audit log, newest first, a page at a time; for administrators only.

use api::{AuditEntryView, AuditPage, ErrorBody, FieldErrors, ListAudit};
use axum::{
    extract::{rejection::QueryRejection, Query, State},
    routing::get,
    Json, Router,
};
use serde::Deserialize;
use time::{macros::format_description, Date};

use crate::{
    auth::RequireAdmin,
    error::ApiError,
    store::audit::{self, AuditRow},
    AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/staff/audit", get(list_audit))
}

/// The query as typed: every value text, so that `?actor=&before=` (empty boxes of a form) means "any".
#[derive(Debug, Default, Deserialize)]
struct RawQuery {
    actor: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    before: Option<String>,
    limit: Option<String>,
}

/// The audit rows the filter selects, newest first.
#[utoipa::path(
    get,
    path = "/api/staff/audit",
    tag = "staff",
    params(ListAudit),
    security(("staff_session" = ["admin"])),
    responses(
        (status = 200, description = "一页操作记录，新的在前；next_before 用于取下一页", body = AuditPage),
        (status = 401, description = "没有登录，或登录已过期", body = ErrorBody),
        (status = 403, description = "只有管理员可以查看操作记录", body = ErrorBody),
        (status = 405, description = "此路径不支持所用的请求方法", body = ErrorBody),
        (status = 422, description = "查询条件不合格式（日期、条数、编号）", body = ErrorBody),
        (status = 500, description = "服务器出错", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(staff = admin.0.login))]
async fn list_audit(
    admin: RequireAdmin,
    State(state): State<AppState>,
    query: Result<Query<RawQuery>, QueryRejection>,
) -> Result<Json<AuditPage>, ApiError> {
    let Query(raw) =
        query.map_err(|_| ApiError::Unprocessable("查询条件不合格式，请检查后重试".into()))?;
    let query = Parsed::from_raw(raw)?;
    let filter = audit::Filter {
        actor: query.actor.as_deref(),
        action: query.action.as_deref(),
        at_or_after: query.at_or_after.as_deref(),
        before_time: query.before_time.as_deref(),
        before_id: query.before,
        // One more than asked: whether it comes back says whether there is a next page.
        limit: query.limit + 1,
    };
    let mut rows = audit::list(&state.db, &filter).await?;
    let more = rows.len() as i64 > query.limit;
    rows.truncate(usize::try_from(query.limit).unwrap_or(0));
    let next_before = more.then(|| rows.last().map(|row| row.id)).flatten();
    Ok(Json(AuditPage {
        entries: rows.into_iter().map(view).collect(),
        next_before,
    }))
}

fn view(row: AuditRow) -> AuditEntryView {
    AuditEntryView {
        id: row.id,
        at: row.at,
        actor: row.actor,
        action: row.action,
        target: row.target,
        from: row.from_value,
        to: row.to_value,
        note: row.note,
        client_addr: row.client_addr,
    }
}

/// The query, checked: empty values dropped, days turned into bounds on the stored times.
#[derive(Debug, PartialEq, Eq)]
struct Parsed {
    actor: Option<String>,
    action: Option<String>,
    at_or_after: Option<String>,
    before_time: Option<String>,
    before: Option<i64>,
    limit: i64,
}

impl Parsed {
    fn from_raw(raw: RawQuery) -> Result<Self, ApiError> {
        let given = |value: Option<String>| {
            value
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let mut fields = FieldErrors::new();
        let mut day = |field: &str, value: Option<String>| -> Option<Date> {
            let value = given(value)?;
            let parsed = Date::parse(&value, format_description!("[year]-[month]-[day]"));
            if parsed.is_err() {
                fields.insert(field.into(), "日期须写成 2026-11-27 这样的格式".into());
            }
            parsed.ok()
        };
        let from = day("from", raw.from);
        let to = day("to", raw.to);
        let before = given(raw.before).and_then(|value| match value.parse::<i64>() {
            Ok(id) if id >= 1 => Some(id),
            _ => {
                fields.insert("before".into(), "须为正整数（上一页的 next_before）".into());
                None
            }
        });
        let limit = match given(raw.limit).map(|value| value.parse::<i64>()) {
            None => ListAudit::DEFAULT_LIMIT,
            Some(Ok(limit)) if (1..=ListAudit::MAX_LIMIT).contains(&limit) => limit,
            Some(_) => {
                fields.insert(
                    "limit".into(),
                    format!("每页条数须为 1 到 {} 之间的整数", ListAudit::MAX_LIMIT),
                );
                ListAudit::DEFAULT_LIMIT
            }
        };
        if !fields.is_empty() {
            return Err(ApiError::Invalid(fields));
        }
        Ok(Parsed {
            actor: given(raw.actor),
            action: given(raw.action),
            at_or_after: from.map(start_of_day),
            // Up to and including the day `to`: before the start of the next.
            before_time: to.map(|to| start_of_day(to.next_day().unwrap_or(to))),
            before,
            limit,
        })
    }
}

/// Midnight of `day`, China time, as the stored times are written.
fn start_of_day(day: Date) -> String {
    format!("{day}T00:00:00+08:00")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> RawQuery {
        let mut raw = RawQuery::default();
        for (name, value) in pairs {
            let value = Some((*value).to_owned());
            match *name {
                "actor" => raw.actor = value,
                "action" => raw.action = value,
                "from" => raw.from = value,
                "to" => raw.to = value,
                "before" => raw.before = value,
                "limit" => raw.limit = value,
                other => panic!("no parameter {other}"),
            }
        }
        raw
    }

    #[test]
    fn empty_values_mean_any_and_days_become_bounds_in_china_time() {
        let parsed = Parsed::from_raw(raw(&[
            ("actor", ""),
            ("action", " staff.login "),
            ("from", "2026-11-01"),
            ("to", "2026-11-30"),
            ("before", ""),
        ]))
        .map_err(|error| format!("{error:?}"));
        assert_eq!(
            parsed,
            Ok(Parsed {
                actor: None,
                action: Some("staff.login".into()),
                at_or_after: Some("2026-11-01T00:00:00+08:00".into()),
                before_time: Some("2026-12-01T00:00:00+08:00".into()),
                before: None,
                limit: ListAudit::DEFAULT_LIMIT,
            })
        );
    }

    #[test]
    fn bad_values_are_refused_naming_each_field() {
        let cases = [
            (("from", "2026/11/01"), "from"),
            (("to", "yesterday"), "to"),
            (("before", "0"), "before"),
            (("before", "x"), "before"),
            (("limit", "0"), "limit"),
            (("limit", "201"), "limit"),
        ];
        for (pair, field) in cases {
            match Parsed::from_raw(raw(&[pair])) {
                Err(ApiError::Invalid(fields)) => {
                    assert!(fields.contains_key(field), "{pair:?}: {fields:?}")
                }
                other => panic!("{pair:?}: expected a 422, got {other:?}"),
            }
        }
        let most = Parsed::from_raw(raw(&[("limit", "200")])).map(|parsed| parsed.limit);
        assert!(matches!(most, Ok(200)), "{most:?}");
    }
}
