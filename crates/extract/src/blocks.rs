//! Paragraphs from HTML: the visible text of a fragment split at block elements, with page
//! furniture (read-also boxes, share and tag lines, tickers) dropped.

use ego_tree::NodeId;
use scraper::{ElementRef, Node};
use std::collections::HashMap;
use std::sync::LazyLock;

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

/// Class or id words that say an element is not article text (matched against the words of
/// a class or id: `share-buttons`, `relatedPosts`, `comment_list`; not `node--promoted` or
/// `advertorial`). Multi-word marks are written with `-`.
const FURNITURE_MARKS: &[&str] = &[
    "share",
    "sharing",
    "sharebar",
    "social",
    "related",
    "read-also",
    "readalso",
    "read-more",
    "readmore",
    "more-stories",
    "tags",
    "tag-list",
    "taglist",
    "comments",
    "comment",
    "newsletter",
    "subscribe",
    "subscription",
    "advert",
    "advertisement",
    "ads",
    "ad",
    "adv",
    "dfp",
    "cookie",
    "cookies",
    "breadcrumb",
    "breadcrumbs",
    "most-read",
    "mostread",
    "most-viewed",
    "popular",
    "ticker",
    "author-box",
    "author-bio",
    "authorbox",
    "caption",
    "credit",
    "paywall",
    "rating",
    "recommended",
    "outbrain",
    "taboola",
    "copyright",
    "print",
];

/// Layout words: furniture unless the element holds most of the article's prose (a
/// `has-sidebar` layout or an `article-header-wrapper` around the headline and lead).
/// Of [`FURNITURE_MARKS`], those that name other content (comments, an author's bio, other
/// articles): furniture however much prose they hold.
const OTHER_CONTENT_MARKS: &[&str] = &[
    "comment",
    "comments",
    "author-box",
    "author-bio",
    "authorbox",
    "related",
    "recommended",
    "outbrain",
    "taboola",
    "most-read",
    "mostread",
    "most-viewed",
    "popular",
    "read-also",
    "readalso",
    "newsletter",
];

const LAYOUT_MARKS: &[&str] = &[
    "sidebar",
    "footer",
    "header",
    "menu",
    "nav",
    "navbar",
    "navigation",
    "widget",
    "promo",
    "banner",
    "masthead",
    "toolbar",
    "topbar",
];

const CLUTTER_TXT: &str = include_str!("../data/clutter.txt");

/// Normalized clutter openings, longest first.
static CLUTTER: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut phrases: Vec<String> = CLUTTER_TXT
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| akhbar_arabic::normalize(l).to_lowercase())
        .collect();
    phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    phrases.dedup();
    phrases
});

/// Words a furniture paragraph has at most (a read-also line: its label and a headline).
const MAX_FURNITURE_WORDS: usize = 16;

/// The words of a class or id name: `zn-body__read-all` → zn, body, read, all;
/// `relatedPosts` → related, posts.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// True when some class or id word sequence of `element` is one of `marks`.
fn has_mark(element: &ElementRef<'_>, marks: &[&str]) -> bool {
    let value = element.value();
    let names = value.attr("class").into_iter().chain(value.attr("id"));
    names.flat_map(|n| n.split_whitespace()).any(|name| {
        let words = name_words(name);
        // A name about the article's content (`article-content`, `post-body`) is never furniture.
        if words.iter().any(|w| w == "content" || w == "body" || w == "text") {
            return false;
        }
        marks.iter().any(|mark| {
            let parts: Vec<&str> = mark.split('-').collect();
            words
                .windows(parts.len())
                .any(|w| w.iter().zip(&parts).all(|(a, b)| a == b))
        })
    })
}

/// Class names that hide an element from view (structured data, screen-reader labels).
const HIDDEN_CLASSES: &[&str] = &[
    "hidden",
    "d-none",
    "sr-only",
    "screen-reader-text",
    "visually-hidden",
    "hide",
];

