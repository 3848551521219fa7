//! 党委出题、党派调研: research topics the department poses, units claiming them, 自主选题 proposals, the
//! board per topic and the grading of research results (see DOMAIN.md, "A topic's life").
//!
//! Deadlines are calendar dates in China time: a topic due `2026-12-31` is due by the end of that day
//! (+08:00). `days_left` is whole days from today (China time) to the deadline: 0 on the last day,
//! negative once overdue.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::{
    validation::{Title, TITLE_CHARS},
    workflow::parse_date,
    FieldErrors, SubmissionStatus, UnitId,
};

/// Longest background, questions, plan: in characters.
pub const TOPIC_TEXT_MAX_CHARS: usize = 10_000;
/// Longest category, in characters.
pub const CATEGORY_MAX_CHARS: usize = 20;
/// Longest reason or grading comment, in characters.
pub const REASON_MAX_CHARS: usize = 1_000;
/// Longest 摘要 of a research result, in characters.
pub const SUMMARY_MAX_CHARS: usize = 1_000;
/// The category an approved 自主选题 gets when staff give none.
pub const PROPOSAL_CATEGORY: &str = "自主选题";

/// Database id of a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct TopicId(pub i64);

/// Database id of a 自主选题 proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct ProposalId(pub i64);

macro_rules! words {
    ($ty:ident { $($variant:ident => $wire:literal, $label:literal),* $(,)? }) => {
        impl $ty {
            /// Every value, in the order shown.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];
            /// The wire and storage name.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $wire),* }
            }
            /// The Chinese words shown to people.
            pub fn label(self) -> &'static str {
                match self { $($ty::$variant => $label),* }
            }
            /// The value with this wire name, if any.
            pub fn parse(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.as_str() == name)
            }
        }
    };
}

/// Who poses the topic (出题单位).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Issuer {
    /// 区委.
    DistrictCommittee,
    /// 区政府.
    DistrictGovernment,
    /// 统战部.
    #[default]
    UnitedFront,
    /// 其他 (an approved 自主选题 is this).
    Other,
}
words!(Issuer { DistrictCommittee => "district_committee", "区委", DistrictGovernment => "district_government", "区政府", UnitedFront => "united_front", "统战部", Other => "other", "其他" });

/// Where a topic stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TopicState {
    /// 草稿: only staff see it; edits change it in place.
    Draft,
    /// 已发布: target units see and claim it; edits make a new version.
    Published,
    /// 已结束: closed by staff; no more claims or results, the board stays.
    Closed,
    /// 已撤回: withdrawn by staff; members no longer see it.
    Withdrawn,
}
words!(TopicState { Draft => "draft", "草稿", Published => "published", "已发布", Closed => "closed", "已结束", Withdrawn => "withdrawn", "已撤回" });

/// Where a topic came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TopicOrigin {
    /// 党委出题: posed by the department.
    Department,
    /// 自主选题: a unit's own proposal, approved; it is for that unit alone.
    Proposal,
}
words!(TopicOrigin { Department => "department", "党委出题", Proposal => "proposal", "自主选题" });

/// One target unit's state on a topic, derived from its claim and its results (best first wins:
/// adopted > reviewed > submitted > researching > claimed > unclaimed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitTopicState {
    /// 未认领.
    Unclaimed,
    /// 已认领.
    Claimed,
    /// 调研中: the unit marked its research started.
    Researching,
    /// 已提交成果: at least one result on the topic.
    Submitted,
    /// 已评审: at least one result graded.
    Reviewed,
    /// 已采用: at least one result with an adoption record.
    Adopted,
}
words!(UnitTopicState { Unclaimed => "unclaimed", "未认领", Claimed => "claimed", "已认领", Researching => "researching", "调研中", Submitted => "submitted", "已提交成果", Reviewed => "reviewed", "已评审", Adopted => "adopted", "已采用" });

/// A research result's grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 优秀.
    Excellent,
    /// 良好.
    Good,
    /// 一般.
    Fair,
}
words!(Grade { Excellent => "excellent", "优秀", Good => "good", "良好", Fair => "fair", "一般" });

/// Where a 自主选题 proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProposalState {
    /// 待审核.
    Pending,
    /// 已同意: it became a topic for the unit.
    Approved,
    /// 未同意: with a reason.
    Declined,
}
words!(ProposalState { Pending => "pending", "待审核", Approved => "approved", "已同意", Declined => "declined", "未同意" });

