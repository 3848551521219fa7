//! Results of a survey, computed from its stored responses in one pass per question: counts and
//! percentages per option or score, averages, responses per day, response rate per unit, a breakdown
//! of one question by unit, and the typed texts with search.

use std::collections::{BTreeMap, HashMap};

use api::{
    survey::{
        AnswerValue, ChoiceCount, DayCount, NumberSummary, Question, QuestionId, QuestionKind,
        QuestionResult, SurveyBreakdown, SurveyDefinition, SurveyId, SurveyResults, SurveyStatus,
        TextAnswer, TextAnswers, UnitBreakdownRow, UnitRate,
    },
    UnitId,
};

use crate::store::surveys::responses::{ResponseRow, UnitRoster};

/// Texts per page of `texts`.
pub const TEXTS_PAGE: usize = 50;

/// `part / whole` as a percentage with one decimal; 0 when `whole` is 0.
pub fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    // Integer rounding first, so 1/3 is exactly 33.3 and not 33.33333.
    let tenths = (part * 1000 + whole / 2) / whole;
    tenths as f64 / 10.0
}

fn mean(sum: f64, count: u64) -> Option<f64> {
    (count > 0).then(|| (sum / count as f64 * 100.0).round() / 100.0)
}

/// The column labels of a question's chart: options then 其他, or the scores 1–5.
fn columns(question: &Question) -> Vec<(Option<api::survey::OptionId>, String)> {
    match &question.kind {
        QuestionKind::SingleChoice { options, other }
        | QuestionKind::MultipleChoice { options, other, .. } => options
            .iter()
            .map(|o| (Some(o.id), o.label.clone()))
            .chain(other.then(|| (None, "其他".to_owned())))
            .collect(),
        QuestionKind::Rating => (1..=5).map(|score| (None, format!("{score} 分"))).collect(),
        _ => Vec::new(),
    }
}

/// Tallies of one question over some responses.
#[derive(Default)]
struct Tally {
    answered: u64,
    counts: Vec<u64>,
    sum: f64,
    numbers: Vec<f64>,
    texts: u64,
}

impl Tally {
    fn new(question: &Question) -> Self {
        Tally {
            counts: vec![0; columns(question).len()],
            ..Tally::default()
        }
    }

    fn add(&mut self, question: &Question, value: &AnswerValue) {
        self.answered += 1;
        match (&question.kind, value) {
            (kind, AnswerValue::Choice { options, other }) if kind.is_choice() => {
                let offered = kind.options();
                for picked in options {
                    if let Some(index) = offered.iter().position(|o| o.id == *picked) {
                        self.counts[index] += 1;
                    }
                }
                if other.is_some() && kind.has_other() {
                    self.counts[offered.len()] += 1;
                    self.texts += 1;
                }
            }
            (QuestionKind::Rating, AnswerValue::Rating { value }) => {
                if let Some(count) = self.counts.get_mut(usize::from(*value).wrapping_sub(1)) {
                    *count += 1;
                }
                self.sum += f64::from(*value);
            }
            (QuestionKind::Number { .. }, AnswerValue::Number { value }) => {
                self.sum += value;
                self.numbers.push(*value);
            }
            (_, AnswerValue::Text { .. }) => self.texts += 1,
            _ => {}
        }
    }

    fn average(&self, question: &Question) -> Option<f64> {
        match question.kind {
            QuestionKind::Rating | QuestionKind::Number { .. } => mean(self.sum, self.answered),
            _ => None,
        }
    }
}

/// Tallies every question over `responses`, in the survey's order.
fn tally<'r>(
    definition: &SurveyDefinition,
    responses: impl Iterator<Item = &'r ResponseRow>,
) -> Vec<Tally> {
    let index: HashMap<QuestionId, usize> = definition
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id, i))
        .collect();
    let mut tallies: Vec<Tally> = definition.questions.iter().map(Tally::new).collect();
    for response in responses {
        for answer in &response.answers {
            if let Some(&i) = index.get(&answer.question) {
                tallies[i].add(&definition.questions[i], &answer.value);
            }
        }
    }
    tallies
}

