//! HTML pages: metadata, then the main text.
//!
//! The main text is taken from the page's article container when it has a recognizable one
//! (`<article>`, `itemprop=articleBody`, the usual content classes), else from what
//! readability scoring (dom_smoothie, a port of Mozilla's Readability) picks, else from the
//! whole page. Inside it, furniture is dropped: read-also boxes, share and tag lines,
//! captions, comments, tickers (`blocks.rs`).

use crate::blocks::{all_paragraphs, is_furniture_container, paragraphs};
use crate::metadata::{self, Published};
use crate::{charset, Warning};
use akhbar_model::Article;
use scraper::{Html, Selector};

/// Selectors of article containers, most specific first.
const CONTAINERS: &[&str] = &[
    r#"[itemprop="articleBody"]"#,
    r#"[itemtype*="schema.org/NewsArticle"], [itemtype*="schema.org/Article"], [itemtype*="schema.org/BlogPosting"], [itemtype*="schema.org/ReportageNewsArticle"]"#,
    ".entry-content",
    ".article-body",
    ".article-content",
    ".article-text",
    ".story-text",
    ".story-body",
    ".post-content",
    ".news-content",
    ".content-article",
    "#article-body",
    "#articleBody",
    "#article-content",
    "article",
    "main",
];

/// Deepest element nesting akhbar parses. Real pages stay far below (a few dozen levels).
pub const MAX_NESTING: usize = 1000;

/// Elements that never nest (void) or that the parser closes by itself, left out of the
/// nesting count.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li",
    "td", "th", "tr", "option", "dt", "dd",
];

/// Block elements: one flattened below the nesting limit still ends a paragraph.
const FLATTENED_BLOCKS: &[&str] = &[
    "div",
    "section",
    "article",
    "main",
    "ul",
    "ol",
    "blockquote",
    "table",
    "tbody",
    "figure",
    "dl",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "header",
    "footer",
    "aside",
    "nav",
];

/// The page's nesting depth (an upper estimate) and, when it passes `limit`, the page with
/// the tags below the limit taken out: their text stays, in order, in the element at the
/// limit (a block tag becomes a line break), so the parser never builds a deeper tree.
fn flatten_deep(html: &str, limit: usize) -> (usize, Option<String>) {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut out: Option<String> = None;
    // Bytes of `html` copied to `out` so far.
    let mut copied = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let closing = bytes[i + 1] == b'/';
        let start = i + 1 + usize::from(closing);
        let end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| start + n);
        let name = html[start..end].to_ascii_lowercase();
        if name.is_empty() || NOT_NESTING.contains(&name.as_str()) {
            i = end;
            continue;
        }
        let tag_end = html[end..].find('>').map_or(bytes.len(), |gt| end + gt + 1);
        let self_closing = html[end..tag_end].trim_end_matches('>').ends_with('/');
        let too_deep = if closing {
            let deep = depth > limit;
            depth = depth.saturating_sub(1);
            deep
        } else if !self_closing {
            depth += 1;
            deepest = deepest.max(depth);
            depth > limit
        } else {
            false
        };
        if too_deep {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..i]);
            if !closing && FLATTENED_BLOCKS.contains(&name.as_str()) {
                out.push_str("<br>");
            }
            copied = tag_end;
        }
        i = end;
    }
    if let Some(out) = out.as_mut() {
        out.push_str(&html[copied.min(html.len())..]);
    }
    (deepest, out)
}

/// Fewer words of text than this, on a page that does not say it is an article, make it no
/// article (a login form, an index, an error page).
pub const MIN_ARTICLE_WORDS: usize = 20;

/// Fewer words than this in a container means it is not the article.
const MIN_CONTAINER_WORDS: usize = 40;

/// An extracted page: the article and what else the page says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Title, main text (paragraphs separated by a blank line), author, URL, date (UTC).
    pub article: Article,
    /// Publication time as precisely as the page gives it.
    pub published: Option<Published>,
    /// The page's language (`lang` attribute), or `ar` when most of the text is Arabic.
    pub language: Option<String>,
    /// Lead image URL.
    pub image: Option<String>,
}

/// Extracts the title and main text of an HTML page. `content_type` is the HTTP header value
/// or `None` for a file; its `charset=` parameter is honoured.
pub fn from_html(bytes: &[u8], content_type: Option<&str>) -> (Article, Vec<Warning>) {
    let (page, warnings) = extract_page(bytes, content_type);
    (page.article, warnings)
}