/// True for an element a browser does not show: `hidden`, `display: none`, a hiding class.
fn is_hidden(element: &ElementRef<'_>) -> bool {
    let value = element.value();
    if value.attr("hidden").is_some() {
        return true;
    }
    if let Some(style) = value.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    value.attr("class").is_some_and(|classes| {
        classes
            .split_whitespace()
            .any(|c| HIDDEN_CLASSES.contains(&c.to_ascii_lowercase().as_str()))
    })
}

/// Elements that are lists of links when most of their text is linked.
const LINK_LIST_CANDIDATES: &[&str] = &["ul", "ol", "div", "section", "table", "dl", "p", "span", "article"];

/// Text and link counts of a subtree.
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    /// Letters and digits of visible text.
    chars: usize,
    /// Of those, inside links.
    link_chars: usize,
    /// Links.
    links: usize,
    /// Words in prose paragraphs (a long run of text with a sentence mark).
    prose_words: usize,
    /// Words of visible text, and those inside links.
    words: usize,
    link_words: usize,
}

impl Stats {
    fn link_density(&self) -> f64 {
        self.link_chars as f64 / self.chars.max(1) as f64
    }
}

fn visible_chars(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphanumeric()).count()
}

/// Statistics of every element under `root`, in one pass.
fn subtree_stats(root: ElementRef<'_>) -> HashMap<NodeId, Stats> {
    /// The element's stats and whether it holds a block element.
    fn walk(element: ElementRef<'_>, in_link: bool, out: &mut HashMap<NodeId, Stats>) -> (Stats, bool) {
        let name = element.value().name();
        if SKIPPED_ALWAYS.contains(&name) {
            return (Stats::default(), false);
        }
        let is_link = name == "a";
        let in_link = in_link || is_link;
        let mut stats = Stats {
            links: usize::from(is_link),
            ..Stats::default()
        };
        let mut has_block = false;
        let mut run = String::new();
        for child in element.children() {
            match child.value() {
                Node::Text(text) => {
                    let n = visible_chars(text);
                    stats.chars += n;
                    let words = text.split_whitespace().count();
                    stats.words += words;
                    if in_link {
                        stats.link_chars += n;
                        stats.link_words += words;
                    }
                    run.push_str(text);
                }
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        let (inner, inner_blocks) = walk(child, in_link, out);
                        stats.chars += inner.chars;
                        stats.link_chars += inner.link_chars;
                        stats.links += inner.links;
                        stats.words += inner.words;
                        stats.link_words += inner.link_words;
                        if inner_blocks || BLOCKS.contains(&child.value().name()) {
                            has_block = true;
                            stats.prose_words += inner.prose_words + prose_words(&run);
                            run.clear();
                        } else {
                            run.push(' ');
                            run.extend(child.text());
                        }
                    }
                }
                _ => {}
            }
        }
        stats.prose_words += prose_words(&run);
        out.insert(element.id(), stats);
        (stats, has_block)
    }
    let mut out = HashMap::new();
    walk(root, false, &mut out);
    out
}

/// Words of `text` when it reads as prose: at least 10 words and a sentence mark.
pub fn prose_words(text: &str) -> usize {
    let words = text.split_whitespace().count();
    let sentence = text.contains(['.', '،', ',', '؛', '!', '?', '؟', '。', '、', ':']);
    if words >= 10 && sentence {
        words
    } else {
        0
    }
}

/// A paragraph and what is known of it.
#[derive(Debug, Default)]
struct Paragraph {
    text: String,
    /// Letters and digits, and those inside links.
    chars: usize,
    link_chars: usize,
    /// Some of it is a heading (`h1`–`h6`).
    heading: bool,
    /// A list of links was removed right here.
    pruned_before: bool,
    /// It is part of a list of links.
    link_list: bool,
    /// Some of it is in a list item or a table cell.
    listed: bool,
}