/// How a deadline reads to people: 还剩 12 天 / 今天截止 / 已逾期 3 天.
pub fn deadline_words(days_left: i64) -> String {
    match days_left {
        0 => "今天截止".to_owned(),
        d if d > 0 => format!("还剩 {d} 天"),
        d => format!("已逾期 {} 天", -d),
    }
}

// ---------------------------------------------------------------------------------------------------
// Staff: topics

/// `POST /api/staff/topics` and `PUT /api/staff/topics/{id}`: a topic as the admin writes it. Missing
/// text counts as empty, so the message says what to fill in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveTopic {
    /// 课题名称 (5–60 characters, one line).
    #[serde(default)]
    pub title: String,
    /// 背景.
    #[serde(default)]
    pub background: String,
    /// 调研需回答的问题.
    #[serde(default)]
    pub questions: String,
    /// 出题单位.
    #[serde(default)]
    pub issuer: Issuer,
    /// 类别, e.g. 经济发展, 社会民生 (up to 20 characters).
    #[serde(default)]
    pub category: String,
    /// 截止日期 YYYY-MM-DD, due by the end of that day China time.
    #[serde(default)]
    pub deadline: String,
    /// 年度; the deadline's year when absent.
    #[serde(default)]
    pub year: Option<i32>,
    /// `true`: for every unit (also units added later); `false`: for `unit_ids` only.
    #[serde(default)]
    pub all_units: bool,
    /// The chosen units when `all_units` is false.
    #[serde(default)]
    pub unit_ids: Vec<UnitId>,
    /// On `PUT`: the `version` of the view it was edited from; a stale one is answered 409.
    #[serde(default)]
    pub version: Option<i64>,
}

/// A `SaveTopic` that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicDetails {
    pub title: String,
    pub background: String,
    pub questions: String,
    pub issuer: Issuer,
    pub category: String,
    pub deadline: String,
    pub year: i32,
    pub all_units: bool,
    /// Empty when `all_units`; no repeats.
    pub unit_ids: Vec<UnitId>,
}

fn long_text(input: &str, missing: &str, what: &str) -> Result<String, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(missing.to_owned());
    }
    let count = text.chars().count();
    if count > TOPIC_TEXT_MAX_CHARS {
        return Err(format!(
            "{what}最多 {TOPIC_TEXT_MAX_CHARS} 个字，现在是 {count} 个字，请精简"
        ));
    }
    Ok(text.to_owned())
}

fn one_line(input: &str, missing: &str, what: &str, max: usize) -> Result<String, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(missing.to_owned());
    }
    if text.contains(['\n', '\r']) {
        return Err(format!("{what}请写成一行，不要换行"));
    }
    let count = text.chars().count();
    if count > max {
        return Err(format!("{what}最多 {max} 个字，现在是 {count} 个字"));
    }
    Ok(text.to_owned())
}

/// A topic's or proposal's title: 5–60 characters on one line (the messages name 课题名称).
pub fn topic_title(input: &str) -> Result<String, String> {
    let (min, max) = TITLE_CHARS;
    match Title::parse(input) {
        Ok(title) => Ok(title.as_str().to_owned()),
        Err(_) if input.trim().is_empty() => Err("请填写课题名称".into()),
        Err(_) if input.trim().contains(['\n', '\r']) => Err("课题名称请写成一行，不要换行".into()),
        Err(_) => Err(format!(
            "课题名称应为 {min}–{max} 个字，现在是 {} 个字",
            input.trim().chars().count()
        )),
    }
}

/// An optional reason or comment: trimmed, `None` when blank, at most `REASON_MAX_CHARS`.
pub fn optional_comment(input: Option<&str>) -> Result<Option<String>, String> {
    let Some(text) = input.map(str::trim).filter(|text| !text.is_empty()) else {
        return Ok(None);
    };
    let count = text.chars().count();
    if count > REASON_MAX_CHARS {
        return Err(format!(
            "最多 {REASON_MAX_CHARS} 个字，现在是 {count} 个字，请精简"
        ));
    }
    Ok(Some(text.to_owned()))
}

/// A required reason (withdrawing a topic, declining a proposal).
pub fn reason(input: &str, missing: &str) -> Result<String, String> {
    optional_comment(Some(input))?.ok_or_else(|| missing.to_owned())
}

/// The 摘要 of a research result: optional, at most `SUMMARY_MAX_CHARS`.
pub fn summary(input: Option<&str>) -> Result<Option<String>, String> {
    let Some(text) = input.map(str::trim).filter(|text| !text.is_empty()) else {
        return Ok(None);
    };
    let count = text.chars().count();
    if count > SUMMARY_MAX_CHARS {
        return Err(format!(
            "摘要最多 {SUMMARY_MAX_CHARS} 个字，现在是 {count} 个字，请精简"
        ));
    }
    Ok(Some(text.to_owned()))
}

