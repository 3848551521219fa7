use std::fmt;

/// The readable tracking code shown to a submitter: `JY-<year>-<number>`, e.g. `JY-2026-000123`.
///
/// The number is the submission's storage id, so a code is unique without a second counter to keep in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackingCode {
    year: i32,
    number: i64,
}

const PREFIX: &str = "JY-";

impl TrackingCode {
    /// The code for submission `number`, received in `year`.
    pub fn new(year: i32, number: i64) -> Self {
        Self { year, number }
    }

    /// Year of receipt (China time).
    pub fn year(self) -> i32 {
        self.year
    }

    /// The submission's storage id.
    pub fn number(self) -> i64 {
        self.number
    }

    /// Reads a code as a person might type it: surrounding spaces and lower case are forgiven.
    pub fn parse(input: &str) -> Option<Self> {
        let upper = input.trim().to_ascii_uppercase();
        let rest = upper.strip_prefix(PREFIX)?;
        let (year, number) = rest.split_once('-')?;
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || !all_digits(year) || !all_digits(number) || number.len() > 18 {
            return None;
        }
        let number: i64 = number.parse().ok()?;
        if number < 1 {
            return None;
        }
        Some(Self {
            year: year.parse().ok()?,
            number,
        })
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{:04}-{:06}", self.year, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_written_with_a_zero_padded_number() {
        assert_eq!(TrackingCode::new(2026, 123).to_string(), "JY-2026-000123");
        assert_eq!(
            TrackingCode::new(2026, 1234567).to_string(),
            "JY-2026-1234567"
        );
    }

    #[test]
    fn a_written_code_reads_back_as_itself() {
        for (year, number) in [(2026, 1), (2027, 999_999), (2030, 12_345_678)] {
            let code = TrackingCode::new(year, number);
            assert_eq!(TrackingCode::parse(&code.to_string()), Some(code));
        }
    }

    #[test]
    fn codes_typed_with_spaces_or_lower_case_are_understood() {
        assert_eq!(
            TrackingCode::parse("  jy-2026-000042 "),
            Some(TrackingCode::new(2026, 42))
        );
    }

    #[test]
    fn malformed_codes_are_refused() {
        let cases = [
            ("", "empty"),
            ("JY-2026", "no number"),
            ("JY-26-000001", "two-digit year"),
            ("XX-2026-000001", "wrong prefix"),
            ("JY-2026-00000a", "letter in number"),
            ("JY-2026-000000", "number zero"),
            ("JY-2026--00001", "sign in number"),
            ("JY-2026-99999999999999999999", "number too large"),
        ];
        for (input, why) in cases {
            assert_eq!(TrackingCode::parse(input), None, "{why}: {input:?}");
        }
    }
}
