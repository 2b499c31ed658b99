//! Copy groups: which articles reprint which.
//!
//! Candidate pairs share an LSH band of their MinHash signatures. A pair is a copy when the
//! two were published within [`Options::copy_window_seconds`] and the smaller article's
//! shingles that are not stock text ([`Templates`]) are mostly inside the larger's
//! ([`Options::copy_containment`]): this survives a new title, a dropped or added lead or
//! closing paragraph, a byline or an "اقرأ أيضا" insert, and it does not take two cables of
//! one template, to two countries, for copies. When both name entities, they name mostly the
//! same ones. Every copy also shares at least
//! [`Options::link_containment`] of all its text with its origin. An article that is nearly
//! all stock text is a copy only of one with the same title and entities, the same day.
//! Copies form groups; each group's origin is the article from a news agency when there is
//! one, else the earliest, and every member is checked against it: a member joined only
//! through another is split off with the others it does match.

use crate::cluster::{Doc, Options, AGENCIES};
use crate::fingerprint::{containment, jaccard, opening_overlap, Fingerprint, BANDS, MINHASH_SIZE};
use crate::templates::Templates;
use rustc_hash::{FxHashMap, FxHashSet};

/// How much longer than a later article an earlier one may be for the later to copy it.
const MAX_PART_RATIO: usize = 10;
/// Articles an LSH bucket holds: a new article sharing a full bucket is compared with those
/// (any of them stands for the group it belongs to), and not added. This bounds the work
/// when thousands of articles are one text (a feed repeating one entry).
const MAX_BUCKET: usize = 64;
/// Fewest shingles beyond stock text that a pair needs to be judged on them.
const MIN_INFORMATIVE: usize = 5;
/// Containment from which two texts are one, whatever entities they were tagged with.
const SAME_TEXT: f32 = 0.9;
/// The window within which an article that is nearly all stock text may copy another.
const STOCK_COPY_SECONDS: i64 = 24 * 3600;

/// Union-find over article indexes.
pub(crate) fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn is_agency(doc: &Doc<'_>) -> bool {
    doc.source
        .is_some_and(|s| AGENCIES.contains(&s.to_ascii_lowercase().as_str()))
}

/// What is compared for one article.
struct Side<'a> {
    doc: &'a Doc<'a>,
    informative: &'a [u64],
}

/// The containment of the pair when it is a copy.
fn verify(a: &Side<'_>, b: &Side<'_>, options: &Options) -> Option<f32> {
    let gap = (a.doc.time - b.doc.time).abs();
    if gap > options.copy_window_seconds {
        return None;
    }
    let (fa, fb): (&Fingerprint, &Fingerprint) = (a.doc.fingerprint, b.doc.fingerprint);
    let (small, large) = if fa.shingles.len() <= fb.shingles.len() {
        (fa, fb)
    } else {
        (fb, fa)
    };
    // A short article inside a much longer one is a part of it, not a copy of it (an
    // agency's second part inside a reprint of the whole dispatch).
    if small.shingles.len() < options.copy_min_shingles || large.shingles.len() > small.shingles.len() * MAX_PART_RATIO
    {
        return None;
    }
    let whole = containment(&small.shingles, &large.shingles);
    if whole < options.link_containment {
        return None;
    }
    // Nearly the whole text is no template with other names, whatever the tagger made of
    // the names (one span with a comma, one without).
    if whole < SAME_TEXT && !entities_agree(a.doc, b.doc) {
        return None;
    }
    if a.informative.len().min(b.informative.len()) < MIN_INFORMATIVE {
        // Nearly all stock text (a forecast, a cable): only the same title and entities, the
        // same day, make a copy.
        let same = gap <= STOCK_COPY_SECONDS
            && whole >= options.copy_containment
            && !fa.title.is_empty()
            && fa.title == fb.title
            && same_entities(a.doc, b.doc);
        return same.then_some(whole);
    }
    let c = containment(a.informative, b.informative);
    let reworded = c >= options.reworded_containment
        && gap <= 2 * 24 * 3600
        && jaccard(&fa.title, &fb.title) >= options.reworded_title;
    (c >= options.copy_containment || reworded).then_some(c)
}

/// A copy names what its origin names: when both name entities, they share one at least (a
/// reprint may drop a paragraph and its names, and the tagger may read a name differently in
/// an edited sentence, but two releases of one template about different bodies share none).
fn entities_agree(a: &Doc<'_>, b: &Doc<'_>) -> bool {
    let (small, large) = if a.entities.len() <= b.entities.len() {
        (a.entities, b.entities)
    } else {
        (b.entities, a.entities)
    };
    if small.is_empty() {
        return true;
    }
    small.iter().any(|e| large.contains(e))
}

fn same_entities(a: &Doc<'_>, b: &Doc<'_>) -> bool {
    let (x, y): (FxHashSet<&str>, FxHashSet<&str>) = (
        a.entities.iter().map(String::as_str).collect(),
        b.entities.iter().map(String::as_str).collect(),
    );
    x == y
}

/// Copy groups: `copy_of[i]` is the origin of `i`'s group when `i` is not the origin.
pub fn copies(docs: &[Doc<'_>], options: &Options, templates: &Templates) -> Vec<Option<usize>> {
    let rows = MINHASH_SIZE / BANDS;
    let informative: Vec<Vec<u64>> = docs.iter().map(|d| templates.informative(d.fingerprint)).collect();
    let side = |i: usize| Side {
        doc: &docs[i],
        informative: &informative[i],
    };
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
            if let Some(c) = verify(&side(i), &side(j), options) {
                let other = docs[j].fingerprint;
                let large = if shingles.len() <= other.shingles.len() {
                    other
                } else {
                    doc.fingerprint
                };
                let small = if std::ptr::eq(large, other) {
                    doc.fingerprint
                } else {
                    other
                };
                // Does the longer text open like the shorter? A reprint of a dispatch sent in
                // parts opens like its first part (the one with the dateline), not like the
                // others.
                pairs.push((opening_overlap(large.opening(), &small.shingles), c, i, j));
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
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|m| m.len() > 1).collect();
    groups.sort_unstable();
    let mut copy_of = vec![None; docs.len()];
    let earliest = |candidates: &mut dyn Iterator<Item = usize>| {
        candidates.min_by(|&a, &b| docs[a].time.cmp(&docs[b].time).then(docs[a].id.cmp(docs[b].id)))
    };
    for mut members in groups {
        // The origin, then every member that copies it directly; the rest form the next
        // group among themselves.
        while members.len() > 1 {
            let origin = earliest(&mut members.iter().copied().filter(|&i| is_agency(&docs[i])))
                .or_else(|| earliest(&mut members.iter().copied()))
                .unwrap_or(members[0]);
            let (linked, rest): (Vec<usize>, Vec<usize>) = members
                .iter()
                .partition(|&&m| m == origin || verify(&side(m), &side(origin), options).is_some());
            for m in linked {
                if m != origin {
                    copy_of[m] = Some(origin);
                }
            }
            members = rest;
        }
    }
    copy_of
}
