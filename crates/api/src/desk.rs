//! The staff desk's contract: the submission list, one submission in full, the workflow actions and the
//! records kept beside the status (outcome, adoptions, instructions, flags, ratings).

use serde::{Deserialize, Serialize};

use crate::{
    attachment::{AttachmentId, AttachmentView},
    workflow::{Action, ActionKind},
    FieldErrors, SubmissionKind, SubmissionStatus,
};

/// Rows per page when the list asks for no other number, and the most it may ask for.
pub const PAGE_LIMIT: (u32, u32) = (50, 200);

/// How the list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Newest submission first.
    #[default]
    Newest,
    /// Most recently changed first.
    Updated,
    /// By unit, newest first within each.
    Unit,
}

/// Which flag to filter by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlagFilter {
    /// 重点.
    Key,
    /// 优秀.
    Excellent,
}

/// `GET /api/staff/submissions` query: every filter optional, and an empty value (`status=`) means
/// "any", as an empty form field sends it; `after` is the `next` of the page before.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ListSubmissions {
    /// Only this status (the counts ignore it).
    #[serde(default, deserialize_with = "query::word")]
    pub status: Option<SubmissionStatus>,
    /// Only this kind.
    #[serde(default, deserialize_with = "query::word")]
    pub kind: Option<SubmissionKind>,
    /// Only this unit's (its id).
    #[serde(default, deserialize_with = "query::number")]
    pub unit: Option<i64>,
    /// Only this year's (the year in the tracking code).
    #[serde(default, deserialize_with = "query::number")]
    pub year: Option<i32>,
    /// Submitted on or after this date, YYYY-MM-DD.
    #[serde(default, deserialize_with = "query::text")]
    pub from: Option<String>,
    /// Submitted on or before this date, YYYY-MM-DD.
    #[serde(default, deserialize_with = "query::text")]
    pub to: Option<String>,
    /// Only those with this flag.
    #[serde(default, deserialize_with = "query::word")]
    pub flag: Option<FlagFilter>,
    /// Only those assigned to this 承办单位 (exact name).
    #[serde(default, deserialize_with = "query::text")]
    pub handler: Option<String>,
    /// `true`: only those past their due date and not yet replied.
    #[serde(default, deserialize_with = "query::number")]
    pub overdue: Option<bool>,
    /// Words in the title or body (one character or more; all words must appear).
    #[serde(default, deserialize_with = "query::text")]
    pub q: Option<String>,
    /// Order; newest first when absent.
    #[serde(default, deserialize_with = "query::word")]
    pub sort: Option<SortOrder>,
    /// Where the previous page ended (its `next`).
    #[serde(default, deserialize_with = "query::text")]
    pub after: Option<String>,
    /// Rows per page, 1–200; 50 when absent.
    #[serde(default, deserialize_with = "query::number")]
    pub limit: Option<u32>,
    /// Only these tracking codes, comma-separated (an export of the rows ticked in the list).
    #[serde(default, deserialize_with = "query::text")]
    pub codes: Option<String>,
    /// Only results on this topic (its id).
    #[serde(default, deserialize_with = "query::number")]
    pub topic: Option<i64>,
}

/// Query values as a form sends them: an empty value is no value.
mod query {
    use std::str::FromStr;

    use serde::{de::IntoDeserializer, Deserialize, Deserializer};

    fn given<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
        Ok(Option::<String>::deserialize(deserializer)?.filter(|value| !value.trim().is_empty()))
    }

    /// Text, trimmed of nothing.
    pub fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
        given(deserializer)
    }

    /// A number or `true`/`false`.
    pub fn number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        given(deserializer)?
            .map(|value| value.trim().parse().map_err(serde::de::Error::custom))
            .transpose()
    }

    /// One of an enum's wire names.
    pub fn word<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        given(deserializer)?
            .map(|value| {
                let value: serde::de::value::StringDeserializer<D::Error> =
                    value.trim().to_owned().into_deserializer();
                T::deserialize(value)
            })
            .transpose()
    }
}

/// The 重点 and 优秀 marks staff put on a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Flags {
    /// 重点.
    pub key: bool,
    /// 优秀.
    pub excellent: bool,
}

