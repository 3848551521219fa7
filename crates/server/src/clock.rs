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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_in_china_time() {
        let utc = OffsetDateTime::from_unix_timestamp(1_795_000_000).expect("valid");
        assert_eq!(rfc3339(utc), "2026-11-18T19:06:40+08:00");
    }
}
