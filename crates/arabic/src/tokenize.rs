//! Splitting news text into tokens, with byte offsets into the original.
//!
//! | kind | example | rule |
//! |---|---|---|
//! | [`TokenKind::Arabic`] | `والرباط`, `رحــيم`, `مُحَمَّد` | Arabic letters with their marks, tatweel and invisible joiners |
//! | [`TokenKind::Word`] | `Blinken`, `G20`, `Привет` | letters of other scripts and digits |
//! | [`TokenKind::Number`] | `1787`, `٢٠٢٢`, `10.5` (of `10.5%`), `1,000` | digits, with `.` `,` `٫` `٬` only between digits |
//! | [`TokenKind::Url`] | `https://t.co/x`, `www.hespress.com` | from `http://`, `https://` or `www.` to the next space, minus trailing punctuation |
//! | [`TokenKind::Email`] | `info@telexpress.ma` | local part, `@`, a dotted domain |
//! | [`TokenKind::Hashtag`] | `#الأمن_المغربي` | `#` then word characters and `_` |
//! | [`TokenKind::Mention`] | `@AntonyBlinken` | `@` then word characters and `_` |
//!
//! Everything else separates tokens: spaces, Arabic punctuation ، ؛ ؟ « », quotes “ ”,
//! hyphens (so `المغرب-أمريكا..` is two tokens), symbols.

use crate::chars::{arabic_block_class, ascii_class, class, decode_at, Class};

/// What a token is; decides whether it is segmented and stemmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// A word in Arabic script.
    Arabic,
    /// A word in another script (Latin, Cyrillic, ...), possibly with digits.
    Word,
    /// A number.
    Number,
    /// A web address.
    Url,
    /// An email address.
    Email,
    /// `#tag`.
    Hashtag,
    /// `@name`.
    Mention,
}

/// A token's place in the original text, before any normalization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// What the token is.
    pub kind: TokenKind,
}

impl Span {
    /// A placeholder span (empty, at offset 0).
    pub const EMPTY: Span = Span {
        start: 0,
        end: 0,
        kind: TokenKind::Word,
    };
}

/// Iterator over the [`Span`]s of a text.
///
/// ```
/// use akhbar_arabic::{Spans, TokenKind};
/// let text = "المغرب-أمريكا.. 10.5% عبر https://t.co/x";
/// let kinds: Vec<_> = Spans::new(text).map(|s| (&text[s.start..s.end], s.kind)).collect();
/// assert_eq!(kinds[0], ("المغرب", TokenKind::Arabic));
/// assert_eq!(kinds[2], ("10.5", TokenKind::Number));
/// assert_eq!(kinds[4], ("https://t.co/x", TokenKind::Url));
/// ```
pub struct Spans<'a> {
    text: &'a str,
    pos: usize,
    /// Whether the fast paths are on (off only to test that they change nothing).
    fast: bool,
}

impl<'a> Spans<'a> {
    /// Starts at the beginning of `text`.
    pub fn new(text: &'a str) -> Spans<'a> {
        Spans {
            text,
            pos: 0,
            fast: true,
        }
    }

    /// [`Spans::new`] without the fast paths: the reference they are tested against.
    #[cfg(test)]
    pub(crate) fn general(text: &'a str) -> Spans<'a> {
        Spans {
            text,
            pos: 0,
            fast: false,
        }
    }

    fn char_at(&self, pos: usize) -> Option<char> {
        self.text.get(pos..).and_then(|rest| rest.chars().next())
    }

    /// End of the run of characters from `pos` that satisfy `keep`.
    #[inline]
    fn run_end(&self, pos: usize, keep: impl Fn(char) -> bool) -> usize {
        let rest = &self.text[pos..];
        match rest.char_indices().find(|&(_, c)| !keep(c)) {
            Some((offset, _)) => pos + offset,
            None => self.text.len(),
        }
    }

    /// End of the run of characters from `pos` whose class satisfies `keep` (the fast path of
    /// [`Spans::run_end`] for rules about classes only).
    #[inline]
    fn class_run_end(&self, mut pos: usize, keep: impl Fn(Class) -> bool) -> usize {
        while let Some((_, class, len)) = decode_at(self.text, pos) {
            if !keep(class) {
                return pos;
            }
            pos += len;
        }
        self.text.len()
    }

    /// The end of the run of Arabic letters and marks in U+0600–U+067F from `start`, read
    /// two bytes at a time, if `start` holds such a letter (not a mark: a word starts with a
    /// letter).
    #[inline(always)]
    fn arabic_pair_run(&self, start: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let pair = |at: usize| pair_index(bytes, at);
        let first = pair(start)?;
        if arabic_block_class(first) != Class::ArabicLetter {
            return None;
        }
        let mut end = start + 2;
        while let Some(index) = pair(end) {
            if !matches!(arabic_block_class(index), Class::ArabicLetter | Class::Mark) {
                break;
            }
            end += 2;
        }
        Some(end)
    }

    /// Trims trailing invisible characters off a run (they belong to no word).
    fn trim_ignorable(&self, start: usize, mut end: usize) -> usize {
        while end > start {
            let Some(last) = self.text[start..end].chars().next_back() else {
                break;
            };
            if class(last) != Class::Ignorable {
                break;
            }
            end -= last.len_utf8();
        }
        end
    }

    fn url_end(&self, start: usize) -> Option<usize> {
        let rest = &self.text.as_bytes()[start..];
        let starts_with = |prefix: &str| {
            rest.get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
        };
        let www = starts_with("www.");
        if !(www || starts_with("http://") || starts_with("https://")) {
            return None;
        }
        let mut end = self.run_end(start, |c| {
            !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '«' | '»' | '“' | '”' | '،' | '؛')
        });
        while end > start {
            let last = self.text[start..end].chars().next_back()?;
            if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | ')' | ']' | '؟') {
                end -= last.len_utf8();
            } else {
                break;
            }
        }
        let min = if www { 5 } else { 9 };
        (end - start >= min).then_some(end)
    }

