//! The analyzer chain: tokenize → normalize → segment → stem → stop words, in that order.
//!
//! This file is the one place that says the order. [`Analyzer::analyze`] returns owned
//! [`Token`]s (for `akhbar analyze` and the evaluation); [`Analyzer::for_each`] is the
//! allocation-free path used while indexing, with a per-thread [`Cache`] of analyzed words.

use crate::chars::{HEH, TEH};
use crate::normalize::{fold_char, Level};
use crate::segment::{Segmentation, Segmenter};
use crate::stem::Stemmer;
use crate::stopwords::StopWords;
use crate::tokenize::{Span, Spans, TokenKind};
use std::sync::Arc;

/// One analyzed token. Field names are the `akhbar analyze --json` contract.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Token {
    /// The original slice of the text.
    pub text: String,
    /// Byte offset of the token in the original text.
    pub start: usize,
    /// Byte offset one past the token.
    pub end: usize,
    /// What the token is.
    #[serde(skip)]
    pub kind: TokenKind,
    /// Normalized form ([`Level::Match`]): what the surface field indexes.
    pub norm: String,
    /// Clitic-split pieces in order, as written, the article always `ال`.
    pub segments: Vec<String>,
    /// The light stem: what the stem field indexes.
    pub stem: String,
    /// True for function words.
    pub stop: bool,
}

/// A token seen through [`Analyzer::for_each`]: borrowed, valid during the callback.
#[derive(Debug, Clone, Copy)]
pub struct TokenRef<'a> {
    /// Byte offset in the original text.
    pub start: usize,
    /// Byte offset one past the token.
    pub end: usize,
    /// What the token is.
    pub kind: TokenKind,
    /// Normalized form.
    pub norm: &'a str,
    /// Light stem.
    pub stem: &'a str,
    /// True for function words.
    pub stop: bool,
}

/// What the cache remembers about a word. Short strings (most words) are stored inline, so a
/// cache hit reads one slot and one of these, and chases no pointer.
#[derive(Debug, Clone, Default)]
struct Analyzed {
    norm: compact_str::CompactString,
    stem: compact_str::CompactString,
    stop: bool,
}

/// Analyzed words by their original spelling, for one thread. Bounded, in two generations:
/// when the current one is full it becomes the old one (the previous old one is dropped),
/// and a word found in the old generation moves back to the current one. Frequent words
/// thus stay analyzed however long the text, and rare ones age out.
#[derive(Debug)]
pub struct Cache {
    current: Generation,
    old: Generation,
    display: Vec<char>,
    key: Vec<char>,
    scratch: String,
    core: String,
    /// Buffers for a new word's normalized form and stem, reused: the analysis copies them
    /// into its inline strings instead of allocating two strings per new word.
    norm: String,
    stem: String,
}

/// Entries of one generation of the cache: as many as a slot can index. The table of a full
/// generation has 2^19 slots (4 MB) whatever the capacity above 2^17, so the largest one
/// costs only its analyses (about 15 MB), and fewer words age out to be analyzed again
/// (a news corpus of 99 MB has 372,000 distinct words).
const CACHE_CAPACITY: usize = 1 << VALUE_BITS;

impl Default for Cache {
    fn default() -> Cache {
        Cache::with_capacity(CACHE_CAPACITY)
    }
}

impl Cache {
    /// A cache whose generations hold `capacity` words each.
    pub(crate) fn with_capacity(capacity: usize) -> Cache {
        let capacity = capacity.clamp(1, 1 << VALUE_BITS);
        Cache {
            current: Generation::new(capacity),
            old: Generation::new(capacity),
            display: Vec::new(),
            key: Vec::new(),
            scratch: String::new(),
            core: String::new(),
            norm: String::new(),
            stem: String::new(),
        }
    }

    /// Stores `analyzed` under `hash` in the current generation, first retiring it if full;
    /// returns its index in the current generation.
    fn insert(&mut self, hash: WordHash, analyzed: Analyzed) -> u32 {
        if self.current.values.len() >= self.current.capacity {
            std::mem::swap(&mut self.current, &mut self.old);
            self.current.clear();
        }
        self.current.insert(hash, analyzed)
    }
}

