//! Paragraphs from HTML: the visible text of a fragment split at block elements, with page
//! furniture (read-also boxes, share and tag lines, tickers) dropped.

use scraper::{ElementRef, Node};
use std::sync::LazyLock;

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "object",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "head",
    "title",
    "figcaption",
    "input",
    "textarea",
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
    "dd",
    "dt",
    "dl",
];

/// Class or id words that mark furniture inside an article body.
const FURNITURE_MARKS: &[&str] = &[
    "share",
    "social",
    "related",
    "read-also",
    "readalso",
    "read_more",
    "readmore",
    "tags",
    "tag-list",
    "comments",
    "comment",
    "newsletter",
    "subscribe",
    "advert",
    "ads",
    "ad-",
    "banner",
    "cookie",
    "breadcrumb",
    "most-read",
    "mostread",
    "popular",
    "ticker",
    "breaking",
    "author-box",
    "caption",
    "promo",
    "widget",
    "sidebar",
    "footer",
    "header",
    "menu",
    "nav",
];

const CLUTTER_TXT: &str = include_str!("../data/clutter.txt");

/// Normalized clutter openings, longest first.
static CLUTTER: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut phrases: Vec<String> = CLUTTER_TXT
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(akhbar_arabic::normalize)
        .collect();
    phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    phrases.dedup();
    phrases
});

/// Words a furniture paragraph has at most (a read-also line: its label and a headline).
const MAX_FURNITURE_WORDS: usize = 16;

/// True when a class or id names page furniture (`share-buttons`, `related-posts`).
fn is_furniture(element: &ElementRef<'_>) -> bool {
    let value = element.value();
    let names = [value.attr("class").unwrap_or(""), value.attr("id").unwrap_or("")]
        .join(" ")
        .to_ascii_lowercase();
    !names.is_empty()
        && names.split(|c: char| c.is_whitespace()).any(|name| {
            FURNITURE_MARKS
                .iter()
                .any(|mark| name.contains(mark) && !name.contains("content"))
        })
}

/// The paragraphs of `element`, in order, whitespace collapsed, furniture dropped.
pub fn paragraphs(element: ElementRef<'_>) -> Vec<String> {
    collect_paragraphs(element, true)
}

/// Same as [`paragraphs`] but keeps furniture-marked elements (a fallback for whole pages
/// whose article container was not found).
pub fn all_paragraphs(element: ElementRef<'_>) -> Vec<String> {
    collect_paragraphs(element, false)
}

fn collect_paragraphs(element: ElementRef<'_>, skip_furniture: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    collect(element, &mut current, &mut out, skip_furniture);
    flush(&mut current, &mut out);
    out.retain(|p| !is_clutter(p));
    out
}

fn collect(element: ElementRef<'_>, current: &mut String, out: &mut Vec<String>, skip_furniture: bool) {
    let name = element.value().name();
    if SKIPPED.contains(&name) || element.value().attr("hidden").is_some() {
        return;
    }
    if skip_furniture && is_furniture(&element) {
        return;
    }
    let is_block = BLOCKS.contains(&name);
    if is_block {
        flush(current, out);
    }
    for child in element.children() {
        match child.value() {
            Node::Text(text) => current.push_str(text),
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    collect(child, current, out, skip_furniture);
                }
            }
            _ => {}
        }
    }
    if is_block {
        flush(current, out);
    }
}

fn flush(current: &mut String, out: &mut Vec<String>) {
    let paragraph = collapse_spaces(current);
    if !paragraph.is_empty() {
        out.push(paragraph);
    }
    current.clear();
}

/// Collapses runs of whitespace to one space and trims.
pub fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True for a short paragraph that opens with a furniture phrase (`اقرأ أيضا: …`).
pub fn is_clutter(paragraph: &str) -> bool {
    if paragraph.split_whitespace().count() > MAX_FURNITURE_WORDS {
        return false;
    }
    let norm = akhbar_arabic::normalize(paragraph);
    let norm = norm.trim_start_matches(|c: char| !c.is_alphanumeric());
    CLUTTER.iter().any(|phrase| {
        norm.strip_prefix(phrase.as_str())
            .is_some_and(|rest| rest.is_empty() || !rest.starts_with(|c: char| c.is_alphanumeric()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clutter_lines() {
        for (line, clutter) in [
            ("اقرأ أيضا: بوريطة يستقبل نظيره", true),
            ("إقرأ أيضاً | خبر آخر", true),
            ("الوسوم: المغرب أمريكا", true),
            ("شارك", true),
            ("عاجل", true),
            ("شاركت الوزيرة في المنتدى", false), // a word that merely starts like شارك
            ("عاجلا أم آجلا سيصل الوفد إلى الرباط", false),
            ("اقرأ أيضا ".repeat(10).as_str(), false), // too long to be a box
        ] {
            assert_eq!(is_clutter(line), clutter, "{line}");
        }
    }
}
