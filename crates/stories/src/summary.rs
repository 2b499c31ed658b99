//! A story's face: its representative title and a short extractive summary.

use crate::fingerprint::Fingerprint;
use rustc_hash::{FxHashMap, FxHashSet};

/// Sentences in a summary at most.
pub const SUMMARY_SENTENCES: usize = 3;
/// Characters in a summary at most (about three news sentences).
pub const SUMMARY_CHARS: usize = 480;

/// The index (into `members`) of the article whose title best represents the story: the
/// closest to the centroid among those with a title, ties to the earliest.
pub fn representative(
    members: &[usize],
    fingerprints: &[&Fingerprint],
    titles: &[&str],
    centroid: &FxHashMap<u64, f32>,
) -> usize {
    let score = |m: usize| -> f32 {
        let terms = fingerprints[m].terms();
        let norm = terms.values().map(|w| w * w).sum::<f32>().sqrt().max(1e-9);
        terms
            .iter()
            .filter_map(|(t, w)| centroid.get(t).map(|c| c * w))
            .sum::<f32>()
            / norm
    };
    let mut best = 0;
    let mut best_score = f32::NEG_INFINITY;
    for (k, &m) in members.iter().enumerate() {
        if titles[m].trim().is_empty() {
            continue;
        }
        let s = score(m);
        if s > best_score + 1e-6 {
            best = k;
            best_score = s;
        }
    }
    best
}

/// A few sentences that say what the story is: sentences of its articles scored by the
/// centroid weight of their words (a bonus for the lead), chosen best first while skipping
/// near-repeats (copies say the same thing), then put back in reading order.
pub fn summary(
    members: &[usize],
    fingerprints: &[&Fingerprint],
    bodies: &[&str],
    centroid: &FxHashMap<u64, f32>,
) -> String {
    let mut candidates: Vec<(f32, usize, usize)> = Vec::new(); // (score, member rank, sentence)
    for (rank, &m) in members.iter().enumerate().take(12) {
        for k in 0..fingerprints[m].sentences.len() {
            let stems = fingerprints[m].sentence_stems(k);
            if stems.len() < 5 {
                continue;
            }
            let unique: FxHashSet<u64> = stems.iter().copied().collect();
            let weight: f32 = unique.iter().filter_map(|t| centroid.get(t)).sum();
            let lead_bonus = if k == 0 {
                1.3
            } else if k == 1 {
                1.1
            } else {
                1.0
            };
            let score = weight / (unique.len() as f32).sqrt() * lead_bonus;
            candidates.push((score, rank, k));
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    let mut chosen_stems: Vec<FxHashSet<u64>> = Vec::new();
    let mut chars = 0;
    for (_, rank, k) in candidates {
        let m = members[rank];
        let (start, end, _) = &fingerprints[m].sentences[k];
        let set: FxHashSet<u64> = fingerprints[m].sentence_stems(k).iter().copied().collect();
        let repeats = chosen_stems
            .iter()
            .any(|c| c.intersection(&set).count() as f32 / set.len().min(c.len()).max(1) as f32 > 0.5);
        if repeats {
            continue;
        }
        let length = bodies[m][*start..*end].chars().count();
        if chars + length > SUMMARY_CHARS && !chosen.is_empty() {
            continue;
        }
        chars += length;
        chosen.push((rank, k));
        chosen_stems.push(set);
        if chosen.len() == SUMMARY_SENTENCES {
            break;
        }
    }
    chosen.sort();
    chosen
        .iter()
        .map(|&(rank, k)| {
            let m = members[rank];
            let (start, end, _) = &fingerprints[m].sentences[k];
            bodies[m][*start..*end].trim()
        })
        .collect::<Vec<_>>()
        .join(" ")
}