/// A word's 128-bit xxh3 hash as written, split: `slot` picks where the table looks first,
/// `check` (never 0) tells the word from others there. Two different words would have to
/// agree in the table's 19 bits and the check's 46 to be confused (about 1 in 10^14 per
/// lookup in a full table).
#[derive(Debug, Clone, Copy, Default)]
struct WordHash {
    check: u64,
    slot: u64,
}

impl WordHash {
    #[inline]
    fn of(word: &[u8]) -> WordHash {
        let hash = xxhash_rust::xxh3::xxh3_128(word);
        WordHash {
            check: ((hash >> 64) as u64 >> (64 - CHECK_BITS)) | 1,
            slot: hash as u64,
        }
    }
}

/// Bits of a slot that hold the index into a generation's analyses; the others hold the
/// check. A generation holds at most `1 << VALUE_BITS` words.
const VALUE_BITS: u32 = 18;
const CHECK_BITS: u32 = 64 - VALUE_BITS;

/// One generation of the [`Cache`]: an open-addressing table of 8-byte slots, eight to a
/// cache line, each a hash check and an index into `values`, which keeps the analyses in the
/// order words were first seen. A lookup reads one slot, where a general hash map reads a
/// control group and then a wide entry: fewer distinct cache lines, and the frequent words,
/// seen first, sit together at the front of `values`.
///
/// The table starts empty and doubles as words come, up to twice the capacity: a cache made
/// for one query or one short text costs little.
#[derive(Debug)]
struct Generation {
    /// A power of two in length (or empty), never more than half full; 0 marks an empty
    /// slot, else `check << VALUE_BITS | index`.
    slots: Vec<u64>,
    values: Vec<Analyzed>,
    /// Each value's hash, to place it again when the table grows.
    hashes: Vec<WordHash>,
    /// Words the generation holds before the cache retires it.
    capacity: usize,
}

/// Slots of a generation's first table.
const FIRST_SLOTS: usize = 256;

impl Generation {
    fn new(capacity: usize) -> Generation {
        Generation {
            slots: Vec::new(),
            values: Vec::new(),
            hashes: Vec::new(),
            capacity,
        }
    }

    /// `slots.len() - 1`, or 0 for an empty table.
    #[inline]
    fn mask(&self) -> usize {
        self.slots.len().saturating_sub(1)
    }

    /// The index in `values` of the word with `hash`, if present (linear probing).
    #[inline]
    fn find(&self, hash: WordHash) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.mask();
        let mut i = hash.slot as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot >> VALUE_BITS == hash.check {
                return Some((slot & ((1 << VALUE_BITS) - 1)) as u32);
            }
            if slot == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds a word known to be absent (the caller keeps `values` within the capacity).
    fn insert(&mut self, hash: WordHash, analyzed: Analyzed) -> u32 {
        if (self.values.len() + 1) * 2 > self.slots.len() {
            let largest = (self.capacity * 2).next_power_of_two();
            let len = (self.slots.len() * 2).clamp(FIRST_SLOTS.min(largest), largest);
            self.slots = vec![0; len];
            for (value, &old) in self.hashes.iter().enumerate() {
                Generation::place(&mut self.slots, old, value as u32);
            }
        }
        let value = self.values.len() as u32;
        Generation::place(&mut self.slots, hash, value);
        self.values.push(analyzed);
        self.hashes.push(hash);
        value
    }

    fn place(slots: &mut [u64], hash: WordHash, value: u32) {
        let mask = slots.len() - 1;
        let mut i = hash.slot as usize & mask;
        while slots[i] != 0 {
            i = (i + 1) & mask;
        }
        slots[i] = (hash.check << VALUE_BITS) | u64::from(value);
    }

    fn clear(&mut self) {
        self.slots.fill(0);
        self.values.clear();
        self.hashes.clear();
    }
}

