//! HTML pages: title and visible text. Real article extraction (boilerplate removal, dates,
//! authors) is a later step; this keeps every visible paragraph outside page chrome.

use crate::{charset, Warning};
use akhbar_model::Article;
use scraper::{ElementRef, Html, Node, Selector};

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "nav", "header", "footer", "aside",
    "form", "button", "select", "head", "title",
];

/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "br",
    "hr",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "dl",
];

/// Extracts the title and visible text of an HTML page. `content_type` is the HTTP header
/// value or `None` for a file; its `charset=` parameter is honoured.
pub fn from_html(bytes: &[u8], content_type: Option<&str>) -> (Article, Vec<Warning>) {
    let declared = content_type.and_then(|ct| {
        ct.split(';')
            .find_map(|part| part.trim().strip_prefix("charset=").map(|v| v.trim_matches('"')))
    });
    let (text, _, mut warnings) = charset::decode(bytes, declared);
    let document = Html::parse_document(&text);
    let title = find_title(&document);
    if title.is_empty() {
        warnings.push(Warning::NoTitle);
    }
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let root = document.root_element();
    collect_text(root, &mut current, &mut paragraphs);
    flush(&mut current, &mut paragraphs);
    // The headline is usually repeated as the first heading of the body.
    if paragraphs.first().is_some_and(|p| *p == title) {
        paragraphs.remove(0);
    }
    let body = paragraphs.join("\n\n");
    if body.is_empty() {
        warnings.push(Warning::NoText);
    }
    let url = select_attr(&document, r#"link[rel="canonical"]"#, "href")
        .or_else(|| select_attr(&document, r#"meta[property="og:url"]"#, "content"));
    let date = select_attr(&document, r#"meta[property="article:published_time"]"#, "content")
        .and_then(|d| akhbar_model::parse_date(&d).ok());
    let author = select_attr(&document, r#"meta[name="author"]"#, "content");
    (
        Article {
            title,
            body,
            url,
            date,
            author,
            source: None,
        },
        warnings,
    )
}

fn find_title(document: &Html) -> String {
    let from = |selector: &str, attr: Option<&str>| {
        let selector = Selector::parse(selector).ok()?;
        let element = document.select(&selector).next()?;
        let text = match attr {
            Some(attr) => element.value().attr(attr)?.to_string(),
            None => element.text().collect::<String>(),
        };
        let text = collapse_spaces(&text);
        (!text.is_empty()).then_some(text)
    };
    from(r#"meta[property="og:title"]"#, Some("content"))
        .or_else(|| from("h1", None))
        .or_else(|| from("title", None))
        .unwrap_or_default()
}

fn select_attr(document: &Html, selector: &str, attr: &str) -> Option<String> {
    let selector = Selector::parse(selector).ok()?;
    let value = document
        .select(&selector)
        .next()?
        .value()
        .attr(attr)?
        .trim()
        .to_string();
    (!value.is_empty()).then_some(value)
}

fn collect_text(element: ElementRef<'_>, current: &mut String, paragraphs: &mut Vec<String>) {
    let name = element.value().name();
    if SKIPPED.contains(&name) || element.value().attr("hidden").is_some() {
        return;
    }
    let is_block = BLOCKS.contains(&name);
    if is_block {
        flush(current, paragraphs);
    }
    for child in element.children() {
        match child.value() {
            Node::Text(text) => current.push_str(text),
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    collect_text(child, current, paragraphs);
                }
            }
            _ => {}
        }
    }
    if is_block {
        flush(current, paragraphs);
    }
}

fn flush(current: &mut String, paragraphs: &mut Vec<String>) {
    let paragraph = collapse_spaces(current);
    if !paragraph.is_empty() {
        paragraphs.push(paragraph);
    }
    current.clear();
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_paragraphs_and_drops_chrome() {
        let page = r#"<!doctype html><html lang="ar" dir="rtl"><head><title>موقع | خبر</title>
            <meta property="og:title" content="بلينكن يشيد بالأمن المغربي">
            <link rel="canonical" href="https://example.ma/a/1">
            <meta property="article:published_time" content="2022-07-13T10:00:00+01:00">
            <style>p{}</style></head>
            <body><header>الرئيسية</header><nav><a>سياسة</a></nav>
            <h1>بلينكن يشيد بالأمن المغربي</h1>
            <p>أشاد   بلينكن<br>بالتعاون.</p><div>فقرة <b>ثانية</b></div>
            <aside>اقرأ أيضا</aside><form><input></form><footer>حقوق</footer>
            <script>alert(1)</script></body></html>"#;
        let (article, warnings) = from_html(page.as_bytes(), None);
        assert_eq!(article.title, "بلينكن يشيد بالأمن المغربي");
        assert_eq!(article.body, "أشاد بلينكن\n\nبالتعاون.\n\nفقرة ثانية");
        assert_eq!(article.url.as_deref(), Some("https://example.ma/a/1"));
        assert_eq!(
            article.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2022-07-13T09:00:00+00:00")
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn broken_html_still_gives_text() {
        let (article, warnings) = from_html(b"<p>unclosed <b>bold <div>and <p>more", None);
        assert_eq!(article.body, "unclosed bold\n\nand\n\nmore");
        assert_eq!(warnings, [Warning::NoTitle]);
    }

    #[test]
    fn windows_1256_page() {
        let mut page = b"<html><head><meta charset=windows-1256><title>".to_vec();
        page.extend_from_slice(&[0xD3, 0xE1, 0xC7, 0xE3]);
        page.extend_from_slice(b"</title></head><body><p>1 ");
        page.extend_from_slice(&[0xD3, 0xE1, 0xC7, 0xE3]);
        page.extend_from_slice(b"</p></body></html>");
        let (article, warnings) = from_html(&page, None);
        assert_eq!((article.title.as_str(), article.body.as_str()), ("سلام", "1 سلام"));
        assert!(warnings.is_empty());
    }
}
