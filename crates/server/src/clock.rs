//! Timestamps: stored and sent as RFC 3339 in China time, the time every user of the app lives in.

use time::{macros::format_description, macros::offset, OffsetDateTime, UtcOffset};

/// UTC+8, China Standard Time.
pub const CHINA: UtcOffset = offset!(+8);

/// Now, in China time.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc().to_offset(CHINA)
}

/// RFC 3339 with a fixed `+08:00` offset and whole seconds, so stored strings sort by time.
pub fn rfc3339(at: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]+08:00");
    at.to_offset(CHINA)
        .format(&format)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

/// Today's date in China time, `YYYY-MM-DD`.
pub fn today() -> String {
    date_text(now().date())
}

/// `YYYY-MM-DD`.
pub fn date_text(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The same day `months` later, or the month's last day when it has no such day (31 Jan + 1 = 28/29 Feb).
pub fn months_after(date: time::Date, months: u32) -> time::Date {
    let index =
        i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + i64::from(months);
    let year = i32::try_from(index.div_euclid(12)).unwrap_or(i32::MAX);
    let month = u8::try_from(index.rem_euclid(12) + 1)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .unwrap_or(time::Month::December);
    let last = month.length(year);
    time::Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// A clock tests can move: put it on the app as an `Extension` layer, and handlers that take `Now` read
/// it instead of the system clock (the survey window is tested at its edges this way). `jianyan serve`
/// never installs one.
#[derive(Debug, Clone, Default)]
pub struct TestClock(std::sync::Arc<std::sync::Mutex<Option<OffsetDateTime>>>);

impl TestClock {
    /// From now on, requests see `at` as the time.
    pub fn set(&self, at: OffsetDateTime) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(at);
    }

    /// The time set, or the system's when none is.
    pub fn now(&self) -> OffsetDateTime {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .map_or_else(now, |at| at.to_offset(CHINA))
    }
}

/// Extractor: the request's "now" in China time, from a `TestClock` extension when a test installed
/// one, else the system clock.
#[derive(Debug, Clone, Copy)]
pub struct Now(pub OffsetDateTime);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Now {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Now(parts
            .extensions
            .get::<TestClock>()
            .map_or_else(now, TestClock::now)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_later_keep_the_day_or_take_the_months_last() {
        use time::macros::date;
        let cases = [
            (date!(2026 - 11 - 27), 3, "2027-02-27"),
            (date!(2026 - 11 - 30), 3, "2027-02-28"),
            (date!(2027 - 11 - 30), 3, "2028-02-29"),
            (date!(2026 - 01 - 31), 1, "2026-02-28"),
            (date!(2026 - 12 - 01), 12, "2027-12-01"),
        ];
        for (from, months, expected) in cases {
            assert_eq!(
                date_text(months_after(from, months)),
                expected,
                "{from} + {months}"
            );
        }
    }

    #[test]
    fn times_are_written_in_china_time() {
        let utc = OffsetDateTime::from_unix_timestamp(1_795_000_000).expect("valid");
        assert_eq!(rfc3339(utc), "2026-11-18T19:06:40+08:00");
    }
}