/// One row of the staff list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionSummary {
    /// Tracking code.
    pub code: String,
    pub title: String,
    /// Unit name.
    pub unit: String,
    /// The lead submitter's name.
    pub name: String,
    pub kind: SubmissionKind,
    pub status: SubmissionStatus,
    /// When it was stored, RFC 3339.
    pub submitted_at: String,
    /// Whole days since it was stored (China time).
    pub days_since_submitted: i64,
    pub flags: Flags,
    /// 承办单位, once assigned.
    pub handler: Option<String>,
    /// 办理时限, YYYY-MM-DD, once assigned.
    pub due_on: Option<String>,
    /// Past its due date and not yet replied.
    pub overdue: bool,
    /// For a result on a topic: the topic.
    #[serde(default)]
    pub topic_id: Option<crate::topic::TopicId>,
    /// For a result on a topic: its grade, once graded.
    #[serde(default)]
    pub grade: Option<crate::topic::Grade>,
}

/// How many submissions match the filters in one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCount {
    pub status: SubmissionStatus,
    pub count: i64,
}

/// `GET /api/staff/submissions`: one page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionPage {
    pub rows: Vec<SubmissionSummary>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
    /// Per status, for the current filters without the status filter; every status, zeros included.
    pub counts: Vec<StatusCount>,
}

/// 办理结果.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    /// 已解决或基本解决.
    A,
    /// 正在解决.
    B,
    /// 列入计划逐步解决.
    C,
    /// 留作参考.
    D,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 4] = [Outcome::A, Outcome::B, Outcome::C, Outcome::D];

    /// The stored letter.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::A => "A",
            Outcome::B => "B",
            Outcome::C => "C",
            Outcome::D => "D",
        }
    }

    /// The words shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::A => "A 已解决或基本解决",
            Outcome::B => "B 正在解决",
            Outcome::C => "C 列入计划逐步解决",
            Outcome::D => "D 留作参考",
        }
    }

    /// The outcome with this letter, if any.
    pub fn parse(letter: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == letter)
    }
}

/// Where a suggestion was adopted (已采用).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AdoptionLevel {
    /// 区.
    District,
    /// 市.
    City,
    /// 省.
    Province,
    /// 全国.
    National,
}

/// The level of a leader who wrote an instruction (批示).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InstructionLevel {
    /// 区.
    District,
    /// 市.
    City,
    /// 省.
    Province,
    /// 中央.
    Central,
}

macro_rules! level_words {
    ($ty:ident { $($variant:ident => $wire:literal, $label:literal),* $(,)? }) => {
        impl $ty {
            /// Every level, lowest first.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];
            /// The wire and storage name.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $wire),* }
            }
            /// The Chinese word.
            pub fn label(self) -> &'static str {
                match self { $($ty::$variant => $label),* }
            }
            /// The level with this wire name, if any.
            pub fn parse(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|level| level.as_str() == name)
            }
        }
    };
}
level_words!(AdoptionLevel { District => "district", "区级", City => "city", "市级", Province => "province", "省级", National => "national", "全国" });
level_words!(InstructionLevel { District => "district", "区级", City => "city", "市级", Province => "province", "省级", Central => "central", "中央" });

/// The member's rating of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 满意.
    Satisfied,
    /// 基本满意.
    BasicallySatisfied,
    /// 不满意: the submission is handled again.
    Dissatisfied,
}

level_words!(Rating { Satisfied => "satisfied", "满意", BasicallySatisfied => "basically_satisfied", "基本满意", Dissatisfied => "dissatisfied", "不满意" });

/// What a timeline entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// The status changed (the note says why, when there is a why).
    #[default]
    Status,
    /// The reply to the member.
    Reply,
    /// The member sent a returned submission again.
    Resubmitted,
    /// The member rated the reply.
    Rating,
    /// Staff's internal note.
    Note,
    /// The due date moved.
    DueExtended,
    /// The outcome was set or cleared.
    Outcome,
    /// The flags changed.
    Flags,
    /// An adoption was recorded.
    Adoption,
    /// A leader's instruction was recorded.
    Instruction,
}

