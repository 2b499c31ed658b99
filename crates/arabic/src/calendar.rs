//! Dates written in Arabic text: month names of every region, Hijri dates, Arabic-Indic
//! digits, numeric dates, and the time of day.
//!
//! This module is the one owner of Arabic month names (`data/months.tsv`) and of Hijri
//! conversion; the extractor (publication dates) and the entity layer (dates in text) use it.
//!
//! | form | example | read as |
//! |---|---|---|
//! | day, month name, year | `14 يوليو 2022`, `١٤ تموز/يوليو ٢٠٢٢`, `13 يوليوز 2022`, `14 جويلية 2022` | that day |
//! | Hijri | `15 ذو الحجة 1443 هـ` | converted with the tabular (arithmetic) calendar, which can differ from the announced Umm al-Qura date by a day |
//! | numeric | `2022-07-14`, `2022/07/14`, `14/07/2022`, `14-7-2022`, `14.07.2022` | year first, or day first as written in Arabic news |
//! | time after a date | `09:30`, `9:30 مساء`, `10:15 ص` | 24-hour clock; `مساء`/`م` add 12 hours to 1–11 |
//!
//! A weekday before a date (`الخميس 14 يوليو`) is allowed and ignored. Days are checked
//! against their month (no 31 نيسان).

use crate::normalize::normalize;
use crate::tokenize::{Span, Spans, TokenKind};
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

const MONTHS_TSV: &str = include_str!("../data/months.tsv");

/// Which calendar a date was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Calendar {
    /// The Gregorian calendar (all regional month names).
    Gregorian,
    /// The Islamic (Hijri) calendar.
    Hijri,
}

/// A Gregorian calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Day {
    /// Year (Gregorian).
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
}

/// A date found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FoundDate {
    /// Byte offset where the date starts in the text.
    pub start: usize,
    /// Byte offset one past its end (including a time, when one follows).
    pub end: usize,
    /// The Gregorian day it names.
    pub day: Day,
    /// Hours and minutes, when a time follows the date.
    pub time: Option<(u32, u32)>,
    /// The calendar it was written in.
    pub calendar: Calendar,
}

/// Month names by their normalized form (one or two words).
static MONTHS: LazyLock<FxHashMap<String, (u32, Calendar)>> =
    LazyLock::new(|| parse_months(MONTHS_TSV).expect("the embedded month list is checked by a test"));

/// The month a name (normalized, one or two words: `يوليوز`, `كانون الثاني`) stands for.
pub fn month_named(normalized: &str) -> Option<(u32, Calendar)> {
    MONTHS.get(normalized).copied()
}

fn parse_months(text: &str) -> Result<FxHashMap<String, (u32, Calendar)>, String> {
    let mut months = FxHashMap::default();
    for (index, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let bad = || {
            format!(
                "line {}: expected NAME, MONTH (1-12), gregorian|hijri, WHERE",
                index + 1
            )
        };
        let [name, month, calendar, _where] = fields[..] else {
            return Err(bad());
        };
        let month: u32 = month.parse().ok().filter(|m| (1..=12).contains(m)).ok_or_else(bad)?;
        let calendar = match calendar {
            "gregorian" => Calendar::Gregorian,
            "hijri" => Calendar::Hijri,
            _ => return Err(bad()),
        };
        if months.insert(normalize(name), (month, calendar)).is_some() {
            return Err(format!(
                "line {}: {name:?} is listed twice (after normalization)",
                index + 1
            ));
        }
    }
    Ok(months)
}

/// The Gregorian day of a Hijri date, by the tabular Islamic calendar (epoch 16 July 622
/// Julian, 30-year cycle); `None` for an impossible date.
///
/// ```
/// use akhbar_arabic::{hijri_to_gregorian, Day};
/// assert_eq!(hijri_to_gregorian(1444, 1, 1), Some(Day { year: 2022, month: 7, day: 30 }));
/// ```
pub fn hijri_to_gregorian(year: i32, month: u32, day: u32) -> Option<Day> {
    if year < 1 || !(1..=12).contains(&month) || !(1..=30).contains(&day) {
        return None;
    }
    let (y, m, d) = (i64::from(year), i64::from(month), i64::from(day));
    // ceil(29.5 × (m − 1)) in integers.
    let month_days = (59 * (m - 1) + 1) / 2;
    let julian_day = d + month_days + (y - 1) * 354 + (3 + 11 * y).div_euclid(30) + 1_948_439;
    Some(julian_day_to_gregorian(julian_day))
}

