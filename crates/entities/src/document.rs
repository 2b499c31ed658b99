//! The second pass: features that say how the first pass tagged the same name elsewhere in
//! the document (Krishnan & Manning 2006, "label consistency"). An article names a company
//! after "شركة" once and bare ten times after; a person in full once and by the family name
//! after: the first pass gets the clear mentions right, and the second pass carries their
//! types to the bare ones.
//!
//! The document is the sentences within [`WINDOW`] of the token's: a whole article, or a
//! stretch of a corpus given as one stream of sentences without article boundaries.

use crate::features::{hash_parts, Sentence};
use crate::tags::{spans, Kind, Tag};
use rustc_hash::FxHashMap;

/// Sentences on each side whose first-pass tags count as the same document.
pub const WINDOW: usize = 25;

/// Other occurrences looked at per token, nearest sentences first (bounds the cost for words
/// that occur in every sentence).
const MAX_OTHERS: usize = 100;

/// Where a token sits in a first-pass entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Single,
    First,
    Middle,
    Last,
}

impl Role {
    fn code(self) -> &'static [u8] {
        match self {
            Role::Single => b"s",
            Role::First => b"f",
            Role::Middle => b"m",
            Role::Last => b"l",
        }
    }
}

/// A token's first-pass reading: its entity type and role, `None` outside entities.
type Reading = Option<(Kind, Role)>;

fn readings(tags: &[Tag]) -> Vec<Reading> {
    let mut out = vec![None; tags.len()];
    for (start, end, kind) in spans(tags) {
        for (i, slot) in out.iter_mut().enumerate().take(end).skip(start) {
            let role = match (i == start, i + 1 == end) {
                (true, true) => Role::Single,
                (true, false) => Role::First,
                (false, true) => Role::Last,
                (false, false) => Role::Middle,
            };
            *slot = Some((kind, role));
        }
    }
    out
}

/// The document features of every token of `sentences` (indexed like them), given the first
/// pass's tags: what the second pass reads besides the first pass's features.
pub(crate) fn features(sentences: &[Sentence], first_pass: &[Vec<Tag>]) -> Vec<Vec<Vec<u64>>> {
    let mut features: Vec<Vec<Vec<u64>>> = first_pass.iter().map(|tags| vec![Vec::new(); tags.len()]).collect();
    for_each_feature(sentences, first_pass, |s, i, feature| features[s][i].push(feature));
    features
}