/// What the results page shows. `units` are the audience's units with their rosters (empty for a link
/// survey).
pub fn compute(
    id: SurveyId,
    status: SurveyStatus,
    anonymous: bool,
    definition: &SurveyDefinition,
    responses: &[ResponseRow],
    units: &[UnitRoster],
) -> SurveyResults {
    let tallies = tally(definition, responses.iter());
    let questions = definition
        .questions
        .iter()
        .zip(tallies)
        .enumerate()
        .map(|(i, (question, mut tally))| {
            let choices = columns(question)
                .into_iter()
                .zip(&tally.counts)
                .map(|((option, label), &count)| ChoiceCount {
                    option,
                    label,
                    count,
                    percent: percent(count, tally.answered),
                })
                .collect();
            let numbers = (!tally.numbers.is_empty()).then(|| {
                tally.numbers.sort_by(f64::total_cmp);
                let n = tally.numbers.len();
                let median = if n % 2 == 1 {
                    tally.numbers[n / 2]
                } else {
                    (tally.numbers[n / 2 - 1] + tally.numbers[n / 2]) / 2.0
                };
                NumberSummary {
                    min: tally.numbers[0],
                    max: tally.numbers[n - 1],
                    median,
                }
            });
            QuestionResult {
                question: question.id,
                number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                title: question.title.clone(),
                kind: question.kind.as_str().to_owned(),
                answered: tally.answered,
                average: tally.average(question),
                choices,
                numbers,
                texts: tally.texts,
            }
        })
        .collect();
    let mut days: BTreeMap<&str, u64> = BTreeMap::new();
    let mut per_unit: HashMap<i64, u64> = HashMap::new();
    for response in responses {
        *days
            .entry(
                response
                    .submitted_at
                    .get(..10)
                    .unwrap_or(&response.submitted_at),
            )
            .or_default() += 1;
        if let Some(unit) = response.unit_id {
            *per_unit.entry(unit).or_default() += 1;
        }
    }
    SurveyResults {
        survey: id,
        title: definition.title.clone(),
        status,
        anonymous,
        responses: responses.len() as u64,
        questions,
        per_day: days
            .into_iter()
            .map(|(day, count)| DayCount {
                day: day.to_owned(),
                count,
            })
            .collect(),
        units: units
            .iter()
            .map(|unit| {
                let answered = per_unit.get(&unit.id).copied().unwrap_or(0);
                let members = u64::try_from(unit.members).unwrap_or(0);
                UnitRate {
                    unit: UnitId(unit.id),
                    name: unit.name.clone(),
                    answered,
                    members,
                    percent: percent(answered, members),
                }
            })
            .collect(),
    }
}

/// One question's counts per unit, units by name; `None` when the survey has no such question.
pub fn breakdown(
    definition: &SurveyDefinition,
    question: QuestionId,
    responses: &[ResponseRow],
) -> Option<SurveyBreakdown> {
    let position = definition.questions.iter().position(|q| q.id == question)?;
    let q = &definition.questions[position];
    let mut by_unit: BTreeMap<(String, Option<i64>), Vec<&ResponseRow>> = BTreeMap::new();
    for response in responses {
        let name = if response.unit.is_empty() {
            "未填单位".to_owned()
        } else {
            response.unit.clone()
        };
        by_unit
            .entry((name, response.unit_id))
            .or_default()
            .push(response);
    }
    let one = SurveyDefinition {
        questions: vec![q.clone()],
        ..SurveyDefinition::default()
    };
    let rows = by_unit
        .into_iter()
        .map(|((name, unit), rows)| {
            let tally = tally(&one, rows.into_iter()).pop().unwrap_or_default();
            UnitBreakdownRow {
                unit: unit.map(UnitId),
                name,
                answered: tally.answered,
                percents: tally
                    .counts
                    .iter()
                    .map(|&c| percent(c, tally.answered))
                    .collect(),
                average: tally.average(q),
                counts: tally.counts,
            }
        })
        .collect();
    Some(SurveyBreakdown {
        question,
        title: q.title.clone(),
        kind: q.kind.as_str().to_owned(),
        columns: columns(q).into_iter().map(|(_, label)| label).collect(),
        rows,
    })
}

/// The texts typed for a question (text answers, or 其他), newest first, those containing `query`
/// (case-insensitively) when given, a page of `TEXTS_PAGE` from `offset`.
pub fn texts(
    question: QuestionId,
    responses: &[ResponseRow],
    query: Option<&str>,
    offset: usize,
) -> TextAnswers {
    let needle = query
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_lowercase);
    let matching: Vec<TextAnswer> = responses
        .iter()
        .rev()
        .filter_map(|response| {
            let answer = response.answers.iter().find(|a| a.question == question)?;
            let text = match &answer.value {
                AnswerValue::Text { value } => value,
                AnswerValue::Choice {
                    other: Some(other), ..
                } => other,
                _ => return None,
            };
            if let Some(needle) = &needle {
                if !text.to_lowercase().contains(needle.as_str()) {
                    return None;
                }
            }
            Some(TextAnswer {
                text: text.clone(),
                unit: response.unit.clone(),
                submitted_at: response.submitted_at.clone(),
            })
        })
        .collect();
    TextAnswers {
        question,
        total: matching.len() as u64,
        items: matching.into_iter().skip(offset).take(TEXTS_PAGE).collect(),
    }
}
