//! `train-clusters`: word classes from the news corpus for the entity tagger. Words that occur
//! in the same contexts (the words just before and after them) fall in the same class, so
//! the tagger generalizes from a name it saw in training to names it never saw.
//!
//! Method: name forms (clitics stripped, normalized) of every corpus token; the 60,000 most
//! frequent words get a context vector over the 800 most frequent words on each side
//! (positive PMI), randomly projected to 128 dimensions and clustered with spherical k-means
//! at two granularities. Deterministic.

use crate::corpus;
use akhbar_entities::{sentences, NameForms};
use anyhow::{Context, Result};
use rustc_hash::FxHashMap;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

const VOCABULARY: usize = 60_000;
const CONTEXTS: usize = 800;
const DIMENSIONS: usize = 128;
const MIN_COUNT: u64 = 5;

pub fn run(shared: &Path, out: &Path, fine: usize, coarse: usize, iterations: usize) -> Result<()> {
    let started = Instant::now();
    let articles = corpus::read(shared)?;
    let forms = NameForms::default();
    let mut cache: FxHashMap<String, u32> = FxHashMap::default();
    let mut name_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut words: Vec<String> = Vec::new();
    let mut counts: Vec<u64> = Vec::new();
    // The corpus as word ids, one sentence after another (u32::MAX separates sentences).
    let mut stream: Vec<u32> = Vec::new();
    for article in &articles {
        for text in [&article.title, &article.content] {
            for sentence in sentences(text) {
                for token in sentence {
                    let raw = &text[token.start..token.end];
                    let id = match cache.get(raw) {
                        Some(&id) => id,
                        None => {
                            // Ids by name form: several spellings (والمغرب، بالمغرب) share one.
                            let name = forms.token(raw).name.clone();
                            let next = words.len() as u32;
                            let id = *name_ids.entry(name.clone()).or_insert(next);
                            if id == next {
                                words.push(name);
                                counts.push(0);
                            }
                            cache.insert(raw.to_string(), id);
                            id
                        }
                    };
                    counts[id as usize] += 1;
                    stream.push(id);
                }
                stream.push(u32::MAX);
            }
        }
    }
    eprintln!(
        "{} tokens, {} distinct name forms, read in {:.1} s",
        stream.len(),
        words.len(),
        started.elapsed().as_secs_f64()
    );
    let mut by_count: Vec<u32> = (0..words.len() as u32).collect();
    by_count.sort_by_key(|&w| (std::cmp::Reverse(counts[w as usize]), words[w as usize].clone()));
    let vocabulary: Vec<u32> = by_count
        .iter()
        .copied()
        .filter(|&w| counts[w as usize] >= MIN_COUNT && words[w as usize].chars().any(char::is_alphabetic))
        .take(VOCABULARY)
        .collect();
    let row_of: FxHashMap<u32, usize> = vocabulary.iter().enumerate().map(|(i, &w)| (w, i)).collect();
    let context_of: FxHashMap<u32, usize> = by_count
        .iter()
        .take(CONTEXTS)
        .enumerate()
        .map(|(i, &w)| (w, i))
        .collect();
    // Co-occurrence counts: left contexts in [0, CONTEXTS), right in [CONTEXTS, 2·CONTEXTS).
    let mut cooccurrence: Vec<FxHashMap<u16, f32>> = vec![FxHashMap::default(); vocabulary.len()];
    for window in stream.windows(3) {
        let (left, word, right) = (window[0], window[1], window[2]);
        let Some(&row) = row_of.get(&word) else { continue };
        if let Some(&c) = context_of.get(&left) {
            *cooccurrence[row].entry(c as u16).or_default() += 1.0;
        }
        if let Some(&c) = context_of.get(&right) {
            *cooccurrence[row].entry((CONTEXTS + c) as u16).or_default() += 1.0;
        }
    }
    // Positive PMI, then a fixed random ±1 projection per context dimension.
    let mut column_totals = vec![0f32; 2 * CONTEXTS];
    let mut total = 0f32;
    for row in &cooccurrence {
        for (&c, &n) in row {
            column_totals[usize::from(c)] += n;
            total += n;
        }
    }
    let projection: Vec<[f32; DIMENSIONS]> = (0..2 * CONTEXTS)
        .map(|c| {
            let mut v = [0f32; DIMENSIONS];
            for (d, x) in v.iter_mut().enumerate() {
                let h = xxhash_rust::xxh3::xxh3_64_with_seed(&(d as u64).to_le_bytes(), c as u64);
                *x = if h & 1 == 0 { 1.0 } else { -1.0 };
            }
            v
        })
        .collect();
    let mut vectors: Vec<[f32; DIMENSIONS]> = cooccurrence
        .iter()
        .map(|row| {
            let row_total: f32 = row.values().sum();
            let mut v = [0f32; DIMENSIONS];
            for (&c, &n) in row {
                let pmi = ((n * total) / (row_total * column_totals[usize::from(c)])).ln();
                if pmi > 0.0 {
                    for (x, p) in v.iter_mut().zip(&projection[usize::from(c)]) {
                        *x += pmi * p;
                    }
                }
            }
            normalize(&mut v);
            v
        })
        .collect();
    drop(cooccurrence);
    eprintln!("vectors in {:.1} s", started.elapsed().as_secs_f64());
    let fine_of = kmeans(&mut vectors, fine, iterations);
    let coarse_of = kmeans(&mut vectors, coarse, iterations);
    eprintln!("clustered in {:.1} s", started.elapsed().as_secs_f64());
    let mut text =
        String::from("# akhbar word classes (akhbar-eval train-clusters): name form, fine class, coarse class.\n");
    for (i, &w) in vocabulary.iter().enumerate() {
        text.push_str(&format!("{}\t{}\t{}\n", words[w as usize], fine_of[i], coarse_of[i]));
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(text.as_bytes())?;
    let bytes = encoder.finish()?;
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "wrote {} ({} words, {fine} + {coarse} classes, {} bytes) in {:.1} s",
        out.display(),
        vocabulary.len(),
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn normalize(v: &mut [f32; DIMENSIONS]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// Spherical k-means; centroids start at evenly spaced words of the frequency-ranked list.
fn kmeans(vectors: &mut [[f32; DIMENSIONS]], k: usize, iterations: usize) -> Vec<u16> {
    let k = k.min(vectors.len()).max(1);
    let mut centroids: Vec<[f32; DIMENSIONS]> = (0..k).map(|i| vectors[i * vectors.len() / k]).collect();
    let mut assignment = vec![0u16; vectors.len()];
    for _ in 0..iterations {
        for (v, slot) in vectors.iter().zip(assignment.iter_mut()) {
            let mut best = (f32::NEG_INFINITY, 0);
            for (c, centroid) in centroids.iter().enumerate() {
                let score: f32 = v.iter().zip(centroid).map(|(a, b)| a * b).sum();
                if score > best.0 {
                    best = (score, c);
                }
            }
            *slot = best.1 as u16;
        }
        let mut sums = vec![[0f32; DIMENSIONS]; k];
        for (v, &c) in vectors.iter().zip(&assignment) {
            for (s, x) in sums[usize::from(c)].iter_mut().zip(v) {
                *s += x;
            }
        }
        for (centroid, mut sum) in centroids.iter_mut().zip(sums) {
            if sum.iter().any(|x| *x != 0.0) {
                normalize(&mut sum);
                *centroid = sum;
            }
        }
    }
    assignment
}
