//! Both passes of [`crate::Recognizer`] scored fast, with the tags the models give.
//!
//! The weights of the two passes sit in one table, as the integers the model files keep them
//! in (a scale per pass times an `i16`): a token's scores are exact integer sums, so the
//! order features are added in does not matter, and what a token contributes by itself (its
//! own forms) and to its neighbours (as the word before, after…) is summed once per word and
//! kept with the word's forms ([`crate::NameForms`] remembers recent words per thread). Per token, only the features of its place in the sentence
//! (pairs of words, gazetteer and word-list evidence, quotations) are hashed and looked up.

use crate::document;
use crate::features::{neighbour_features, token_features, Sentence, NEIGHBOURS};
use crate::model::{Model, Row};
use crate::names::TokenForms;
use crate::tags::{Tag, N_TAGS};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// A token's scores in both passes, in units of each pass's scale.
type Scores = [[i32; N_TAGS]; 2];

const ZERO: Scores = [[0; N_TAGS]; 2];

/// Two models (the passes) whose weights sit in one table, so that the features both read
/// are looked up once.
#[derive(Debug, Clone)]
pub(crate) struct Stacked {
    weights: FxHashMap<u64, [[i16; N_TAGS]; 2]>,
    scales: [f32; 2],
    /// What a missing neighbour (past the sentence's edge) contributes, per [`NEIGHBOURS`].
    edges: [Scores; 4],
    first: Model,
    second: Model,
    /// Tells this table's cached sums from another's.
    id: u64,
}

/// What one word contributes wherever it stands: to its own scores, and to the scores of the
/// token it is a neighbour of (per [`NEIGHBOURS`]: the word two before it, one before…).
#[derive(Debug, Clone)]
struct WordScores {
    own: Scores,
    as_neighbour: [Scores; 4],
}

/// A word's [`WordScores`] for one tagger (the first that asks), kept in its
/// [`TokenForms`]: computed once per word while the word's forms are remembered.
#[derive(Debug, Default)]
pub(crate) struct ScoreSlot(OnceCell<(u64, Box<WordScores>)>);

/// A copy of a word's forms weighs anew.
impl Clone for ScoreSlot {
    fn clone(&self) -> ScoreSlot {
        ScoreSlot::default()
    }
}

/// Weights are not part of what a word's forms are.
impl PartialEq for ScoreSlot {
    fn eq(&self, _: &ScoreSlot) -> bool {
        true
    }
}

impl Eq for ScoreSlot {}

impl Stacked {
    pub(crate) fn new(first: Model, second: Model) -> Stacked {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let mut weights: FxHashMap<u64, [[i16; N_TAGS]; 2]> = FxHashMap::default();
        let mut scales = [1.0; 2];
        for (k, model) in [&first, &second].into_iter().enumerate() {
            let (scale, features) = model.quantized();
            scales[k] = scale;
            weights.reserve(features.len());
            for (feature, row) in features {
                weights.entry(feature).or_insert([[0; N_TAGS]; 2])[k] = row;
            }
        }
        let mut stacked = Stacked {
            weights,
            scales,
            edges: [ZERO; 4],
            first: first.transitions_only(),
            second: second.transitions_only(),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        };
        let mut features = Vec::new();
        for (k, offset) in NEIGHBOURS.into_iter().enumerate() {
            features.clear();
            neighbour_features(None, offset, &mut features);
            stacked.edges[k] = stacked.sum(&features);
        }
        stacked
    }

    fn add(&self, features: &[u64], scores: &mut Scores) {
        for feature in features {
            if let Some(weights) = self.weights.get(feature) {
                for (pass, w) in scores.iter_mut().zip(weights) {
                    for (score, weight) in pass.iter_mut().zip(w) {
                        *score += i32::from(*weight);
                    }
                }
            }
        }
    }

    fn sum(&self, features: &[u64]) -> Scores {
        let mut scores = ZERO;
        self.add(features, &mut scores);
        scores
    }

    fn word_scores(&self, forms: &TokenForms, features: &mut Vec<u64>) -> WordScores {
        features.clear();
        token_features(forms, features);
        let own = self.sum(features);
        let mut as_neighbour = [ZERO; 4];
        for (k, offset) in NEIGHBOURS.into_iter().enumerate() {
            features.clear();
            // This word is the neighbour at `offset` of the token `offset` places away
            // from it, on the other side.
            neighbour_features(Some(forms), offset, features);
            as_neighbour[k] = self.sum(features);
        }
        WordScores { own, as_neighbour }
    }

