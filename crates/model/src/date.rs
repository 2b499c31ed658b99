use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use std::fmt;

/// A date string in none of the accepted formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// The text that could not be read as a date.
    pub text: String,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unrecognized date {:?} (expected RFC 3339, `YYYY-MM-DD hh:mm:ss` or `YYYY-MM-DD`)",
            self.text
        )
    }
}

impl std::error::Error for DateError {}

/// Parses the date formats articles arrive with.
///
/// | format | example | read as |
/// |---|---|---|
/// | RFC 3339 | `2015-07-21T02:16:13+03:00` | that instant |
/// | `YYYY-MM-DD hh:mm:ss` | `2015-07-21 02:16:13` (SaudiNewsNet) | UTC, since the zone is unknown |
/// | `YYYY-MM-DDThh:mm:ss` | `2015-07-21T02:16:13` | UTC |
/// | `YYYY-MM-DD` | `2015-07-21` | midnight UTC |
///
/// Years outside 1..=9999 are rejected: they are data errors, not dates of news.
pub fn parse_date(text: &str) -> Result<DateTime<Utc>, DateError> {
    use chrono::Datelike;
    let error = || DateError {
        text: text.chars().take(80).collect(),
    };
    let date = parse_any(text.trim()).ok_or_else(error)?;
    if (1..=9999).contains(&date.year()) {
        Ok(date)
    } else {
        Err(error())
    }
}

fn parse_any(trimmed: &str) -> Option<DateTime<Utc>> {
    if let Ok(date) = DateTime::parse_from_rfc3339(trimmed) {
        return Some(date.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(trimmed, format) {
            return Some(naive.and_utc());
        }
    }
    let day = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").ok()?;
    day.and_hms_opt(0, 0, 0).map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expected: Option<&str>) {
        let actual = parse_date(input).ok().map(|d| d.to_rfc3339());
        assert_eq!(actual.as_deref(), expected, "input {input:?}");
    }

    #[test]
    fn formats() {
        check("2015-07-21T02:16:13+03:00", Some("2015-07-20T23:16:13+00:00"));
        check("2015-07-21T02:16:13Z", Some("2015-07-21T02:16:13+00:00"));
        check("2015-07-21 02:16:13", Some("2015-07-21T02:16:13+00:00"));
        check("2015-07-21T02:16:13", Some("2015-07-21T02:16:13+00:00"));
        check(" 2015-07-21 ", Some("2015-07-21T00:00:00+00:00"));
        check("21/07/2015", None);
        check("", None);
        check("0000-01-01", None);
        check("99999-01-01", None);
    }
}