/// Elements left out even of a whole page's text.
const ALWAYS_FURNITURE: &[&str] = &["nav", "header", "footer", "aside", "form", "figcaption"];

/// Elements whose content is never article text, whatever the mode.
const SKIPPED_ALWAYS: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "head", "title", "select",
    "textarea", "input", "button",
];

struct Collector {
    skip_furniture: bool,
    stats: HashMap<NodeId, Stats>,
    root: NodeId,
    root_prose: usize,
    current: Paragraph,
    out: Vec<Paragraph>,
    link_depth: usize,
    heading_depth: usize,
    link_list_depth: usize,
    list_depth: usize,
    pruned: bool,
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

/// The element of `root` that best holds the article: the most prose, less the text around
/// it that is not prose and the links (what remains when no container is recognised).
pub fn best_block<'a>(root: ElementRef<'a>) -> Option<ElementRef<'a>> {
    let stats = subtree_stats(root);
    let score = |s: &Stats| {
        let other = s.words.saturating_sub(s.prose_words) as f64;
        s.prose_words as f64 - 0.5 * other - s.link_words as f64
    };
    root.descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| !has_mark(e, FURNITURE_MARKS) && !ALWAYS_FURNITURE.contains(&e.value().name()))
        .filter_map(|e| stats.get(&e.id()).map(|s| (e, score(s))))
        .filter(|(_, score)| *score > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(e, _)| e)
}

/// The share of `element`'s words that are inside links.
pub fn link_word_share(element: ElementRef<'_>) -> f64 {
    let stats = subtree_stats(element);
    stats
        .get(&element.id())
        .map_or(0.0, |s| s.link_words as f64 / s.words.max(1) as f64)
}

/// True when a candidate article container is named as furniture (`<article
/// class="comment">`, a related-posts card).
pub fn is_furniture_container(element: &ElementRef<'_>) -> bool {
    has_mark(element, FURNITURE_MARKS)
}

fn collect_paragraphs(element: ElementRef<'_>, skip_furniture: bool) -> Vec<String> {
    let stats = subtree_stats(element);
    let root_prose = stats.get(&element.id()).map_or(0, |s| s.prose_words);
    let mut collector = Collector {
        skip_furniture,
        stats,
        root: element.id(),
        root_prose,
        current: Paragraph::default(),
        out: Vec::new(),
        link_depth: 0,
        heading_depth: 0,
        link_list_depth: 0,
        list_depth: 0,
        pruned: false,
    };
    collector.collect(element);
    collector.flush();
    let paragraphs = collector.out;
    let linky = |p: &Paragraph| p.link_list || p.link_chars * 10 >= p.chars * 6;
    let is_prose = |p: &Paragraph| !linky(p) && prose_words(&p.text) > 0;
    let (from, to) = main_stretch(&paragraphs, &linky);
    let first_prose = (from..to).find(|&i| is_prose(&paragraphs[i]));
    let last_prose = (from..to).rev().find(|&i| is_prose(&paragraphs[i]));
    // Lists and lines of links before the article's first prose or after its last one are
    // other articles' headlines, tags, share and next/previous links; inside the article
    // they are its own (a list of deals, sources).
    let outside = |i: usize| first_prose.is_none_or(|f| i < f) || last_prose.is_none_or(|l| i > l);
    let mut dropped: Vec<bool> = paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| is_clutter(&p.text) || (skip_furniture && ((linky(p) && outside(i)) || i < from || i >= to)))
        .collect();
    if skip_furniture {
        // Before the first prose: bylines, dates, "updated" stamps, labels (a short line
        // with a digit, or of three words at most, that ends no sentence). Headings stay.
        // A list, a table or a heading there starts content: trimming stops at it.
        for i in from..first_prose.unwrap_or(from).min(from + 6) {
            let paragraph = &paragraphs[i];
            if paragraph.listed || paragraph.heading {
                break;
            }
            let words = paragraph.text.split_whitespace().count();
            let ends_sentence = paragraph.text.ends_with(['.', '!', '?', '؟', '。', '…', ':']);
            let stamp = paragraph.text.contains(|c: char| c.is_numeric()) || words <= 3;
            if words <= 12 && !ends_sentence && stamp {
                dropped[i] = true;
            }
        }
        // A heading whose section was all dropped (or whose list was pruned as furniture),
        // or that ends the text, goes with it.
        for i in (0..paragraphs.len()).rev() {
            let paragraph = &paragraphs[i];
            let short = paragraph.text.split_whitespace().count() <= 5 && prose_words(&paragraph.text) == 0;
            if dropped[i] || !(paragraph.heading || short) {
                continue;
            }
            let section: Vec<usize> = (i + 1..paragraphs.len())
                .take_while(|&j| !paragraphs[j].heading)
                .collect();
            let section_gone = !section.is_empty() && section.iter().all(|&j| dropped[j]);
            let list_pruned = paragraphs.get(i + 1).is_some_and(|n| n.pruned_before)
                && section
                    .iter()
                    .all(|&j| dropped[j] || paragraphs[j].pruned_before || linky(&paragraphs[j]));
            let at_end = section.is_empty() && i + 1 == paragraphs.len() && paragraph.heading;
            if section_gone || list_pruned || (at_end && collector.pruned) {
                dropped[i] = true;
            }
        }
    }
    paragraphs
        .into_iter()
        .zip(dropped)
        .filter(|(_, dropped)| !dropped)
        .map(|(p, _)| p.text)
        .collect()
}