impl TopicDetails {
    /// Checks every field, collecting a message for each one that fails.
    pub fn parse(input: &SaveTopic) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut take = |field: &str, result: Result<String, String>| match result {
            Ok(value) => value,
            Err(message) => {
                errors.insert(field.to_owned(), message);
                String::new()
            }
        };
        let title = take("title", topic_title(&input.title));
        let background = take(
            "background",
            long_text(&input.background, "请填写课题背景", "背景"),
        );
        let questions = take(
            "questions",
            long_text(&input.questions, "请写明调研需要回答的问题", "需回答的问题"),
        );
        let category = take(
            "category",
            one_line(
                &input.category,
                "请填写类别，如 经济发展、社会民生",
                "类别",
                CATEGORY_MAX_CHARS,
            ),
        );
        let deadline = take(
            "deadline",
            parse_date(&input.deadline).map_err(|_| "请填写截止日期，格式如 2026-12-31".into()),
        );
        let year = match input.year {
            Some(year) if !(2000..=2999).contains(&year) => {
                errors.insert("year".into(), "年度应为四位数字，如 2026".into());
                0
            }
            Some(year) => year,
            None => deadline.get(0..4).and_then(|y| y.parse().ok()).unwrap_or(0),
        };
        let mut unit_ids = Vec::new();
        if !input.all_units {
            let mut seen = HashSet::new();
            if input.unit_ids.is_empty() {
                errors.insert(
                    "unit_ids".into(),
                    "请选择面向的单位，或选择“全部单位”".into(),
                );
            } else if input.unit_ids.iter().any(|id| !seen.insert(*id)) {
                errors.insert("unit_ids".into(), "同一个单位选了两次，请去掉重复的".into());
            } else {
                unit_ids = input.unit_ids.clone();
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            title,
            background,
            questions,
            issuer: input.issuer,
            category,
            deadline,
            year,
            all_units: input.all_units,
            unit_ids,
        })
    }
}

/// `GET /api/staff/topics` query.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ListTopics {
    /// 年度; this year (China time) when absent.
    #[serde(default)]
    pub year: Option<i32>,
}

/// A unit by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRef {
    pub id: UnitId,
    pub name: String,
}

/// A topic in full, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicView {
    pub id: TopicId,
    pub year: i32,
    pub title: String,
    pub background: String,
    pub questions: String,
    pub issuer: Issuer,
    pub category: String,
    /// YYYY-MM-DD, due by the end of that day China time.
    pub deadline: String,
    /// Whole days from today (China time) to the deadline; 0 on the last day, negative when overdue.
    pub days_left: i64,
    pub overdue: bool,
    pub all_units: bool,
    /// The target units (every active unit when `all_units`), in the roster's order.
    pub units: Vec<UnitRef>,
    pub state: TopicState,
    /// The current version: 0 while a draft, 1 once published, +1 for each edit after.
    pub version: i64,
    pub origin: TopicOrigin,
    /// For a 自主选题: the proposal it came from.
    pub proposal_id: Option<ProposalId>,
    /// Why it was withdrawn.
    pub withdrawn_reason: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, once published.
    pub published_at: Option<String>,
    /// RFC 3339.
    pub updated_at: String,
}

/// How many target units are in each state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardCounts {
    pub unclaimed: i64,
    pub claimed: i64,
    pub researching: i64,
    pub submitted: i64,
    pub reviewed: i64,
    pub adopted: i64,
    /// Target units past the deadline with no result (only while published).
    pub overdue: i64,
}

impl BoardCounts {
    /// Counts one unit in its state.
    pub fn add(&mut self, state: UnitTopicState) {
        let slot = match state {
            UnitTopicState::Unclaimed => &mut self.unclaimed,
            UnitTopicState::Claimed => &mut self.claimed,
            UnitTopicState::Researching => &mut self.researching,
            UnitTopicState::Submitted => &mut self.submitted,
            UnitTopicState::Reviewed => &mut self.reviewed,
            UnitTopicState::Adopted => &mut self.adopted,
        };
        *slot += 1;
    }
}

/// One topic of the overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicSummary {
    pub id: TopicId,
    pub year: i32,
    pub title: String,
    pub issuer: Issuer,
    pub category: String,
    /// YYYY-MM-DD.
    pub deadline: String,
    pub days_left: i64,
    pub overdue: bool,
    pub state: TopicState,
    pub version: i64,
    pub origin: TopicOrigin,
    /// How many units it is for.
    pub target_units: i64,
    pub counts: BoardCounts,
    /// How many results were submitted on it.
    pub results: i64,
}