    /// The end of an email address starting at `start`, if one does.
    fn email_end(&self, start: usize) -> Option<usize> {
        let local = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
        let at = self.run_end(start, local);
        if at == start || self.char_at(at) != Some('@') {
            return None;
        }
        let domain_start = at + 1;
        let mut end = self.run_end(domain_start, |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
        while end > domain_start && self.text[..end].ends_with(['.', '-']) {
            end -= 1;
        }
        let domain = &self.text[domain_start..end];
        let (name, tld) = domain.rsplit_once('.')?;
        (!name.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())).then_some(end)
    }

    fn number_end(&self, start: usize) -> usize {
        let mut end = self.class_run_end(start, |c| c == Class::Digit);
        while let Some(sep) = self.char_at(end) {
            if !matches!(sep, '.' | ',' | '\u{066B}' | '\u{066C}') {
                break;
            }
            let after = end + sep.len_utf8();
            match self.char_at(after) {
                Some(next) if class(next) == Class::Digit => {
                    end = self.class_run_end(after, |c| c == Class::Digit);
                }
                _ => break,
            }
        }
        end
    }
}

/// The offset from U+0600 of the U+0600–U+067F character at byte `at`, from its two UTF-8
/// bytes (lead 0xD8 or 0xD9), if one is there.
#[inline(always)]
fn pair_index(bytes: &[u8], at: usize) -> Option<usize> {
    let lead = *bytes.get(at)?;
    let next = *bytes.get(at + 1)?;
    (lead & 0xFE == 0xD8).then_some((usize::from(lead & 1) << 6) | usize::from(next & 0x3F))
}

fn is_tag_char(c: char) -> bool {
    c == '_'
        || matches!(
            class(c),
            Class::ArabicLetter | Class::Mark | Class::Letter | Class::Digit
        )
}

