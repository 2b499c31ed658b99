use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use std::fmt;

/// A date string in none of the accepted formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// The text that could not be read as a date.
    pub text: String,
    /// True when it is a date, but outside [`plausible_date`]'s range.
    pub out_of_range: bool,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.out_of_range {
            return write!(f, "date {:?} is out of range (years 1800 to 2199)", self.text);
        }
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
/// Dates outside [`plausible_date`]'s range are rejected: they are data errors, not dates of
/// news.
pub fn parse_date(text: &str) -> Result<DateTime<Utc>, DateError> {
    let error = |out_of_range| DateError {
        text: text.chars().take(80).collect(),
        out_of_range,
    };
    let date = parse_any(text.trim()).ok_or_else(|| error(false))?;
    if plausible_date(&date) {
        Ok(date)
    } else {
        Err(error(true))
    }
}

/// Publication dates akhbar keeps: years 1800 to 2199. Anything else (year 0, 99999, a
/// Unix time read as milliseconds) is a data error, and the search index could not hold
/// it either (its times are nanoseconds in 64 bits: 1677 to 2262).
pub fn plausible_date(date: &DateTime<Utc>) -> bool {
    use chrono::Datelike;
    (1800..2200).contains(&date.year())
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
        check("+99999-01-01T00:00:00Z", None);
        check("1799-12-31 23:59:59", None);
        check("1800-01-01", Some("1800-01-01T00:00:00+00:00"));
        check("2199-12-31 23:59:59", Some("2199-12-31T23:59:59+00:00"));
        check("2200-01-01", None);
        check("9999-12-31", None);
    }

    #[test]
    fn out_of_range_dates_say_so() {
        let error = parse_date("0500-01-01").unwrap_err();
        assert!(error.out_of_range);
        assert!(error.to_string().contains("out of range"), "{error}");
        assert!(!parse_date("tomorrow").unwrap_err().out_of_range);
    }
}
