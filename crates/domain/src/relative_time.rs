//! "3 minutes ago", "10 years ago": the phrase under a comment, for server-rendered pages.
//! The widget computes the same phrases in the reader's browser.

use chrono::{DateTime, Utc};

pub fn relative(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds().max(0);
    let (n, unit) = match secs {
        0..45 => return "just now".to_owned(),
        45..3_600 => ((secs + 30) / 60, "minute"),
        3_600..86_400 => (secs / 3_600, "hour"),
        86_400..2_592_000 => (secs / 86_400, "day"),
        2_592_000..31_536_000 => (secs / 2_592_000, "month"),
        _ => (secs / 31_536_000, "year"),
    };
    let n = n.max(1);
    if n == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{n} {unit}s ago")
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