/// Like [`from_html`], with the publication time's precision, language and lead image.
pub fn extract_page(bytes: &[u8], content_type: Option<&str>) -> (Page, Vec<Warning>) {
    let (text, _, mut warnings) = charset::decode(bytes, content_type.and_then(charset::from_content_type));
    let (depth, flattened) = flatten_deep(&text, MAX_NESTING);
    let was_flattened = flattened.is_some();
    let text = match flattened {
        Some(flattened) => {
            warnings.push(Warning::TooDeep { depth });
            flattened
        }
        None => text,
    };
    let document = Html::parse_document(&text);
    let meta = metadata::read(&document);
    let mut body = main_text(&document, &text, was_flattened);
    // The headline is often repeated as the first line of the body.
    if body.first().is_some_and(|p| *p == meta.title) {
        body.remove(0);
    }
    body.retain(|p| !is_byline_or_dateline(p, meta.author.as_deref()));
    if meta.title.is_empty() {
        warnings.push(Warning::NoTitle);
    }
    let body = body.join("\n\n");
    let words = body.split_whitespace().count();
    if body.is_empty() {
        warnings.push(Warning::NoText);
    }
    if words < MIN_ARTICLE_WORDS && !meta.marked_article {
        warnings.push(Warning::NotAnArticle { words });
    }
    let language = meta
        .language
        .clone()
        .or_else(|| is_mostly_arabic(&body).then(|| "ar".to_string()));
    let article = Article {
        title: meta.title,
        body,
        source: meta.site_name,
        url: meta.url,
        date: meta.published.map(|p| p.to_utc()),
        author: meta.author,
    };
    (
        Page {
            article,
            published: meta.published,
            language,
            image: meta.image,
        },
        warnings,
    )
}

/// The text of an HTML fragment (a feed entry's content), paragraphs separated by a blank
/// line, furniture dropped.
/// Elements nested deeper than [`MAX_NESTING`] are flattened into the one at the limit.
pub fn fragment_text(html: &str) -> String {
    let (_, flattened) = flatten_deep(html, MAX_NESTING);
    let fragment = Html::parse_fragment(flattened.as_deref().unwrap_or(html));
    paragraphs(fragment.root_element()).join("\n\n")
}

/// A paragraph that only carries the byline and/or the date (`منى السيد`, `02:40 م الإثنين
/// 03 مارس 2025`, `رهف الغامدي (جدة) 18 سبتمبر 2023 - 09:05 مساء`): at most two words are
/// left once the author's name and the dates are taken out.
fn is_byline_or_dateline(paragraph: &str, author: Option<&str>) -> bool {
    let dates = akhbar_arabic::find_dates(paragraph);
    let mut rest = paragraph.to_string();
    for date in dates.iter().rev() {
        rest.replace_range(date.start..date.end, " ");
    }
    let author = author.filter(|a| rest.contains(a));
    if let Some(author) = author {
        rest = rest.replace(author, " ");
    }
    let words_left = rest
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    (author.is_some() || !dates.is_empty()) && words_left <= 2
}

fn prose_words(paragraphs: &[String]) -> usize {
    paragraphs.iter().map(|p| crate::blocks::prose_words(p)).sum()
}

fn word_count(paragraphs: &[String]) -> usize {
    paragraphs.iter().map(|p| p.split_whitespace().count()).sum()
}

/// Script types that carry HTML to be inserted later (Blogger's dynamic views, client-side
/// templates).
const TEMPLATE_SCRIPT_TYPES: &[&str] = &[
    "text/template",
    "text/html",
    "text/x-template",
    "text/x-handlebars-template",
];

/// The article body a page keeps only in `<noscript>`, `<template>` or an HTML template
/// script, when there is one: the embedded HTML with the most prose.
/// Only HTML with more than `more_than` words (counting its markup) is parsed: what has fewer
/// cannot have more prose than that.
fn embedded_text(document: &Html, more_than: usize) -> Option<Vec<String>> {
    let selector = Selector::parse("noscript, template, script[type]").ok()?;
    document
        .select(&selector)
        .filter_map(|element| {
            let value = element.value();
            let html = match value.name() {
                "template" => element.inner_html(),
                "script" => {
                    let kind = value.attr("type").unwrap_or("").trim().to_ascii_lowercase();
                    if !TEMPLATE_SCRIPT_TYPES.contains(&kind.as_str()) {
                        return None;
                    }
                    element.text().collect()
                }
                _ => element.text().collect(),
            };
            if html.split_whitespace().count() <= more_than {
                return None;
            }
            let (_, flattened) = flatten_deep(&html, MAX_NESTING);
            let fragment = Html::parse_fragment(flattened.as_deref().unwrap_or(&html));
            let found = paragraphs(fragment.root_element());
            (prose_words(&found) > 0).then_some(found)
        })
        .max_by_key(|p| prose_words(p))
}

