//! The segmenter's data: the learned model (`data/segmenter.tsv`) and the function-word list
//! (`data/clitic_words.tsv`), their parsing and writing.

use super::{PREFIXES, SUFFIXES};
use rustc_hash::FxHashMap;
use std::fmt::Write as _;

/// A word listed in `data/clitic_words.tsv`.
#[derive(Debug, Clone)]
pub(crate) enum Listed {
    /// Never cut.
    Whole,
    /// Cut into these pieces (written as in the file).
    Pieces(Box<[Box<str>]>),
}

/// What the model knows of a stem.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StemStats {
    /// In how many distinct clitic combinations the stem occurs in the training corpus.
    pub(crate) combinations: f32,
    /// The stem occurs as a word of its own (so its own combination is among them).
    pub(crate) bare: bool,
}

/// The learned costs behind [`Segmenter`](crate::Segmenter).
#[derive(Debug, Clone)]
pub struct SegmenterModel {
    pub(crate) prefix_cost: Vec<f32>,
    pub(crate) suffix_cost: Vec<f32>,
    /// The stems by text: the model's content, written out by [`SegmenterModel::to_tsv`].
    stems: FxHashMap<Box<str>, StemStats>,
    /// The same stems for lookups ([`StemTable`]), rebuilt whenever `stems` changes.
    table: StemTable,
    pub(crate) smoothing: f32,
}

/// The stems' statistics in one flat open-addressing table of 8-byte slots: a 47-bit hash
/// check, the `bare` bit and the combination count. Segmenting a new word looks up a dozen
/// candidate stems, nearly all unknown; a lookup here reads one cache line of a table of
/// 512 KB for the shipped model's 44,000 stems, where a general hash map (about 2.5 MB with
/// its boxed keys) read a control group, an entry and the key's heap text.
///
/// Two stems whose 128-bit hashes agree in the slot bits and the 47 check bits would share
/// a slot; with 44,000 stems the chance of that, or of an unknown word taken for a stem,
/// is below one in a billion per lookup.
#[derive(Debug, Clone, Default)]
struct StemTable {
    slots: Box<[u64]>,
}

const COUNT_BITS: u32 = 16;
const BARE_BIT: u64 = 1 << COUNT_BITS;
const CHECK_SHIFT: u32 = COUNT_BITS + 1;

impl StemTable {
    fn build(stems: &FxHashMap<Box<str>, StemStats>) -> StemTable {
        let size = (stems.len() + stems.len() / 4).max(16).next_power_of_two();
        let mut slots = vec![0u64; size].into_boxed_slice();
        let mask = size - 1;
        for (stem, stats) in stems {
            let (check, mut i) = Self::hash(stem, mask);
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            // Counts are checked to fit when the model is read or trained.
            let count = stats.combinations as u64 & (BARE_BIT - 1);
            slots[i] = check << CHECK_SHIFT | if stats.bare { BARE_BIT } else { 0 } | count;
        }
        StemTable { slots }
    }

    /// The check (never 0) and first slot of `stem`.
    #[inline]
    fn hash(stem: &str, mask: usize) -> (u64, usize) {
        let hash = xxhash_rust::xxh3::xxh3_128(stem.as_bytes());
        (((hash >> 64) as u64 >> CHECK_SHIFT) | 1, hash as usize & mask)
    }

    #[inline]
    fn get(&self, stem: &str) -> Option<StemStats> {
        let mask = self.slots.len().checked_sub(1)?;
        let (check, mut i) = Self::hash(stem, mask);
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return None;
            }
            if slot >> CHECK_SHIFT == check {
                return Some(StemStats {
                    combinations: (slot & (BARE_BIT - 1)) as f32,
                    bare: slot & BARE_BIT != 0,
                });
            }
            i = (i + 1) & mask;
        }
    }
}

/// The largest combination count a model may hold.
pub(crate) const MAX_COMBINATIONS: f32 = ((1u32 << COUNT_BITS) - 1) as f32;

/// Default model text, trained on a news corpus by `akhbar-eval train-segmenter`.
pub(crate) const MODEL_TSV: &str = include_str!("../../data/segmenter.tsv");
pub(crate) const LISTED_TSV: &str = include_str!("../../data/clitic_words.tsv");

impl SegmenterModel {
    /// The model shipped with akhbar.
    pub fn embedded() -> SegmenterModel {
        SegmenterModel::from_tsv(MODEL_TSV).expect("the embedded segmenter model is checked by a test")
    }

    /// Reads a model written by [`SegmenterModel::to_tsv`]. Errors name the bad line.
    pub fn from_tsv(text: &str) -> Result<SegmenterModel, String> {
        let mut model = SegmenterModel::untrained();
        for (index, line) in text.lines().enumerate() {
            let line_no = index + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() < 3 {
                return Err(format!("line {line_no}: expected three tab-separated fields"));
            }
            let (kind, key) = (fields[0], fields[1]);
            let value: f32 = fields[2]
                .parse()
                .map_err(|_| format!("line {line_no}: {:?} is not a number", fields[2]))?;
            match kind {
                "prefix" => {
                    let i = PREFIXES
                        .iter()
                        .position(|p| p.surface == key)
                        .ok_or_else(|| format!("line {line_no}: unknown prefix {key:?}"))?;
                    model.prefix_cost[i] = value;
                }
                "suffix" => {
                    let i = SUFFIXES
                        .iter()
                        .position(|s| *s == key)
                        .ok_or_else(|| format!("line {line_no}: unknown suffix {key:?}"))?;
                    model.suffix_cost[i] = value;
                }
                "smoothing" => model.smoothing = value,
                "stem" => {
                    let bare = fields.get(3) == Some(&"bare");
                    if !(0.0..=MAX_COMBINATIONS).contains(&value) || value.fract() != 0.0 {
                        return Err(format!(
                            "line {line_no}: {:?} is not a count of combinations (a whole number up to {MAX_COMBINATIONS})",
                            fields[2]
                        ));
                    }
                    model.stems.insert(
                        key.into(),
                        StemStats {
                            combinations: value,
                            bare,
                        },
                    );
                }
                _ => return Err(format!("line {line_no}: unknown record {kind:?}")),
            }
        }
        model.table = StemTable::build(&model.stems);
        Ok(model)
    }

