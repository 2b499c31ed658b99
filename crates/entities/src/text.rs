//! Splitting an article into sentences of tokens the way ANERcorp is tokenized: words at
//! whitespace, punctuation as tokens of its own, sentences ending after `. ! ? ؟` or a
//! paragraph break.

/// A token of a text: byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextToken {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Longest sentence handed to the tagger; longer runs are cut (a page of text without a full
/// stop should not make decoding slow).
const MAX_SENTENCE_TOKENS: usize = 200;

fn is_punctuation(c: char) -> bool {
    // Fast paths: ASCII, and the Arabic letters, marks and digits.
    if c.is_ascii() {
        return !c.is_ascii_alphanumeric() && !matches!(c, '-' | '_' | '\'' | '@' | '#');
    }
    if ('\u{0621}'..='\u{0669}').contains(&c) {
        return false;
    }
    !c.is_alphanumeric()
        && !matches!(
            c,
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '-' | '_' | '\'' | '@' | '#'
        )
}

/// The sentences of `text`, each a list of tokens.
pub fn sentences(text: &str) -> Vec<Vec<TextToken>> {
    let mut sentences = Vec::new();
    let mut current: Vec<TextToken> = Vec::new();
    let mut word_start: Option<usize> = None;
    let mut newlines = 0;
    let flush_word = |start: &mut Option<usize>, end: usize, current: &mut Vec<TextToken>| {
        if let Some(s) = start.take() {
            if s < end {
                current.push(TextToken { start: s, end });
            }
        }
    };
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            flush_word(&mut word_start, i, &mut current);
            if c == '\n' {
                newlines += 1;
                if newlines >= 2 && !current.is_empty() {
                    sentences.push(std::mem::take(&mut current));
                }
            }
            continue;
        }
        newlines = 0;
        if is_punctuation(c) {
            // A dot between digits or letters stays in the word (10.5, و.م.ع).
            let next = text[i + c.len_utf8()..].chars().next();
            let inner = c == '.' && word_start.is_some() && next.is_some_and(char::is_alphanumeric);
            if inner {
                continue;
            }
            flush_word(&mut word_start, i, &mut current);
            current.push(TextToken {
                start: i,
                end: i + c.len_utf8(),
            });
            // Two dots stand between the items of a list or the halves of a headline
            // (البرتغال.. سويسرا.. المجر): one dot or three end a sentence.
            let two_dots =
                c == '.' && (next == Some('.') || (text[..i].ends_with('.') && !text[..i - 1].ends_with('.')));
            if (matches!(c, '.' | '!' | '?' | '؟') && !two_dots) || current.len() >= MAX_SENTENCE_TOKENS {
                sentences.push(std::mem::take(&mut current));
            }
            continue;
        }
        if word_start.is_none() {
            word_start = Some(i);
        }
        if current.len() >= MAX_SENTENCE_TOKENS {
            sentences.push(std::mem::take(&mut current));
        }
    }
    flush_word(&mut word_start, text.len(), &mut current);
    if !current.is_empty() {
        sentences.push(current);
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_and_tokens() {
        let text = "قال بلينكن، في الرباط: «التعاون ممتاز». وأضاف 10.5% (و.م.ع)\n\nفقرة ثانية";
        let got: Vec<Vec<&str>> = sentences(text)
            .iter()
            .map(|s| s.iter().map(|t| &text[t.start..t.end]).collect())
            .collect();
        assert_eq!(
            got,
            [
                vec![
                    "قال",
                    "بلينكن",
                    "،",
                    "في",
                    "الرباط",
                    ":",
                    "«",
                    "التعاون",
                    "ممتاز",
                    "»",
                    "."
                ],
                vec!["وأضاف", "10.5", "%", "(", "و.م.ع", ")"],
                vec!["فقرة", "ثانية"],
            ]
        );
    }

    #[test]
    fn two_dots_do_not_end_a_sentence() {
        let cases: [(&str, usize); 4] = [
            ("المجموعة الثانية: البرتغال.. سويسرا.. المجر", 1),
            ("انتهى. ثم بدأ", 2),
            ("انتظر... ثم بدأ", 2),
            ("الهلال يفوز.. والنصر يتعادل. وفي مباراة أخرى", 2),
        ];
        for (text, n) in cases {
            assert_eq!(sentences(text).len(), n, "{text}");
        }
    }
}