/// Analyzes text; cheap to clone (the tables are shared).
///
/// ```
/// let analyzer = akhbar_arabic::Analyzer::default();
/// let tokens = analyzer.analyze("والرباط بلينكن");
/// assert_eq!(tokens[0].segments, ["و", "ال", "رباط"]);
/// assert_eq!(tokens[0].norm, "والرباط");
/// assert_eq!(tokens[0].stem, "رباط");
/// assert_eq!(&"والرباط بلينكن"[tokens[1].start..tokens[1].end], "بلينكن");
/// ```
#[derive(Debug, Clone)]
pub struct Analyzer {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    segmenter: Segmenter,
    stemmer: Stemmer,
    stop_words: StopWords,
}

impl Default for Analyzer {
    /// The embedded segmenter and stop words, loaded once per process (a default analyzer
    /// is cheap to make: it shares them).
    fn default() -> Analyzer {
        static EMBEDDED: std::sync::LazyLock<Analyzer> =
            std::sync::LazyLock::new(|| Analyzer::new(Segmenter::default()));
        EMBEDDED.clone()
    }
}

impl Analyzer {
    /// An analyzer with this segmenter, the light stemmer and the embedded stop words.
    pub fn new(segmenter: Segmenter) -> Analyzer {
        Analyzer {
            inner: Arc::new(Inner {
                segmenter,
                stemmer: Stemmer,
                stop_words: StopWords::embedded(),
            }),
        }
    }

    /// The segmenter in use.
    pub fn segmenter(&self) -> &Segmenter {
        &self.inner.segmenter
    }

    /// Analyzes `text` into owned tokens, with segments.
    pub fn analyze(&self, text: &str) -> Vec<Token> {
        let mut cache = Cache::default();
        let mut tokens = Vec::new();
        for span in Spans::new(text) {
            let original = &text[span.start..span.end];
            let (analyzed, segments) = self.analyze_word(original, span.kind, &mut cache, true);
            tokens.push(Token {
                text: original.to_string(),
                start: span.start,
                end: span.end,
                kind: span.kind,
                norm: analyzed.norm.into(),
                segments,
                stem: analyzed.stem.into(),
                stop: analyzed.stop,
            });
        }
        tokens
    }