    /// A model with these costs and stems.
    pub(crate) fn new(
        prefix_cost: Vec<f32>,
        suffix_cost: Vec<f32>,
        stems: FxHashMap<Box<str>, StemStats>,
        smoothing: f32,
    ) -> SegmenterModel {
        let table = StemTable::build(&stems);
        SegmenterModel {
            prefix_cost,
            suffix_cost,
            stems,
            table,
            smoothing,
        }
    }

    /// Replaces the stems.
    pub(crate) fn set_stems(&mut self, stems: FxHashMap<Box<str>, StemStats>) {
        self.table = StemTable::build(&stems);
        self.stems = stems;
    }

    /// A model with no stems: cuts nothing it cannot justify by clitic costs alone.
    pub fn untrained() -> SegmenterModel {
        let mut prefix_cost = vec![4.0; PREFIXES.len()];
        prefix_cost[0] = 0.1;
        let mut suffix_cost = vec![5.0; SUFFIXES.len()];
        suffix_cost[0] = 0.1;
        SegmenterModel::new(prefix_cost, suffix_cost, FxHashMap::default(), 0.5)
    }

    /// Writes the model as TSV lines `kind \t key \t value [\t bare]`, stems sorted.
    pub fn to_tsv(&self) -> String {
        let mut out = String::new();
        out.push_str("# akhbar clitic segmenter model (akhbar-eval train-segmenter).\n");
        out.push_str("# prefix/suffix: cost = -ln(probability). stem: number of distinct clitic\n");
        out.push_str("# combinations it occurs in; `bare` when it also occurs as a word of its own.\n");
        let _ = writeln!(out, "smoothing\t-\t{:.3}", self.smoothing);
        for (prefix, cost) in PREFIXES.iter().zip(&self.prefix_cost) {
            let _ = writeln!(out, "prefix\t{}\t{cost:.3}", prefix.surface);
        }
        for (suffix, cost) in SUFFIXES.iter().zip(&self.suffix_cost) {
            let _ = writeln!(out, "suffix\t{suffix}\t{cost:.3}");
        }
        let mut stems: Vec<_> = self.stems.iter().collect();
        stems.sort_by(|a, b| a.0.cmp(b.0));
        for (stem, stats) in stems {
            let bare = if stats.bare { "\tbare" } else { "" };
            let _ = writeln!(out, "stem\t{stem}\t{}{bare}", stats.combinations);
        }
        out
    }

    /// Number of stems the model knows.
    pub fn n_stems(&self) -> usize {
        self.stems.len()
    }

    /// Cost of `stem` as the stem of a word that `word_seen` says was in the training corpus
    /// (then its own combination is not counted as evidence: leave-one-out).
    pub(crate) fn stem_cost(&self, stem: &str, word_seen: bool) -> f32 {
        self.cost_of(self.table.get(stem), word_seen)
    }

    /// [`SegmenterModel::stem_cost`] of a stem already looked up.
    pub(crate) fn cost_of(&self, stats: Option<StemStats>, word_seen: bool) -> f32 {
        let combinations = stats.map_or(0.0, |s| s.combinations);
        let others = (combinations - f32::from(u8::from(word_seen))).max(0.0);
        -(others + self.smoothing).ln()
    }

    /// What the model knows of `word` as a stem, if anything.
    pub(crate) fn stats(&self, word: &str) -> Option<StemStats> {
        self.table.get(word)
    }

    /// What the training corpus showed of `stem` (any spelling; folded here): in how many
    /// distinct clitic combinations it occurred, and whether it occurred as a word of its
    /// own. Common nouns take many combinations (وال…، بال…، …ها); foreign names few.
    pub fn stem_evidence(&self, stem: &str) -> (f32, bool) {
        let key = crate::normalize::fold_str(stem, crate::Level::Segment);
        self.table
            .get(key.as_str())
            .map_or((0.0, false), |s| (s.combinations, s.bare))
    }

    /// Sets the smoothing added to every stem's evidence (for tuning in the evaluation).
    pub fn set_smoothing(&mut self, smoothing: f32) {
        self.smoothing = smoothing;
    }
}

/// Reads `data/clitic_words.tsv`: `word \t pieces` where pieces are `+`-joined, or `-` for
/// "never cut". Keys are folded to the Segment level.
pub(crate) fn parse_listed(text: &str) -> Result<FxHashMap<Box<str>, Listed>, String> {
    let mut listed = FxHashMap::default();
    for (index, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (word, pieces) = line
            .split_once('\t')
            .ok_or_else(|| format!("line {}: expected `word<TAB>pieces`", index + 1))?;
        let key = crate::normalize::fold_str(word, crate::Level::Segment);
        let value = if pieces == "-" {
            Listed::Whole
        } else {
            let pieces: Vec<Box<str>> = pieces.split('+').map(Into::into).collect();
            if pieces.concat().replace("ال", "").is_empty() {
                return Err(format!("line {}: empty pieces", index + 1));
            }
            Listed::Pieces(pieces.into_boxed_slice())
        };
        if listed.insert(key.into_boxed_str(), value).is_some() {
            return Err(format!("line {}: {word:?} is listed twice", index + 1));
        }
    }
    Ok(listed)
}