/// The main text: from the page, or from HTML it embeds for scripts to show when that has
/// more prose (the visible page is then only its frame).
fn main_text(document: &Html, html: &str, flattened: bool) -> Vec<String> {
    let visible = visible_text(document, html, flattened);
    let needed = prose_words(&visible) * 2;
    match embedded_text(document, needed) {
        Some(embedded) if prose_words(&embedded) > needed => embedded,
        _ => visible,
    }
}

fn visible_text(document: &Html, html: &str, flattened: bool) -> Vec<String> {
    for selector_text in CONTAINERS {
        let Ok(selector) = Selector::parse(selector_text) else {
            continue;
        };
        // The container with the most prose, when there are several (a list of teasers); a
        // container named as furniture (`<article class="comment">`) is none.
        // Schema.org markup sometimes wraps the whole page: one mostly of links is no container.
        let microdata = selector_text.starts_with("[itemtype");
        let best = document
            .select(&selector)
            .filter(|element| !is_furniture_container(element))
            .filter(|element| !microdata || crate::blocks::link_word_share(*element) < 0.3)
            .map(paragraphs)
            .max_by_key(|p| (prose_words(p), word_count(p)))
            .filter(|p| word_count(p) >= MIN_CONTAINER_WORDS);
        if let Some(best) = best {
            return best;
        }
    }
    // Readability's choice, unless the page was flattened below the nesting limit and the
    // block holding the most prose holds all of readability's and much more (readability
    // keeps one node's children: text spread over wrappers nested past the limit is lost).
    let best = crate::blocks::best_block(document.root_element())
        .map(paragraphs)
        .filter(|p| word_count(p) >= MIN_CONTAINER_WORDS);
    let extends = |best: &[String], readable: &[String]| {
        let inside = readable.iter().filter(|p| best.contains(p)).count();
        inside * 10 >= readable.len() * 9 && prose_words(best) * 7 > prose_words(readable) * 10
    };
    match (readability(html), best) {
        (Some(readable), Some(best)) if flattened && extends(&best, &readable) => return best,
        (Some(readable), _) => return readable,
        (None, Some(best)) => return best,
        (None, None) => {}
    }
    all_paragraphs(document.root_element())
}

/// The article dom_smoothie finds, as paragraphs.
fn readability(html: &str) -> Option<Vec<String>> {
    let config = dom_smoothie::Config {
        max_elements_to_parse: 20_000,
        // The class and id names say what is furniture inside its choice (`author-bio`).
        keep_classes: true,
        ..Default::default()
    };
    let mut readability = dom_smoothie::Readability::new(html, None, Some(config)).ok()?;
    let article = readability.parse().ok()?;
    let fragment = Html::parse_fragment(&article.content);
    let found = paragraphs(fragment.root_element());
    (word_count(&found) >= MIN_CONTAINER_WORDS).then_some(found)
}

