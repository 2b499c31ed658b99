//! The tagger: a structured averaged perceptron (Collins 2002) over BIO tags, decoded with
//! Viterbi under the BIO constraint (an `I-X` only after `B-X`/`I-X`).
//!
//! Chosen over a CRF for the same feature set because it trains in seconds on a CPU, has no
//! hyper-parameters beyond the epoch count, and its model is a plain weight table: a few MB
//! compressed, loaded in tens of milliseconds. File format (gzip): `AKNER1\n`, the tag count
//! (u32), the transition table ((tags+1)×tags f32), the feature count (u32), the weight scale
//! (f32), then per feature its hash (u64) and one i16 per tag; little-endian.

use crate::tags::{Tag, N_TAGS};
use rustc_hash::FxHashMap;
use std::io::{Read, Write};

pub(crate) type Row = [f32; N_TAGS];

/// A trained tagger.
#[derive(Debug, Clone)]
pub struct Model {
    weights: FxHashMap<u64, Row>,
    /// `transitions[previous][current]`; row `N_TAGS` is the sentence start.
    transitions: [Row; N_TAGS + 1],
}

/// A model file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("NER model: {0}")]
pub struct ModelError(String);

const MAGIC: &[u8] = b"AKNER1\n";

impl Default for Model {
    fn default() -> Model {
        Model {
            weights: FxHashMap::default(),
            transitions: [[0.0; N_TAGS]; N_TAGS + 1],
        }
    }
}

