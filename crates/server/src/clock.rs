//! Timestamps: stored and sent as RFC 3339 in China time, the time every user of the app lives in.

use time::{macros::format_description, macros::offset, OffsetDateTime, UtcOffset};

/// UTC+8, China Standard Time.
pub const CHINA: UtcOffset = offset!(+8);

/// Now, in China time.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc().to_offset(CHINA)
}

/// The clock topic deadlines are read by: the system's, or in tests one set by hand (`Options::clock`),
/// so that "days left" can be checked on either side of midnight China time.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<std::sync::Arc<std::sync::Mutex<OffsetDateTime>>>);

impl Clock {
    /// A clock that stands at `at` until `set` moves it.
    pub fn fixed(at: OffsetDateTime) -> Self {
        Self(Some(std::sync::Arc::new(std::sync::Mutex::new(at))))
    }

    /// Moves a fixed clock (and every clone of it) to `at`; the system clock ignores it.
    pub fn set(&self, at: OffsetDateTime) {
        if let Some(shared) = &self.0 {
            *shared
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = at;
        }
    }

    /// Now, in China time.
    pub fn now(&self) -> OffsetDateTime {
        match &self.0 {
            None => now(),
            Some(shared) => shared
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .to_offset(CHINA),
        }
    }

    /// Today's date in China time.
    pub fn today(&self) -> time::Date {
        self.now().date()
    }
}

/// Whole days from `today` to `deadline` (`YYYY-MM-DD`, due by the end of that day): 0 on the day
/// itself, negative once it has passed. `None` for a date that does not parse.
pub fn days_left(deadline: &str, today: time::Date) -> Option<i64> {
    let format = format_description!("[year]-[month]-[day]");
    let due = time::Date::parse(deadline, &format).ok()?;
    Some((due - today).whole_days())
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
    fn days_left_turn_at_midnight_china_time() {
        use time::macros::datetime;
        let clock = Clock::fixed(datetime!(2026-12-31 15:59:59 UTC));
        assert_eq!(
            days_left("2026-12-31", clock.today()),
            Some(0),
            "23:59:59 on the day"
        );
        clock.set(datetime!(2026-12-31 16:00:00 UTC));
        assert_eq!(
            days_left("2026-12-31", clock.today()),
            Some(-1),
            "00:00 the day after"
        );
        assert_eq!(days_left("2027-01-12", clock.today()), Some(11));
        assert_eq!(days_left("2026-13-01", clock.today()), None);
    }

    #[test]
    fn times_are_written_in_china_time() {
        let utc = OffsetDateTime::from_unix_timestamp(1_795_000_000).expect("valid");
        assert_eq!(rfc3339(utc), "2026-11-18T19:06:40+08:00");
    }
}
