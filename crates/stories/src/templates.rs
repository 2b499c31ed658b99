//! Stock text: the shingles an outlet repeats on different days. Formulaic releases
//! (congratulation cables, weather forecasts, Eid receptions, market closes, execution
//! statements) share most of their words from one event to the next, so two cables to two
//! countries look like copies of each other. What they do not share, the names, numbers and
//! places, is what tells events apart: copies and stories are judged on it.
//!
//! A shingle is stock text when one source uses it on [`TEMPLATE_DAYS`] different days of
//! the articles clustered (a reprinted dispatch appears once per outlet, a day or two late
//! at most; a follow-up repeating yesterday's background is no copy either). Templates
//! learned earlier (kept by the store) can be added.

use crate::cluster::Doc;
use crate::fingerprint::Fingerprint;
use rustc_hash::{FxHashMap, FxHashSet};

/// Different days on which one source must use a shingle for it to be stock text.
pub const TEMPLATE_DAYS: u8 = 3;

/// Weight of a body word that only stock text covers, next to 1 for the others.
pub const STOCK_WORD_WEIGHT: f32 = 0.15;

/// The stock shingles of a set of articles.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    shingles: FxHashSet<u64>,
}

impl Templates {
    /// Learns the shingles each source repeats on different days.
    pub fn learn(docs: &[Doc<'_>]) -> Templates {
        let mut order: Vec<usize> = (0..docs.len()).collect();
        order.sort_by_key(|&i| docs[i].time);
        // (shingle, source) → the last day it was seen (the high 24 bits, the day number
        // modulo 2^24) and on how many days (the low 8 bits): 4 bytes a value, as a window
        // holds millions of them.
        let mut seen: FxHashMap<u64, u32> = FxHashMap::default();
        let mut shingles = FxHashSet::default();
        for i in order {
            let doc = &docs[i];
            let source = doc
                .source
                .map_or(0, |s| xxhash_rust::xxh3::xxh3_64_with_seed(s.as_bytes(), 0x7E));
            // Day 0 stands for "not seen yet": days count from 1.
            let day = (doc.time.div_euclid(24 * 3600).rem_euclid(1 << 24) as u32 + 1) & 0xFF_FFFF;
            for &shingle in &doc.fingerprint.shingles {
                let state = seen.entry(shingle ^ source).or_insert(0);
                if *state >> 8 != day {
                    let days = (*state & 0xFF).saturating_add(1).min(0xFF);
                    *state = day << 8 | days;
                    if days >= u32::from(TEMPLATE_DAYS) {
                        shingles.insert(shingle);
                    }
                }
            }
        }
        Templates { shingles }
    }

    /// Adds stock shingles learned elsewhere.
    pub fn extend(&mut self, shingles: impl IntoIterator<Item = u64>) {
        self.shingles.extend(shingles);
    }

    /// Whether a shingle is stock text.
    pub fn contains(&self, shingle: u64) -> bool {
        self.shingles.contains(&shingle)
    }

    /// Number of stock shingles.
    pub fn len(&self) -> usize {
        self.shingles.len()
    }

    /// True when nothing is known to be stock text.
    pub fn is_empty(&self) -> bool {
        self.shingles.is_empty()
    }

    /// The stock shingles, in no order.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.shingles.iter().copied()
    }

    /// An article's shingles that are not stock text, sorted.
    pub fn informative(&self, fingerprint: &Fingerprint) -> Vec<u64> {
        fingerprint
            .shingles
            .iter()
            .copied()
            .filter(|s| !self.shingles.contains(s))
            .collect()
    }

    /// Per body stem: whether some shingle that is not stock text covers it (a stem of a
    /// text too short for shingles counts as covered).
    pub fn covered(&self, fingerprint: &Fingerprint) -> Vec<bool> {
        let n = fingerprint.body_stems.len();
        if fingerprint.sequence.len() + crate::SHINGLE_WORDS - 1 != n {
            return vec![true; n];
        }
        let mut covered = vec![false; n];
        for (k, shingle) in fingerprint.sequence.iter().enumerate() {
            if !self.shingles.contains(shingle) {
                covered[k..k + crate::SHINGLE_WORDS].iter_mut().for_each(|c| *c = true);
            }
        }
        covered
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Fingerprinter;

    #[test]
    fn a_cable_repeated_on_three_days_is_stock_text_and_its_names_are_not() {
        let mut f = Fingerprinter::default();
        let cable = |country: &str, president: &str| {
            format!(
                "بعث خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود برقية تهنئة لفخامة الرئيس {president} رئيس جمهورية {country} بمناسبة ذكرى استقلال بلاده. وأعرب الملك المفدى باسمه واسم شعب وحكومة المملكة العربية السعودية عن أصدق التهاني وأطيب التمنيات بالصحة والسعادة لفخامته ولحكومة وشعب جمهورية {country} الشقيق اطراد التقدم والازدهار."
            )
        };
        let prints = [
            f.fingerprint("تهنئة", &cable("تشاد", "إدريس ديبي")),
            f.fingerprint("تهنئة", &cable("المالديف", "عبدالله يامين")),
            f.fingerprint("تهنئة", &cable("بوليفيا", "إيفو موراليس")),
            f.fingerprint("تهنئة", &cable("تشاد", "إدريس ديبي")),
        ];
        let docs: Vec<Doc> = prints
            .iter()
            .enumerate()
            .map(|(i, fingerprint)| Doc {
                id: ["a", "b", "c", "d"][i],
                source: Some(if i < 3 { "was" } else { "okaz" }),
                time: [0, 1, 2, 2][i] * 24 * 3600,
                entities: &[],
                title_entities: &[],
                fingerprint,
            })
            .collect();
        let templates = Templates::learn(&docs);
        let chad = templates.informative(&prints[0]);
        let maldives = templates.informative(&prints[1]);
        assert!(
            !chad.is_empty() && chad.len() < prints[0].shingles.len() / 2,
            "{chad:?}"
        );
        assert_eq!(crate::containment(&chad, &maldives), 0.0);
        assert_eq!(crate::containment(&chad, &templates.informative(&prints[3])), 1.0);
        // Two days are not enough.
        assert!(Templates::learn(&docs[..2]).is_empty());
        let covered = templates.covered(&prints[0]);
        assert!(covered.iter().any(|c| *c) && covered.iter().any(|c| !*c));
    }
}