impl Model {
    /// Number of features with weights.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// True for an untrained model.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    fn scores(&self, features: &[u64]) -> Row {
        let mut row = [0.0; N_TAGS];
        for feature in features {
            if let Some(weights) = self.weights.get(feature) {
                for (score, weight) in row.iter_mut().zip(weights) {
                    *score += weight;
                }
            }
        }
        row
    }

    /// The best tag sequence for a sentence given each token's features.
    pub fn decode(&self, features: &[Vec<u64>]) -> Vec<Tag> {
        let emissions: Vec<Row> = features.iter().map(|f| self.scores(f)).collect();
        self.viterbi(&emissions)
    }

    /// The best tag sequence given each token's tag scores (its features' summed weights).
    pub(crate) fn viterbi(&self, emissions: &[Row]) -> Vec<Tag> {
        let n = emissions.len();
        if n == 0 {
            return Vec::new();
        }
        let mut best = vec![[f32::NEG_INFINITY; N_TAGS]; n];
        let mut back = vec![[0u8; N_TAGS]; n];
        for (i, emission) in emissions.iter().enumerate() {
            for current in 0..N_TAGS {
                let tag = Tag(current as u8);
                if i == 0 {
                    if tag.may_follow(Tag::O) {
                        best[0][current] = emission[current] + self.transitions[N_TAGS][current];
                    }
                    continue;
                }
                for previous in 0..N_TAGS {
                    if !tag.may_follow(Tag(previous as u8)) || best[i - 1][previous] == f32::NEG_INFINITY {
                        continue;
                    }
                    let score = best[i - 1][previous] + self.transitions[previous][current] + emission[current];
                    if score > best[i][current] {
                        best[i][current] = score;
                        back[i][current] = previous as u8;
                    }
                }
            }
        }
        let mut tag = (0..N_TAGS)
            .max_by(|&a, &b| best[n - 1][a].total_cmp(&best[n - 1][b]))
            .unwrap_or(0);
        let mut tags = vec![Tag::O; n];
        for i in (0..n).rev() {
            tags[i] = Tag(tag as u8);
            tag = usize::from(back[i][tag]);
        }
        tags
    }

    /// Makes every `O` cost `penalty` more (a transition into `O` is taken once per token
    /// tagged `O`): trades precision for recall without another field in the model file.
    pub fn penalize_outside(&mut self, penalty: f32) {
        for row in self.transitions.iter_mut() {
            row[Tag::O.index()] -= penalty;
        }
    }

    /// The model file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::with_capacity(self.weights.len() * (8 + 2 * N_TAGS) + 512);
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&(N_TAGS as u32).to_le_bytes());
        for row in &self.transitions {
            for w in row {
                raw.extend_from_slice(&w.to_le_bytes());
            }
        }
        let (scale, features) = self.quantized();
        raw.extend_from_slice(&(features.len() as u32).to_le_bytes());
        raw.extend_from_slice(&scale.to_le_bytes());
        for (hash, row) in features {
            raw.extend_from_slice(&hash.to_le_bytes());
            for w in row {
                raw.extend_from_slice(&w.to_le_bytes());
            }
        }
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        // Writing to a Vec cannot fail.
        let _ = encoder.write_all(&raw);
        encoder.finish().unwrap_or_default()
    }

    /// The weights as the model file keeps them: one scale, and per feature (in hash order)
    /// one `i16` per tag that times the scale gives its weight. A model read from a file
    /// gives back the file's numbers.
    pub(crate) fn quantized(&self) -> (f32, Vec<(u64, [i16; N_TAGS])>) {
        let max = self
            .weights
            .values()
            .flat_map(|r| r.iter())
            .fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / f32::from(i16::MAX) } else { 1.0 };
        let mut features: Vec<(u64, [i16; N_TAGS])> = self
            .weights
            .iter()
            .map(|(hash, row)| (*hash, row.map(|w| (w / scale).round() as i16)))
            .collect();
        features.sort_unstable_by_key(|(hash, _)| *hash);
        (scale, features)
    }

    /// The transitions alone (for a tagger that keeps the weights elsewhere).
    pub(crate) fn transitions_only(&self) -> Model {
        Model {
            weights: FxHashMap::default(),
            transitions: self.transitions,
        }
    }

    /// Reads a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(512 * 1024 * 1024)
            .read_to_end(&mut raw)
            .map_err(|e| ModelError(format!("not a gzip file: {e}")))?;
        let mut reader = Bytes { raw: &raw, at: 0 };
        if reader.take(MAGIC.len())? != MAGIC {
            return Err(ModelError("not an akhbar NER model".into()));
        }
        if reader.u32()? as usize != N_TAGS {
            return Err(ModelError("made for another tag set".into()));
        }
        let mut model = Model::default();
        for row in model.transitions.iter_mut() {
            for w in row.iter_mut() {
                *w = reader.f32()?;
            }
        }
        let count = reader.u32()? as usize;
        let scale = reader.f32()?;
        model.weights.reserve(count);
        for _ in 0..count {
            let hash = reader.u64()?;
            let mut row = [0.0; N_TAGS];
            for w in row.iter_mut() {
                *w = f32::from(reader.i16()?) * scale;
            }
            model.weights.insert(hash, row);
        }
        Ok(model)
    }
}

struct Bytes<'a> {
    raw: &'a [u8],
    at: usize,
}

impl Bytes<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], ModelError> {
        let slice = self
            .raw
            .get(self.at..self.at + n)
            .ok_or_else(|| ModelError(format!("truncated at byte {}", self.at)))?;
        self.at += n;
        Ok(slice)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.array()?))
    }
    fn i16(&mut self) -> Result<i16, ModelError> {
        Ok(i16::from_le_bytes(self.array()?))
    }
}

/// Trains a [`Model`]: call [`Trainer::learn`] on every sentence for a few epochs, then
/// [`Trainer::finish`] for the averaged weights.
#[derive(Debug, Default)]
pub struct Trainer {
    model: Model,
    /// Sum over updates of step × change, for averaging (Daumé's trick).
    totals: FxHashMap<u64, Row>,
    transition_totals: [Row; N_TAGS + 1],
    step: f32,
}

impl Trainer {
    /// A trainer with an empty model.
    pub fn new() -> Trainer {
        Trainer {
            step: 1.0,
            ..Trainer::default()
        }
    }

