//! Dates and times in an article's text: absolute ones (`13 يوليوز 2022`, Hijri dates, `سنة
//! 1787`, `يوليو 2022`) and relative ones resolved against the publication date (`أمس
//! الثلاثاء`, `الأسبوع الماضي`, `الخميس المقبل`). Month names come from
//! [`akhbar_arabic::calendar`](akhbar_arabic::find_dates); time words from
//! `data/relative_dates.tsv`.

use akhbar_arabic::{find_dates, month_named, normalize, Spans, TokenKind};
use chrono::{Datelike, Duration, NaiveDate};
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// A date or period named in a text. Field names are part of `akhbar show --json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimeExpression {
    /// Byte offset.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// The text as written.
    pub text: String,
    /// ISO 8601: `2022-07-12` (a day), `2022-07` (a month), `2022` (a year), or an interval
    /// `2022-07-04/2022-07-10` (a week).
    pub value: String,
    /// `day`, `week`, `month` or `year`.
    pub precision: &'static str,
    /// True when resolved against the publication date.
    pub relative: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
    Weekday,
}

const RELATIVE_TSV: &str = include_str!("../data/relative_dates.tsv");

/// Phrases (normalized, 1–2 words) → (unit, offset).
static RELATIVE: LazyLock<FxHashMap<String, (Unit, i32)>> = LazyLock::new(|| parse(RELATIVE_TSV).unwrap_or_default());

fn parse(text: &str) -> Result<FxHashMap<String, (Unit, i32)>, String> {
    let mut map = FxHashMap::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [phrase, unit, offset] = fields[..] else {
            return Err(format!("line {}: expected PHRASE, UNIT, OFFSET", n + 1));
        };
        let unit = match unit {
            "day" => Unit::Day,
            "week" => Unit::Week,
            "month" => Unit::Month,
            "year" => Unit::Year,
            "weekday" => Unit::Weekday,
            other => return Err(format!("line {}: unknown unit {other}", n + 1)),
        };
        let offset: i32 = offset.parse().map_err(|_| format!("line {}: bad offset", n + 1))?;
        let key = phrase.split_whitespace().map(normalize).collect::<Vec<_>>().join(" ");
        map.insert(key, (unit, offset));
    }
    Ok(map)
}

struct Word {
    start: usize,
    end: usize,
    norm: String,
    number: bool,
}