    /// A word's sums: kept in its forms for this tagger, computed anew for another.
    fn cached<'a>(&self, forms: &'a TokenForms, features: &mut Vec<u64>) -> Cow<'a, WordScores> {
        let (id, scores) = forms
            .scores
            .0
            .get_or_init(|| (self.id, Box::new(self.word_scores(forms, features))));
        if *id == self.id {
            Cow::Borrowed(scores)
        } else {
            Cow::Owned(self.word_scores(forms, features))
        }
    }

    /// Both passes' scores of each token of a sentence from the first pass's features.
    fn sentence_scores(&self, sentence: &Sentence, features: &mut Vec<u64>) -> Vec<Scores> {
        let n = sentence.len();
        let mut scores = vec![ZERO; n];
        for (j, forms) in sentence.forms.iter().enumerate() {
            let word = self.cached(forms, features);
            add_scores(&mut scores[j], &word.own);
            for (k, offset) in NEIGHBOURS.into_iter().enumerate() {
                // Token `i` has this word at `offset`: i + offset = j.
                if let Some(i) = j.checked_add_signed(-offset).filter(|&i| i < n) {
                    add_scores(&mut scores[i], &word.as_neighbour[k]);
                }
            }
        }
        for (i, token) in scores.iter_mut().enumerate() {
            for (k, offset) in NEIGHBOURS.into_iter().enumerate() {
                if i.checked_add_signed(offset).filter(|&j| j < n).is_none() {
                    add_scores(token, &self.edges[k]);
                }
            }
            features.clear();
            sentence.context_features(i, features);
            self.add(features, token);
        }
        scores
    }

    /// Tags a document's sentences with both passes: the first pass's tags, then the second
    /// pass's from the same features plus the document features those tags give.
    pub(crate) fn tag(&self, sentences: &[Sentence]) -> Vec<Vec<Tag>> {
        let mut features = Vec::with_capacity(64);
        let mut scores: Vec<Vec<Scores>> = sentences
            .iter()
            .map(|sentence| self.sentence_scores(sentence, &mut features))
            .collect();
        let first: Vec<Vec<Tag>> = scores.iter().map(|s| self.first.viterbi(&self.rows(s, 0))).collect();
        document::for_each_feature(sentences, &first, |s, i, feature| {
            if let Some(weights) = self.weights.get(&feature) {
                for (score, weight) in scores[s][i][1].iter_mut().zip(&weights[1]) {
                    *score += i32::from(*weight);
                }
            }
        });
        scores.iter().map(|s| self.second.viterbi(&self.rows(s, 1))).collect()
    }

    /// The scores of one pass as weights.
    fn rows(&self, scores: &[Scores], pass: usize) -> Vec<Row> {
        let scale = self.scales[pass];
        scores.iter().map(|s| s[pass].map(|v| v as f32 * scale)).collect()
    }
}

fn add_scores(total: &mut Scores, more: &Scores) {
    for (pass, more) in total.iter_mut().zip(more) {
        for (score, m) in pass.iter_mut().zip(more) {
            *score += m;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_sums_equal_the_sums_of_every_feature() {
        // The fast path against the plain one: every token's first-pass features (as training
        // sees them) summed in the same integers.
        let recognizer = crate::Recognizer::embedded().unwrap();
        let crate::Passes::Both(stacked) = &recognizer.passes else {
            panic!("the embedded recognizer has both passes");
        };
        let text = format!(
            "{}\n«حوار» مع الرئيس محمد بن سلمان في ‹جدة› أمس.",
            include_str!("../../../testdata/articles/seed-article.txt")
        );
        let mut buffer = Vec::new();
        let mut tokens = 0;
        for sentence in crate::sentences(&text) {
            let words: Vec<&str> = sentence.iter().map(|t| &text[t.start..t.end]).collect();
            let prepared = Sentence::prepare(&words, recognizer.forms(), crate::Gazetteer::embedded());
            // Twice: the second time from the cache.
            for _ in 0..2 {
                let fast = stacked.sentence_scores(&prepared, &mut buffer);
                for (i, scores) in fast.iter().enumerate() {
                    let mut all = Vec::new();
                    prepared.features(i, &mut all);
                    assert_eq!(*scores, stacked.sum(&all), "token {i} of {words:?}");
                    tokens += 1;
                }
            }
        }
        assert!(tokens > 200, "{tokens}");
    }
}
