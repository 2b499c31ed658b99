//! Copies and stories over a set of articles.
//!
//! 1. **Copies.** Candidate pairs share an LSH band of their MinHash signatures; a pair is a
//!    copy when the smaller article's shingles are mostly inside the larger's
//!    ([`Options::copy_containment`]), which survives a new title, a dropped or added lead or
//!    closing paragraph, a byline or an "اقرأ أيضا" insert. Copies form groups; each group's
//!    origin is the article from a news agency when there is one, else the earliest.
//! 2. **Stories.** Articles in time order join the most similar story of the last
//!    [`Options::window_seconds`] (cosine of TF-IDF vectors over stems, titles weighted up,
//!    plus the article's entities) when the similarity reaches [`Options::story_similarity`],
//!    else start a story; a copy joins its origin's story. A new article similar to two
//!    stories at [`Options::merge_similarity`] merges them.

use crate::fingerprint::{containment, jaccard, opening_overlap, Fingerprint, BANDS, MINHASH_SIZE};
use rustc_hash::{FxHashMap, FxHashSet};

/// Sources that are news agencies: their article is the origin of its copies.
pub const AGENCIES: [&str; 16] = [
    "was", "spa", "map", "wam", "qna", "kuna", "mena", "bna", "ona", "sana", "petra", "afp", "reuters", "ap", "aps",
    "tap",
];

/// One article to cluster.
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    /// Article id (ties and story ids).
    pub id: &'a str,
    /// Source name.
    pub source: Option<&'a str>,
    /// Publication (or ingestion) time, Unix seconds.
    pub time: i64,
    /// Entity ids it mentions.
    pub entities: &'a [String],
    /// Its fingerprint.
    pub fingerprint: &'a Fingerprint,
}

/// Thresholds; the defaults are the ones `akhbar-eval stories` reports.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Shingle containment from which two articles are copies.
    pub copy_containment: f32,
    /// Lower containment that makes a copy when the titles agree too (a lightly reworded
    /// press release under a near-identical headline, within two days).
    pub reworded_containment: f32,
    /// Title similarity (Jaccard of title stems) that the lower containment needs.
    pub reworded_title: f32,
    /// Fewest shingles an article needs to be compared for copying (very short texts share
    /// their few 4-grams by chance).
    pub copy_min_shingles: usize,
    /// Cosine from which an article joins a story.
    pub story_similarity: f32,
    /// Cosine to a second story from which the two merge.
    pub merge_similarity: f32,
    /// How far back a story stays open to new articles.
    pub window_seconds: i64,
    /// Longest time a story may span: a topic that runs for weeks (aid to Yemen, a football
    /// tournament) is many stories, not one.
    pub max_span_seconds: i64,
    /// Weight of each entity next to the stems.
    pub entity_weight: f32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            copy_containment: 0.6,
            reworded_containment: 0.35,
            reworded_title: 0.5,
            copy_min_shingles: 8,
            story_similarity: 0.35,
            merge_similarity: 0.6,
            window_seconds: 3 * 24 * 3600,
            max_span_seconds: 4 * 24 * 3600,
            entity_weight: 1.0,
        }
    }
}

/// The result for a set of articles (indexes refer to the input order).
#[derive(Debug, Clone, Default)]
pub struct Clustering {
    /// Story number of each article.
    pub story: Vec<usize>,
    /// Origin of each article that is a copy.
    pub copy_of: Vec<Option<usize>>,
    /// Members of each story, in time order.
    pub stories: Vec<Vec<usize>>,
    /// Each story's centroid (term hash → weight), for summaries.
    pub centroids: Vec<FxHashMap<u64, f32>>,
}

/// Terms kept per article vector and per story centroid.
const ARTICLE_TERMS: usize = 40;
const STORY_TERMS: usize = 80;
/// Terms a story's running sum may hold before its lightest are dropped.
const MAX_SUM_TERMS: usize = 2000;
/// Articles an LSH bucket holds: a new article sharing a full bucket is compared with those
/// (any of them stands for the group it belongs to), and not added. This bounds the work
/// when thousands of articles are one text (a feed repeating one entry).
const MAX_BUCKET: usize = 64;

fn top(mut vector: Vec<(u64, f32)>, n: usize) -> FxHashMap<u64, f32> {
    vector.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    vector.truncate(n);
    let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(1e-9);
    vector.into_iter().map(|(t, w)| (t, w / norm)).collect()
}

fn cosine(a: &FxHashMap<u64, f32>, b: &FxHashMap<u64, f32>) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.iter().filter_map(|(t, w)| large.get(t).map(|v| w * v)).sum()
}

/// How much longer than a later article an earlier one may be for the later to copy it.
const MAX_PART_RATIO: usize = 10;

