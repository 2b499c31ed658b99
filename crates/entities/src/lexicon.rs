//! Word lists the tagger reads as features: given names (`data/gazetteer/given_names.txt`)
//! and trigger words that announce a name of some type before or after them
//! (`data/gazetteer/triggers.tsv`: الرئيس before a person, شركة before an organization).
//! They are evidence, not entities: a given name is not an entity by itself.

use crate::names::NameForms;
use crate::tags::Kind;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::LazyLock;

const GIVEN_NAMES: &str = include_str!("../data/gazetteer/given_names.txt");
const TRIGGERS: &str = include_str!("../data/gazetteer/triggers.tsv");

/// Whether a trigger word comes before or after the name it announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// الرئيس X
    Before,
    /// X القابضة
    After,
}

/// A line of a word list that cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{file}:{line}: {reason}")]
pub struct LexiconError {
    file: &'static str,
    line: usize,
    reason: String,
}

/// The word lists, keyed by the tagger's name form of the word (normalized, without a
/// leading conjunction or preposition).
#[derive(Debug, Default)]
pub struct Lexicon {
    given: FxHashSet<String>,
    triggers: FxHashMap<String, Vec<(Kind, Side)>>,
}

static EMBEDDED: LazyLock<Lexicon> = LazyLock::new(|| {
    // The embedded files are checked by a test; a bad line is skipped here.
    let (lexicon, _errors) = Lexicon::parse(GIVEN_NAMES, TRIGGERS);
    lexicon
});

impl Lexicon {
    /// The compiled-in lists.
    pub fn embedded() -> &'static Lexicon {
        &EMBEDDED
    }

    /// Reads the two lists; bad lines are reported and left out.
    pub fn parse(given_names: &str, triggers: &str) -> (Lexicon, Vec<LexiconError>) {
        let forms = NameForms::default();
        let key = |word: &str| forms.token(word).name.clone();
        let mut lexicon = Lexicon::default();
        let mut errors = Vec::new();
        for (n, line) in numbered(given_names) {
            let word = line.trim();
            if word.contains(char::is_whitespace) {
                errors.push(LexiconError {
                    file: "given_names.txt",
                    line: n,
                    reason: "one word per line".into(),
                });
                continue;
            }
            lexicon.given.insert(key(word));
        }
        for (n, line) in numbered(triggers) {
            let error = |reason: String| LexiconError {
                file: "triggers.tsv",
                line: n,
                reason,
            };
            let columns: Vec<&str> = line.split('\t').map(str::trim).collect();
            let [word, kind, side] = columns[..] else {
                errors.push(error(format!("{} columns, expected 3", columns.len())));
                continue;
            };
            let Some(kind) = Kind::parse(kind) else {
                errors.push(error(format!("unknown type {kind:?}")));
                continue;
            };
            let side = match side {
                "before" => Side::Before,
                "after" => Side::After,
                other => {
                    errors.push(error(format!("side {other:?}: before or after")));
                    continue;
                }
            };
            let entry = lexicon.triggers.entry(key(word)).or_default();
            if !entry.contains(&(kind, side)) {
                entry.push((kind, side));
            }
        }
        (lexicon, errors)
    }

    /// Whether a name form is a known given name.
    pub fn is_given_name(&self, name: &str) -> bool {
        self.given.contains(name)
    }

    /// The types a name form announces, and on which side.
    pub fn triggers(&self, name: &str) -> &[(Kind, Side)] {
        self.triggers.get(name).map_or(&[], Vec::as_slice)
    }
}

/// Non-empty, non-comment lines with their 1-based numbers.
fn numbered(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, l)| (n + 1, l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lists_are_well_formed_and_read_through_clitics() {
        let (lexicon, errors) = Lexicon::parse(GIVEN_NAMES, TRIGGERS);
        assert_eq!(errors, []);
        assert!(lexicon.given.len() > 1000, "{}", lexicon.given.len());
        let forms = NameForms::default();
        let name = |w: &str| forms.token(w).name.clone();
        assert!(lexicon.is_given_name(&name("أنتوني")));
        assert!(lexicon.is_given_name(&name("وانتوني")), "hamza and clitic");
        assert!(!lexicon.is_given_name(&name("الحكومة")));
        assert!(lexicon
            .triggers(&name("والرئيس"))
            .contains(&(Kind::Person, Side::Before)));
        assert!(lexicon
            .triggers(&name("شركة"))
            .contains(&(Kind::Organization, Side::Before)));
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let (lexicon, errors) = Lexicon::parse(
            "# c\nجون\nجون سميث\n",
            "شركة\tORG\tbefore\nمدينة\tLOC\nقرية\tTOWN\tbefore\n",
        );
        assert!(lexicon.is_given_name("جون"));
        let texts: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            [
                "given_names.txt:3: one word per line",
                "triggers.tsv:2: 2 columns, expected 3",
                "triggers.tsv:3: unknown type \"TOWN\"",
            ]
        );
    }
}
