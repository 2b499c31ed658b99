use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One outlet's document: what akhbar stores, indexes and shows.
///
/// `body` keeps paragraphs separated by a blank line (`"\n\n"`). Fields that the input did
/// not carry are `None`; an empty title is allowed, since some real articles have none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Headline; may be empty.
    pub title: String,
    /// Main text, paragraphs separated by `"\n\n"`.
    pub body: String,
    /// The outlet's name or id (`"sabq"`, `"Telexpress"`).
    pub source: Option<String>,
    /// Where the article was published.
    pub url: Option<String>,
    /// Publication date in UTC.
    pub date: Option<DateTime<Utc>>,
    /// Byline.
    pub author: Option<String>,
}

/// Text as akhbar keeps it: control characters other than tab and newline become a space
/// (a NUL between two words still separates them), carriage returns and Unicode
/// noncharacters (U+FFFE…) go, and so do bidi embeddings, overrides and isolates (U+202A–
/// U+202E, U+2066–U+2069), which could reorder what a page, a feed or a terminal shows
/// around them. What is left is valid in XML 1.0 and inert on a terminal.
pub fn clean_text(text: &str) -> std::borrow::Cow<'_, str> {
    let unwanted = |c: char| {
        (c.is_control() && c != '\t' && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FDD0}'..='\u{FDEF}')
            || (c as u32 & 0xFFFE) == 0xFFFE
    };
    if !text.contains(unwanted) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !unwanted(c) {
            out.push(c);
        } else if c.is_control() && c != '\r' {
            out.push(' ');
        }
    }
    std::borrow::Cow::Owned(out)
}

impl Article {
    /// Every text field through [`clean_text`].
    pub fn clean(&mut self) {
        let clean = |s: &mut String| {
            if let std::borrow::Cow::Owned(cleaned) = clean_text(s) {
                *s = cleaned;
            }
        };
        clean(&mut self.title);
        clean(&mut self.body);
        for field in [&mut self.source, &mut self.url, &mut self.author]
            .into_iter()
            .flatten()
        {
            clean(field);
        }
    }
}

#[cfg(test)]
mod clean_tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_do_not_survive() {
        for (text, clean) in [
            ("عنوان\0فيه صفر", "عنوان فيه صفر"),
            ("a\u{1b}[31mred", "a [31mred"),
            (
                "\u{202E}عنوان معكوس\u{202C} مع\u{200F}علامات",
                "عنوان معكوس مع\u{200F}علامات",
            ),
            ("x\u{2066}y\u{2069}\u{FFFE}z\r\n", "xyz\n"),
            ("سطر\tثم\nسطر", "سطر\tثم\nسطر"),
            ("\u{1}\u{85}", "  "),
        ] {
            assert_eq!(clean_text(text), clean, "{text:?}");
        }
        let mut article = Article {
            title: "\u{202E}t".into(),
            source: Some("s\u{7}".into()),
            ..Article::default()
        };
        article.clean();
        assert_eq!((article.title.as_str(), article.source.as_deref()), ("t", Some("s ")));
    }
}
