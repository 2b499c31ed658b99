//! What an article is made of, for comparing: its content stems (stop words out), its word
//! 4-gram shingles, a MinHash signature of those, and a TF vector over stems.

use akhbar_arabic::{Analyzer, Cache};
use rustc_hash::FxHashMap;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 4;
/// MinHash functions per signature.
pub const MINHASH_SIZE: usize = 96;
/// LSH bands (of `MINHASH_SIZE / BANDS` rows each): two articles whose shingle sets have
/// Jaccard similarity s share a band with probability 1 − (1 − s^r)^b; with 48 bands of 2
/// rows that is 0.99 at s = 0.3 and 0.86 at s = 0.2. Copies are judged by containment, and a
/// short copy of a long dispatch has a low Jaccard similarity (a 240-shingle reprint inside a
/// 430-shingle original: s ≈ 0.5, and half of that when trimmed further), so the bands are
/// loose and every candidate is verified exactly.
pub const BANDS: usize = 48;

/// Shingles that make an article's opening.
pub const OPENING_SHINGLES: usize = 24;

/// The fingerprint of one article.
#[derive(Debug, Clone, Default)]
pub struct Fingerprint {
    /// Hashes of the body's word 4-grams (over stems, stop words kept out), sorted, unique.
    pub shingles: Vec<u64>,
    /// MinHash signature of `shingles`.
    pub minhash: Vec<u32>,
    /// The body's shingles in reading order: shingle `k` covers body stems `k..k + 4`.
    pub sequence: Vec<u64>,
    /// The body's content stems in reading order.
    pub body_stems: Vec<u64>,
    /// How many of `body_stems` are in the lead (the first two paragraphs).
    pub lead_stems: usize,
    /// The title's content stems, sorted, unique.
    pub title: Vec<u64>,
    /// The body's sentences: byte range, and the range of `body_stems` inside it (for
    /// summaries).
    pub sentences: Vec<(usize, usize, std::ops::Range<u32>)>,
}

impl Fingerprint {
    /// The body's first shingles in reading order: how it opens.
    pub fn opening(&self) -> &[u64] {
        &self.sequence[..self.sequence.len().min(OPENING_SHINGLES)]
    }

    /// Stem counts with weights: title words count 3, the lead (first two paragraphs) 1.5,
    /// the rest 1.
    pub fn terms(&self) -> FxHashMap<u64, f32> {
        let mut terms: FxHashMap<u64, f32> = FxHashMap::default();
        for stem in &self.title {
            *terms.entry(*stem).or_default() += 3.0;
        }
        for (k, stem) in self.body_stems.iter().enumerate() {
            *terms.entry(*stem).or_default() += if k < self.lead_stems { 1.5 } else { 1.0 };
        }
        terms
    }

    /// The stems of sentence `k`.
    pub fn sentence_stems(&self, k: usize) -> &[u64] {
        let range = &self.sentences[k].2;
        self.body_stems
            .get(range.start as usize..range.end as usize)
            .unwrap_or_default()
    }
}

/// Computes fingerprints; keeps an analysis cache between articles.
pub struct Fingerprinter {
    analyzer: Analyzer,
    cache: Cache,
    seeds: Vec<(u64, u64)>,
}

impl Default for Fingerprinter {
    fn default() -> Fingerprinter {
        Fingerprinter::new(Analyzer::default())
    }
}