/// The dates and periods of `text`, in order; relative ones only when `published` is known.
pub fn time_expressions(text: &str, published: Option<NaiveDate>) -> Vec<TimeExpression> {
    let mut found: Vec<TimeExpression> = find_dates(text)
        .into_iter()
        .filter_map(|d| {
            let day = NaiveDate::from_ymd_opt(d.day.year, d.day.month, d.day.day)?;
            Some(TimeExpression {
                start: d.start,
                end: d.end,
                text: text[d.start..d.end].to_string(),
                value: day.format("%Y-%m-%d").to_string(),
                precision: "day",
                relative: false,
            })
        })
        .collect();
    let covered = |start: usize, found: &[TimeExpression]| found.iter().any(|f| f.start <= start && start < f.end);
    let words: Vec<Word> = Spans::new(text)
        .map(|s| Word {
            start: s.start,
            end: s.end,
            norm: normalize(&text[s.start..s.end]),
            number: s.kind == TokenKind::Number,
        })
        .collect();
    let year_of = |w: Option<&Word>| -> Option<i32> {
        let w = w?;
        let year: i32 = w.norm.parse().ok().filter(|_| w.number && w.norm.len() == 4)?;
        (1000..=2200).contains(&year).then_some(year)
    };
    let mut more = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        if covered(word.start, &found) {
            i += 1;
            continue;
        }
        let mut push = |first: usize, last: usize, value: String, precision: &'static str, relative: bool| {
            let (start, end) = (words[first].start, words[last].end);
            more.push(TimeExpression {
                start,
                end,
                text: text[start..end].to_string(),
                value,
                precision,
                relative,
            });
        };
        // سنة 1787، عام 2015، العام 2015
        if matches!(word.norm.as_str(), "سنه" | "عام" | "العام" | "لعام" | "السنه") {
            if let Some(year) = year_of(words.get(i + 1)) {
                push(i, i + 1, format!("{year:04}"), "year", false);
                i += 2;
                continue;
            }
        }
        // يوليو 2022، كانون الثاني 2022
        let two = words.get(i + 1).map(|next| format!("{} {}", word.norm, next.norm));
        let month = two
            .as_deref()
            .and_then(month_named)
            .map(|m| (m, 2))
            .or_else(|| month_named(&word.norm).map(|m| (m, 1)));
        if let Some(((month, akhbar_arabic::Calendar::Gregorian), used)) = month {
            if let Some(year) = year_of(words.get(i + used)) {
                push(i, i + used, format!("{year:04}-{month:02}"), "month", false);
                i += used + 1;
                continue;
            }
        }
        let Some(published) = published else {
            i += 1;
            continue;
        };
        // Relative phrases, two words before one; the first word may carry و or ف (والعام
        // المقبل).
        let bare = word.norm.strip_prefix(['و', 'ف']).filter(|b| b.chars().count() >= 3);
        let next = words.get(i + 1).map(|w| w.norm.as_str());
        let phrase = [Some(word.norm.as_str()), bare]
            .into_iter()
            .flatten()
            .find_map(|first| {
                next.and_then(|next| RELATIVE.get(&format!("{first} {next}")).map(|r| (*r, 2)))
                    .or_else(|| RELATIVE.get(first).map(|r| (*r, 1)))
            });
        let Some(((unit, offset), used)) = phrase else {
            i += 1;
            continue;
        };
        let mut last = i + used - 1;
        let (value, precision) = match unit {
            Unit::Day => {
                // أمس الثلاثاء: the weekday confirms the day and belongs to the phrase.
                if let Some(((Unit::Weekday, _), _)) =
                    words.get(last + 1).and_then(|w| RELATIVE.get(&w.norm).map(|r| (*r, 1)))
                {
                    last += 1;
                }
                (
                    (published + Duration::days(i64::from(offset)))
                        .format("%Y-%m-%d")
                        .to_string(),
                    "day",
                )
            }
            Unit::Week => {
                let monday = published - Duration::days(i64::from(published.weekday().num_days_from_monday()))
                    + Duration::weeks(i64::from(offset));
                (
                    format!(
                        "{}/{}",
                        monday.format("%Y-%m-%d"),
                        (monday + Duration::days(6)).format("%Y-%m-%d")
                    ),
                    "week",
                )
            }
            Unit::Month => {
                let months = published.year() * 12 + published.month0() as i32 + offset;
                (
                    format!("{:04}-{:02}", months.div_euclid(12), months.rem_euclid(12) + 1),
                    "month",
                )
            }
            Unit::Year => (format!("{:04}", published.year() + offset), "year"),
            Unit::Weekday => {
                // Alone, only after يوم or with a modifier: a bare الجمعة or الأحد is often a
                // name (صلاة الجمعة) rather than a date.
                let modifier = words.get(last + 1).map(|w| w.norm.as_str());
                let after_yawm = i > 0 && words[i - 1].norm == "يوم";
                let direction = match modifier {
                    Some("الماضي" | "المنصرم" | "الفاءت") => -1,
                    Some("المقبل" | "القادم") => 1,
                    _ if after_yawm || (i > 0 && RELATIVE.get(&words[i - 1].norm).is_some()) => 0,
                    _ => {
                        i += 1;
                        continue;
                    }
                };
                if direction != 0 {
                    last += 1;
                }
                let today = published.weekday().number_from_monday() as i32;
                let back = (today - offset).rem_euclid(7);
                let day = match direction {
                    -1 => published - Duration::days(i64::from(if back == 0 { 7 } else { back })),
                    1 => {
                        let ahead = (offset - today).rem_euclid(7);
                        published + Duration::days(i64::from(if ahead == 0 { 7 } else { ahead }))
                    }
                    _ => published - Duration::days(i64::from(back)),
                };
                (day.format("%Y-%m-%d").to_string(), "day")
            }
        };
        let first = if unit == Unit::Weekday && i > 0 && words[i - 1].norm == "يوم" {
            i - 1
        } else {
            i
        };
        push(first, last, value, precision, true);
        i = last + 1;
    }
    found.extend(more);
    found.sort_by_key(|f| f.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_time_words_parse() {
        assert!(parse(RELATIVE_TSV).is_ok());
        assert!(RELATIVE.len() > 30);
    }

    #[test]
    fn absolute_and_relative() {
        // Published on Wednesday 13 July 2022.
        let published = NaiveDate::from_ymd_opt(2022, 7, 13);
        let table = [
            ("أشاد أمس الثلاثاء بالتعاون", vec![("أمس الثلاثاء", "2022-07-12", "day")]),
            ("منذ سنة 1787 والعلاقات قائمة", vec![("سنة 1787", "1787", "year")]),
            (
                "في 13 يوليوز 2022 بالرباط",
                vec![("13 يوليوز 2022", "2022-07-13", "day")],
            ),
            (
                "زار الرباط الأسبوع الماضي",
                vec![("الأسبوع الماضي", "2022-07-04/2022-07-10", "week")],
            ),
            ("يوم الخميس المقبل", vec![("يوم الخميس المقبل", "2022-07-14", "day")]),
            ("الاثنين الماضي", vec![("الاثنين الماضي", "2022-07-11", "day")]),
            ("خلال يوم السبت", vec![("يوم السبت", "2022-07-09", "day")]),
            ("صلاة الجمعة", vec![]),
            (
                "في يوليو 2022 والعام المقبل",
                vec![("يوليو 2022", "2022-07", "month"), ("والعام المقبل", "2023", "year")],
            ),
            ("الشهر الماضي", vec![("الشهر الماضي", "2022-06", "month")]),
            // Tabular Hijri: one day after the Umm al-Qura date (14 July), as documented.
            (
                "في 15 ذو الحجة 1443 هـ",
                vec![("15 ذو الحجة 1443 هـ", "2022-07-15", "day")],
            ),
        ];
        for (text, expected) in table {
            let got: Vec<(String, String, &str)> = time_expressions(text, published)
                .into_iter()
                .map(|t| (t.text, t.value, t.precision))
                .collect();
            let expected: Vec<(String, String, &str)> = expected
                .into_iter()
                .map(|(a, b, c)| (a.to_string(), b.to_string(), c))
                .collect();
            assert_eq!(got, expected, "{text}");
        }
        assert!(
            time_expressions("أمس", None).is_empty(),
            "relative needs a publication date"
        );
    }
}