/// Union-find over article indexes.
fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Copy groups: `copy_of[i]` is the origin of `i`'s group when `i` is not the origin.
pub fn copies(docs: &[Doc<'_>], options: &Options) -> Vec<Option<usize>> {
    let rows = MINHASH_SIZE / BANDS;
    let mut buckets: FxHashMap<(usize, u64), Vec<usize>> = FxHashMap::default();
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    // Verified pairs: (opening key, containment, i, j).
    let mut pairs: Vec<(usize, f32, usize, usize)> = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let shingles = &doc.fingerprint.shingles;
        if shingles.len() < options.copy_min_shingles {
            continue;
        }
        let mut candidates = FxHashSet::default();
        for band in 0..BANDS {
            let slice = &doc.fingerprint.minhash[band * rows..(band + 1) * rows];
            let key = slice
                .iter()
                .fold(band as u64, |h, v| h.wrapping_mul(0x100_0000_01B3) ^ u64::from(*v));
            let bucket = buckets.entry((band, key)).or_default();
            candidates.extend(bucket.iter().copied());
            if bucket.len() < MAX_BUCKET {
                bucket.push(i);
            }
        }
        for j in candidates {
            let other: &Fingerprint = docs[j].fingerprint;
            let (small, large) = if shingles.len() <= other.shingles.len() {
                (doc.fingerprint, other)
            } else {
                (other, doc.fingerprint)
            };
            // A short article inside a much longer one is a part of it, not a copy of it (an
            // agency's second part inside a reprint of the whole dispatch).
            if large.shingles.len() > small.shingles.len() * MAX_PART_RATIO {
                continue;
            }
            let c = containment(&small.shingles, &large.shingles);
            let reworded = c >= options.reworded_containment
                && (doc.time - docs[j].time).abs() <= 2 * 24 * 3600
                && jaccard(&doc.fingerprint.title, &other.title) >= options.reworded_title;
            if c >= options.copy_containment || reworded {
                // Does the longer text open like the shorter? A reprint of a dispatch sent in
                // parts opens like its first part (the one with the dateline), not like the
                // others.
                pairs.push((opening_overlap(&large.opening, &small.shingles), c, i, j));
            }
        }
    }
    // Best pairs first; an agency does not copy itself, so a pair that would put two
    // articles of one agency in a group (parts of one dispatch, joined through a reprint of
    // the whole) is skipped.
    pairs.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.total_cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    let agency = |i: usize| {
        docs[i]
            .source
            .map(str::to_ascii_lowercase)
            .filter(|s| AGENCIES.contains(&s.as_str()))
    };
    let mut group_agencies: FxHashMap<usize, Vec<String>> = (0..docs.len())
        .filter_map(|i| agency(i).map(|a| (i, vec![a])))
        .collect();
    for (_, _, i, j) in pairs {
        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
        if a == b {
            continue;
        }
        let shared_agency = match (group_agencies.get(&a), group_agencies.get(&b)) {
            (Some(x), Some(y)) => x.iter().any(|s| y.contains(s)),
            _ => false,
        };
        if shared_agency {
            continue;
        }
        parent[a] = b;
        let moved = group_agencies.remove(&a).unwrap_or_default();
        group_agencies.entry(b).or_default().extend(moved);
    }
    let mut groups: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for i in 0..docs.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut copy_of = vec![None; docs.len()];
    for members in groups.values().filter(|m| m.len() > 1) {
        let is_agency = |i: &usize| {
            docs[*i]
                .source
                .is_some_and(|s| AGENCIES.contains(&s.to_ascii_lowercase().as_str()))
        };
        let earliest = |candidates: &mut dyn Iterator<Item = usize>| {
            candidates.min_by(|&a, &b| docs[a].time.cmp(&docs[b].time).then(docs[a].id.cmp(docs[b].id)))
        };
        let origin = earliest(&mut members.iter().copied().filter(is_agency))
            .or_else(|| earliest(&mut members.iter().copied()))
            .unwrap_or(members[0]);
        for &m in members {
            if m != origin {
                copy_of[m] = Some(origin);
            }
        }
    }
    copy_of
}