fn is_mostly_arabic(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic());
    let (mut arabic, mut total) = (0usize, 0usize);
    for c in letters {
        total += 1;
        if ('\u{0600}'..='\u{06FF}').contains(&c) {
            arabic += 1;
        }
    }
    total > 0 && arabic * 2 > total
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
        let (page, warnings) = extract_page(page.as_bytes(), None);
        let article = page.article;
        assert_eq!(article.title, "بلينكن يشيد بالأمن المغربي");
        assert_eq!(article.body, "أشاد بلينكن\n\nبالتعاون.\n\nفقرة ثانية");
        assert_eq!(article.url.as_deref(), Some("https://example.ma/a/1"));
        assert_eq!(
            page.published.map(|p| p.to_rfc3339()).as_deref(),
            Some("2022-07-13T10:00:00+01:00")
        );
        assert_eq!(
            article.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2022-07-13T09:00:00+00:00")
        );
        assert_eq!(page.language.as_deref(), Some("ar"));
        // Five words and no article markup: a page ingest would refuse.
        assert_eq!(warnings, [Warning::NotAnArticle { words: 5 }]);
    }

    #[test]
    fn broken_html_still_gives_text() {
        let (article, warnings) = from_html(b"<p>unclosed <b>bold <div>and <p>more", None);
        assert_eq!(article.body, "unclosed bold\n\nand\n\nmore");
        assert_eq!(warnings, [Warning::NoTitle, Warning::NotAnArticle { words: 4 }]);
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
        assert_eq!(warnings, [Warning::NotAnArticle { words: 2 }]);
    }

    #[test]
    fn deep_nesting_is_flattened_below_the_limit() {
        let deep = format!(
            "<html><body><h1>عنوان</h1>{}<p>نص أول</p>{}<p>نص ثان</p>{}</body></html>",
            "<div>".repeat(MAX_NESTING - 10),
            "<div><span>".repeat(20_000),
            "</span></div>".repeat(20_000)
        );
        // Not a speed measure (the bench is one): a loose guard against work that grows with
        // the square of the depth, with room for a debug build on a busy 2-core machine.
        let started = std::time::Instant::now();
        let (page, warnings) = extract_page(deep.as_bytes(), None);
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
        assert!(
            matches!(warnings[..], [Warning::TooDeep { depth }, ..] if depth > 40_000),
            "{warnings:?}"
        );
        // The text above and below the limit, in order.
        assert_eq!(page.article.body, "نص أول\n\nنص ثان");
        let bold = format!("<p>{}نص", "<b>".repeat(20_000));
        assert_eq!(fragment_text(&bold), "نص");
        // Many unclosed paragraphs and void elements are ordinary HTML.
        let flat = format!("<body>{}</body>", "<p>سطر<br><img src=x>".repeat(5000));
        let (page, warnings) = extract_page(flat.as_bytes(), None);
        assert!(!warnings.iter().any(|w| matches!(w, Warning::TooDeep { .. })));
        assert_eq!(page.article.body.split("\n\n").count(), 5000);
    }

    #[test]
    fn a_body_kept_only_for_scripts_to_show() {
        let prose = "وأعلنت الوزارة في بيان اليوم أن حملة التحصين ستشمل كل البلديات، وستستمر ثلاثة أسابيع بمشاركة فرق بيطرية متنقلة.";
        let post = format!("<h2>حملة</h2><p>{prose}</p><p>{prose}</p>");
        for embedded in [
            format!("<script type=\"text/template\">{post}</script>"),
            format!("<noscript>{post}</noscript>"),
            format!("<template>{post}</template>"),
        ] {
            let page = format!(
                "<html><head><title>مدونة</title></head><body><nav><a href=/>الرئيسية</a></nav>{embedded}<div class=sidebar>أرشيف المدونة</div></body></html>"
            );
            let (page, _) = extract_page(page.as_bytes(), None);
            assert_eq!(page.article.body, format!("حملة\n\n{prose}\n\n{prose}"), "{embedded}");
        }
        // A script of another type is code, not text.
        let page = format!(
            "<html><body><p>{prose}</p><script type=\"text/javascript\">var t = '{post}';</script></body></html>"
        );
        assert_eq!(extract_page(page.as_bytes(), None).0.article.body, prose);
    }

    #[test]
    fn a_login_page_is_no_article_and_a_short_marked_one_is() {
        let login = "<html><head><title>تسجيل الدخول</title></head><body><form><label>اسم المستخدم</label><input name=u><label>كلمة المرور</label><input type=password name=p><button>دخول</button></form><p>نسيت كلمة المرور؟</p></body></html>";
        let (_, warnings) = extract_page(login.as_bytes(), None);
        assert!(
            warnings.iter().any(|w| matches!(w, Warning::NotAnArticle { .. })),
            "{warnings:?}"
        );
        let brief = r#"<html><head><meta property="og:type" content="article"><meta property="og:site_name" content="هسبريس"><title>عاجل</title></head><body><article><h1>عاجل: زلزال في الحسيمة</h1><p>ضرب زلزال بقوة خمس درجات إقليم الحسيمة صباح اليوم.</p></article></body></html>"#;
        let (page, warnings) = extract_page(brief.as_bytes(), None);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(page.article.source.as_deref(), Some("هسبريس"));
    }

    #[test]
    fn arabic_date_text_when_no_metadata() {
        let page = "<html><body><h1>عنوان الخبر هنا</h1><span class=\"date\">الخميس ١٤ تموز/يوليو ٢٠٢٢</span><p>نص</p></body></html>";
        let (page, _) = extract_page(page.as_bytes(), None);
        assert_eq!(page.published.map(|p| p.to_rfc3339()).as_deref(), Some("2022-07-14"));
    }
}
