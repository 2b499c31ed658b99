//! The analyzer as tantivy tokenizers: one for the normalized surface form, one for stems.
//!
//! akhbar indexes each text field twice: `surface` terms are the Match-level words (so an
//! exact word scores on both fields and ranks above a stem-only match), `stem` terms are the
//! light stems with stop words left out. Both keep the original byte offsets and the same
//! positions (a stop word still takes its position), so phrases and highlights line up.

use crate::analyzer::{Analyzer, Cache};
use tantivy_tokenizer_api::{Token, TokenStream, Tokenizer};

/// Which form a [`ArabicTokenizer`] emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermForm {
    /// The normalized word ([`crate::Token::norm`]); stop words included.
    Surface,
    /// The light stem ([`crate::Token::stem`]); stop words skipped.
    Stem,
}

/// A tantivy [`Tokenizer`] over [`Analyzer`].
///
/// ```
/// use akhbar_arabic::{Analyzer, ArabicTokenizer, TermForm};
/// use tantivy_tokenizer_api::{TokenStream, Tokenizer};
/// let mut tokenizer = ArabicTokenizer::new(Analyzer::default(), TermForm::Stem);
/// let mut stream = tokenizer.token_stream("والرباط في المغرب");
/// let mut terms = Vec::new();
/// while stream.advance() {
///     terms.push(stream.token().text.clone());
/// }
/// assert_eq!(terms, ["رباط", "مغرب"]);
/// ```
#[derive(Debug)]
pub struct ArabicTokenizer {
    analyzer: Analyzer,
    form: TermForm,
    cache: Cache,
    tokens: Vec<Token>,
}

impl Clone for ArabicTokenizer {
    fn clone(&self) -> Self {
        ArabicTokenizer::new(self.analyzer.clone(), self.form)
    }
}

impl ArabicTokenizer {
    /// A tokenizer emitting `form` terms.
    pub fn new(analyzer: Analyzer, form: TermForm) -> ArabicTokenizer {
        ArabicTokenizer {
            analyzer,
            form,
            cache: Cache::default(),
            tokens: Vec::new(),
        }
    }
}

/// The tokens of one text, handed out one by one.
pub struct ArabicTokenStream<'a> {
    tokens: &'a mut [Token],
    index: usize,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream<'a> {
        let form = self.form;
        let tokens = &mut self.tokens;
        // Tokens of earlier texts are reused, strings and all: no allocation per token once
        // the buffer has grown to the longest text.
        let mut len = 0usize;
        let mut position = 0usize;
        let mut push = |start: usize, end: usize, term: Option<&str>| {
            if let Some(term) = term.filter(|term| !term.is_empty()) {
                if let Some(token) = tokens.get_mut(len) {
                    token.offset_from = start;
                    token.offset_to = end;
                    token.position = position;
                    token.position_length = 1;
                    token.text.clear();
                    token.text.push_str(term);
                } else {
                    tokens.push(Token {
                        offset_from: start,
                        offset_to: end,
                        position,
                        text: term.to_string(),
                        position_length: 1,
                    });
                }
                len += 1;
            }
            position += 1;
        };
        match form {
            TermForm::Surface => self
                .analyzer
                .for_each_norm(text, |start, end, norm| push(start, end, Some(norm))),
            TermForm::Stem => self.analyzer.for_each(text, &mut self.cache, |t| {
                push(t.start, t.end, (!t.stop).then_some(t.stem))
            }),
        }
        ArabicTokenStream {
            tokens: &mut self.tokens[..len],
            index: usize::MAX,
        }
    }
}

impl TokenStream for ArabicTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.index = self.index.wrapping_add(1);
        self.index < self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(tokenizer: &mut ArabicTokenizer, text: &str) -> Vec<(String, usize, usize)> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            out.push((token.text.clone(), token.position, token.offset_from));
        }
        out
    }

    #[test]
    fn reused_tokens_carry_only_the_current_text() {
        let mut tokenizer = ArabicTokenizer::new(Analyzer::default(), TermForm::Stem);
        let long = terms(&mut tokenizer, "والرباط في المغرب وبحث بلينكن مع بوريطة");
        assert_eq!(long.len(), 5, "{long:?}"); // في and مع are stop words: no stem term
        let short = terms(&mut tokenizer, "الرباط");
        assert_eq!(short, [("رباط".to_string(), 0, 0)]);
        let surface = terms(
            &mut ArabicTokenizer::new(Analyzer::default(), TermForm::Surface),
            "في المغرب",
        );
        assert_eq!(surface, [("في".to_string(), 0, 0), ("المغرب".to_string(), 1, 5)]);
    }
}
