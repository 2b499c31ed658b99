//! Feed discovery: the feeds a page announces with `<link rel="alternate">`.

use scraper::{Html, Selector};

/// MIME types of feeds, as pages announce them.
const FEED_TYPES: [&str; 5] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
];

/// Feed URLs a page announces, absolute, in page order, without repeats. `page_url` resolves
/// relative links (after the page's own `<base href>`).
///
/// ```
/// let html = r#"<head><link rel="alternate" type="application/rss+xml" href="/feed"></head>"#;
/// assert_eq!(akhbar_extract::feed_links(html, "https://example.ma/news/1"), ["https://example.ma/feed"]);
/// ```
pub fn feed_links(html: &str, page_url: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let Ok(page) = url::Url::parse(page_url) else {
        return Vec::new();
    };
    let base = Selector::parse("base[href]")
        .ok()
        .and_then(|s| document.select(&s).next())
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| page.join(href).ok())
        .unwrap_or(page);
    let Ok(links) = Selector::parse("link[rel][href]") else {
        return Vec::new();
    };
    let mut found: Vec<String> = Vec::new();
    for link in document.select(&links) {
        let element = link.value();
        let is_alternate = element.attr("rel").is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("alternate"))
        });
        let is_feed = element.attr("type").is_some_and(|t| {
            let t = t.trim().to_ascii_lowercase();
            FEED_TYPES.iter().any(|f| t.starts_with(f))
        });
        if !(is_alternate && is_feed) {
            continue;
        }
        let Some(url) = element.attr("href").and_then(|href| base.join(href.trim()).ok()) else {
            continue;
        };
        if matches!(url.scheme(), "http" | "https") && !found.iter().any(|f| f == url.as_str()) {
            found.push(url.to_string());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announced_feeds() {
        let table: [(&str, &[&str]); 5] = [
            (
                r#"<link rel="alternate" type="application/rss+xml" title="RSS" href="https://a.ma/rss">
                   <link rel="alternate" type="application/atom+xml" href="/atom.xml">
                   <link rel="alternate" type="application/rss+xml" href="https://a.ma/rss">"#,
                &["https://a.ma/rss", "https://a.ma/atom.xml"],
            ),
            (
                r#"<base href="https://cdn.a.ma/x/"><link rel="Alternate home" type="APPLICATION/RSS+XML; charset=utf-8" href="feed">"#,
                &["https://cdn.a.ma/x/feed"],
            ),
            (
                r#"<link rel="alternate" type="application/feed+json" href="feed.json">"#,
                &["https://a.ma/news/feed.json"],
            ),
            (
                r#"<link rel="stylesheet" href="/s.css"><link rel="alternate" hreflang="en" href="/en/"><a href="/rss">RSS</a>"#,
                &[],
            ),
            (
                r#"<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">"#,
                &[],
            ),
        ];
        for (html, expected) in table {
            assert_eq!(feed_links(html, "https://a.ma/news/1"), expected, "{html}");
        }
    }
}
