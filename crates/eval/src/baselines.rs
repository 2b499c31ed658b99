//! Baseline analyzers implemented in the same harness, for side-by-side figures:
//! plain tokens (tantivy's default), Lucene's ArabicAnalyzer chain (light10-style normalizer
//! and stemmer, stop words removed before normalization), and Snowball Arabic.

use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer};

/// tantivy's default: split on non-alphanumerics, lowercase.
pub fn plain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// tantivy's default plus the Snowball Arabic stemmer (rust-stemmers).
pub fn snowball() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Arabic))
        .build()
}

/// Lucene's ArabicAnalyzer, re-implemented: stop words (as written), then normalization,
/// then the light stemmer.
pub fn lucene() -> TextAnalyzer {
    TextAnalyzer::from(LuceneArabic::default())
}

const STOPWORDS: &str = include_str!("../../arabic/data/stopwords.txt");
const PREFIXES: [&str; 7] = ["ال", "وال", "بال", "كال", "فال", "لل", "و"];
const SUFFIXES: [&str; 10] = ["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"];

#[derive(Clone, Default)]
pub struct LuceneArabic {
    tokens: Vec<Token>,
}

pub struct VecStream<'a> {
    tokens: &'a [Token],
    index: usize,
}

impl TokenStream for VecStream<'_> {
    fn advance(&mut self) -> bool {
        self.index = self.index.wrapping_add(1);
        self.index < self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.index]
    }
    fn token_mut(&mut self) -> &mut Token {
        unreachable!("the evaluation never edits tokens")
    }
}

fn normalize_lucene(word: &str) -> String {
    word.chars()
        .filter_map(|c| match c {
            'آ' | 'أ' | 'إ' => Some('ا'),
            'ى' => Some('ي'),
            'ة' => Some('ه'),
            'ـ' | '\u{064B}'..='\u{0652}' => None,
            _ => Some(c),
        })
        .collect()
}

fn stem_lucene(word: &str) -> String {
    let mut word = word.to_string();
    let len = |s: &str| s.chars().count();
    for prefix in PREFIXES {
        let min = if prefix == "و" { 3 } else { len(prefix) + 2 };
        if word.starts_with(prefix) && len(&word) >= min.max(len(prefix) + 2) {
            word = word[prefix.len()..].to_string();
            break;
        }
    }
    for suffix in SUFFIXES {
        if word.ends_with(suffix) && len(&word) >= len(suffix) + 2 {
            word.truncate(word.len() - suffix.len());
        }
    }
    word
}

impl Tokenizer for LuceneArabic {
    type TokenStream<'a> = VecStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream<'a> {
        thread_local! {
            static STOP: std::collections::HashSet<&'static str> =
                STOPWORDS.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
        }
        self.tokens.clear();
        let mut simple = SimpleTokenizer::default();
        let mut stream = simple.token_stream(text);
        let mut position = 0;
        while stream.advance() {
            let token = stream.token();
            let lower = token.text.to_lowercase();
            if STOP.with(|s| s.contains(lower.as_str())) {
                position += 1;
                continue;
            }
            let stemmed = stem_lucene(&normalize_lucene(&lower));
            self.tokens.push(Token {
                offset_from: token.offset_from,
                offset_to: token.offset_to,
                position,
                text: stemmed,
                position_length: 1,
            });
            position += 1;
        }
        VecStream {
            tokens: &self.tokens,
            index: usize::MAX,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn light10_examples() {
        for (word, stem) in [
            ("والمدرسة", "مدرس"),
            ("بالصبر", "صبر"),
            ("فقال", "فقال"),
            ("كتابهم", "كتابهم"),
            ("المعلمون", "معلم"),
        ] {
            assert_eq!(stem_lucene(&normalize_lucene(word)), stem, "{word}");
        }
    }
}