/// `GET /api/staff/topics?year=`: every topic of a year, newest first, with the board counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicOverview {
    pub year: i32,
    pub topics: Vec<TopicSummary>,
    /// The sums over `topics`.
    pub totals: BoardCounts,
}

/// Who claimed a topic for a unit, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimInfo {
    /// The 联络员's name, or the staff member's name.
    pub by: String,
    /// `true` when staff claimed for the unit.
    pub by_staff: bool,
    /// RFC 3339.
    pub at: String,
    /// RFC 3339, once the unit marked 调研中.
    pub researching_since: Option<String>,
}

/// A research result on a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultLine {
    /// Tracking code.
    pub code: String,
    pub title: String,
    pub status: SubmissionStatus,
    pub grade: Option<Grade>,
    /// At least one adoption record.
    pub adopted: bool,
    /// RFC 3339.
    pub submitted_at: String,
}

/// One target unit on a topic's board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardRow {
    pub unit: UnitRef,
    pub state: UnitTopicState,
    pub claim: Option<ClaimInfo>,
    /// The topic's days left (same for every unit).
    pub days_left: i64,
    /// Past the deadline and no result submitted yet (highlight it).
    pub overdue: bool,
    /// Its results on the topic, oldest first.
    pub results: Vec<ResultLine>,
}

/// `GET /api/staff/topics/{id}/board`: the topic and every target unit's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicBoard {
    pub topic: TopicView,
    /// In the roster's order.
    pub rows: Vec<BoardRow>,
    pub counts: BoardCounts,
}

/// One field that changed between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicChange {
    /// The `SaveTopic` field: title, background, questions, issuer, category, deadline, year, units.
    pub field: String,
    /// Its Chinese name, e.g. 截止日期.
    pub label: String,
    /// As it read before (labels for issuer, unit names joined by 、 for units).
    pub from: String,
    pub to: String,
}

/// One published version of a topic: a full snapshot and what changed from the version before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicVersionView {
    /// 1 for the first publication.
    pub version: i64,
    /// RFC 3339.
    pub at: String,
    /// The staff member's name.
    pub by: String,
    /// Empty for version 1.
    pub changes: Vec<TopicChange>,
    /// The topic's text as of this version.
    pub snapshot: SaveTopic,
}

/// `POST /api/staff/topics/{id}/withdraw`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WithdrawTopic {
    /// 撤回原因 (required).
    #[serde(default)]
    pub reason: String,
}

/// `POST /api/staff/topics/{id}/claims`: staff claim the topic for a target unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffClaim {
    pub unit_id: UnitId,
}

/// `POST /api/staff/submissions/{code}/grade`: grade a research result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeResult {
    pub grade: Grade,
    /// 评语 (optional, up to 1,000 characters).
    #[serde(default)]
    pub comment: Option<String>,
}

/// A result's grade, as the desk's detail view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeRecord {
    pub grade: Grade,
    pub comment: Option<String>,
    /// The staff member's name.
    pub by: String,
    /// RFC 3339.
    pub at: String,
}

/// The topic a submission answers, as the desk's detail view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicRef {
    pub id: TopicId,
    pub title: String,
    pub year: i32,
    pub origin: TopicOrigin,
}

/// `POST /api/staff/submissions/{code}/grade` answer, and the topic part of a result's detail view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultTopic {
    /// Tracking code of the result.
    pub code: String,
    pub topic: TopicRef,
    /// 摘要 the member gave.
    pub summary: Option<String>,
    pub grade: Option<GradeRecord>,
}

// ---------------------------------------------------------------------------------------------------
// Proposals (自主选题)

/// `POST /api/member/proposals`: a unit's own topic, sent by its 联络员.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateProposal {
    /// 课题名称.
    #[serde(default)]
    pub title: String,
    /// 背景.
    #[serde(default)]
    pub background: String,
    /// 调研计划: how and by when the unit will research it.
    #[serde(default)]
    pub plan: String,
}

/// A `CreateProposal` that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalDetails {
    pub title: String,
    pub background: String,
    pub plan: String,
}

impl ProposalDetails {
    /// Checks every field, collecting a message for each one that fails.
    pub fn parse(input: &CreateProposal) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut take = |field: &str, result: Result<String, String>| match result {
            Ok(value) => value,
            Err(message) => {
                errors.insert(field.to_owned(), message);
                String::new()
            }
        };
        let title = take("title", topic_title(&input.title));
        let background = take(
            "background",
            long_text(&input.background, "请填写课题背景", "背景"),
        );
        let plan = take(
            "plan",
            long_text(
                &input.plan,
                "请填写调研计划：怎么调研、何时完成",
                "调研计划",
            ),
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            title,
            background,
            plan,
        })
    }
}

