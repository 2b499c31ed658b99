//! A story's face: its representative title and a short extractive summary.

use crate::fingerprint::Fingerprint;
use rustc_hash::{FxHashMap, FxHashSet};

/// Sentences in a summary at most.
pub const SUMMARY_SENTENCES: usize = 3;
/// Characters in a summary at most (about three news sentences).
pub const SUMMARY_CHARS: usize = 480;

/// The index (into `members`) of the article whose title best represents the story: the
/// closest to the centroid among the originals with a title (a copy's title only when no
/// original has one: a reprint's headline is often trimmed or tagged), ties to the earliest.
pub fn representative(
    members: &[usize],
    fingerprints: &[&Fingerprint],
    titles: &[&str],
    copy_of: &[Option<usize>],
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
    let titled = |m: usize| !titles[m].trim().is_empty();
    let original = |m: usize| copy_of.get(m).is_none_or(Option::is_none);
    let any_original = members.iter().any(|&m| titled(m) && original(m));
    let mut best = 0;
    let mut best_score = f32::NEG_INFINITY;
    for (k, &m) in members.iter().enumerate() {
        if !titled(m) || (any_original && !original(m)) {
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
            without_dateline(bodies[m][*start..*end].trim())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Agencies' short names that end a dateline (`data/agencies.txt`).
static AGENCIES: std::sync::LazyLock<Vec<Vec<String>>> = std::sync::LazyLock::new(|| {
    include_str!("../data/agencies.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
});

/// Words of a dateline at most (place, Hijri and Gregorian dates, the agency).
const DATELINE_WORDS: usize = 16;

/// A sentence without the dateline it opens with: `الرياض 16 ذو الحجة 1443 هـ الموافق 15
/// يوليو 2022 م واس اختتمت…` → `اختتمت…`. A dateline is words with a number among them that
/// end, within the first few words, in an agency's name (bare or in brackets, slashes or
/// dashes); a sentence without one is returned as it is.
pub fn without_dateline(sentence: &str) -> &str {
    let words: Vec<(usize, &str)> = sentence
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - sentence.as_ptr() as usize, w))
        .take(DATELINE_WORDS + 3)
        .collect();
    let bare: Vec<&str> = words
        .iter()
        .map(|(_, w)| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    for i in 0..words.len().min(DATELINE_WORDS) {
        for agency in AGENCIES.iter() {
            let n = agency.len();
            if i + n > words.len() || (0..n).any(|j| bare[i + j] != agency[j]) {
                continue;
            }
            let dated = words[..i].iter().any(|(_, w)| w.chars().any(|c| c.is_numeric()));
            let marked = words[i].1.starts_with(['(', '/', '-', '–', '(']);
            if i == 0 || !(dated || marked) {
                continue;
            }
            let (offset, last) = words[i + n - 1];
            let rest = sentence[offset + last.len()..].trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, ')' | '/' | '-' | '–' | '—' | ':' | '،' | ',')
            });
            if rest.split_whitespace().count() >= 3 {
                return rest;
            }
        }
    }
    sentence
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Fingerprinter;

    #[test]
    fn datelines_are_not_summary_text() {
        for (sentence, rest) in [
            (
                "الرياض 16 ذو الحجة 1443 هـ الموافق 15 يوليو 2022 م واس اختتمت في الرياض اليوم أعمال المنتدى.",
                "اختتمت في الرياض اليوم أعمال المنتدى.",
            ),
            (
                "الدوحة في 22 أكتوبر /قنا/ أعلنت وزارة الصحة عن حملة جديدة.",
                "أعلنت وزارة الصحة عن حملة جديدة.",
            ),
            (
                "الرباط - (و م ع) - أشاد الوزير بالتعاون بين البلدين.",
                "أشاد الوزير بالتعاون بين البلدين.",
            ),
            // An agency named in the sentence's text, not a dateline.
            (
                "قالت واس إن الملك استقبل الوفد في قصره اليوم.",
                "قالت واس إن الملك استقبل الوفد في قصره اليوم.",
            ),
            (
                "أعلن الوزير اليوم توقيع الاتفاقية مع الشركات.",
                "أعلن الوزير اليوم توقيع الاتفاقية مع الشركات.",
            ),
        ] {
            assert_eq!(without_dateline(sentence), rest, "{sentence}");
        }
    }

    #[test]
    fn the_title_comes_from_an_original_not_a_copy() {
        let mut f = Fingerprinter::default();
        let body = "أعلنت وزارة الصحة اليوم افتتاح مستشفى جديد في الرياض بسعة خمسمائة سرير لخدمة سكان الأحياء الشمالية.";
        let titles = [
            "عاجل | افتتاح مستشفى جديد في الرياض بسعة 500 سرير",
            "افتتاح مستشفى جديد في الرياض",
        ];
        let prints: Vec<Fingerprint> = titles.iter().map(|t| f.fingerprint(t, body)).collect();
        let refs: Vec<&Fingerprint> = prints.iter().collect();
        let centroid: FxHashMap<u64, f32> = prints[0].terms().clone().into_iter().collect();
        // The copy (0) is closest to the centroid made from it, yet the original (1) names the story.
        let copy_of = [Some(1), None];
        assert_eq!(representative(&[0, 1], &refs, &titles, &copy_of, &centroid), 1);
        // With no original titled, a copy's title still names it.
        let untitled = [titles[0], ""];
        assert_eq!(representative(&[0, 1], &refs, &untitled, &copy_of, &centroid), 0);
    }
}
