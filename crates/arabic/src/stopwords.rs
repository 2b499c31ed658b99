//! The stop-word list (`data/stopwords.txt`), normalized with the analyzer's own rules.

use rustc_hash::FxHashSet;

pub(crate) const STOPWORDS_TXT: &str = include_str!("../data/stopwords.txt");

/// Stop words at the Match level.
#[derive(Debug, Clone)]
pub struct StopWords {
    words: FxHashSet<Box<str>>,
}

impl StopWords {
    /// The embedded list.
    pub fn embedded() -> StopWords {
        StopWords::from_list(STOPWORDS_TXT)
    }

    /// A list from text, one word per line, `#` comments; words are normalized on load.
    pub fn from_list(text: &str) -> StopWords {
        let words = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|word| crate::normalize(word).into_boxed_str())
            .collect();
        StopWords { words }
    }

    /// True when the Match-level `norm` is a stop word.
    #[inline]
    pub fn contains(&self, norm: &str) -> bool {
        self.words.contains(norm)
    }

    /// Number of distinct normalized stop words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_is_sorted_and_unique() {
        let words: Vec<&str> = STOPWORDS_TXT
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let mut sorted = words.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(words, sorted, "data/stopwords.txt must be sorted without duplicates");
    }

    #[test]
    fn normalization_order_does_not_matter() {
        let stop = StopWords::embedded();
        for word in ["إلى", "الى", "إلي", "أن", "ان", "هذه", "هذة"] {
            assert!(stop.contains(&crate::normalize(word)), "{word}");
        }
        assert!(!stop.contains(&crate::normalize("المغرب")));
    }
}