/// Consecutive lines of links that divide a container into stretches (a menu, a list of
/// headlines).
const DIVIDING_LINKS: usize = 4;

/// The stretch of `paragraphs` that holds the article: the container is cut at runs of
/// [`DIVIDING_LINKS`] or more lines of links, and the stretches from the first to the last
/// one with at least a tenth of the largest one's prose are kept (`from..to`).
fn main_stretch(paragraphs: &[Paragraph], linky: &dyn Fn(&Paragraph) -> bool) -> (usize, usize) {
    // Stretches as (start, end, prose words).
    let mut stretches: Vec<(usize, usize, usize)> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < paragraphs.len() {
        let run = paragraphs[i..]
            .iter()
            .take_while(|p| linky(p) || (p.text.split_whitespace().count() <= 5 && prose_words(&p.text) == 0))
            .count();
        let links = paragraphs[i..i + run].iter().filter(|p| linky(p)).count();
        if links >= DIVIDING_LINKS {
            stretches.push((start, i, 0));
            start = i + run;
            i += run;
        } else {
            i += run.max(1);
        }
    }
    stretches.push((start, paragraphs.len(), 0));
    for stretch in &mut stretches {
        stretch.2 = paragraphs[stretch.0..stretch.1]
            .iter()
            .filter(|p| !linky(p))
            .map(|p| prose_words(&p.text))
            .sum();
    }
    let most = stretches.iter().map(|s| s.2).max().unwrap_or(0);
    let kept = |s: &&(usize, usize, usize)| most > 0 && s.2 * 10 >= most;
    match (stretches.iter().find(kept), stretches.iter().rev().find(kept)) {
        (Some(first), Some(last)) => (first.0, last.1),
        _ => (0, paragraphs.len()),
    }
}

