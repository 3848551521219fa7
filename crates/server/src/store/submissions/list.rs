//! The staff's submission list: filters, Chinese search, three orders, keyset pages and counts per
//! status. Pages never use OFFSET: each starts after the last row of the one before (its cursor), so a
//! page deep in the list costs what the first does, and rows added meanwhile neither repeat nor skip.

use anyhow::Context;
use api::{
    desk::{FlagFilter, Flags, SortOrder, StatusCount, SubmissionSummary},
    SubmissionKind, SubmissionStatus, TrackingCode,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::{bigrams, parse_status};

/// Search terms shorter than this go to the bigram index (or a scan): the trigram index needs three
/// characters.
const TRIGRAM: usize = 3;

/// A checked list request.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<SubmissionStatus>,
    pub kind: Option<SubmissionKind>,
    pub unit: Option<i64>,
    pub year: Option<i32>,
    /// YYYY-MM-DD, inclusive.
    pub from: Option<String>,
    /// YYYY-MM-DD, inclusive.
    pub to: Option<String>,
    pub flag: Option<FlagFilter>,
    pub handler: Option<String>,
    pub overdue: bool,
    /// Terms that must all appear in the title or body.
    pub terms: Vec<String>,
    /// Only these submissions (by number), for an export of selected rows.
    pub ids: Option<Vec<i64>>,
    /// Today, YYYY-MM-DD (China time): what "overdue" is measured against.
    pub today: String,
    /// Only results on this topic.
    pub topic: Option<i64>,
}

/// Where a page starts: after this row, in this order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    Newest { id: i64 },
    Updated { updated_at: String, id: i64 },
    Unit { unit_id: i64, id: i64 },
}

impl Cursor {
    /// The opaque text handed to the client.
    pub fn encode(&self) -> String {
        let plain = match self {
            Cursor::Newest { id } => format!("n|{id}"),
            Cursor::Updated { updated_at, id } => format!("u|{id}|{updated_at}"),
            Cursor::Unit { unit_id, id } => format!("t|{id}|{unit_id}"),
        };
        URL_SAFE_NO_PAD.encode(plain)
    }

    /// The cursor in `text`, if it is one of ours for `sort`.
    pub fn decode(text: &str, sort: SortOrder) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        let plain = String::from_utf8(bytes).ok()?;
        let mut parts = plain.splitn(3, '|');
        let (tag, id) = (parts.next()?, parts.next()?.parse().ok()?);
        let rest = parts.next();
        match (sort, tag, rest) {
            (SortOrder::Newest, "n", None) => Some(Cursor::Newest { id }),
            (SortOrder::Updated, "u", Some(updated_at)) => Some(Cursor::Updated {
                updated_at: updated_at.to_owned(),
                id,
            }),
            (SortOrder::Unit, "t", Some(unit_id)) => Some(Cursor::Unit {
                unit_id: unit_id.parse().ok()?,
                id,
            }),
            _ => None,
        }
    }
}

/// One page request.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub sort: SortOrder,
    pub after: Option<Cursor>,
    pub limit: u32,
    /// Walk the order's index, filtering as it goes (see `push_filters`); for filters many rows match.
    pub scan_order: bool,
}

/// Above this many matching rows a page walks the order's index rather than a filter's: about where
/// sorting every match costs more than reading past the rows that do not match.
pub const SCAN_ORDER_ABOVE: i64 = 2_000;

/// How many rows the page's filters match, status filter included, read from the counts.
pub fn matching(filter: &Filter, counts: &[StatusCount]) -> i64 {
    counts
        .iter()
        .filter(|count| filter.status.is_none_or(|status| status == count.status))
        .map(|count| count.count)
        .sum()
}

/// A page of rows and where the next begins.
pub struct Page {
    pub rows: Vec<ListRow>,
    pub next: Option<Cursor>,
}

/// One row of the list, with what the export adds.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListRow {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub unit_id: i64,
    pub unit: String,
    pub name: String,
    pub kind: String,
    pub status: String,
    pub submitted_at: String,
    pub updated_at: String,
    pub days: i64,
    pub flag_key: bool,
    pub flag_excellent: bool,
    pub handler: Option<String>,
    pub due_on: Option<String>,
    pub overdue: bool,
    pub topic_id: Option<i64>,
    pub grade: Option<String>,
}