/// Fliegel and Van Flandern's conversion of a Julian day number to a Gregorian date.
fn julian_day_to_gregorian(julian_day: i64) -> Day {
    let a = julian_day + 32_044;
    let b = (4 * a + 3) / 146_097;
    let c = a - 146_097 * b / 4;
    let d = (4 * c + 3) / 1461;
    let e = c - 1461 * d / 4;
    let m = (5 * e + 2) / 153;
    Day {
        year: (100 * b + d - 4800 + m / 10) as i32,
        month: (m + 3 - 12 * (m / 10)) as u32,
        day: (e - (153 * m + 2) / 5 + 1) as u32,
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

fn gregorian(year: i32, month: u32, day: u32) -> Option<Day> {
    ((1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
        .then_some(Day { year, month, day })
}

/// A token with what the date scanner needs.
struct Word<'a> {
    span: Span,
    norm: String,
    /// Text between the previous token and this one.
    gap_before: &'a str,
}

fn number(word: &Word<'_>) -> Option<(u32, usize)> {
    (word.span.kind == TokenKind::Number && word.norm.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.norm.parse().ok().map(|n| (n, word.norm.len())))
        .flatten()
}

/// Finds every date in `text`, in order.
///
/// ```
/// use akhbar_arabic::{find_dates, Calendar, Day};
/// let dates = find_dates("الرباط، الخميس ١٤ تموز/يوليو ٢٠٢٢ - 9:30 مساء");
/// assert_eq!(dates[0].day, Day { year: 2022, month: 7, day: 14 });
/// assert_eq!(dates[0].time, Some((21, 30)));
/// assert_eq!(dates[0].calendar, Calendar::Gregorian);
/// ```
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    let mut words = Vec::new();
    let mut previous_end = 0;
    for span in Spans::new(text) {
        if span.kind == TokenKind::Number && text[span.start..span.end].matches('.').count() == 2 {
            // 14.07.2022 is one number token: split it into its three parts.
            let mut offset = span.start;
            for part in text[span.start..span.end].split('.') {
                let part_span = Span {
                    start: offset,
                    end: offset + part.len(),
                    kind: TokenKind::Number,
                };
                words.push(Word {
                    span: part_span,
                    norm: normalize(part),
                    gap_before: &text[previous_end..offset],
                });
                previous_end = part_span.end;
                offset += part.len() + 1;
            }
            continue;
        }
        words.push(Word {
            span,
            norm: normalize(&text[span.start..span.end]),
            gap_before: &text[previous_end..span.start],
        });
        previous_end = span.end;
    }
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match date_at(&words, i) {
            Some((date, next)) => {
                let (date, next) = with_time(&words, date, next);
                found.push(date);
                i = next;
            }
            None => i += 1,
        }
    }
    found
}

/// A month name (one or two words) at `i`: (month, calendar, words used).
fn month_at(words: &[Word<'_>], i: usize) -> Option<(u32, Calendar, usize)> {
    if let Some(next) = words.get(i + 1) {
        if next.gap_before.trim().is_empty() {
            let two = format!("{} {}", words[i].norm, next.norm);
            if let Some(&(month, calendar)) = MONTHS.get(&two) {
                return Some((month, calendar, 2));
            }
        }
    }
    let &(month, calendar) = MONTHS.get(&words.get(i)?.norm)?;
    Some((month, calendar, 1))
}

/// A date starting at word `i`, and the index of the word after it.
fn date_at(words: &[Word<'_>], i: usize) -> Option<(FoundDate, usize)> {
    let (first, first_digits) = number(&words[i])?;
    // Numeric: 2022-07-14, 14/07/2022, 14.07.2022.
    if let (Some(second), Some(third)) = (words.get(i + 1), words.get(i + 2)) {
        let separator = second.gap_before;
        if matches!(separator, "/" | "-" | ".") && third.gap_before == separator {
            if let (Some((b, _)), Some((c, c_digits))) = (number(second), number(third)) {
                let day = if first_digits == 4 {
                    gregorian(first as i32, b, c)
                } else if c_digits == 4 {
                    gregorian(c as i32, b, first).or_else(|| gregorian(c as i32, first, b))
                } else {
                    None
                };
                if let Some(day) = day {
                    let date = FoundDate {
                        start: words[i].span.start,
                        end: third.span.end,
                        day,
                        time: None,
                        calendar: Calendar::Gregorian,
                    };
                    return Some((date, i + 3));
                }
            }
        }
    }
    // Day, month name (maybe a second name after / or in parentheses), year.
    if first_digits > 2 {
        return None;
    }
    let (month, calendar, used) = month_at(words, i + 1)?;
    let mut j = i + 1 + used;
    if let Some(word) = words.get(j) {
        let gap = word.gap_before.trim();
        if matches!(gap, "/" | "(" | "-" | "،") {
            if let Some((_, _, alternate)) = month_at(words, j) {
                j += alternate;
            }
        }
    }
    let year_word = words.get(j)?;
    let (year, year_digits) = number(year_word)?;
    if !(3..=4).contains(&year_digits) {
        return None;
    }
    let mut end = year_word.span.end;
    j += 1;
    let day = match calendar {
        Calendar::Gregorian => gregorian(year as i32, month, first)?,
        Calendar::Hijri => {
            // The era mark هـ after the year belongs to the date.
            if let Some(mark) = words.get(j).filter(|w| matches!(w.norm.as_str(), "ه" | "هـ")) {
                end = mark.span.end;
                j += 1;
            }
            hijri_to_gregorian(year as i32, month, first)?
        }
    };
    Some((
        FoundDate {
            start: words[i].span.start,
            end,
            day,
            time: None,
            calendar,
        },
        j,
    ))
}

/// Extends `date` with a time of day starting at word `i`, if one is there.
fn with_time(words: &[Word<'_>], mut date: FoundDate, i: usize) -> (FoundDate, usize) {
    let (Some(hours_word), Some(minutes_word)) = (words.get(i), words.get(i + 1)) else {
        return (date, i);
    };
    let close = matches!(hours_word.gap_before.trim(), "" | "-" | "،" | "|" | "الساعة" | "–");
    let (Some((mut hours, _)), Some((minutes, 2))) = (number(hours_word), number(minutes_word)) else {
        return (date, i);
    };
    if !close || minutes_word.gap_before != ":" || hours > 23 || minutes > 59 {
        return (date, i);
    }
    let mut next = i + 2;
    date.end = minutes_word.span.end;
    if let Some(part) = words.get(next) {
        match part.norm.as_str() {
            "مساء" | "م" | "مساءا" => {
                if (1..12).contains(&hours) {
                    hours += 12;
                }
                date.end = part.span.end;
                next += 1;
            }
            "صباحا" | "ص" | "صباح" => {
                if hours == 12 {
                    hours = 0;
                }
                date.end = part.span.end;
                next += 1;
            }
            _ => {}
        }
    }
    date.time = Some((hours, minutes));
    (date, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (year, month, day), time, calendar, the matched text.
    type Expected<'a> = ((i32, u32, u32), Option<(u32, u32)>, Calendar, &'a str);

    #[track_caller]
    fn check(text: &str, expected: Option<Expected<'_>>) {
        let found = find_dates(text);
        let actual = found.first().map(|d| {
            (
                (d.day.year, d.day.month, d.day.day),
                d.time,
                d.calendar,
                &text[d.start..d.end],
            )
        });
        assert_eq!(actual, expected, "text {text:?}");
    }

    use Calendar::{Gregorian, Hijri};

    #[test]
    fn table() {
        check("14 يوليو 2022", Some(((2022, 7, 14), None, Gregorian, "14 يوليو 2022")));
        check("١٤ يوليو ٢٠٢٢", Some(((2022, 7, 14), None, Gregorian, "١٤ يوليو ٢٠٢٢")));
        check(
            "13 يوليوز 2022",
            Some(((2022, 7, 13), None, Gregorian, "13 يوليوز 2022")),
        );
        check(
            "14 جويلية 2022",
            Some(((2022, 7, 14), None, Gregorian, "14 جويلية 2022")),
        );
        check(
            "الثلاثاء 5 كانون الثاني 2021",
            Some(((2021, 1, 5), None, Gregorian, "5 كانون الثاني 2021")),
        );
        check(
            "14 تموز/يوليو 2022",
            Some(((2022, 7, 14), None, Gregorian, "14 تموز/يوليو 2022")),
        );
        check(
            "3 تشرين الأول (أكتوبر) 2020",
            Some(((2020, 10, 3), None, Gregorian, "3 تشرين الأول (أكتوبر) 2020")),
        );
        check("1 غشت 2019", Some(((2019, 8, 1), None, Gregorian, "1 غشت 2019")));
        check(
            "10 ذو الحجة 1443 هـ",
            Some(((2022, 7, 10), None, Hijri, "10 ذو الحجة 1443 هـ")),
        );
        check("1 محرم 1444", Some(((2022, 7, 30), None, Hijri, "1 محرم 1444")));
        check(
            "2022-07-14 09:30",
            Some(((2022, 7, 14), Some((9, 30)), Gregorian, "2022-07-14 09:30")),
        );
        check("14/07/2022", Some(((2022, 7, 14), None, Gregorian, "14/07/2022")));
        check("14.07.2022", Some(((2022, 7, 14), None, Gregorian, "14.07.2022")));
        check("7/25/2022", Some(((2022, 7, 25), None, Gregorian, "7/25/2022"))); // month first when the day cannot be
        check(
            "14 يوليو 2022 - 9:30 مساء",
            Some(((2022, 7, 14), Some((21, 30)), Gregorian, "14 يوليو 2022 - 9:30 مساء")),
        );
        check("31 نيسان 2022", None); // April has 30 days
        check("في 1787 وقع", None);
        check("بنسبة 10.5 في المائة", None);
        check("", None);
    }

    #[test]
    fn month_list_parses_and_is_unique() {
        let months = parse_months(MONTHS_TSV).unwrap();
        assert!(months.len() >= 50, "{}", months.len());
        assert_eq!(months.get(&normalize("أغسطس")), Some(&(8, Gregorian)));
        assert_eq!(months.get(&normalize("ذي الحجة")), Some(&(12, Hijri)));
        assert!(parse_months("x\t13\tgregorian\t-").is_err());
    }

    #[test]
    fn hijri_conversion() {
        assert_eq!(
            hijri_to_gregorian(1, 1, 1),
            Some(Day {
                year: 622,
                month: 7,
                day: 19
            })
        );
        assert_eq!(
            hijri_to_gregorian(1443, 9, 1),
            Some(Day {
                year: 2022,
                month: 4,
                day: 3
            })
        );
        assert_eq!(hijri_to_gregorian(1443, 13, 1), None);
    }
}