    /// Calls `f` for each token of `text`, reusing `cache` across calls.
    pub fn for_each(&self, text: &str, cache: &mut Cache, mut f: impl FnMut(TokenRef<'_>)) {
        // Tokens go in batches: first the spans and their hashes, then the cache lookups.
        // The lookups of a batch do not depend on each other, so the processor overlaps
        // their memory latency (a lookup is mostly waiting for a cache line), where token
        // after token it would wait for each in turn.
        const BATCH: usize = 16;
        let mut spans = Spans::new(text);
        let mut batch: [(Span, WordHash); BATCH] = [(Span::EMPTY, WordHash::default()); BATCH];
        loop {
            let mut n = 0;
            for span in spans.by_ref().take(BATCH) {
                batch[n] = (span, WordHash::of(&text.as_bytes()[span.start..span.end]));
                n += 1;
            }
            // Reading each word's first slot in a tight loop, with no branch on what it
            // holds, lets the processor fetch the batch's cache lines at once; the lookups
            // below then hit.
            let mask = cache.current.mask();
            let touched = batch[..n].iter().fold(0u64, |acc, (_, hash)| {
                acc ^ cache.current.slots.get(hash.slot as usize & mask).copied().unwrap_or(0)
            });
            std::hint::black_box(touched);
            for &(span, hash) in &batch[..n] {
                let value = match cache.current.find(hash) {
                    Some(value) => value,
                    None => {
                        let analyzed = match cache.old.find(hash) {
                            // Moved, not copied: the old generation never looks it up
                            // again (it is found in the current one until that one is
                            // retired, and the old one cleared).
                            Some(old) => std::mem::take(&mut cache.old.values[old as usize]),
                            None => {
                                let original = &text[span.start..span.end];
                                self.analyze_word(original, span.kind, cache, false).0
                            }
                        };
                        cache.insert(hash, analyzed)
                    }
                };
                let analyzed = &cache.current.values[value as usize];
                f(TokenRef {
                    start: span.start,
                    end: span.end,
                    kind: span.kind,
                    norm: &analyzed.norm,
                    stem: &analyzed.stem,
                    stop: analyzed.stop,
                });
            }
            if n < BATCH {
                return;
            }
        }
    }

    /// Calls `f` with each token's span and normalized form only: the cheap path for the
    /// surface field, which needs no segmentation, stem or cache.
    pub fn for_each_norm(&self, text: &str, mut f: impl FnMut(usize, usize, &str)) {
        let mut norm = String::new();
        for span in Spans::new(text) {
            norm.clear();
            for c in text[span.start..span.end].chars() {
                fold_char(c, Level::Match, &mut |m| norm.push(m));
            }
            f(span.start, span.end, &norm);
        }
    }

    /// Analyzes one token; `with_segments` also builds the segment strings.
    fn analyze_word(
        &self,
        original: &str,
        kind: TokenKind,
        cache: &mut Cache,
        with_segments: bool,
    ) -> (Analyzed, Vec<String>) {
        let mut norm = std::mem::take(&mut cache.norm);
        norm.clear();
        if kind != TokenKind::Arabic {
            for c in original.chars() {
                fold_char(c, Level::Match, &mut |f| norm.push(f));
            }
            let segments = if with_segments { vec![norm.clone()] } else { Vec::new() };
            let stop = self.inner.stop_words.contains(&norm);
            let analyzed = Analyzed {
                stem: compact_str::CompactString::from(norm.as_str()),
                norm: compact_str::CompactString::from(norm.as_str()),
                stop,
            };
            cache.norm = norm;
            return (analyzed, segments);
        }
        cache.display.clear();
        cache.key.clear();
        for c in original.chars() {
            fold_char(c, Level::Display, &mut |d| {
                cache.display.push(d);
                fold_char(d, Level::Segment, &mut |k| cache.key.push(k));
                fold_char(d, Level::Match, &mut |m| norm.push(m));
            });
        }
        let segmenter = &self.inner.segmenter;
        let mut segments = Vec::new();
        cache.core.clear();
        let stem_is_stop;
        if let Some(pieces) = segmenter.listed_pieces(&cache.display, &cache.key, &mut cache.scratch) {
            // Listed function words: the stem is the longest piece (على in عليه).
            let core = pieces
                .iter()
                .max_by_key(|p| p.chars().count())
                .cloned()
                .unwrap_or_default();
            cache.core.push_str(&crate::normalize(&core));
            stem_is_stop = self.inner.stop_words.contains(&cache.core);
            if with_segments {
                segments = pieces;
            }
        } else {
            let tanween = crate::segment::ends_with_tanween(original);
            let seg = segmenter.segment(&cache.display, &cache.key, tanween, &mut cache.scratch);
            let range = seg.stem_range(cache.display.len());
            for &d in &cache.display[range.clone()] {
                fold_char(d, Level::Match, &mut |m| cache.core.push(m));
            }
            if seg.restored_teh_marbuta && cache.core.ends_with(TEH) {
                cache.core.pop();
                cache.core.push(HEH);
            }
            stem_is_stop = can_be_stop(&seg) && self.inner.stop_words.contains(&cache.core);
            if with_segments {
                segments.extend(seg.prefix_pieces().iter().map(|p| p.to_string()));
                segments.push(cache.display[range].iter().collect());
                segments.extend(seg.suffix_piece().map(str::to_string));
            }
        }
        let stop = stem_is_stop || self.inner.stop_words.contains(&norm);
        self.inner.stemmer.stem_into(&cache.core, &mut cache.stem);
        let analyzed = Analyzed {
            norm: compact_str::CompactString::from(norm.as_str()),
            stem: compact_str::CompactString::from(cache.stem.as_str()),
            stop,
        };
        cache.norm = norm;
        (analyzed, segments)
    }
}

/// A stop word keeps its status behind a conjunction or preposition (وفي, بهذا), not behind
/// the article or before a pronoun, which make it a content word.
fn can_be_stop(seg: &Segmentation) -> bool {
    !seg.has_article() && seg.suffix_piece().is_none()
}

#[cfg(test)]
mod tests;