level_words!(EntryKind {
    Status => "status", "状态变更",
    Reply => "reply", "答复",
    Resubmitted => "resubmitted", "重新提交",
    Rating => "rating", "评价",
    Note => "note", "内部备注",
    DueExtended => "due_extended", "延期",
    Outcome => "outcome", "办理结果",
    Flags => "flags", "标记",
    Adoption => "adoption", "采用",
    Instruction => "instruction", "领导批示",
});

/// One dated entry on the staff's timeline: public entries are what the member sees too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffTimelineEntry {
    pub kind: EntryKind,
    /// The status the submission had after this entry.
    pub status: SubmissionStatus,
    /// When, RFC 3339.
    pub at: String,
    pub note: Option<String>,
    /// Shown to the member as well.
    pub public: bool,
    /// Who: a staff member's name, or `None` for the member.
    pub actor: Option<String>,
    /// The submission it was merged into, for a merge.
    pub merged_into: Option<String>,
}

/// An adoption record (已采用).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdoptionRecord {
    pub id: i64,
    pub level: AdoptionLevel,
    /// The body that adopted it, e.g. 区政府办公室.
    pub body: String,
    pub note: Option<String>,
    /// YYYY-MM-DD.
    pub on_date: String,
    /// A document's name or reference as staff typed it before files could be uploaded (older records).
    pub file: Option<String>,
    /// The uploaded document, if any.
    pub attachment: Option<AttachmentView>,
}

/// A leader's written instruction (领导批示).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstructionRecord {
    pub id: i64,
    pub level: InstructionLevel,
    /// Who wrote it, e.g. 区长 张某.
    pub leader: String,
    pub note: Option<String>,
    /// YYYY-MM-DD.
    pub on_date: String,
    /// The scanned instruction or other document, if one was uploaded.
    pub attachment: Option<AttachmentView>,
}

/// A due date moved later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueExtension {
    pub from: Option<String>,
    pub to: String,
    pub reason: String,
    /// When, RFC 3339.
    pub at: String,
    pub actor: Option<String>,
}

/// A member's rating of a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingRecord {
    pub rating: Rating,
    pub comment: Option<String>,
    /// When, RFC 3339.
    pub at: String,
}

/// `GET /api/staff/submissions/{code}`: everything about one submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffSubmissionView {
    pub code: String,
    pub kind: SubmissionKind,
    pub title: String,
    pub body: String,
    pub unit_id: i64,
    pub unit: String,
    /// The lead submitter.
    pub name: String,
    pub phone: String,
    pub cosigners: Vec<String>,
    /// Those of `cosigners` who are on the roster and confirmed co-signing (联名确认); the others were
    /// named by the lead and are unconfirmed.
    #[serde(default)]
    pub confirmed_cosigners: Vec<String>,
    pub status: SubmissionStatus,
    /// RFC 3339.
    pub submitted_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Send it back with every change; a stale one is answered 409.
    pub version: i64,
    pub handler: Option<String>,
    /// YYYY-MM-DD.
    pub due_on: Option<String>,
    pub overdue: bool,
    pub outcome: Option<Outcome>,
    pub flags: Flags,
    /// The submission it was merged into.
    pub merged_into: Option<String>,
    pub adoptions: Vec<AdoptionRecord>,
    pub instructions: Vec<InstructionRecord>,
    pub extensions: Vec<DueExtension>,
    pub ratings: Vec<RatingRecord>,
    /// Every entry, oldest first, public and internal.
    pub timeline: Vec<StaffTimelineEntry>,
    /// What staff may do now.
    pub legal_actions: Vec<ActionKind>,
    /// Files the member put on the submission, in order (download at `AttachmentView::href`).
    #[serde(default)]
    pub attachments: Vec<crate::attachment::AttachmentView>,
    /// For a research result: its topic, 摘要 and grade.
    #[serde(default)]
    pub result: Option<crate::topic::ResultTopic>,
}

/// `POST /api/staff/submissions/{code}/actions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplyAction {
    /// The `version` of the view the action was chosen on.
    pub version: i64,
    pub action: Action,
}

