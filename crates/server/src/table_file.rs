//! Reading a table the department keeps in Excel: an .xlsx workbook (its first sheet, read with
//! calamine) or a CSV file (UTF-8, with or without the BOM Excel writes), as rows of text under a header
//! row. What the columns mean is the caller's: `Table::columns` finds them by their header.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// The rows of a file's first sheet, each cell as text (trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    header: Vec<String>,
    /// (the row number a spreadsheet shows, the cells); blank rows left out.
    rows: Vec<(u32, Vec<String>)>,
}

/// Where each named column sits; `None` for an optional column the file lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns(Vec<Option<usize>>);

impl Columns {
    /// The text of column `index` (in the order `Table::columns` was asked) in `row`; "" when absent.
    pub fn cell<'a>(&self, row: &'a [String], index: usize) -> &'a str {
        self.0
            .get(index)
            .copied()
            .flatten()
            .and_then(|column| row.get(column))
            .map_or("", String::as_str)
    }
}

/// Every .xlsx file (a ZIP archive) starts with these bytes.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The old binary Excel format (an OLE compound file).
const XLS_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];
const UTF8_BOM: &str = "\u{feff}";

impl Table {
    /// Reads `bytes` as .xlsx or CSV, whichever it is; the error says, in Chinese, what to do instead.
    pub fn read(bytes: &[u8]) -> Result<Self, String> {
        if bytes.starts_with(ZIP_MAGIC) {
            Self::read_xlsx(bytes)
        } else if bytes.starts_with(XLS_MAGIC) {
            Err(
                "这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或「CSV UTF-8」后再导入"
                    .into(),
            )
        } else {
            Self::read_csv(bytes)
        }
    }

    fn read_xlsx(bytes: &[u8]) -> Result<Self, String> {
        let unreadable = |error: calamine::XlsxError| {
            tracing::info!(%error, "an uploaded workbook could not be read");
            "无法读取这个 Excel 文件，请确认它是 .xlsx 格式且没有加密".to_owned()
        };
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
        let range = workbook
            .worksheet_range_at(0)
            .ok_or_else(|| "这个 Excel 文件里没有工作表".to_owned())?
            .map_err(unreadable)?;
        // The range starts at its first non-empty cell; a spreadsheet counts rows (and columns) from the
        // sheet's top left, so both offsets go back in.
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        let lead = vec![String::new(); first_column as usize];
        let lines = range.rows().enumerate().map(|(index, cells)| {
            let mut texts = lead.clone();
            texts.extend(cells.iter().map(cell_text));
            (first_row + index as u32 + 1, texts)
        });
        Self::from_lines(lines)
    }

    fn read_csv(bytes: &[u8]) -> Result<Self, String> {
        let text = std::str::from_utf8(bytes).map_err(|_| {
            "CSV 文件不是 UTF-8 编码：请在 Excel 中另存为「CSV UTF-8（逗号分隔）」，或直接导入 .xlsx 文件"
                .to_owned()
        })?;
        let text = text.strip_prefix(UTF8_BOM).unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut lines = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|error| {
                let line = error.position().map_or(0, csv::Position::line);
                format!("CSV 文件第 {line} 行无法读取（引号不配对？），请检查后重试")
            })?;
            // Counted from the byte offset: the reader's own line count and offset both point at the
            // blank lines it skipped before the record.
            let mut start = record.position().map_or(0, csv::Position::byte) as usize;
            while matches!(text.as_bytes().get(start), Some(b'\n' | b'\r')) {
                start += 1;
            }
            let line = text.as_bytes()[..start.min(text.len())]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u32
                + 1;
            lines.push((line, record.iter().map(|c| c.trim().to_owned()).collect()));
        }
        Self::from_lines(lines)
    }

    /// The first non-blank line is the header; blank lines after it are left out.
    fn from_lines(lines: impl IntoIterator<Item = (u32, Vec<String>)>) -> Result<Self, String> {
        let mut lines = lines
            .into_iter()
            .filter(|(_, cells)| cells.iter().any(|cell| !cell.is_empty()));
        let (_, header) = lines
            .next()
            .ok_or_else(|| "文件是空的：第一行应是表头，下面每行一条".to_owned())?;
        Ok(Table {
            header,
            rows: lines.collect(),
        })
    }

    /// Finds the columns by header text, in the order given; a missing required one is named.
    pub fn columns(&self, required: &[&str], optional: &[&str]) -> Result<Columns, String> {
        let position = |name: &str| self.header.iter().position(|h| h.trim() == name);
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|name| position(name).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "文件缺少「{}」列：第一行（表头）应有 {}",
                missing.join("」「"),
                required
                    .iter()
                    .chain(optional)
                    .map(|name| format!("「{name}」"))
                    .collect::<Vec<_>>()
                    .join("、")
            ));
        }
        Ok(Columns(
            required
                .iter()
                .chain(optional)
                .map(|name| position(name))
                .collect(),
        ))
    }

    /// The data rows: (the row number a spreadsheet shows, the cells).
    pub fn rows(&self) -> &[(u32, Vec<String>)] {
        &self.rows
    }
}

/// A cell as the person sees it: a phone number Excel keeps as a number is its digits, not `1.38e10`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{}", *number as i64)
        }
        Data::String(text) => text.trim().to_owned(),
        Data::Empty => String::new(),
        other => other.to_string().trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_with_a_bom_and_blank_lines_keeps_the_spreadsheets_row_numbers() {
        let table = Table::read(
            "\u{feff}姓名,手机号\n\n 王建国 ,13812345678\n李红,\"139 0000 0000\"\n".as_bytes(),
        )
        .expect("a readable CSV");
        let columns = table
            .columns(&["手机号", "姓名"], &["职务"])
            .expect("columns");
        let rows: Vec<(u32, &str, &str, &str)> = table
            .rows()
            .iter()
            .map(|(n, cells)| {
                (
                    *n,
                    columns.cell(cells, 1),
                    columns.cell(cells, 0),
                    columns.cell(cells, 2),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (3, "王建国", "13812345678", ""),
                (4, "李红", "139 0000 0000", "")
            ]
        );
    }

    #[test]
    fn files_that_cannot_be_read_say_what_to_do() {
        let cases: [(&[u8], &str); 4] = [
            (b"\xd6\xd0\xce\xc4,x\n", "UTF-8"),
            (b"\xD0\xCF\x11\xE0rest", ".xls"),
            (b"PK\x03\x04broken", ".xlsx"),
            (b"\n\n", "空"),
        ];
        for (bytes, hint) in cases {
            let error = Table::read(bytes).expect_err(hint);
            assert!(error.contains(hint), "{hint}: {error}");
        }
        let table = Table::read("姓名\n王建国\n".as_bytes()).expect("readable");
        let error = table
            .columns(&["姓名", "手机号"], &[])
            .expect_err("no phone");
        assert!(error.contains("缺少「手机号」列"), "{error}");
    }

    #[test]
    fn whole_numbers_in_cells_read_as_digits() {
        assert_eq!(cell_text(&Data::Float(13812345678.0)), "13812345678");
        assert_eq!(cell_text(&Data::Float(1.5)), "1.5");
        assert_eq!(cell_text(&Data::Int(7)), "7");
        assert_eq!(cell_text(&Data::String(" 是 ".into())), "是");
    }
}