impl ListRow {
    /// Its tracking code.
    pub fn code(&self) -> TrackingCode {
        TrackingCode::new(self.year, self.id)
    }

    /// The row as the list shows it.
    pub fn summary(self) -> anyhow::Result<SubmissionSummary> {
        Ok(SubmissionSummary {
            code: self.code().to_string(),
            kind: SubmissionKind::parse(&self.kind)
                .with_context(|| format!("unknown kind {:?} in the database", self.kind))?,
            status: parse_status(&self.status)?,
            title: self.title,
            unit: self.unit,
            name: self.name,
            submitted_at: self.submitted_at,
            days_since_submitted: self.days,
            flags: Flags {
                key: self.flag_key,
                excellent: self.flag_excellent,
            },
            handler: self.handler,
            due_on: self.due_on,
            overdue: self.overdue,
            topic_id: self.topic_id.map(api::TopicId),
            grade: self.grade.as_deref().and_then(api::topic::Grade::parse),
        })
    }

    fn cursor(&self, sort: SortOrder) -> Cursor {
        match sort {
            SortOrder::Newest => Cursor::Newest { id: self.id },
            SortOrder::Updated => Cursor::Updated {
                updated_at: self.updated_at.clone(),
                id: self.id,
            },
            SortOrder::Unit => Cursor::Unit {
                unit_id: self.unit_id,
                id: self.id,
            },
        }
    }
}

/// Splits a search into terms (by white space, full-width included); empty when there is nothing.
/// Control characters are dropped: no title or body holds one, and FTS5 refuses a NUL.
pub fn terms(q: &str) -> Vec<String> {
    q.split(|c: char| c.is_whitespace())
        .map(|term| term.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|term| !term.is_empty())
        .collect()
}

/// The overdue condition on columns named `{c}due_on` and `{c}status`.
fn push_overdue<'a>(builder: &mut QueryBuilder<'a, Sqlite>, c: &str, today: &'a str) {
    builder.push(format!("({c}due_on IS NOT NULL AND {c}due_on < "));
    builder.push_bind(today);
    builder.push(format!(" AND {c}status IN ('assigned', 'in_progress'))"));
}