/// Calls `emit(sentence, token, feature)` for each document feature of each token of
/// `sentences`, given the first pass's tags (the tagger adds their weights as they come,
/// without collecting them).
pub(crate) fn for_each_feature(
    sentences: &[Sentence],
    first_pass: &[Vec<Tag>],
    mut emit: impl FnMut(usize, usize, u64),
) {
    let readings: Vec<Vec<Reading>> = first_pass.iter().map(|tags| readings(tags)).collect();
    // Occurrences of each name form, in document order: (sentence, token).
    let mut occurrences: FxHashMap<&str, Vec<(usize, usize)>> = FxHashMap::default();
    for (s, sentence) in sentences.iter().enumerate() {
        for (i, forms) in sentence.forms.iter().enumerate() {
            if matches!(forms.shape, 'A' | 'L') && forms.name.chars().nth(1).is_some() {
                occurrences.entry(forms.name.as_str()).or_default().push((s, i));
            }
        }
    }
    let tag_code = |tag: Option<&Tag>| -> [u8; 1] { [tag.map_or(b'^', |t| b'0' + t.0)] };
    for (s, tags) in first_pass.iter().enumerate() {
        for (i, tag) in tags.iter().enumerate() {
            let own = tag_code(Some(tag));
            let previous = tag_code(i.checked_sub(1).and_then(|j| tags.get(j)));
            let next = tag_code(tags.get(i + 1));
            emit(s, i, hash_parts(80, &[&own]));
            emit(s, i, hash_parts(81, &[&previous, b"|", &own]));
            emit(s, i, hash_parts(82, &[&own, b"|", &next]));
        }
    }
    let mut roles: Vec<(Kind, Role)> = Vec::new();
    for list in occurrences.values() {
        for (k, &(s, i)) in list.iter().enumerate() {
            let low = list.partition_point(|o| o.0 + WINDOW < s);
            let high = list.partition_point(|o| o.0 <= s + WINDOW);
            let mut per_kind = [0usize; 4];
            let mut outside = 0usize;
            roles.clear();
            // Nearest first: walk outwards from the token's own place, at most MAX_OTHERS
            // steps (a word repeated through a huge text costs no more per occurrence).
            let (mut before, mut after) = (k, k + 1);
            for _ in 0..MAX_OTHERS {
                let take_before = match (before > low, after < high) {
                    (true, true) => s - list[before - 1].0 <= list[after].0 - s,
                    (true, false) => true,
                    (false, true) => false,
                    (false, false) => break,
                };
                let (s2, i2) = if take_before {
                    before -= 1;
                    list[before]
                } else {
                    after += 1;
                    list[after - 1]
                };
                match readings[s2][i2] {
                    Some((kind, role)) => {
                        per_kind[kind_index(kind)] += 1;
                        if !roles.contains(&(kind, role)) {
                            roles.push((kind, role));
                        }
                    }
                    None => outside += 1,
                }
            }
            let mut out = |feature: u64| emit(s, i, feature);
            let named: usize = per_kind.iter().sum();
            if named + outside == 0 {
                out(hash_parts(83, &[b"alone"]));
                continue;
            }
            let own = tag_code(first_pass[s].get(i));
            if named == 0 {
                out(hash_parts(83, &[b"never"]));
                out(hash_parts(86, &[b"never|", &own]));
                continue;
            }
            for (kind, &count) in Kind::ALL.iter().zip(&per_kind) {
                if count > 0 {
                    let bucket: &[u8] = match count {
                        1 => b"1",
                        2 => b"2",
                        _ => b"3+",
                    };
                    out(hash_parts(84, &[kind.code().as_bytes(), b"|", bucket]));
                }
            }
            let (best, &best_count) = per_kind.iter().enumerate().max_by_key(|(_, c)| **c).unwrap_or((0, &0));
            let best = Kind::ALL[best].code().as_bytes();
            let share: &[u8] = if best_count * 2 > named + outside {
                b"most"
            } else {
                b"some"
            };
            out(hash_parts(83, &[best, b"|", share]));
            out(hash_parts(86, &[best, b"|", share, b"|", &own]));
            for &(kind, role) in &roles {
                out(hash_parts(85, &[kind.code().as_bytes(), b"|", role.code()]));
            }
        }
    }
}

fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_repeated_through_a_huge_text_costs_little() {
        // 500 sentences of 200 copies of one name: every occurrence has 10,000 others
        // within the window, of which only the nearest MAX_OTHERS are read.
        let recognizer = crate::Recognizer::embedded().unwrap();
        let sentence = vec!["كارنوفيا"; 200];
        let sentences = vec![sentence; 500];
        let started = std::time::Instant::now();
        let tags = recognizer.tag_document(&sentences);
        assert_eq!(tags.len(), 500);
        assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    }

    #[test]
    fn readings_name_each_tokens_role() {
        let person = Tag::begin(Kind::Person);
        let inside = Tag::inside(Kind::Person);
        let place = Tag::begin(Kind::Location);
        let tags = [person, inside, inside, Tag::O, place, person];
        assert_eq!(
            readings(&tags),
            [
                Some((Kind::Person, Role::First)),
                Some((Kind::Person, Role::Middle)),
                Some((Kind::Person, Role::Last)),
                None,
                Some((Kind::Location, Role::Single)),
                Some((Kind::Person, Role::Single)),
            ]
        );
    }
}