    /// Decodes one sentence and, when wrong, moves the weights towards the gold tags.
    /// Returns the number of tokens tagged right.
    pub fn learn(&mut self, features: &[Vec<u64>], gold: &[Tag]) -> usize {
        let predicted = self.model.decode(features);
        let right = predicted.iter().zip(gold).filter(|(p, g)| p == g).count();
        if right < gold.len() {
            let step = self.step;
            for (i, token_features) in features.iter().enumerate() {
                let (g, p) = (gold[i].index(), predicted[i].index());
                let (gp, pp) = if i == 0 {
                    (N_TAGS, N_TAGS)
                } else {
                    (gold[i - 1].index(), predicted[i - 1].index())
                };
                if g != p || gp != pp {
                    self.model.transitions[gp][g] += 1.0;
                    self.model.transitions[pp][p] -= 1.0;
                    self.transition_totals[gp][g] += step;
                    self.transition_totals[pp][p] -= step;
                }
                if g == p {
                    continue;
                }
                for feature in token_features {
                    let weights = self.model.weights.entry(*feature).or_insert([0.0; N_TAGS]);
                    weights[g] += 1.0;
                    weights[p] -= 1.0;
                    let totals = self.totals.entry(*feature).or_insert([0.0; N_TAGS]);
                    totals[g] += step;
                    totals[p] -= step;
                }
            }
        }
        self.step += 1.0;
        right
    }

    /// The averaged model so far (for development scores between epochs).
    pub fn snapshot(&self) -> Model {
        let copy = Trainer {
            model: self.model.clone(),
            totals: self.totals.clone(),
            transition_totals: self.transition_totals,
            step: self.step,
        };
        copy.finish(0.0)
    }

    /// The averaged model, without features whose weights all round to nothing.
    pub fn finish(self, min_weight: f32) -> Model {
        let step = self.step;
        let average = |w: &Row, t: &Row| -> Row {
            let mut out = [0.0; N_TAGS];
            for k in 0..N_TAGS {
                out[k] = w[k] - t[k] / step;
            }
            out
        };
        let mut model = Model::default();
        for (feature, weights) in &self.model.weights {
            let totals = self.totals.get(feature).copied().unwrap_or([0.0; N_TAGS]);
            let row = average(weights, &totals);
            if row.iter().any(|w| w.abs() >= min_weight) {
                model.weights.insert(*feature, row);
            }
        }
        for (k, row) in self.model.transitions.iter().enumerate() {
            model.transitions[k] = average(row, &self.transition_totals[k]);
        }
        model
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::Kind;

    #[test]
    fn learns_a_toy_language_and_round_trips() {
        // Feature 1 = "capitalized-like", 2 = "after a title word", 3 = plain word.
        let person = Tag::begin(Kind::Person);
        let inside = Tag::inside(Kind::Person);
        let sentences: Vec<(Vec<Vec<u64>>, Vec<Tag>)> = vec![
            (vec![vec![3], vec![1, 2], vec![1]], vec![Tag::O, person, inside]),
            (vec![vec![1, 2], vec![3], vec![3]], vec![person, Tag::O, Tag::O]),
            (vec![vec![3], vec![3]], vec![Tag::O, Tag::O]),
        ];
        let mut trainer = Trainer::new();
        for _ in 0..10 {
            for (features, gold) in &sentences {
                trainer.learn(features, gold);
            }
        }
        let model = trainer.finish(0.0);
        for (features, gold) in &sentences {
            assert_eq!(&model.decode(features), gold);
        }
        let loaded = Model::from_bytes(&model.to_bytes()).unwrap();
        for (features, gold) in &sentences {
            assert_eq!(&loaded.decode(features), gold);
        }
        assert!(Model::from_bytes(b"garbage").is_err());
        assert!(Model::from_bytes(&model.to_bytes()[..20]).is_err());
    }

    #[test]
    fn never_decodes_an_orphan_inside_tag() {
        let mut model = Model::default();
        model.weights.insert(7, {
            let mut row = [0.0; N_TAGS];
            row[Tag::inside(Kind::Location).index()] = 5.0;
            row
        });
        let tags = model.decode(&[vec![7], vec![7]]);
        assert!(tags[0].is_begin() || tags[0] == Tag::O, "{tags:?}");
    }
}
