//! Text bound for a spreadsheet cell (Excel/WPS exports of submissions and survey answers).

/// Characters that make a spreadsheet read a cell as a formula when they lead it. The full-width forms
/// are what a Chinese input method types, and WPS treats some of them the same way.
const FORMULA_LEADS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// Whether a spreadsheet would read `text` as a formula if it were typed into a cell or opened from CSV.
pub fn starts_formula(text: &str) -> bool {
    text.starts_with(FORMULA_LEADS)
}

/// Makes member-written text safe for a CSV cell: text that would start a formula (`=HYPERLINK(…)`,
/// `+cmd|…`, `@SUM(…)`) gets a leading apostrophe, which spreadsheets show as plain text. An .xlsx needs
/// no such change: its string cells never evaluate (mark them with the quote-prefix format instead).
pub fn cell_text(text: &str) -> String {
    if starts_formula(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::cell_text;

    #[test]
    fn text_that_would_start_a_formula_is_quoted() {
        let cases = [
            (
                "=HYPERLINK(\"http://x\",\"点我\")",
                "'=HYPERLINK(\"http://x\",\"点我\")",
                "equals",
            ),
            ("+1+1", "'+1+1", "plus"),
            ("-2+3", "'-2+3", "minus"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)", "at"),
            ("\t=1", "'\t=1", "tab"),
            ("\r=1", "'\r=1", "carriage return"),
            ("＝1+1", "'＝1+1", "full-width equals"),
            ("＠SUM(A1)", "'＠SUM(A1)", "full-width at"),
        ];
        for (input, expected, why) in cases {
            assert_eq!(cell_text(input), expected, "{why}");
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in ["关于加装电梯的建议", "", "a=b", "电话 138-1234-5678", " =1"] {
            assert_eq!(cell_text(text), text, "{text:?}");
        }
    }
}
