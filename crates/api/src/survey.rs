//! Surveys (问卷): staff build a questionnaire, publish it to units (or to anyone with its link) for a
//! window of time, members answer once, staff read the results as counts, averages and exports.
//!
//! The definition, the answers, the rules a response must meet and the rules for changing a survey that
//! already has answers live here, so the builder, the members' form and the server agree word for word.
//! DOMAIN.md, "A survey's life": 未发布 draft → 收集中 collecting → 已结束 closed.

use serde::{Deserialize, Serialize};

use crate::UnitId;

mod results;
mod rules;
#[cfg(test)]
mod tests;

pub use results::{
    ChoiceCount, DayCount, NumberSummary, QuestionResult, SurveyBreakdown, SurveyResults,
    TextAnswer, TextAnswers, UnitBreakdownRow, UnitRate,
};
pub use rules::{
    check_change, check_definition, check_settings, datetime_from_input, question_label,
    validate_response, visible_questions, SURVEY_INTRO_MAX_CHARS, SURVEY_LONG_TEXT_MAX_CHARS,
    SURVEY_OPTIONS_MAX, SURVEY_OPTION_MAX_CHARS, SURVEY_OTHER_TEXT_MAX_CHARS, SURVEY_QUESTIONS_MAX,
    SURVEY_QUESTION_TITLE_MAX_CHARS, SURVEY_SHORT_TEXT_MAX_CHARS, SURVEY_TITLE_MAX_CHARS,
};

/// Name of the cookie that marks one device for public-link surveys (one response per device). The
/// server sets it (HttpOnly, a year) on `GET /api/surveys/link/{key}` when the device has none; the
/// browser only has to send cookies with its requests.
pub const SURVEY_DEVICE_COOKIE: &str = "jianyan_survey_device";

/// Database id of a survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct SurveyId(pub i64);

/// A question's id, stable for the survey's life: the builder gives a new question the next free number
/// (`SurveyDefinition::next_question_id`) and never reuses or renumbers, so a moved or removed question
/// is detectable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct QuestionId(pub u32);

/// A choice's id within its question, stable like `QuestionId` (`Question::next_option_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct OptionId(pub u32);

/// What staff write: the survey's title, introduction and questions, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyDefinition {
    /// 问卷标题, one line.
    #[serde(default)]
    pub title: String,
    /// 说明: shown on the first screen, may be several lines; may be empty.
    #[serde(default)]
    pub intro: String,
    /// The questions in the order members see them.
    #[serde(default)]
    pub questions: Vec<Question>,
}

impl SurveyDefinition {
    /// The id to give a new question: one more than the highest in use.
    pub fn next_question_id(&self) -> QuestionId {
        QuestionId(self.questions.iter().map(|q| q.id.0).max().unwrap_or(0) + 1)
    }

    /// The question with this id.
    pub fn question(&self, id: QuestionId) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Position (1-based, as shown: 第 n 题) of the question with this id.
    pub fn number_of(&self, id: QuestionId) -> Option<usize> {
        self.questions
            .iter()
            .position(|q| q.id == id)
            .map(|i| i + 1)
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    /// Stable id (see `QuestionId`).
    pub id: QuestionId,
    /// 题目, one line.
    #[serde(default)]
    pub title: String,
    /// 补充说明 under the title; may be empty.
    #[serde(default)]
    pub help: String,
    /// 必答.
    #[serde(default)]
    pub required: bool,
    /// The kind of answer and its settings.
    pub kind: QuestionKind,
    /// Skip logic: when set, the question is shown (and may be answered) only when an earlier choice
    /// question has one of the given options picked; otherwise it is skipped and must stay unanswered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<ShowIf>,
}

impl Question {
    /// The id to give a new option of this question: one more than the highest in use (0 when it has
    /// no options).
    pub fn next_option_id(&self) -> OptionId {
        OptionId(
            self.kind
                .options()
                .iter()
                .map(|o| o.id.0)
                .max()
                .map_or(1, |max| max + 1),
        )
    }
}

/// The kinds of question, with their settings. JSON: `{"type": "single_choice", "options": [...],
/// "other": true}`, `{"type": "rating"}`, ….
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// 单选: exactly one option (or 其他 with text).
    SingleChoice {
        options: Vec<ChoiceOption>,
        /// Offers a last option “其他” with a text box.
        #[serde(default)]
        other: bool,
    },
    /// 多选: any number of options within `min`..=`max` (其他 counts as one).
    MultipleChoice {
        options: Vec<ChoiceOption>,
        #[serde(default)]
        other: bool,
        /// 至少选几项; none means at least one when answered.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u32>,
        /// 最多选几项; none means no limit.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u32>,
    },
    /// 评分: a whole number 1–5 (stars).
    Rating,
    /// 数字: any number within the optional bounds; `integer` refuses fractions.
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        #[serde(default)]
        integer: bool,
    },
    /// 简答: one line, up to `SURVEY_SHORT_TEXT_MAX_CHARS`.
    ShortText,
    /// 详答: several lines, up to `SURVEY_LONG_TEXT_MAX_CHARS`.
    LongText,
}

