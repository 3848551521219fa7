//! A survey's responses as a table for Excel/WPS: one row per response, one column per question (a
//! multiple-choice question one column per option, marked 1, plus 其他 with its text), with unit and time
//! first, and the member's name only in a named survey.

use anyhow::Context;
use api::{
    spreadsheet::cell_text,
    survey::{Answer, AnswerValue, QuestionKind, SurveyDefinition},
};
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use crate::{store::surveys::responses::ResponseRow, xlsx};

/// The head row.
pub fn header(definition: &SurveyDefinition, anonymous: bool) -> Vec<String> {
    let mut head = vec!["提交时间".to_owned(), "单位".to_owned()];
    if !anonymous {
        head.push("姓名".to_owned());
    }
    for (i, question) in definition.questions.iter().enumerate() {
        let title = format!("{}. {}", i + 1, question.title.trim());
        match &question.kind {
            QuestionKind::MultipleChoice { options, other, .. } => {
                head.extend(
                    options
                        .iter()
                        .map(|o| format!("{title}：{}", o.label.trim())),
                );
                if *other {
                    head.push(format!("{title}：其他"));
                }
            }
            QuestionKind::SingleChoice { .. }
            | QuestionKind::Rating
            | QuestionKind::Number { .. }
            | QuestionKind::ShortText
            | QuestionKind::LongText => head.push(title),
        }
    }
    head
}

/// `2026-11-27T15:45:09+08:00` as `2026-11-27 15:45`; a day stays a day.
fn display_time(stored: &str) -> String {
    match (stored.get(..10), stored.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time}"),
        _ => stored.to_owned(),
    }
}

fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

/// One response's cells, in the order of `header`.
pub fn row(definition: &SurveyDefinition, anonymous: bool, response: &ResponseRow) -> Vec<String> {
    let mut cells = vec![display_time(&response.submitted_at), response.unit.clone()];
    if !anonymous {
        cells.push(response.member.clone().unwrap_or_default());
    }
    let find = |id| response.answers.iter().find(|a: &&Answer| a.question == id);
    for question in &definition.questions {
        let value = find(question.id).map(|a| &a.value);
        match (&question.kind, value) {
            (QuestionKind::MultipleChoice { options, other, .. }, value) => {
                let (picked, other_text) = match value {
                    Some(AnswerValue::Choice { options, other }) => {
                        (options.as_slice(), other.as_deref())
                    }
                    _ => (&[][..], None),
                };
                cells.extend(options.iter().map(|o| {
                    if picked.contains(&o.id) {
                        "1".to_owned()
                    } else {
                        String::new()
                    }
                }));
                if *other {
                    cells.push(other_text.unwrap_or_default().to_owned());
                }
            }
            (
                QuestionKind::SingleChoice { options, .. },
                Some(AnswerValue::Choice {
                    options: picked,
                    other,
                }),
            ) => {
                let label = picked
                    .first()
                    .and_then(|id| options.iter().find(|o| o.id == *id))
                    .map(|o| o.label.clone());
                cells.push(match (label, other) {
                    (Some(label), _) => label,
                    (None, Some(text)) => format!("其他：{text}"),
                    (None, None) => String::new(),
                });
            }
            (_, Some(AnswerValue::Rating { value })) => cells.push(value.to_string()),
            (_, Some(AnswerValue::Number { value })) => cells.push(number_text(*value)),
            (_, Some(AnswerValue::Text { value })) => cells.push(value.clone()),
            _ => cells.push(String::new()),
        }
    }
    cells
}

fn csv_line(cells: &[String], out: &mut String) {
    for (index, cell) in cells.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        let text = cell_text(cell);
        if text.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&text.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&text);
        }
    }
    out.push_str("\r\n");
}

/// The responses as CSV, UTF-8 with a BOM (so Excel and WPS read the Chinese right).
pub fn csv(definition: &SurveyDefinition, anonymous: bool, responses: &[ResponseRow]) -> String {
    let mut out = String::from("\u{FEFF}");
    csv_line(&header(definition, anonymous), &mut out);
    for response in responses {
        csv_line(&row(definition, anonymous, response), &mut out);
    }
    out
}

/// The responses as an .xlsx workbook (one sheet, 答卷), every cell a string cell (see `xlsx`).
pub fn workbook(
    definition: &SurveyDefinition,
    anonymous: bool,
    responses: &[ResponseRow],
) -> anyhow::Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .context("cannot start a worksheet")?;
    sheet.set_name("答卷")?;
    let bold = Format::new().set_bold().set_align(FormatAlign::Center);
    for (column, title) in (0u16..).zip(header(definition, anonymous)) {
        sheet.set_column_width(column, if column == 0 { 18.0 } else { 16.0 })?;
        sheet.write_string_with_format(0, column, &title, &bold)?;
    }
    for (row_number, response) in (1u32..).zip(responses) {
        for (column, text) in (0u16..).zip(row(definition, anonymous, response)) {
            if !text.is_empty() {
                xlsx::write_text(sheet, row_number, column, &text)?;
            }
        }
    }
    workbook
        .save_to_buffer()
        .context("cannot finish the workbook")
}
