//! Spreadsheets for staff: the submission list as an .xlsx that opens in Excel and WPS.
//!
//! Every cell is a string cell, which Excel and WPS never evaluate, so a member's title such as
//! `=HYPERLINK(…)` reaches the report as the text it is. Text that would start a formula if edited
//! (`=`, `+`, `-`, `@` …) also gets the quote-prefix format, so it stays text when someone edits the cell;
//! unlike an apostrophe written into the text (`api::spreadsheet::cell_text`, for CSV), the format does
//! not show and leaves "+86 138…" or "- 一、" exactly as typed.

use anyhow::Context;
use api::spreadsheet::starts_formula;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::store::submissions::report_rows::ExportRow;

/// The columns, with the width (in characters) each gets.
const COLUMNS: [(&str, f64); 10] = [
    ("回执编号", 16.0),
    ("提交时间", 18.0),
    ("类别", 10.0),
    ("标题", 40.0),
    ("单位", 24.0),
    ("领衔人", 10.0),
    ("联系电话", 14.0),
    ("联名人", 20.0),
    ("状态", 10.0),
    ("内容", 80.0),
];

/// A constant-memory worksheet named 建言列表 with a bold header row of `columns` (title, width in
/// characters); rows follow from row 1.
pub fn list_sheet<'w>(
    workbook: &'w mut Workbook,
    columns: &[(&str, f64)],
) -> anyhow::Result<&'w mut Worksheet> {
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .context("cannot start a worksheet")?;
    sheet.set_name("建言列表")?;
    let header = Format::new().set_bold().set_align(FormatAlign::Center);
    for (column, (title, width)) in (0u16..).zip(columns) {
        sheet.set_column_width(column, *width)?;
        sheet.write_string_with_format(0, column, *title, &header)?;
    }
    Ok(sheet)
}

/// Writes `text` as a string cell, quote-prefixed when it would start a formula (see the module's note).
pub fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    text: &str,
) -> Result<(), XlsxError> {
    if starts_formula(text) {
        sheet.write_string_with_format(row, column, text, &Format::new().set_quote_prefix())?;
    } else {
        sheet.write_string(row, column, text)?;
    }
    Ok(())
}

/// An .xlsx of `rows` under a header row that stays in view and filters.
pub fn submissions_workbook(rows: &[ExportRow]) -> anyhow::Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let sheet = list_sheet(&mut workbook, &COLUMNS)?;
    for (row, submission) in (1u32..).zip(rows) {
        let cells = [
            submission.code.as_str(),
            &display_time(&submission.submitted_at),
            submission.kind,
            &submission.title,
            &submission.unit,
            &submission.name,
            &submission.phone,
            &submission.cosigners,
            submission.status,
            &submission.body,
        ];
        for (column, text) in (0u16..).zip(cells) {
            write_text(sheet, row, column, text)?;
        }
    }
    let last_row = u32::try_from(rows.len()).context("too many rows for one worksheet")?;
    sheet.autofilter(0, 0, last_row, 9)?;
    sheet.set_freeze_panes(1, 0)?;
    workbook
        .save_to_buffer()
        .context("cannot write the workbook")
}

/// `2026-11-27T15:45:09+08:00` as `2026-11-27 15:45` (stored times are China time already).
fn display_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time}"),
        _ => rfc3339.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::display_time;

    #[test]
    fn stored_times_are_shown_to_the_minute() {
        assert_eq!(
            display_time("2026-11-27T15:45:09+08:00"),
            "2026-11-27 15:45"
        );
        assert_eq!(display_time("garbled"), "garbled");
    }
}