fn mix(x: u64) -> u64 {
    // splitmix64 finalizer.
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Fingerprinter {
    /// With this analyzer.
    pub fn new(analyzer: Analyzer) -> Fingerprinter {
        let seeds = (0..MINHASH_SIZE as u64)
            .map(|i| (mix(i * 2 + 1) | 1, mix(i * 2 + 2)))
            .collect();
        Fingerprinter {
            analyzer,
            cache: Cache::default(),
            seeds,
        }
    }

    /// The content stems of `text` as hashes, with their byte offsets.
    fn stems(&mut self, text: &str, out: &mut Vec<(usize, u64)>) {
        out.clear();
        self.analyzer.for_each(text, &mut self.cache, |token| {
            if !token.stop && !token.stem.is_empty() {
                out.push((token.start, xxhash_rust::xxh3::xxh3_64(token.stem.as_bytes())));
            }
        });
    }

    /// Fingerprints an article.
    pub fn fingerprint(&mut self, title: &str, body: &str) -> Fingerprint {
        let mut fingerprint = Fingerprint::default();
        let mut stems = Vec::new();
        self.stems(title, &mut stems);
        fingerprint.title = stems.iter().map(|(_, s)| *s).collect();
        fingerprint.title.sort_unstable();
        fingerprint.title.dedup();
        self.stems(body, &mut stems);
        let lead_end = body.match_indices("\n\n").nth(1).map_or(body.len(), |(i, _)| i);
        fingerprint.lead_stems = stems.iter().take_while(|(start, _)| *start < lead_end).count();
        fingerprint.body_stems = stems.iter().map(|(_, s)| *s).collect();
        let mut shingles: Vec<u64> = stems
            .windows(SHINGLE_WORDS)
            .map(|w| w.iter().fold(0u64, |h, (_, s)| mix(h ^ s)))
            .collect();
        if shingles.is_empty() && !stems.is_empty() {
            shingles.push(stems.iter().fold(0u64, |h, (_, s)| mix(h ^ s)));
        }
        fingerprint.sequence = shingles.clone();
        shingles.sort_unstable();
        shingles.dedup();
        fingerprint.minhash = self
            .seeds
            .iter()
            .map(|&(a, b)| {
                shingles
                    .iter()
                    .map(|s| (a.wrapping_mul(*s).wrapping_add(b) >> 32) as u32)
                    .min()
                    .unwrap_or(u32::MAX)
            })
            .collect();
        fingerprint.shingles = shingles;
        // Stems are in reading order: each sentence's are one run of them.
        let mut next = 0usize;
        fingerprint.sentences = sentences(body)
            .into_iter()
            .map(|(s, e)| {
                while next < stems.len() && stems[next].0 < s {
                    next += 1;
                }
                let first = next;
                while next < stems.len() && stems[next].0 < e {
                    next += 1;
                }
                (s, e, first as u32..next as u32)
            })
            .collect();
        fingerprint
    }
}

/// Byte ranges of the sentences of a text (after `. ! ? ؟` or a line break).
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?' | '؟' | '\n') {
            let end = i + c.len_utf8();
            let next_is_digit = text[end..].chars().next().is_some_and(|n| n.is_ascii_digit());
            if c == '.' && next_is_digit {
                continue;
            }
            if text[start..end].trim().chars().count() > 1 {
                out.push((start, end));
            }
            start = end;
        }
    }
    if text[start..].trim().chars().count() > 1 {
        out.push((start, text.len()));
    }
    out
}

/// Jaccard similarity of two sorted sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
    shared as f32 / (a.len() + b.len() - shared) as f32
}

/// How many of `opening` (an article's first shingles) are in the sorted set `shingles`.
pub fn opening_overlap(opening: &[u64], shingles: &[u64]) -> usize {
    opening.iter().filter(|s| shingles.binary_search(s).is_ok()).count()
}

/// Share of one shingle set contained in the other, relative to the smaller: 1.0 when the
/// shorter article is entirely inside the longer (a trimmed reprint).
pub fn containment(a: &[u64], b: &[u64]) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < small.len() && j < large.len() {
        match small[i].cmp(&large[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared as f32 / small.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprints_share_shingles_and_signatures() {
        let mut f = Fingerprinter::default();
        let body = "أعلن وزير الخارجية اليوم عن زيارة رسمية إلى الرباط لبحث التعاون الثنائي في مجالات الأمن والاقتصاد والطاقة المتجددة.\n\nوقال الوزير إن المحادثات ستتناول ملفات إقليمية ودولية ذات اهتمام مشترك بين البلدين.";
        let a = f.fingerprint("زيارة الوزير", body);
        let b = f.fingerprint(
            "عنوان آخر تماما",
            &format!("الرياض (واس)\n\n{body}\n\nاقرأ أيضا: خبر آخر"),
        );
        let c = f.fingerprint(
            "خبر",
            "انخفضت أسعار النفط في الأسواق العالمية بعد صدور بيانات المخزون الأمريكي الأسبوعية.",
        );
        assert!(containment(&a.shingles, &b.shingles) > 0.95);
        assert!(containment(&a.shingles, &c.shingles) < 0.05);
        let same = a.minhash.iter().zip(&b.minhash).filter(|(x, y)| x == y).count();
        assert!(same > MINHASH_SIZE / 2, "{same}");
        assert_eq!(sentences("جملة أولى. جملة ثانية بـ 10.5 مليون!\nسطر").len(), 3);
    }
}