/// ` WHERE …` for every filter, the status filter only when `with_status`. With `scan_order`, no filter
/// may use an index (`+s.column`), so SQLite walks the order's index and stops after a page: the better
/// plan when many rows match, where finding them all by a filter's index and sorting them would cost
/// more than the page.
fn push_filters<'a>(
    builder: &mut QueryBuilder<'a, Sqlite>,
    filter: &'a Filter,
    with_status: bool,
    scan_order: bool,
) {
    let c = if scan_order { "+s." } else { "s." };
    builder.push(" WHERE 1 = 1");
    if let (true, Some(status)) = (with_status, filter.status) {
        builder
            .push(format!(" AND {c}status = "))
            .push_bind(status.as_str());
    }
    if let Some(kind) = filter.kind {
        builder
            .push(format!(" AND {c}kind = "))
            .push_bind(kind.as_str());
    }
    if let Some(unit) = filter.unit {
        builder.push(format!(" AND {c}unit_id = ")).push_bind(unit);
    }
    if let Some(year) = filter.year {
        builder.push(format!(" AND {c}year = ")).push_bind(year);
    }
    // Stored times are RFC 3339 in China time, so their first ten characters are the China date.
    if let Some(from) = &filter.from {
        builder
            .push(format!(" AND {c}submitted_at >= "))
            .push_bind(from.as_str());
    }
    if let Some(to) = &filter.to {
        builder
            .push(" AND substr(s.submitted_at, 1, 10) <= ")
            .push_bind(to.as_str());
    }
    match filter.flag {
        Some(FlagFilter::Key) => {
            builder.push(format!(" AND {c}flag_key = 1"));
        }
        Some(FlagFilter::Excellent) => {
            builder.push(format!(" AND {c}flag_excellent = 1"));
        }
        None => {}
    }
    if let Some(handler) = &filter.handler {
        builder
            .push(format!(" AND {c}handler = "))
            .push_bind(handler.as_str());
    }
    if filter.overdue {
        builder.push(" AND ");
        push_overdue(builder, c, &filter.today);
    }
    if let Some(topic) = filter.topic {
        // Always by its (partial) index: a topic has few results, whatever the order.
        builder.push(" AND s.topic_id = ").push_bind(topic);
    }
    if let Some(ids) = &filter.ids {
        builder.push(format!(" AND {c}id IN (SELECT value FROM json_each("));
        builder.push_bind(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()));
        builder.push("))");
    }
    for term in &filter.terms {
        if term.chars().count() >= TRIGRAM {
            // A phrase in FTS5's syntax: the term in double quotes, its own quotes doubled.
            let phrase = format!("\"{}\"", term.replace('"', "\"\""));
            builder
                .push(format!(
                    " AND {c}id IN (SELECT rowid FROM submissions_fts WHERE submissions_fts MATCH "
                ))
                .push_bind(phrase)
                .push(")");
        } else if let Some(word) = bigrams::query(term) {
            // One or two characters: a word of the bigram index (migration 0007).
            builder
                .push(format!(
                    " AND {c}id IN (SELECT rowid FROM submissions_bigrams WHERE submissions_bigrams MATCH "
                ))
                .push_bind(word)
                .push(")");
        } else if !term.is_ascii() {
            // Too short for the trigram index, with a character the bigram index leaves out: a scan,
            // and instr() scans faster than LIKE. Chinese has no case to fold.
            builder
                .push(" AND (instr(s.title, ")
                .push_bind(term.as_str())
                .push(") > 0 OR instr(s.body, ")
                .push_bind(term.as_str())
                .push(") > 0)");
        } else {
            let pattern = format!(
                "%{}%",
                term.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            builder
                .push(" AND (s.title LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR s.body LIKE ")
                .push_bind(pattern)
                .push(" ESCAPE '\\')");
        }
    }
}

/// One page of the list in `request.sort`, starting after `request.after`.
#[tracing::instrument(skip(db))]
pub async fn page(db: &SqlitePool, filter: &Filter, request: &PageRequest) -> anyhow::Result<Page> {
    let mut builder = QueryBuilder::<Sqlite>::new(
        "SELECT s.id, s.year, s.title, s.unit_id, u.name AS unit, s.name, s.kind, s.status,
                s.submitted_at, s.updated_at,
                CAST(julianday(",
    );
    builder.push_bind(filter.today.as_str());
    builder.push(
        ") - julianday(substr(s.submitted_at, 1, 10)) AS INTEGER) AS days,
                s.flag_key, s.flag_excellent, s.handler, s.due_on, s.topic_id, s.grade, ",
    );
    push_overdue(&mut builder, "s.", &filter.today);
    builder.push(" AS overdue FROM submissions s JOIN units u ON u.id = s.unit_id");
    push_filters(&mut builder, filter, true, request.scan_order);
    match &request.after {
        None => {}
        Some(Cursor::Newest { id }) => {
            builder.push(" AND s.id < ").push_bind(*id);
        }
        Some(Cursor::Updated { updated_at, id }) => {
            builder
                .push(" AND (s.updated_at, s.id) < (")
                .push_bind(updated_at.clone())
                .push(", ")
                .push_bind(*id)
                .push(")");
        }
        Some(Cursor::Unit { unit_id, id }) => {
            builder
                .push(" AND (s.unit_id > ")
                .push_bind(*unit_id)
                .push(" OR (s.unit_id = ")
                .push_bind(*unit_id)
                .push(" AND s.id < ")
                .push_bind(*id)
                .push("))");
        }
    }
    builder.push(match request.sort {
        SortOrder::Newest => " ORDER BY s.id DESC",
        SortOrder::Updated => " ORDER BY s.updated_at DESC, s.id DESC",
        SortOrder::Unit => " ORDER BY s.unit_id, s.id DESC",
    });
    // One more than asked: whether it exists says whether there is a next page.
    builder
        .push(" LIMIT ")
        .push_bind(i64::from(request.limit) + 1);
    let mut rows: Vec<ListRow> = builder
        .build_query_as()
        .fetch_all(db)
        .await
        .context("reading a page of the submission list")?;
    let limit = request.limit as usize;
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|row| row.cursor(request.sort))
    } else {
        None
    };
    Ok(Page { rows, next })
}

