//! "3 minutes ago", "10 years ago": the phrase under a comment, for server-rendered pages.
//! The widget computes the same phrases in the reader's browser (`Intl.RelativeTimeFormat`).

use chrono::{DateTime, Utc};

/// How long ago, in the one unit a reader is told: `(n, "minute" | "hour" | "day" | "month" |
/// "year")`, or None for "just now" (under 45 seconds, or a clock that runs behind). The
/// server's pages say it in each language's words (`ago-*` in the catalogues).
pub fn elapsed(then: DateTime<Utc>, now: DateTime<Utc>) -> Option<(i64, &'static str)> {
    let secs = (now - then).num_seconds().max(0);
    let (n, unit) = match secs {
        0..45 => return None,
        45..3_600 => ((secs + 30) / 60, "minute"),
        3_600..86_400 => (secs / 3_600, "hour"),
        86_400..2_592_000 => (secs / 86_400, "day"),
        2_592_000..31_536_000 => (secs / 2_592_000, "month"),
        _ => (secs / 31_536_000, "year"),
    };
    Some((n.max(1), unit))
}

/// The same in English.
pub fn relative(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    match elapsed(then, now) {
        None => "just now".to_owned(),
        Some((1, unit)) => format!("1 {unit} ago"),
        Some((n, unit)) => format!("{n} {unit}s ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn phrases() {
        let now = Utc::now();
        assert_eq!(relative(now - Duration::seconds(5), now), "just now");
        assert_eq!(relative(now - Duration::minutes(3), now), "3 minutes ago");
        assert_eq!(relative(now - Duration::hours(1), now), "1 hour ago");
        assert_eq!(relative(now - Duration::days(400), now), "1 year ago");
        assert_eq!(relative(now - Duration::days(3_660), now), "10 years ago");
        // A clock that runs behind must not print "-3 minutes ago".
        assert_eq!(relative(now + Duration::minutes(3), now), "just now");
    }
}
