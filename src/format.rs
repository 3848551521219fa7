//! Showing values to people.

/// `2026-11-27T13:22:05+08:00` → `2026-11-27 13:22`. The server sends China time already.
pub fn china_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time}"),
        _ => rfc3339.to_owned(),
    }
}
