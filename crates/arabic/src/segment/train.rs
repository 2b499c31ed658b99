//! Learning the segmenter's model from a corpus.

use super::model::StemStats;
use super::{Segmenter, SegmenterModel, PREFIXES, SUFFIXES};
use crate::chars::TEH_MARBUTA;
use rustc_hash::FxHashMap;

/// The cost of each clitic piece, in nats; see [`SegmenterTrainer`].
pub(crate) const CLITIC_COST: f32 = 1.0;

/// Weight of a clitic sequence's rarity in its cost; see `clitic_costs`.
pub(crate) const CLITIC_RARITY_WEIGHT: f32 = 0.25;

/// Learns a [`SegmenterModel`] from the distinct words of a corpus.
///
/// Maximum likelihood over word tokens learns nothing useful here: keeping every word whole
/// ("memorizing") always explains a corpus best, and frequent fixed forms (بالنسبة، بحضور)
/// would never be cut. What marks a real stem is that it recurs under *many different*
/// clitics: حضور occurs as حضور، الحضور، بالحضور، للحضور، بحضور، حضورها…, while زير (in
/// وزير) occurs under almost none. So the model's evidence for a stem is the number of
/// distinct (proclitics, enclitic) combinations it is found with, counting every possible
/// reading of every word type seen at least `min_word_count` times. When a word is
/// segmented, its own combination is left out of that count (leave-one-out), so a word
/// cannot vouch for itself.
///
/// Every clitic costs `CLITIC_COST` (one nat): a reading that cuts one more clitic must
/// find its stem in about e ≈ 2.7 times as many combinations. Fitting per-clitic costs by EM
/// was tried and collapses to "never cut" (most word types carry no clitic), so the cost is
/// a single constant; the evaluation prints the sweep that backs the choice. Stems found in
/// fewer than two combinations are dropped.
#[derive(Debug, Default)]
pub struct SegmenterTrainer {
    words: FxHashMap<String, u64>,
}

impl SegmenterTrainer {
    /// An empty trainer.
    pub fn new() -> SegmenterTrainer {
        SegmenterTrainer::default()
    }

    /// Counts the Arabic words of `text`.
    pub fn add_text(&mut self, text: &str) {
        for span in crate::Spans::new(text) {
            if span.kind == crate::TokenKind::Arabic {
                let display = crate::normalize::fold_str(&text[span.start..span.end], crate::Level::Display);
                *self.words.entry(display).or_default() += 1;
            }
        }
    }

    /// Number of distinct words counted.
    pub fn n_words(&self) -> usize {
        self.words.len()
    }

    /// Builds the model; see the type's documentation.
    pub fn train(&self, min_word_count: u64, smoothing: f32, rounds: usize) -> SegmenterModel {
        let enumerator = Segmenter::new(SegmenterModel::untrained());
        let mut scratch = String::new();
        let mut raw = Vec::new();
        let mut words: Vec<(Vec<char>, Vec<char>, u64)> = self
            .words
            .iter()
            .filter(|(_, count)| **count >= min_word_count)
            .map(|(display, count)| {
                let key = crate::normalize::fold_str(display, crate::Level::Segment);
                (display.chars().collect(), key.chars().collect(), *count)
            })
            .collect();
        words.sort();
        words.retain(|(display, key, _)| enumerator.listed_pieces(display, key, &mut scratch).is_none());
        let mut combinations: FxHashMap<String, rustc_hash::FxHashSet<(u8, u8)>> = FxHashMap::default();
        let mut bare: rustc_hash::FxHashSet<String> = rustc_hash::FxHashSet::default();
        for (display, key, _) in &words {
            bare.insert(key.iter().collect());
            enumerator.readings(display, key, true, &mut raw);
            for (prefix, suffix, stem, _) in raw.drain(..) {
                combinations.entry(stem).or_default().insert((prefix, suffix));
            }
        }
        let mut model = SegmenterModel::new(
            PREFIXES.iter().map(|p| CLITIC_COST * p.pieces.len() as f32).collect(),
            SUFFIXES
                .iter()
                .map(|s| if s.is_empty() { 0.0 } else { CLITIC_COST })
                .collect(),
            to_stats(combinations, &bare),
            smoothing,
        );
        // Sharpen: count each word's combination only under the stem the current model
        // chooses for it, so stems that were merely *possible* readings (ونغ in كونغ) lose
        // the support they never had.
        for round in 0..rounds {
            let segmenter = Segmenter::new(model.clone());
            let mut combinations: FxHashMap<String, rustc_hash::FxHashSet<(u8, u8)>> = FxHashMap::default();
            let mut prefix_tokens = vec![1.0f64; PREFIXES.len()];
            let mut suffix_tokens = vec![1.0f64; SUFFIXES.len()];
            for (display, key, count) in &words {
                let seg = segmenter.segment(display, key, false, &mut scratch);
                let range = seg.stem_range(key.len());
                let mut stem: String = key[range].iter().collect();
                if seg.restored_teh_marbuta {
                    stem.pop();
                    stem.push(TEH_MARBUTA);
                }
                combinations.entry(stem).or_default().insert((seg.prefix, seg.suffix));
                prefix_tokens[usize::from(seg.prefix)] += *count as f64;
                suffix_tokens[usize::from(seg.suffix)] += *count as f64;
            }
            model.set_stems(to_stats(combinations, &bare));
            if round + 1 == rounds {
                model.prefix_cost = clitic_costs(&prefix_tokens, |i| {
                    PREFIXES[i].pieces.iter().filter(|p| **p != "ال").count()
                });
                model.suffix_cost = clitic_costs(&suffix_tokens, |i| usize::from(i > 0));
            }
        }
        model
    }
}

/// Costs of the clitic sequences from how often the model chose them in the corpus:
/// `CLITIC_COST` per piece (the article is free: it is cut by rule), plus `CLITIC_RARITY_WEIGHT` × ln(how much rarer the sequence is
/// than the most frequent sequence with the same number of pieces). So `ه` (his) costs one
/// nat and `كن` (your, feminine plural), a thousand times rarer in news, costs several.
fn clitic_costs(tokens: &[f64], n_pieces: impl Fn(usize) -> usize) -> Vec<f32> {
    let most_frequent = |pieces: usize| {
        (0..tokens.len())
            .filter(|&i| n_pieces(i) == pieces)
            .map(|i| tokens[i])
            .fold(1.0f64, f64::max)
    };
    (0..tokens.len())
        .map(|i| {
            let pieces = n_pieces(i);
            if pieces == 0 {
                return 0.0;
            }
            let rarity = (most_frequent(pieces) / tokens[i]).ln() as f32;
            CLITIC_COST * pieces as f32 + CLITIC_RARITY_WEIGHT * rarity
        })
        .collect()
}

fn to_stats(
    combinations: FxHashMap<String, rustc_hash::FxHashSet<(u8, u8)>>,
    bare: &rustc_hash::FxHashSet<String>,
) -> FxHashMap<Box<str>, StemStats> {
    combinations
        .into_iter()
        .filter(|(_, set)| set.len() >= 2)
        .map(|(stem, set)| {
            let is_bare = bare.contains(&stem);
            (
                stem.into_boxed_str(),
                StemStats {
                    combinations: (set.len() as f32).min(super::model::MAX_COMBINATIONS),
                    bare: is_bare,
                },
            )
        })
        .collect()
}