/// Copies and stories for `docs`.
pub fn cluster(docs: &[Doc<'_>], options: &Options) -> Clustering {
    let copy_of = copies(docs, options);
    // Words weigh by their rarity in news at large (a fixed table); entities by their rarity
    // in this set.
    let background = crate::Idf::embedded();
    let mut entity_df: FxHashMap<u64, u32> = FxHashMap::default();
    for doc in docs {
        for entity in doc.entities {
            *entity_df.entry(entity_term(entity)).or_default() += 1;
        }
    }
    let n = docs.len() as f32;
    let entity_idf = |t: &u64| ((n + 1.0) / (*entity_df.get(t).unwrap_or(&0) as f32 + 1.0)).ln() + 1.0;
    let vectors: Vec<FxHashMap<u64, f32>> = docs
        .iter()
        .map(|doc| {
            let mut v: Vec<(u64, f32)> = doc
                .fingerprint
                .terms
                .iter()
                .map(|(t, tf)| (*t, (1.0 + tf.ln()) * background.of(*t)))
                .collect();
            for entity in doc.entities {
                let t = entity_term(entity);
                v.push((t, options.entity_weight * entity_idf(&t)));
            }
            top(v, ARTICLE_TERMS)
        })
        .collect();
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| docs[a].time.cmp(&docs[b].time).then(docs[a].id.cmp(docs[b].id)));

    let mut story_of: Vec<Option<usize>> = vec![None; docs.len()];
    let mut sums: Vec<FxHashMap<u64, f32>> = Vec::new();
    let mut centroids: Vec<FxHashMap<u64, f32>> = Vec::new();
    let mut last_time: Vec<i64> = Vec::new();
    let mut first_time: Vec<i64> = Vec::new();
    let mut merged_into: Vec<usize> = Vec::new();
    let mut postings: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    // The terms each story is listed under in `postings`.
    let mut posted_terms: Vec<FxHashSet<u64>> = Vec::new();
    let mut group_story: FxHashMap<usize, usize> = FxHashMap::default();
    let live = |s: usize, merged_into: &[usize]| {
        let mut s = s;
        while merged_into[s] != s {
            s = merged_into[s];
        }
        s
    };
    for &i in &order {
        let doc = &docs[i];
        let vector = &vectors[i];
        // A copy group (origin and copies) is one story: the first member to arrive decides.
        let group = copy_of[i].unwrap_or(i);
        let copy_story = group_story.get(&group).map(|&s| live(s, &merged_into));
        let mut scored: Vec<(f32, usize)> = Vec::new();
        if copy_story.is_none() {
            let mut seen = FxHashSet::default();
            for term in vector.keys() {
                let Some(list) = postings.get_mut(term) else { continue };
                // Articles come in time order, so a story closed to this one is closed to
                // every later one: drop it from the list for good (this keeps the lists, and
                // the work per article, bounded by the stories open at a time).
                list.retain(|&s| {
                    let s = live(s, &merged_into);
                    last_time[s] >= doc.time - options.window_seconds
                        && first_time[s] >= doc.time - options.max_span_seconds
                });
                for &s in list.iter() {
                    let s = live(s, &merged_into);
                    if seen.insert(s) {
                        scored.push((cosine(vector, &centroids[s]), s));
                    }
                }
            }
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        let story = match (copy_story, scored.first()) {
            (Some(s), _) => s,
            (None, Some(&(score, s))) if score >= options.story_similarity => {
                // A second story this close: they were one story all along.
                for &(other_score, other) in scored.iter().skip(1) {
                    if other_score < options.merge_similarity {
                        break;
                    }
                    if other != s && merged_into[other] == other {
                        merged_into[other] = s;
                        let other_sum = std::mem::take(&mut sums[other]);
                        for (t, w) in other_sum {
                            *sums[s].entry(t).or_default() += w;
                        }
                        last_time[s] = last_time[s].max(last_time[other]);
                        first_time[s] = first_time[s].min(first_time[other]);
                    }
                }
                s
            }
            _ => {
                posted_terms.push(FxHashSet::default());
                sums.push(FxHashMap::default());
                centroids.push(FxHashMap::default());
                last_time.push(doc.time);
                first_time.push(doc.time);
                merged_into.push(sums.len() - 1);
                sums.len() - 1
            }
        };
        story_of[i] = Some(story);
        group_story.insert(group, story);
        for (t, w) in vector {
            *sums[story].entry(*t).or_default() += w;
        }
        // A story of thousands of articles keeps its heaviest terms only: the centroid never
        // reaches past them, and the work per article stays bounded.
        if sums[story].len() > MAX_SUM_TERMS {
            let mut terms: Vec<(u64, f32)> = sums[story].drain().collect();
            terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            terms.truncate(MAX_SUM_TERMS / 2);
            sums[story].extend(terms);
        }
        last_time[story] = last_time[story].max(doc.time);
        centroids[story] = top(sums[story].iter().map(|(t, w)| (*t, *w)).collect(), STORY_TERMS);
        // Post the story under each centroid term it was not posted under yet.
        let posted = &mut posted_terms[story];
        for term in centroids[story].keys() {
            if posted.insert(*term) {
                postings.entry(*term).or_default().push(story);
            }
        }
    }
    // Number the live stories in order of their first article.
    let mut number: FxHashMap<usize, usize> = FxHashMap::default();
    let mut clustering = Clustering {
        story: vec![0; docs.len()],
        copy_of,
        ..Clustering::default()
    };
    for &i in &order {
        let s = live(story_of[i].unwrap_or(0), &merged_into);
        let next = number.len();
        let k = *number.entry(s).or_insert(next);
        if k == clustering.stories.len() {
            clustering.stories.push(Vec::new());
            clustering.centroids.push(centroids[s].clone());
        }
        clustering.story[i] = k;
        clustering.stories[k].push(i);
    }
    clustering
}

fn entity_term(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(id.as_bytes(), 0xE)
}
