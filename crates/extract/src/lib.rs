//! Page → article: turns what `fetch` read into an [`Article`](akhbar_model::Article).
//!
//! Two inputs: plain-text articles ([`from_text`]: first non-empty line is the title,
//! paragraphs are kept) and HTML pages ([`from_html`], [`extract_page`]: charset detection;
//! title, author, publication time (meta tags, JSON-LD, `<time>`, Arabic date text), URL,
//! language; the main text from the article container without its furniture: read-also
//! boxes, share and tag lines, captions, tickers, comments). Extraction never fails: it returns the article and the
//! [`Warning`]s about what it had to guess, as a parser returns a tree and its errors.
//!
//! ```
//! let (article, warnings) = akhbar_extract::from_html(
//!     b"<html><head><title>\xd8\xb9\xd9\x86\xd9\x88\xd8\xa7\xd9\x86</title></head>
//!       <body><nav>menu</nav><p>first</p><script>x()</script><p>second</p></body></html>",
//!     None,
//! );
//! assert_eq!(article.title, "عنوان");
//! assert_eq!(article.body, "first\n\nsecond");
//! // Two words, and nothing says the page is an article: ingest would refuse it.
//! assert_eq!(warnings, [akhbar_extract::Warning::NotAnArticle { words: 2 }]);
//! ```
#![deny(missing_docs)]

mod blocks;
mod boilerplate;
mod charset;
mod discover;
mod html;
mod metadata;
mod text;

pub use boilerplate::{edge_lines, strip_boilerplate, BOILERPLATE_MIN_ARTICLES};
pub use charset::{decode, from_content_type as charset_of, Charset};
pub use discover::feed_links;
pub use html::{extract_page, fragment_text, from_html, Page, MAX_NESTING};
pub use metadata::Published;
pub use text::from_text;

/// Something extraction had to guess or drop; the article is still usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The page declared no charset and was not UTF-8: decoded as this legacy encoding.
    GuessedCharset(&'static str),
    /// Bytes that are invalid in the page's encoding were replaced with U+FFFD.
    InvalidBytes(&'static str),
    /// The page has no title element or heading.
    NoTitle,
    /// The page has no visible text.
    NoText,
    /// The page has little text and nothing marks it as an article (a login, index or error
    /// page): ingest refuses it.
    NotAnArticle {
        /// Words of text found.
        words: usize,
    },
    /// The page nests elements deeper than [`MAX_NESTING`]: the elements below the limit
    /// were flattened into the one at the limit (their text kept, in order), since parsers
    /// take quadratic time on such input.
    TooDeep {
        /// The nesting depth found before giving up.
        depth: usize,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::GuessedCharset(name) => write!(f, "no charset declared and not UTF-8: read as {name}"),
            Warning::InvalidBytes(name) => write!(f, "invalid {name} bytes replaced"),
            Warning::NoTitle => f.write_str("no title found"),
            Warning::NoText => f.write_str("no visible text found"),
            Warning::NotAnArticle { words } => write!(
                f,
                "not an article: {words} words of text and nothing marks the page as an article (a login, index or error page?)"
            ),
            Warning::TooDeep { depth } => {
                write!(
                    f,
                    "HTML nested more than {MAX_NESTING} elements deep ({depth}): the elements below the limit were read as one"
                )
            }
        }
    }
}