/// A proposal, as staff and the proposing unit see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalView {
    pub id: ProposalId,
    pub unit: UnitRef,
    /// The 联络员 who sent it.
    pub contact: String,
    pub title: String,
    pub background: String,
    pub plan: String,
    pub state: ProposalState,
    /// Why it was declined.
    pub reason: Option<String>,
    /// The topic it became, once approved.
    pub topic_id: Option<TopicId>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, once decided.
    pub decided_at: Option<String>,
}

/// `GET /api/staff/proposals` query.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ListProposals {
    /// Only this state; all when absent.
    #[serde(default)]
    pub state: Option<ProposalState>,
}

/// `POST /api/staff/proposals/{id}/decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecideProposal {
    /// `true`: approve (it becomes a published topic for the unit, claimed by it).
    #[serde(default)]
    pub approve: bool,
    /// Required to decline: shown to the unit.
    #[serde(default)]
    pub reason: Option<String>,
    /// Required to approve: the topic's 截止日期 YYYY-MM-DD.
    #[serde(default)]
    pub deadline: Option<String>,
    /// The topic's 类别 on approval; `自主选题` when absent.
    #[serde(default)]
    pub category: Option<String>,
}

/// A `DecideProposal` that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve { deadline: String, category: String },
    Decline { reason: String },
}

impl Decision {
    /// Approval needs a deadline, a decline a reason.
    pub fn parse(input: &DecideProposal) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        if input.approve {
            let deadline = parse_date(input.deadline.as_deref().unwrap_or(""))
                .map_err(|_| "同意立项请填写截止日期，格式如 2026-12-31".to_owned());
            let category = match input.category.as_deref().map(str::trim) {
                None | Some("") => Ok(PROPOSAL_CATEGORY.to_owned()),
                Some(text) => one_line(text, "", "类别", CATEGORY_MAX_CHARS),
            };
            match (deadline, category) {
                (Ok(deadline), Ok(category)) => {
                    return Ok(Decision::Approve { deadline, category })
                }
                (deadline, category) => {
                    if let Err(message) = deadline {
                        errors.insert("deadline".into(), message);
                    }
                    if let Err(message) = category {
                        errors.insert("category".into(), message);
                    }
                }
            }
        } else {
            match reason(
                input.reason.as_deref().unwrap_or(""),
                "请填写不同意的理由，联络员会看到",
            ) {
                Ok(reason) => return Ok(Decision::Decline { reason }),
                Err(message) => {
                    errors.insert("reason".into(), message);
                }
            }
        }
        Err(errors)
    }
}

// ---------------------------------------------------------------------------------------------------
// Members

/// `GET /api/member/topics`: an open topic for the member's unit (published, not withdrawn or closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberTopic {
    pub id: TopicId,
    pub title: String,
    pub issuer: Issuer,
    pub category: String,
    /// YYYY-MM-DD.
    pub deadline: String,
    /// See `deadline_words`.
    pub days_left: i64,
    pub overdue: bool,
    pub origin: TopicOrigin,
    /// The member's own unit's state on it.
    pub own_state: UnitTopicState,
}

/// `GET /api/member/topics/{id}`: one topic in full, for a member of a target unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberTopicView {
    pub id: TopicId,
    pub year: i32,
    pub title: String,
    pub background: String,
    pub questions: String,
    pub issuer: Issuer,
    pub category: String,
    /// YYYY-MM-DD.
    pub deadline: String,
    pub days_left: i64,
    pub overdue: bool,
    pub origin: TopicOrigin,
    /// `published` or `closed` (a closed topic still shows its results but takes no claims or results).
    pub state: TopicState,
    /// The member's own unit's state.
    pub own_state: UnitTopicState,
    /// The own unit's claim, if any.
    pub own_claim: Option<ClaimInfo>,
    /// Names of the other units that claimed it.
    pub claimed_by: Vec<String>,
    /// The own unit's results on it, oldest first.
    pub own_results: Vec<ResultLine>,
    /// The member is the unit's 联络员 and the unit has not claimed it (and it is open).
    pub can_claim: bool,
    /// The member is the 联络员, the unit claimed it and no result has been submitted.
    pub can_give_back: bool,
    /// The member may send a result on it (`POST /api/submissions` with `topic_id`, kind research_report).
    pub can_submit: bool,
}

#[cfg(test)]
mod tests;