impl Collector {
    fn collect(&mut self, element: ElementRef<'_>) {
        let name = element.value().name();
        if SKIPPED_ALWAYS.contains(&name) || is_hidden(&element) {
            return;
        }
        let furniture = if self.skip_furniture {
            element.id() != self.root && self.is_furniture(&element, name)
        } else {
            ALWAYS_FURNITURE.contains(&name)
        };
        if furniture {
            self.flush();
            self.pruned = true;
            return;
        }
        let is_block = BLOCKS.contains(&name);
        if is_block {
            self.flush();
        }
        let is_link = name == "a";
        let is_heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        let is_link_list = self.skip_furniture && element.id() != self.root && self.is_link_list(&element, name);
        self.link_list_depth += usize::from(is_link_list);
        let is_listed = matches!(name, "li" | "td" | "th" | "dd" | "dt" | "pre");
        self.list_depth += usize::from(is_listed);
        self.link_depth += usize::from(is_link);
        self.heading_depth += usize::from(is_heading);
        for child in element.children() {
            match child.value() {
                Node::Text(text) => {
                    if self.current.text.is_empty() && self.pruned {
                        self.current.pruned_before = true;
                        self.pruned = false;
                    }
                    let n = visible_chars(text);
                    self.current.chars += n;
                    if self.link_depth > 0 {
                        self.current.link_chars += n;
                    }
                    if self.heading_depth > 0 && n > 0 {
                        self.current.heading = true;
                    }
                    if self.link_list_depth > 0 && n > 0 {
                        self.current.link_list = true;
                    }
                    if self.list_depth > 0 && n > 0 {
                        self.current.listed = true;
                    }
                    self.current.text.push_str(text);
                }
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        self.collect(child);
                    }
                }
                _ => {}
            }
        }
        self.link_depth -= usize::from(is_link);
        self.link_list_depth -= usize::from(is_link_list);
        self.list_depth -= usize::from(is_listed);
        self.heading_depth -= usize::from(is_heading);
        if is_block {
            self.flush();
        }
    }

    /// Furniture by name (`nav`, `footer`, a class word) or a list of links.
    fn is_furniture(&self, element: &ElementRef<'_>, name: &str) -> bool {
        let stats = self.stats.get(&element.id()).copied().unwrap_or_default();
        // Most of the article's prose sits here: whatever its name, it is not furniture.
        let holds_article = self.root_prose > 0 && stats.prose_words * 2 > self.root_prose;
        if matches!(name, "nav" | "form") || has_mark(element, OTHER_CONTENT_MARKS) {
            return true;
        }
        if matches!(name, "aside" | "figcaption") || has_mark(element, FURNITURE_MARKS) {
            return !holds_article;
        }
        // A layout wrapper (`elementor-widget-wrap`, `has-sidebar`) with a good share of the
        // prose is part of the article: sidebars, headers and footers hold little prose.
        if matches!(name, "header" | "footer") {
            return !holds_article;
        }
        if has_mark(element, LAYOUT_MARKS) {
            return stats.prose_words < 20;
        }
        false
    }

    /// Mostly links and little prose: a list of headlines, tags or buttons.
    fn is_link_list(&self, element: &ElementRef<'_>, name: &str) -> bool {
        let stats = self.stats.get(&element.id()).copied().unwrap_or_default();
        LINK_LIST_CANDIDATES.contains(&name)
            && stats.links >= 3
            && stats.link_density() >= 0.5
            && stats.prose_words * 3 < stats.chars / 6
    }

    fn flush(&mut self) {
        let text = collapse_spaces(&self.current.text);
        let mut paragraph = std::mem::take(&mut self.current);
        if !text.is_empty() {
            paragraph.text = text;
            self.out.push(paragraph);
        } else if paragraph.pruned_before {
            self.pruned = true;
        }
    }
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
    let norm = akhbar_arabic::normalize(paragraph).to_lowercase();
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
            ("Related: Photos of the launch", true),
            ("ADVERTISEMENT", true),
            ("Relatedness of the two cases was not established.", false),
        ] {
            assert_eq!(is_clutter(line), clutter, "{line}");
        }
    }

    /// The paragraphs of the first element `selector` picks in `html`.
    fn body(html: &str, selector: &str) -> Vec<String> {
        let document = scraper::Html::parse_document(html);
        let selector = scraper::Selector::parse(selector).unwrap();
        paragraphs(document.select(&selector).next().unwrap())
    }

    const PROSE: &str =
        "وقال الوزير في مؤتمر صحفي عقده اليوم إن الحكومة ستواصل دعم المزارعين، وستصرف المنح قبل نهاية الشهر.";

    #[test]
    fn class_and_id_names_are_read_as_words() {
        for (name, words) in [
            ("zn-body__read-all", &["zn", "body", "read", "all"][..]),
            ("relatedPosts", &["related", "posts"]),
            ("node--promoted", &["node", "promoted"]),
            ("js-dynamic-advertorial", &["js", "dynamic", "advertorial"]),
        ] {
            assert_eq!(name_words(name), words, "{name}");
        }
        // Furniture words as parts of other words mark nothing; whole words do.
        for (class, furniture) in [
            ("node node--promoted", false),
            ("zn-body__read-all", false),
            ("js-dynamic-advertorial", false),
            ("share-buttons", true),
            ("relatedPosts", true),
            ("comment_list", true),
            ("post-content-share", false), // a name about the content
            ("ad-slot", true),
            ("shadow", false),
        ] {
            let html = format!("<div id=a><div class=\"{class}\"><p>x</p></div></div>");
            let document = scraper::Html::parse_document(&html);
            let element = document
                .select(&scraper::Selector::parse("#a > div").unwrap())
                .next()
                .unwrap();
            assert_eq!(has_mark(&element, FURNITURE_MARKS), furniture, "{class}");
        }
    }

    #[test]
    fn layout_wrappers_keep_the_article_they_hold() {
        let html = format!(
            "<main><div class=\"has-sidebar\"><p>{PROSE}</p><p>{PROSE}</p></div>\
             <div class=\"sidebar\"><p>الأكثر قراءة اليوم</p></div>\
             <div class=\"author-bio\"><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></div></main>"
        );
        // The wrapper named for its sidebar holds prose: kept. The sidebar and the author's
        // bio (longer than the article) are not.
        assert_eq!(body(&html, "main"), [PROSE, PROSE]);
    }

    #[test]
    fn lists_of_links_at_the_edges_go_and_inside_stay() {
        let links = "<ul><li><a href=/1>خبر أول عن الاقتصاد</a></li><li><a href=/2>خبر ثان عن الرياضة</a></li><li><a href=/3>خبر ثالث</a></li></ul>";
        let html = format!(
            "<article><p><a href=/t>الرئيسية</a></p><p>{PROSE}</p><p><a href=/s>تفاصيل العرض من المتجر</a></p>\
             <p>{PROSE}</p><h3>أخبار ذات علاقة</h3>{links}</article>"
        );
        // The breadcrumb line before and the headlines after, with their heading, go; the
        // link between two paragraphs of the article stays.
        assert_eq!(body(&html, "article"), [PROSE, "تفاصيل العرض من المتجر", PROSE]);
    }

    #[test]
    fn stamps_before_the_first_paragraph_go_and_lists_stay() {
        let html = format!("<article><p>By</p><p>Nov. 19, 2019 8:03 am ET</p><p>{PROSE}</p></article>");
        assert_eq!(body(&html, "article"), [PROSE]);
        let html = format!(
            "<article><ul><li>1a etapa: 10 de março</li><li>2a etapa: 8 de abril</li></ul><p>{PROSE}</p></article>"
        );
        assert_eq!(
            body(&html, "article"),
            ["1a etapa: 10 de março", "2a etapa: 8 de abril", PROSE]
        );
    }

    #[test]
    fn hidden_elements_are_not_text() {
        let html = format!(
            "<article><p>{PROSE}</p><span class=hidden>https://x.example/a.jpg 540 960</span>\
             <p style=\"display: none\">مخفي</p><p hidden>مخفي</p></article>"
        );
        assert_eq!(body(&html, "article"), [PROSE]);
    }
}
