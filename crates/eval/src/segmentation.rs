//! `segmentation`: the clitic segmenter against UD Arabic-PUD.
//!
//! PUD writes clitics as separate tokens joined with `SpaceAfter=No`; rejoining a chain of
//! non-punctuation tokens gives the written word and its gold pieces. The definite article
//! is not split in UD, so ours is merged back into its stem before comparing. Boundaries are
//! character offsets: pieces before the stem (the longest piece) count from the start of the
//! word, pieces after it from the end, which stays right when a piece is written differently
//! from its dictionary form (`مما` = من + ما).

use akhbar_arabic::{Segmenter, Spans, TokenKind};
use anyhow::{Context, Result};
use flate2::read::GzDecoder;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

/// A written word and its gold pieces.
struct GoldWord {
    word: String,
    pieces: Vec<String>,
    /// Index of the sentence it belongs to.
    sentence: usize,
}

/// Sentences before this index are the development half (errors may be looked at and the
/// function-word list adjusted); the rest are the held-out half.
const DEV_SENTENCES: usize = 500;

fn read_gold(shared: &Path) -> Result<Vec<GoldWord>> {
    let path = shared.join("gold/ud-arabic-pud/ar_pud-ud-test.conllu.gz");
    let mut text = String::new();
    GzDecoder::new(std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?)
        .read_to_string(&mut text)
        .with_context(|| format!("reading {}", path.display()))?;
    let mut words = Vec::new();
    let mut chain: Vec<String> = Vec::new();
    let mut sentence = 0;
    let mut flush = |chain: &mut Vec<String>, sentence: usize| {
        if !chain.is_empty() {
            words.push(GoldWord {
                word: chain.concat(),
                pieces: std::mem::take(chain),
                sentence,
            });
        }
    };
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            flush(&mut chain, sentence);
            sentence += 1;
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        if columns.len() < 10 || columns[0].contains(['-', '.']) {
            continue;
        }
        let (form, upos, misc) = (columns[1], columns[3], columns[9]);
        if upos == "PUNCT" {
            flush(&mut chain, sentence);
            continue;
        }
        chain.push(form.to_string());
        if !misc.split('|').any(|m| m == "SpaceAfter=No") {
            flush(&mut chain, sentence);
        }
    }
    flush(&mut chain, sentence);
    Ok(words)
}

/// Boundaries of `pieces` within a word of `n_chars` characters; see the module docs.
fn boundaries(pieces: &[String], n_chars: usize) -> BTreeSet<usize> {
    let lengths: Vec<usize> = pieces.iter().map(|p| p.chars().count()).collect();
    let stem = (0..lengths.len())
        .rev()
        .max_by_key(|&i| (lengths[i], usize::MAX - i))
        .unwrap_or(0);
    let mut out = BTreeSet::new();
    let mut left = 0;
    for length in &lengths[..stem] {
        left += length;
        out.insert(left);
    }
    let mut right = n_chars;
    for length in lengths[stem + 1..].iter().rev() {
        right = right.saturating_sub(*length);
        out.insert(right);
    }
    out.retain(|&b| b > 0 && b < n_chars);
    out
}

/// Our pieces with the article merged into what follows it.
fn merge_article(pieces: Vec<String>) -> Vec<String> {
    let mut merged: Vec<String> = Vec::new();
    let mut pending = String::new();
    for piece in pieces {
        if piece == "ال" {
            pending.push_str("ال");
        } else {
            merged.push(format!("{pending}{piece}"));
            pending.clear();
        }
    }
    if !pending.is_empty() {
        merged.push(pending);
    }
    merged
}

pub fn run(shared: &Path, show_errors: usize, smoothing: Option<f32>, model_path: Option<&Path>) -> Result<()> {
    let gold = read_gold(shared)?;
    let mut model = match model_path {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            akhbar_arabic::SegmenterModel::from_tsv(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        None => akhbar_arabic::SegmenterModel::embedded(),
    };
    if let Some(smoothing) = smoothing {
        model.set_smoothing(smoothing);
    }
    let segmenter = Segmenter::new(model);
    let started = Instant::now();
    let mut parts = [Score::default(), Score::default(), Score::default()];
    let mut shown = 0;
    for gold_word in &gold {
        let spans: Vec<_> = Spans::new(&gold_word.word).collect();
        if spans.len() != 1 || spans[0].kind != TokenKind::Arabic || spans[0].end != gold_word.word.len() {
            continue;
        }
        let n_chars = gold_word.word.chars().count();
        let predicted_pieces = merge_article(segmenter.segment_word(&gold_word.word));
        let predicted = boundaries(&predicted_pieces, n_chars);
        let expected = boundaries(&gold_word.pieces, n_chars);
        let dev = gold_word.sentence < DEV_SENTENCES;
        parts[0].add(&predicted, &expected);
        parts[if dev { 1 } else { 2 }].add(&predicted, &expected);
        if predicted != expected && dev && shown < show_errors {
            shown += 1;
            println!(
                "{}\tgold {}\tours {}",
                gold_word.word,
                gold_word.pieces.join("+"),
                predicted_pieces.join("+")
            );
        }
    }
    println!("| UD Arabic-PUD segmentation | all 1,000 sentences | dev (1–500) | held out (501–1,000) |");
    println!("|---|---|---|---|");
    let row = |name: &str, f: &dyn Fn(&Score) -> String| {
        println!("| {name} | {} | {} | {} |", f(&parts[0]), f(&parts[1]), f(&parts[2]));
    };
    row("Arabic words", &|s| format!("{} ({} split)", s.words, s.gold_split));
    row("token-exact accuracy", &|s| {
        format!("{:.4}", s.exact as f64 / s.words.max(1) as f64)
    });
    row("boundary precision", &|s| format!("{:.4}", s.precision()));
    row("boundary recall", &|s| format!("{:.4}", s.recall()));
    row("boundary F1", &|s| format!("{:.4}", s.f1()));
    println!("\nsegmented in {:.3} s", started.elapsed().as_secs_f64());
    Ok(())
}

#[derive(Default)]
struct Score {
    words: usize,
    exact: usize,
    gold_split: usize,
    true_pos: usize,
    predicted: usize,
    gold: usize,
}

impl Score {
    fn add(&mut self, predicted: &BTreeSet<usize>, expected: &BTreeSet<usize>) {
        self.words += 1;
        self.exact += usize::from(predicted == expected);
        self.gold_split += usize::from(!expected.is_empty());
        self.true_pos += predicted.intersection(expected).count();
        self.predicted += predicted.len();
        self.gold += expected.len();
    }

    fn precision(&self) -> f64 {
        self.true_pos as f64 / self.predicted.max(1) as f64
    }

    fn recall(&self) -> f64 {
        self.true_pos as f64 / self.gold.max(1) as f64
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}
