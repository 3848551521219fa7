//! What staff read: per-question counts and averages, responses per day, response rate per unit, a
//! breakdown of one question by unit, and text answers with search.

use serde::{Deserialize, Serialize};

use super::{OptionId, QuestionId, SurveyId, SurveyStatus};
use crate::UnitId;

/// `GET /api/staff/surveys/{id}/results`: everything the results page draws, computed live.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyResults {
    pub survey: SurveyId,
    pub title: String,
    pub status: SurveyStatus,
    pub anonymous: bool,
    /// Responses in all.
    pub responses: u64,
    /// One per question, in the survey's order.
    pub questions: Vec<QuestionResult>,
    /// Responses per day (China time), oldest first, days without responses left out.
    pub per_day: Vec<DayCount>,
    /// Response rate per unit in the audience (all units for `AllUnits`); empty for link surveys.
    pub units: Vec<UnitRate>,
}

/// The results of one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionResult {
    pub question: QuestionId,
    /// 第 n 题.
    pub number: u32,
    pub title: String,
    /// The kind's wire name (`single_choice`, `multiple_choice`, `rating`, `number`, `short_text`,
    /// `long_text`).
    pub kind: String,
    /// Responses that answered this question.
    pub answered: u64,
    /// For choice questions: one row per option in order, then 其他 when offered; for rating: one row
    /// per score 1–5. Empty for other kinds.
    pub choices: Vec<ChoiceCount>,
    /// For rating: the mean score; for number: the mean. Absent when nobody answered or for other kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<f64>,
    /// For number questions: min, max, median.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numbers: Option<NumberSummary>,
    /// For text questions (and 其他 texts of choice questions): how many texts there are; read them
    /// with `GET …/results/questions/{question}/texts`.
    pub texts: u64,
}

/// One bar of a chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChoiceCount {
    /// The option; absent for 其他 and for rating scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<OptionId>,
    /// The words to show: the option's label, 其他, or the score (`5 分`).
    pub label: String,
    pub count: u64,
    /// Share of the responses that answered the question, 0–100, one decimal (a multiple-choice
    /// question's rows add up to more than 100).
    pub percent: f64,
}

/// Summary of a number question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NumberSummary {
    pub min: f64,
    pub max: f64,
    pub median: f64,
}

/// Responses on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayCount {
    /// `YYYY-MM-DD`, China time.
    pub day: String,
    pub count: u64,
}

/// A unit's response rate: responses from its members / its active members on the roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRate {
    pub unit: UnitId,
    pub name: String,
    pub answered: u64,
    /// Active members of the unit on the roster.
    pub members: u64,
    /// answered / members × 100, one decimal; 0 when the unit has no members.
    pub percent: f64,
}

/// `GET /api/staff/surveys/{id}/results/breakdown?question={qid}`: one question's counts per unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyBreakdown {
    pub question: QuestionId,
    pub title: String,
    pub kind: String,
    /// The column heads: the labels of `QuestionResult::choices` (options, 其他, or scores); empty for
    /// number and text questions, which only have `answered` and `average`.
    pub columns: Vec<String>,
    /// One row per unit that has responses (responses without a unit, from link surveys, under 未填单位),
    /// by unit name.
    pub rows: Vec<UnitBreakdownRow>,
}

/// One unit's row of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitBreakdownRow {
    /// Absent for responses without a unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitId>,
    pub name: String,
    /// Responses from the unit that answered the question.
    pub answered: u64,
    /// Counts in the order of `SurveyBreakdown::columns`.
    pub counts: Vec<u64>,
    /// Percentages (of `answered`) in the same order, one decimal.
    pub percents: Vec<f64>,
    /// Mean for rating and number questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<f64>,
}

/// `GET /api/staff/surveys/{id}/results/questions/{question}/texts?q=&offset=`: the texts typed for a
/// question (text answers, or 其他 of a choice question), newest first, 50 a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextAnswers {
    pub question: QuestionId,
    /// All texts matching `q` (all texts without `q`).
    pub total: u64,
    pub items: Vec<TextAnswer>,
}

/// One typed text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextAnswer {
    pub text: String,
    /// The unit's name, empty when unknown.
    pub unit: String,
    /// `YYYY-MM-DD` for anonymous surveys (kept to the day), RFC 3339 otherwise.
    pub submitted_at: String,
}