impl QuestionKind {
    /// The wire name of the kind (`single_choice`, …), also what `check_change` compares.
    pub fn as_str(&self) -> &'static str {
        match self {
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::MultipleChoice { .. } => "multiple_choice",
            QuestionKind::Rating => "rating",
            QuestionKind::Number { .. } => "number",
            QuestionKind::ShortText => "short_text",
            QuestionKind::LongText => "long_text",
        }
    }

    /// The Chinese word for the kind, as the builder offers it.
    pub fn label(&self) -> &'static str {
        match self {
            QuestionKind::SingleChoice { .. } => "单选",
            QuestionKind::MultipleChoice { .. } => "多选",
            QuestionKind::Rating => "评分",
            QuestionKind::Number { .. } => "数字",
            QuestionKind::ShortText => "简答",
            QuestionKind::LongText => "详答",
        }
    }

    /// The options of a choice question; empty for other kinds.
    pub fn options(&self) -> &[ChoiceOption] {
        match self {
            QuestionKind::SingleChoice { options, .. }
            | QuestionKind::MultipleChoice { options, .. } => options,
            _ => &[],
        }
    }

    /// Whether a choice question offers 其他 with text.
    pub fn has_other(&self) -> bool {
        match self {
            QuestionKind::SingleChoice { other, .. }
            | QuestionKind::MultipleChoice { other, .. } => *other,
            _ => false,
        }
    }

    /// Whether this is a single or multiple choice question.
    pub fn is_choice(&self) -> bool {
        matches!(
            self,
            QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. }
        )
    }
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChoiceOption {
    /// Stable id (see `OptionId`).
    pub id: OptionId,
    /// The words shown.
    #[serde(default)]
    pub label: String,
}

/// Skip logic: show the question only when `question` (an earlier single or multiple choice question)
/// has any of `any_of` picked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShowIf {
    pub question: QuestionId,
    pub any_of: Vec<OptionId>,
}

/// Who may answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Audience {
    /// Every joined member of every unit (全部单位).
    AllUnits,
    /// Joined members of the chosen units only.
    Units { unit_ids: Vec<UnitId> },
    /// Anyone who has the link (持链接者均可填写): no roster, one response per device.
    Link,
}

/// `POST /api/staff/surveys/{id}/publish`: when and to whom. Also accepted again while published, to
/// move the window; audience and anonymity cannot change once answers exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishSettings {
    /// 开始时间, China time: `YYYY-MM-DDTHH:MM` (what `<input type=datetime-local>` gives) or RFC 3339
    /// with `+08:00`. The survey takes answers from this minute on.
    pub opens_at: String,
    /// 截止时间, China time, same forms: answers are refused from this minute on.
    pub closes_at: String,
    pub audience: Audience,
    /// 匿名: who answered is kept apart from the answers and cannot be joined to them, by anyone.
    #[serde(default)]
    pub anonymous: bool,
    /// 截止前可修改: a member may replace their response until the survey closes. Not with `anonymous`
    /// nor with `Audience::Link` (the server could not find the response to replace).
    #[serde(default)]
    pub editable_until_close: bool,
}

/// Where a survey stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    /// 未发布.
    Draft,
    /// 已发布，未开始: published, the window is ahead.
    Scheduled,
    /// 收集中.
    Collecting,
    /// 已结束: the window passed, or staff closed it.
    Closed,
}