impl Iterator for Spans<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        let bytes = self.text.as_bytes();
        loop {
            // Fast paths for the common case, a word of the Arabic block's first half after
            // ASCII spaces or punctuation; whatever they do not settle goes the general way.
            while let Some(&b) = bytes.get(self.pos).filter(|_| self.fast) {
                // Whitespace and punctuation, except `#` and `@`, which may start a tag.
                if b < 0x80 && ascii_class(b) == Class::Other && b != b'#' && b != b'@' {
                    self.pos += 1;
                } else {
                    break;
                }
            }
            let start = self.pos;
            if let Some(end) = self.arabic_pair_run(start).filter(|_| self.fast) {
                // The run ends here if ASCII, the text's end or a U+0600–U+067F character
                // that is not part of words follows (punctuation, a digit); an invisible
                // character (U+061C) or anything beyond that block goes the general way.
                let settled = match bytes.get(end) {
                    None => true,
                    Some(&b) if b < 0x80 => true,
                    Some(_) => pair_index(bytes, end).is_some_and(|i| arabic_block_class(i) != Class::Ignorable),
                };
                if settled {
                    self.pos = end;
                    return Some(Span {
                        start,
                        end,
                        kind: TokenKind::Arabic,
                    });
                }
            }
            let (c, c_class, c_len) = decode_at(self.text, start)?;
            let next_pos = start + c_len;
            let span = |end, kind| Span { start, end, kind };
            let found = match c_class {
                Class::Other if c != '#' && c != '@' => None,
                Class::ArabicLetter => {
                    let end = self.class_run_end(next_pos, |c| {
                        matches!(c, Class::ArabicLetter | Class::Mark | Class::Ignorable)
                    });
                    Some(span(self.trim_ignorable(start, end), TokenKind::Arabic))
                }
                Class::Letter | Class::Digit => {
                    if let Some(end) = self.url_end(start) {
                        Some(span(end, TokenKind::Url))
                    } else if let Some(end) = self.email_end(start) {
                        Some(span(end, TokenKind::Email))
                    } else {
                        let number_end = if c_class == Class::Digit {
                            self.number_end(start)
                        } else {
                            start
                        };
                        let word_end =
                            self.class_run_end(start, |c| matches!(c, Class::Letter | Class::Digit | Class::Mark));
                        if number_end > start && number_end >= word_end {
                            Some(span(number_end, TokenKind::Number))
                        } else if c_class == Class::Digit
                            && self.text[start..word_end].chars().all(|c| class(c) == Class::Digit)
                        {
                            Some(span(word_end, TokenKind::Number))
                        } else {
                            Some(span(word_end, TokenKind::Word))
                        }
                    }
                }
                Class::Other if c == '#' || c == '@' => {
                    let end = self.run_end(next_pos, is_tag_char);
                    let after_word = self.text[..start]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
                    if end > next_pos && !after_word {
                        let kind = if c == '#' {
                            TokenKind::Hashtag
                        } else {
                            TokenKind::Mention
                        };
                        Some(span(end, kind))
                    } else {
                        None
                    }
                }
                _ => None,
            };
            match found {
                Some(span) if span.end > span.start => {
                    self.pos = span.end;
                    return Some(span);
                }
                _ => self.pos = next_pos,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: &[(&str, TokenKind)]) {
        let actual: Vec<(&str, TokenKind)> = Spans::new(text).map(|s| (&text[s.start..s.end], s.kind)).collect();
        assert_eq!(actual, expected, "text {text:?}");
    }

    use TokenKind::*;

    #[test]
    fn table() {
        check(
            "والرباط، واشنطن؛ لماذا؟",
            &[("والرباط", Arabic), ("واشنطن", Arabic), ("لماذا", Arabic)],
        );
        check("«الأسد الإفريقي»", &[("الأسد", Arabic), ("الإفريقي", Arabic)]);
        check("“تويتر”", &[("تويتر", Arabic)]);
        check("المغرب-أمريكا..", &[("المغرب", Arabic), ("أمريكا", Arabic)]);
        check("رحــــيم مُحَمَّدٌ", &[("رحــــيم", Arabic), ("مُحَمَّدٌ", Arabic)]);
        check("\u{200F}مصر\u{200F} ", &[("مصر", Arabic)]);
        check(
            "سنة 1787 و٢٠٢٢",
            &[("سنة", Arabic), ("1787", Number), ("و", Arabic), ("٢٠٢٢", Number)],
        );
        check(
            "بنسبة 10.5% و1,000 و3٫5",
            &[
                ("بنسبة", Arabic),
                ("10.5", Number),
                ("و", Arabic),
                ("1,000", Number),
                ("و", Arabic),
                ("3٫5", Number),
            ],
        );
        check(
            "انتهى عام 2022.",
            &[("انتهى", Arabic), ("عام", Arabic), ("2022", Number)],
        );
        check(
            "Antony Blinken و CIA G20",
            &[
                ("Antony", Word),
                ("Blinken", Word),
                ("و", Arabic),
                ("CIA", Word),
                ("G20", Word),
            ],
        );
        check(
            "انظر https://t.co/AbC?x=1. أو www.hespress.com،",
            &[
                ("انظر", Arabic),
                ("https://t.co/AbC?x=1", Url),
                ("أو", Arabic),
                ("www.hespress.com", Url),
            ],
        );
        check(
            "راسلونا info@telexpress.ma.",
            &[("راسلونا", Arabic), ("info@telexpress.ma", Email)],
        );
        check(
            "#الأمن_المغربي و@AntonyBlinken",
            &[("#الأمن_المغربي", Hashtag), ("و", Arabic), ("@AntonyBlinken", Mention)],
        );
        check("a#b # @", &[("a", Word), ("b", Word)]);
        check("ﻻ", &[("ﻻ", Arabic)]);
        check("", &[]);
    }

    proptest::proptest! {
        /// The fast paths give exactly the spans of the general rules, on text made of the
        /// characters where they differ: the two halves of the Arabic block, marks, the
        /// invisible characters, Arabic punctuation and digits, tags, quotes.
        #[test]
        fn fast_paths_change_nothing(pieces in proptest::collection::vec(proptest::sample::select(vec![
            "و", "ال", "ب", "كتاب", "ة", "أ", "ء", "ـ", "َ", "ّ", "ٰ", "\u{061C}", "\u{200C}", "\u{200F}",
            "پ", "گ", "ی", "ک", "ﻻ", "،", "؛", "؟", "٪", "٢٠", "3", ".", ",", " ", "\n", "-", "#", "@", "_",
            "«", "»", "“", "A", "b", "www.", "http://", "é", "\u{0301}",
        ]), 0..40)) {
            let text: String = pieces.concat();
            let fast: Vec<Span> = Spans::new(&text).collect();
            let general: Vec<Span> = Spans::general(&text).collect();
            proptest::prop_assert_eq!(fast, general, "{:?}", text);
        }
    }
}