/// 409 answer to a change: the action is not legal now, or the submission changed since `version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeConflict {
    /// What happened and what to do, in Chinese.
    pub message: String,
    #[serde(default)]
    pub fields: FieldErrors,
    /// The submission as it is now.
    pub current: StaffSubmissionView,
}

/// `POST /api/staff/submissions/{code}/notes`: an internal note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddNote {
    /// When given, a stale version is answered 409.
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub text: String,
}

/// `PUT /api/staff/submissions/{code}/outcome`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetOutcome {
    #[serde(default)]
    pub version: Option<i64>,
    /// `null` clears it.
    pub outcome: Option<Outcome>,
}

/// `PUT /api/staff/submissions/{code}/flags`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetFlags {
    #[serde(default)]
    pub version: Option<i64>,
    pub key: bool,
    pub excellent: bool,
}

/// `POST /api/staff/submissions/{code}/adoptions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddAdoption {
    #[serde(default)]
    pub version: Option<i64>,
    pub level: AdoptionLevel,
    /// The body that adopted it.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub note: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub on_date: String,
    /// A document's name or reference, typed (older clients); new clients upload and send `attachment_id`.
    #[serde(default)]
    pub file: Option<String>,
    /// A file uploaded first with `POST /api/staff/attachments`.
    #[serde(default)]
    pub attachment_id: Option<AttachmentId>,
}

/// `POST /api/staff/submissions/{code}/instructions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddInstruction {
    #[serde(default)]
    pub version: Option<i64>,
    pub level: InstructionLevel,
    /// Who wrote it.
    #[serde(default)]
    pub leader: String,
    #[serde(default)]
    pub note: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub on_date: String,
    /// A file uploaded first with `POST /api/staff/attachments`.
    #[serde(default)]
    pub attachment_id: Option<AttachmentId>,
}

/// `POST /api/staff/submissions/actions`: one action on many submissions (accept, assign or close).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplyBulkAction {
    pub codes: Vec<String>,
    pub action: Action,
}

/// How one submission of a bulk action went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkRowResult {
    pub code: String,
    pub ok: bool,
    /// Its status afterwards (unchanged on failure), when the code exists.
    pub status: Option<SubmissionStatus>,
    /// Why it failed, in Chinese.
    pub message: Option<String>,
}

/// `200` answer to a bulk action: one result per code, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkActionResults {
    pub results: Vec<BulkRowResult>,
}

/// `POST /api/submissions/{code}/rating`: the member's rating of the reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateReply {
    pub rating: Rating,
    #[serde(default)]
    pub comment: Option<String>,
}

/// Most submissions one bulk action may name.
pub const BULK_MAX: usize = 200;

/// The actions a bulk request may carry.
pub fn bulk_allowed(action: &Action) -> bool {
    matches!(
        action.kind(),
        ActionKind::Accept | ActionKind::Assign | ActionKind::Close
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(text: &str) -> Result<ListSubmissions, serde_json::Error> {
        // The shape a query string has once split: every value a string.
        let pairs: serde_json::Map<String, serde_json::Value> = text
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(key, value)| (key.to_owned(), serde_json::Value::String(value.to_owned())))
            .collect();
        serde_json::from_value(serde_json::Value::Object(pairs))
    }

    #[test]
    fn empty_query_values_mean_any_and_given_ones_are_read() {
        let empty = query("status=&kind=&unit=&overdue=&q=&sort=&limit=").expect("all empty");
        assert_eq!(empty, ListSubmissions::default());
        let given = query("status=in_progress&unit=3&overdue=true&sort=updated&limit=20")
            .expect("all given");
        assert_eq!(given.status, Some(SubmissionStatus::InProgress));
        assert_eq!(given.unit, Some(3));
        assert_eq!(given.overdue, Some(true));
        assert_eq!(given.sort, Some(SortOrder::Updated));
        assert_eq!(given.limit, Some(20));
        for bad in ["status=unknown", "unit=three", "overdue=yes", "limit=-1"] {
            assert!(query(bad).is_err(), "{bad}");
        }
    }
}
