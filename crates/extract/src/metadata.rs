//! Page metadata: title, publication time, author, canonical URL, language, lead image.
//!
//! Evidence in order of trust: `<meta>` tags (Open Graph, `article:published_time`), JSON-LD
//! (`NewsArticle`), `<time datetime>`, then text: an `<h1>`, a byline element, an Arabic date
//! written on the page (month names of every region, Hijri, Arabic-Indic digits; see
//! `akhbar_arabic::find_dates`).

use crate::blocks::collapse_spaces;
use chrono::{DateTime, FixedOffset, NaiveDate};
use scraper::{Html, Selector};

/// When an article was published, as precisely as the page says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// An instant with its UTC offset.
    Instant(DateTime<FixedOffset>),
    /// A calendar day (the page gives no time, or no zone).
    Day(NaiveDate),
}

impl Published {
    /// RFC 3339: `2022-07-14T09:30:00+01:00`, or the full-date form `2022-07-14`.
    pub fn to_rfc3339(&self) -> String {
        match self {
            Published::Instant(instant) => instant.to_rfc3339(),
            Published::Day(day) => day.format("%Y-%m-%d").to_string(),
        }
    }

    /// The instant in UTC (midnight UTC for a day).
    pub fn to_utc(&self) -> DateTime<chrono::Utc> {
        match self {
            Published::Instant(instant) => instant.with_timezone(&chrono::Utc),
            Published::Day(day) => day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default(),
        }
    }
}

pub(crate) fn select_attr(document: &Html, selector: &str, attr: &str) -> Option<String> {
    let selector = Selector::parse(selector).ok()?;
    document
        .select(&selector)
        .filter_map(|e| e.value().attr(attr))
        .map(collapse_spaces)
        .find(|v| !v.is_empty())
}

fn select_text(document: &Html, selector: &str) -> Vec<String> {
    let Ok(selector) = Selector::parse(selector) else {
        return Vec::new();
    };
    document
        .select(&selector)
        .map(|e| collapse_spaces(&e.text().collect::<String>()))
        .filter(|t| !t.is_empty())
        .collect()
}

/// JSON-LD objects of the page, flattened (`@graph` arrays opened).
fn json_ld(document: &Html) -> Vec<serde_json::Value> {
    let Ok(selector) = Selector::parse(r#"script[type="application/ld+json"]"#) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for script in document.select(&selector) {
        let text: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text.trim()) else {
            continue;
        };
        let mut stack = vec![value];
        while let Some(value) = stack.pop() {
            match value {
                serde_json::Value::Array(items) => stack.extend(items),
                serde_json::Value::Object(mut map) => {
                    if let Some(graph) = map.remove("@graph") {
                        stack.push(graph);
                    }
                    out.push(serde_json::Value::Object(map));
                }
                _ => {}
            }
        }
    }
    out
}

fn json_ld_string(objects: &[serde_json::Value], key: &str) -> Option<String> {
    objects.iter().find_map(|o| match o.get(key)? {
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        serde_json::Value::Object(inner) => inner.get("name").and_then(|n| n.as_str()).map(|s| s.trim().to_string()),
        serde_json::Value::Array(items) => items.iter().find_map(|i| match i {
            serde_json::Value::String(s) => Some(s.trim().to_string()),
            serde_json::Value::Object(inner) => {
                inner.get("name").and_then(|n| n.as_str()).map(|s| s.trim().to_string())
            }
            _ => None,
        }),
        _ => None,
    })
}

/// Everything but the main text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub title: String,
    pub published: Option<Published>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub image: Option<String>,
    /// The outlet's name (`og:site_name`, or the JSON-LD publisher's name).
    pub site_name: Option<String>,
    /// The page says it is an article: `og:type` article, a JSON-LD article type, or an
    /// `<article>` element.
    pub marked_article: bool,
}

/// JSON-LD types that say a page is an article.
const ARTICLE_TYPES: [&str; 7] = [
    "Article",
    "NewsArticle",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "LiveBlogPosting",
];