impl SurveyStatus {
    /// The Chinese words shown.
    pub fn label(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "未发布",
            SurveyStatus::Scheduled => "未开始",
            SurveyStatus::Collecting => "收集中",
            SurveyStatus::Closed => "已结束",
        }
    }
}

/// One answer. JSON: `{"question": 3, "value": {"type": "choice", "options": [1, 4], "other": "…"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    pub question: QuestionId,
    pub value: AnswerValue,
}

/// The value of one answer; its type must fit the question's kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerValue {
    /// For single and multiple choice: the picked options, and the text of 其他 when it is picked
    /// (`other` present means 其他 is picked).
    Choice {
        #[serde(default)]
        options: Vec<OptionId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other: Option<String>,
    },
    /// For rating: 1–5.
    Rating { value: u8 },
    /// For number.
    Number { value: f64 },
    /// For short and long text.
    Text { value: String },
}

/// `POST /api/member/surveys/{id}/responses` and `POST /api/surveys/link/{key}/responses` (with the
/// `Idempotency-Key` header): the answers to the questions shown; skipped and unanswered optional
/// questions are simply left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmitResponse {
    #[serde(default)]
    pub answers: Vec<Answer>,
}

/// The answer to a response POST.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseRecorded {
    /// True when this replaced the member's earlier response (editable surveys).
    pub replaced: bool,
    /// What to tell the member, e.g. 感谢参与，您的答卷已提交.
    pub message: String,
}

/// `POST /api/staff/surveys` (a new draft) and `PUT /api/staff/surveys/{id}` (its new text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveSurvey {
    pub definition: SurveyDefinition,
}

/// A survey as staff see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyView {
    pub id: SurveyId,
    pub status: SurveyStatus,
    pub definition: SurveyDefinition,
    /// Absent while a draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<PublishSettings>,
    /// The secret part of the public link, for `Audience::Link`: people open `/surveys/link/{key}` (the
    /// members' /surveys/ bundle) and it calls `/api/surveys/link/{key}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_key: Option<String>,
    /// Responses so far.
    pub responses: u64,
    /// RFC 3339 (China time).
    pub created_at: String,
    /// RFC 3339 (China time).
    pub updated_at: String,
    /// RFC 3339 (China time) when staff closed it early; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
}

/// One row of `GET /api/staff/surveys`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveySummary {
    pub id: SurveyId,
    pub title: String,
    pub status: SurveyStatus,
    pub questions: u32,
    pub responses: u64,
    /// RFC 3339 (China time); absent while a draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<String>,
    /// RFC 3339 (China time); absent while a draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<String>,
    pub anonymous: bool,
    pub updated_at: String,
}

/// One row of `GET /api/member/surveys`: the surveys published to the member's unit that are open now or
/// closed within the last 30 days, soonest closing first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberSurveyItem {
    pub id: SurveyId,
    pub title: String,
    pub status: SurveyStatus,
    /// RFC 3339 (China time).
    pub opens_at: String,
    /// RFC 3339 (China time): 截止时间.
    pub closes_at: String,
    pub questions: u32,
    pub anonymous: bool,
    /// Whether this member (or, for link surveys, this device) has answered.
    pub answered: bool,
}

/// `GET /api/member/surveys/{id}` and `GET /api/surveys/link/{key}`: one survey to answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberSurvey {
    pub id: SurveyId,
    /// `Scheduled` or `Closed`: show `notice` instead of the form.
    pub status: SurveyStatus,
    pub definition: SurveyDefinition,
    pub opens_at: String,
    pub closes_at: String,
    /// Say so on the first screen: 本问卷匿名，…
    pub anonymous: bool,
    /// A public-link survey: one response per device; say so.
    pub per_device: bool,
    pub editable_until_close: bool,
    /// Whether this member (device) has answered.
    pub answered: bool,
    /// The member's own answers, when they answered an editable named survey (to show and change them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_answers: Option<Vec<Answer>>,
    /// What to tell the member instead of, or above, the form: not open yet (from when), closed,
    /// already answered (and whether it can be changed), anonymous/per-device notes. Chinese.
    pub notice: String,
}