impl Filter {
    /// Whether nothing but (perhaps) a status is asked for: the counts are then the whole table's.
    fn counts_everything(&self) -> bool {
        let Filter {
            status: _,
            kind,
            unit,
            year,
            from,
            to,
            flag,
            handler,
            overdue,
            terms,
            ids,
            today: _,
            topic,
        } = self;
        kind.is_none()
            && unit.is_none()
            && year.is_none()
            && from.is_none()
            && to.is_none()
            && flag.is_none()
            && handler.is_none()
            && !overdue
            && terms.is_empty()
            && ids.is_none()
            && topic.is_none()
    }
}

/// How many submissions match `filter` (its status filter aside), per status, every status listed.
#[tracing::instrument(skip(db))]
pub async fn counts(db: &SqlitePool, filter: &Filter) -> anyhow::Result<Vec<StatusCount>> {
    let mut builder = if filter.counts_everything() {
        // Kept by triggers (migration 0006): the first view of the desk counts nothing.
        QueryBuilder::<Sqlite>::new("SELECT status, count FROM submission_status_counts")
    } else {
        let mut builder =
            QueryBuilder::<Sqlite>::new("SELECT s.status, COUNT(*) FROM submissions s");
        push_filters(&mut builder, filter, false, false);
        builder.push(" GROUP BY s.status");
        builder
    };
    let found: Vec<(String, i64)> = builder
        .build_query_as()
        .fetch_all(db)
        .await
        .context("counting submissions per status")?;
    Ok(SubmissionStatus::ALL
        .into_iter()
        .map(|status| StatusCount {
            status,
            count: found
                .iter()
                .find(|(name, _)| name == status.as_str())
                .map_or(0, |(_, count)| *count),
        })
        .collect())
}

/// 承办单位 names used before that contain `q` (all when empty), most used first.
#[tracing::instrument(skip(db))]
pub async fn handlers(db: &SqlitePool, q: &str, limit: i64) -> anyhow::Result<Vec<String>> {
    let pattern = format!(
        "%{}%",
        q.trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    sqlx::query_scalar(
        "SELECT handler FROM submissions
         WHERE handler IS NOT NULL AND handler LIKE ? ESCAPE '\\'
         GROUP BY handler ORDER BY COUNT(*) DESC, handler LIMIT ?",
    )
    .bind(pattern)
    .bind(limit)
    .fetch_all(db)
    .await
    .context("reading earlier 承办单位")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_only_in_its_own_order() {
        let cases = [
            (Cursor::Newest { id: 42 }, SortOrder::Newest),
            (
                Cursor::Updated {
                    updated_at: "2026-11-27T10:00:00+08:00".into(),
                    id: 7,
                },
                SortOrder::Updated,
            ),
            (Cursor::Unit { unit_id: 3, id: 9 }, SortOrder::Unit),
        ];
        for (cursor, sort) in cases {
            let text = cursor.encode();
            assert_eq!(Cursor::decode(&text, sort), Some(cursor.clone()));
            let other = if sort == SortOrder::Newest {
                SortOrder::Unit
            } else {
                SortOrder::Newest
            };
            assert_eq!(
                Cursor::decode(&text, other),
                None,
                "{cursor:?} as {other:?}"
            );
        }
        for garbage in ["", "!!", "eHx4", "bnxh"] {
            assert_eq!(
                Cursor::decode(garbage, SortOrder::Newest),
                None,
                "{garbage}"
            );
        }
    }

    #[test]
    fn searches_split_on_any_white_space() {
        assert_eq!(terms(" 老旧小区\u{3000}电梯  "), ["老旧小区", "电梯"]);
        assert!(terms("   ").is_empty());
        assert_eq!(terms("电\u{0}梯 \u{0}\u{7}"), ["电梯"]);
    }
}