pub(crate) fn read(document: &Html) -> Metadata {
    let ld = json_ld(document);
    let declared_title = select_attr(document, r#"meta[property="og:title"]"#, "content")
        .or_else(|| json_ld_string(&ld, "headline"))
        .or_else(|| select_text(document, "title").into_iter().next());
    Metadata {
        title: title(document, declared_title.as_deref()),
        published: published(document, &ld),
        author: select_attr(document, r#"meta[name="author"]"#, "content")
            .and_then(|a| clean_author(&a))
            .or_else(|| json_ld_string(&ld, "author").and_then(|a| clean_author(&a)))
            .or_else(|| byline(document)),
        url: select_attr(document, r#"link[rel="canonical"]"#, "href")
            .or_else(|| select_attr(document, r#"meta[property="og:url"]"#, "content"))
            .or_else(|| json_ld_string(&ld, "url"))
            .filter(|u| u.starts_with("http://") || u.starts_with("https://")),
        language: select_attr(document, "html", "lang").map(|l| l.to_ascii_lowercase()),
        image: select_attr(document, r#"meta[property="og:image"]"#, "content"),
        site_name: select_attr(document, r#"meta[property="og:site_name"]"#, "content")
            .or_else(|| json_ld_string(&ld, "publisher"))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty() && s.chars().count() <= 100),
        marked_article: select_attr(document, r#"meta[property="og:type"]"#, "content")
            .is_some_and(|t| t.eq_ignore_ascii_case("article"))
            || ld.iter().any(|o| match o.get("@type") {
                Some(serde_json::Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
                Some(serde_json::Value::Array(types)) => types
                    .iter()
                    .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
                _ => false,
            })
            || Selector::parse("article").is_ok_and(|s| document.select(&s).next().is_some()),
    }
}

/// Elements that hold a byline, most specific first.
const BYLINE_SELECTORS: &[&str] = &[
    r#"[itemprop="author"]"#,
    r#"[rel="author"]"#,
    ".author-name",
    ".author",
    ".writer",
    ".news-author",
    ".byline",
    ".by",
    r#"[class*="author"]"#,
];

/// Words that introduce a name in a byline: "by", "written by (m./f.)", "prepared by".
const BYLINE_LABELS: &[&str] = &["بقلم", "كتب", "كتبت", "إعداد", "اعداد", "تقرير", "حوار"];

/// The first short byline on the page, cleaned.
fn byline(document: &Html) -> Option<String> {
    BYLINE_SELECTORS
        .iter()
        .flat_map(|selector| select_text(document, selector))
        .find_map(|text| clean_author(&text))
}

/// A byline without its label (`كتبت-`, `بقلم:`), place (`لندن:`, `(جدة)`) and punctuation;
/// `None` when what is left is not a name of one to five words.
fn clean_author(raw: &str) -> Option<String> {
    // A place or label before a colon: keep what follows it.
    let text = raw.rsplit_once(':').map_or(
        raw,
        |(before, after)| if after.trim().is_empty() { before } else { after },
    );
    // A place in parentheses: drop it.
    let mut cleaned = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => cleaned.push(c),
            _ => {}
        }
    }
    let mut words: Vec<&str> = cleaned
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '|' | '،' | ','))
        .filter(|w| !w.is_empty())
        .collect();
    while words.first().is_some_and(|w| BYLINE_LABELS.contains(w)) {
        words.remove(0);
    }
    (1..=5).contains(&words.len()).then(|| words.join(" "))
}

/// The headline: the `<h1>` that best matches the declared title (og:title, `<title>`), else
/// the declared title without its site name.
fn title(document: &Html, declared: Option<&str>) -> String {
    let headings = select_text(document, "h1");
    let words = |s: &str| {
        s.split_whitespace()
            .map(akhbar_arabic::normalize)
            .collect::<std::collections::HashSet<_>>()
    };
    if let Some(declared) = declared {
        let declared_words = words(declared);
        let best = headings
            .iter()
            .map(|h| {
                let heading_words = words(h);
                let overlap =
                    heading_words.intersection(&declared_words).count() as f64 / heading_words.len().max(1) as f64;
                (overlap, h)
            })
            .filter(|(overlap, _)| *overlap >= 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, heading)) = best {
            return heading.clone();
        }
        if let Some(heading) = headings.iter().find(|h| h.split_whitespace().count() >= 3) {
            return heading.clone();
        }
        // "Headline | Site" or "Site - Headline": keep the longest part.
        return declared
            .split([' ', ' '])
            .collect::<Vec<_>>()
            .join(" ")
            .split(" | ")
            .flat_map(|part| part.split(" - "))
            .flat_map(|part| part.split(" – "))
            .max_by_key(|part| part.len())
            .unwrap_or(declared)
            .trim()
            .to_string();
    }
    headings.into_iter().next().unwrap_or_default()
}

fn parse_instant(text: &str) -> Option<Published> {
    let text = text.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Some(Published::Instant(instant));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M:%S%:z"] {
        if let Ok(instant) = DateTime::parse_from_str(text, format) {
            return Some(Published::Instant(instant));
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d") {
        return Some(Published::Day(day));
    }
    None
}

fn published(document: &Html, ld: &[serde_json::Value]) -> Option<Published> {
    let declared = [
        r#"meta[property="article:published_time"]"#,
        r#"meta[itemprop="datePublished"]"#,
        r#"meta[name="pubdate"]"#,
        r#"meta[name="publishdate"]"#,
        r#"meta[name="date"]"#,
        r#"meta[name="DC.date.issued"]"#,
    ];
    for selector in declared {
        if let Some(published) = select_attr(document, selector, "content").and_then(|t| parse_instant(&t)) {
            return Some(published);
        }
    }
    if let Some(published) = json_ld_string(ld, "datePublished").and_then(|t| parse_instant(&t)) {
        return Some(published);
    }
    if let Some(published) = select_attr(document, "time[datetime]", "datetime").and_then(|t| parse_instant(&t)) {
        return Some(published);
    }
    // A date written on the page: first in elements that say they hold one, else anywhere.
    let dated = select_text(
        document,
        r#"time, [class*="date"], [class*="time"], [id*="date"], [class*="publish"]"#,
    );
    let body = select_text(document, "body");
    for text in dated.iter().chain(body.iter()) {
        if let Some(found) = akhbar_arabic::find_dates(text).into_iter().next() {
            let day = NaiveDate::from_ymd_opt(found.day.year, found.day.month, found.day.day)?;
            return Some(Published::Day(day));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines() {
        for (raw, clean) in [
            ("كتب أحمد عبد الحميد", Some("أحمد عبد الحميد")),
            ("كتبت- منى السيد:", Some("منى السيد")),
            ("لندن: نادر الشامي", Some("نادر الشامي")),
            ("رهف الغامدي (جدة)", Some("رهف الغامدي")),
            ("بقلم سناء الإدريسي", Some("سناء الإدريسي")),
            (
                "عن الكاتب: صحافي متخصص في الشؤون الاقتصادية منذ عشرين عاما وعمل في عدة صحف",
                None,
            ),
            ("كتب", None),
        ] {
            assert_eq!(clean_author(raw).as_deref(), clean, "{raw}");
        }
    }
}
