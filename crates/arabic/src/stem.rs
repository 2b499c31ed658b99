//! Light stemming of a segmented stem: inflectional endings off, the rest left alone.
//!
//! Applied to the stem the [`Segmenter`](crate::Segmenter) leaves, at the Match level (so
//! `ة` is already `ه`). At most one ending of each group is removed, longest first, and only
//! when at least three letters remain:
//!
//! | group | endings | example |
//! |---|---|---|
//! | plural | `ات` `ون` `ين` | `ولايات` → `ولاي`, `مسؤولين` → `مسءول` |
//! | feminine, nisba, accusative | `يه` `ه` `ي` `ا` | `مغربيه` → `مغرب`, `ولايه` → `ولا`, `اتفاقا` → `اتفاق` |
//!
//! Broken plurals and verb inflection are left as they are: a light stemmer that guesses
//! roots merges too many unrelated words for search. The dual `ان` is not removed either,
//! since in news it ends far more names (لبنان، إيران، سلمان) than duals.

/// The endings of each group, longest first within a group.
const GROUPS: [&[&str]; 2] = [&["ات", "ون", "ين"], &["يه", "ه", "ي", "ا"]];

/// Letters that must remain after an ending is removed.
const MIN_STEM_CHARS: usize = 3;

/// Removes inflectional endings; see the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stemmer;

impl Stemmer {
    /// Stems a Match-level word into `out` (cleared first).
    ///
    /// ```
    /// let mut out = String::new();
    /// akhbar_arabic::Stemmer.stem_into("مغربيه", &mut out);
    /// assert_eq!(out, "مغرب");
    /// ```
    pub fn stem_into(&self, word: &str, out: &mut String) {
        out.clear();
        out.push_str(word);
        for group in GROUPS {
            for ending in group {
                if out.ends_with(ending) && out.chars().count() >= MIN_STEM_CHARS + ending.chars().count() {
                    out.truncate(out.len() - ending.len());
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(word: &str, expected: &str) {
        let mut out = String::new();
        Stemmer.stem_into(word, &mut out);
        assert_eq!(out, expected, "word {word:?}");
    }

    #[test]
    fn table() {
        check("ولايات", "ولا"); // plural -at, then the yeh
        check("مسءولون", "مسءول"); // plural -un
        check("مسءولين", "مسءول"); // plural -in
        check("مغربيه", "مغرب"); // nisba + feminine
        check("ولايه", "ولا"); // -iyya
        check("مغربي", "مغرب"); // nisba
        check("اقتصاديات", "اقتصاد"); // -at then nisba
        check("لبنان", "لبنان"); // -an is kept
        check("صين", "صين"); // too short to strip
        check("رباط", "رباط");
        check("اتفاقا", "اتفاق"); // indefinite accusative written without its tanween
        check("امريكا", "امريك"); // names lose a final alef too, consistently
        check("blinken", "blinken");
    }
}
