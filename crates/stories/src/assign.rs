//! Stories: which event each article reports.
//!
//! Articles in time order join the open story their own evidence points to, or start one. The
//! evidence is weighed as a logistic score ([`Weights`], fitted on pairs of articles judged
//! by reading, `akhbar-eval stories --real --pairs`):
//!
//! - the cosine of TF-IDF vectors over stems (titles weighted up, the lead a little), where a
//!   word only stock text covers ([`Templates`]) counts little, so that two formulaic
//!   releases of different events do not look alike;
//! - the cosine of entity vectors (entities weighted by their rarity in the set);
//! - whether an entity of the article's title is named in the story, or the reverse, and a
//!   conflict when both titles name entities and neither names the other's (two ministries'
//!   receptions, two countries' cables);
//! - how much of the texts is not stock text (formulaic releases need more to agree);
//! - days since the story's latest article, and whether the story already has an article
//!   of the same outlet (an outlet seldom reports one event twice).
//!
//! A story is open while its latest article is within [`Options::window_seconds`] and its
//! first within [`Options::max_span_seconds`]; a copy joins its origin's story. A second
//! story that the article also fits at [`Weights::merge`] merges with the first only when
//! the two stories' own evidence agrees: a roundup of two events does not make them one.

use crate::cluster::{Doc, Options};
use crate::fingerprint::Fingerprint;
use crate::templates::{Templates, STOCK_WORD_WEIGHT};
use rustc_hash::{FxHashMap, FxHashSet};

/// Weights of the evidence that an article reports a story's event; it joins when the sum
/// is above zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Per unit of text cosine.
    pub text: f32,
    /// Per unit of entity cosine.
    pub entities: f32,
    /// When a title entity of one is named in the other.
    pub title_entity: f32,
    /// Per unit of the smaller share of text that is not stock text.
    pub informative: f32,
    /// Per day since the story's latest article (subtracted).
    pub day: f32,
    /// Per day since the story's mean time (subtracted): a topic that goes on for days is
    /// many events.
    pub age: f32,
    /// When the story already has an article of this outlet (subtracted).
    pub same_source: f32,
    /// When both titles name entities and neither names the other's (subtracted).
    pub conflict: f32,
    /// Constant.
    pub bias: f32,
    /// Score to a second story from which it may merge with the first.
    pub merge: f32,
    /// Score between two stories from which they merge once every article is placed.
    pub regroup: f32,
    /// Score between two stories from which each lists the other as related.
    pub related: f32,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            text: 5.45,
            entities: 2.47,
            title_entity: 1.44,
            informative: 4.14,
            day: 0.5,
            age: 2.0,
            same_source: 0.86,
            conflict: 0.69,
            bias: -8.0,
            merge: 2.0,
            regroup: 0.75,
            related: -1.0,
        }
    }
}

impl Weights {
    /// Reads `name=value` pairs separated by commas or spaces over the defaults
    /// (`text=5 bias=-5`), for trying weights from the evaluation.
    pub fn parse(text: &str) -> Result<Weights, String> {
        let mut w = Weights::default();
        for pair in text.split([',', ' ']).filter(|p| !p.is_empty()) {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("{pair}: expected name=value"))?;
            let value: f32 = value.parse().map_err(|_| format!("{pair}: not a number"))?;
            let field = match name {
                "text" => &mut w.text,
                "entities" => &mut w.entities,
                "title_entity" => &mut w.title_entity,
                "informative" => &mut w.informative,
                "day" => &mut w.day,
                "age" => &mut w.age,
                "same_source" => &mut w.same_source,
                "conflict" => &mut w.conflict,
                "bias" => &mut w.bias,
                "merge" => &mut w.merge,
                "regroup" => &mut w.regroup,
                "related" => &mut w.related,
                _ => return Err(format!("{name}: unknown weight")),
            };
            *field = value;
        }
        Ok(w)
    }
}

/// Terms kept per article vector and per story centroid.
const ARTICLE_TERMS: usize = 40;
const STORY_TERMS: usize = 80;
/// Entities kept per story centroid.
const STORY_ENTITIES: usize = 40;
/// Entities through which an article looks for stories, and a story is found.
const LOOKUP_ENTITIES: usize = 6;
/// Terms a story's running sum may hold before its lightest are dropped.
const MAX_SUM_TERMS: usize = 2000;

/// What one article or story brings to a comparison.
struct View<'a> {
    text: &'a FxHashMap<u64, f32>,
    entities: &'a FxHashMap<u64, f32>,
    /// Entity terms of its title(s).
    title: &'a [u64],
    /// Every entity term it names.
    named: &'a dyn Fn(u64) -> bool,
    /// Share of its text that is not stock text.
    share: f32,
}

/// An article's evidence.
struct Evidence {
    text: FxHashMap<u64, f32>,
    entities: FxHashMap<u64, f32>,
    title: Vec<u64>,
    share: f32,
    source: u64,
}

/// A story being built.
#[derive(Default)]
struct Story {
    text_sum: FxHashMap<u64, f32>,
    text: FxHashMap<u64, f32>,
    entity_sum: FxHashMap<u64, f32>,
    entities: FxHashMap<u64, f32>,
    title_counts: FxHashMap<u64, u32>,
    title: Vec<u64>,
    sources: FxHashSet<u64>,
    first: i64,
    last: i64,
    /// Sum of the members' times relative to `first`, in days.
    days_sum: f32,
    share_sum: f32,
    members: u32,
    posted: FxHashSet<u64>,
}

impl Story {
    fn share(&self) -> f32 {
        self.share_sum / self.members.max(1) as f32
    }

    /// Days from the story's mean time to `time`.
    fn age(&self, time: i64) -> f32 {
        (time - self.first) as f32 / 86_400.0 - self.days_sum / self.members.max(1) as f32
    }

    /// Days between the two stories' mean times.
    fn age_gap(&self, other: &Story) -> f32 {
        self.age(other.first) + other.days_sum / other.members.max(1) as f32
    }

    fn add(&mut self, e: &Evidence, time: i64) {
        if self.members == 0 {
            self.first = time;
            self.last = time;
        }
        for (t, w) in &e.text {
            *self.text_sum.entry(*t).or_default() += w;
        }
        for (t, w) in &e.entities {
            *self.entity_sum.entry(*t).or_default() += w;
        }
        for t in &e.title {
            *self.title_counts.entry(*t).or_default() += 1;
        }
        self.sources.insert(e.source);
        if time < self.first {
            // Articles come in time order; a merge may bring earlier ones.
            self.days_sum += (self.first - time) as f32 / 86_400.0 * self.members as f32;
            self.first = time;
        }
        self.days_sum += (time - self.first) as f32 / 86_400.0;
        self.last = self.last.max(time);
        self.share_sum += e.share;
        self.members += 1;
        self.refresh();
    }

    fn absorb(&mut self, other: Story) {
        for (t, w) in other.text_sum {
            *self.text_sum.entry(t).or_default() += w;
        }
        for (t, w) in other.entity_sum {
            *self.entity_sum.entry(t).or_default() += w;
        }
        for (t, n) in other.title_counts {
            *self.title_counts.entry(t).or_default() += n;
        }
        self.sources.extend(other.sources);
        let first = self.first.min(other.first);
        self.days_sum += (self.first - first) as f32 / 86_400.0 * self.members as f32
            + other.days_sum
            + (other.first - first) as f32 / 86_400.0 * other.members as f32;
        self.first = first;
        self.last = self.last.max(other.last);
        self.share_sum += other.share_sum;
        self.members += other.members;
        self.refresh();
    }

    fn refresh(&mut self) {
        // A story of thousands of articles keeps its heaviest terms only: the centroid never
        // reaches past them, and the work per article stays bounded.
        for sum in [&mut self.text_sum, &mut self.entity_sum] {
            if sum.len() > MAX_SUM_TERMS {
                let mut terms: Vec<(u64, f32)> = sum.drain().collect();
                terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                terms.truncate(MAX_SUM_TERMS / 2);
                sum.extend(terms);
            }
        }
        self.text = top(self.text_sum.iter().map(|(t, w)| (*t, *w)).collect(), STORY_TERMS);
        self.entities = top(self.entity_sum.iter().map(|(t, w)| (*t, *w)).collect(), STORY_ENTITIES);
        // The title entities of at least a fifth of its articles.
        let floor = (self.members as f32 / 5.0).max(1.0);
        self.title = self
            .title_counts
            .iter()
            .filter(|(_, n)| **n as f32 >= floor)
            .map(|(t, _)| *t)
            .collect();
        self.title.sort_unstable();
    }

    fn view<'a>(&'a self, named: &'a dyn Fn(u64) -> bool) -> View<'a> {
        View {
            text: &self.text,
            entities: &self.entities,
            title: &self.title,
            named,
            share: self.share(),
        }
    }
}

fn top(mut vector: Vec<(u64, f32)>, n: usize) -> FxHashMap<u64, f32> {
    if vector.len() > n {
        vector.select_nth_unstable_by(n, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        vector.truncate(n);
    }
    let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(1e-9);
    vector.into_iter().map(|(t, w)| (t, w / norm)).collect()
}

/// The `n` heaviest terms of a vector.
fn heaviest(vector: &FxHashMap<u64, f32>, n: usize) -> Vec<u64> {
    let mut terms: Vec<(u64, f32)> = vector.iter().map(|(t, w)| (*t, *w)).collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    terms.into_iter().take(n).map(|(t, _)| t).collect()
}

fn cosine(a: &FxHashMap<u64, f32>, b: &FxHashMap<u64, f32>) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.iter().filter_map(|(t, w)| large.get(t).map(|v| w * v)).sum()
}

/// The score of `a` reporting the event of `b`.
fn score(w: &Weights, a: &View<'_>, b: &View<'_>, days: f32, age: f32, same_source: bool) -> f32 {
    let shared = a.title.iter().any(|t| (b.named)(*t)) || b.title.iter().any(|t| (a.named)(*t));
    let conflict = !a.title.is_empty() && !b.title.is_empty() && !shared;
    w.text * cosine(a.text, b.text)
        + w.entities * cosine(a.entities, b.entities)
        + if shared { w.title_entity } else { 0.0 }
        + w.informative * a.share.min(b.share)
        - w.day * days.max(0.0)
        - w.age * age.abs()
        - if same_source { w.same_source } else { 0.0 }
        - if conflict { w.conflict } else { 0.0 }
        + w.bias
}

fn entity_term(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(id.as_bytes(), 0xE)
}

/// An article's term counts: title stems count 3, lead stems 1.5, the rest 1, and a body
/// stem that only stock text covers [`STOCK_WORD_WEIGHT`] of that.
fn terms(fingerprint: &Fingerprint, templates: &Templates) -> Vec<(u64, f32)> {
    let mut counts: FxHashMap<u64, f32> = FxHashMap::default();
    for stem in &fingerprint.title {
        *counts.entry(*stem).or_default() += 3.0;
    }
    let covered = templates.covered(fingerprint);
    for (k, stem) in fingerprint.body_stems.iter().enumerate() {
        let weight = if k < fingerprint.lead_stems { 1.5 } else { 1.0 };
        let stock = if covered[k] { 1.0 } else { STOCK_WORD_WEIGHT };
        *counts.entry(*stem).or_default() += weight * stock;
    }
    let mut terms: Vec<(u64, f32)> = counts.into_iter().collect();
    terms.sort_unstable_by_key(|(t, _)| *t);
    terms
}

fn evidence(docs: &[Doc<'_>], templates: &Templates) -> Vec<Evidence> {
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
    docs.iter()
        .map(|doc| {
            let text: Vec<(u64, f32)> = terms(doc.fingerprint, templates)
                .into_iter()
                .map(|(t, tf)| (t, (1.0 + tf.ln()) * background.of(t)))
                .collect();
            let mut entities: Vec<(u64, f32)> = doc
                .entities
                .iter()
                .map(|e| {
                    let t = entity_term(e);
                    (t, entity_idf(&t))
                })
                .collect();
            entities.sort_unstable_by_key(|(t, _)| *t);
            entities.dedup_by_key(|(t, _)| *t);
            let mut title: Vec<u64> = doc.title_entities.iter().map(|e| entity_term(e)).collect();
            title.sort_unstable();
            title.dedup();
            let shingles = doc.fingerprint.shingles.len();
            let share = if shingles == 0 {
                1.0
            } else {
                doc.fingerprint
                    .shingles
                    .iter()
                    .filter(|s| !templates.contains(**s))
                    .count() as f32
                    / shingles as f32
            };
            Evidence {
                text: top(text, ARTICLE_TERMS),
                entities: top(entities, usize::MAX),
                title,
                share,
                source: doc.source.map_or(0, |s| xxhash_rust::xxh3::xxh3_64(s.as_bytes())),
            }
        })
        .collect()
}

/// Pairs of live stories, found through their heaviest entities and terms, whose
/// story-to-story score is above `floor` and whose times are within `max_seconds` of each
/// other (first to last), best first.
fn story_pairs(
    stories: &[Story],
    merged_into: &[usize],
    options: &Options,
    floor: f32,
    max_seconds: i64,
) -> Vec<(f32, usize, usize)> {
    let alive: Vec<usize> = (0..stories.len()).filter(|&s| merged_into[s] == s).collect();
    let mut postings: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for &s in &alive {
        let story = &stories[s];
        for term in heaviest(&story.entities, LOOKUP_ENTITIES)
            .into_iter()
            .chain(heaviest(&story.text, REGROUP_TERMS))
        {
            postings.entry(term).or_default().push(s);
        }
    }
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    let mut seen: FxHashSet<(usize, usize)> = FxHashSet::default();
    let mut keys: Vec<&u64> = postings.keys().collect();
    keys.sort_unstable();
    for key in keys {
        let list = &postings[key];
        // A term shared by very many stories (a country, a ministry) finds nothing the
        // rarer ones do not.
        if list.len() > MAX_REGROUP_POSTING {
            continue;
        }
        for (k, &a) in list.iter().enumerate() {
            for &b in &list[k + 1..] {
                let key = (a.min(b), a.max(b));
                if seen.insert(key) {
                    if let Some(p) = pair_score(stories, key.0, key.1, options, max_seconds, floor) {
                        pairs.push((p, key.0, key.1));
                    }
                }
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    pairs
}

/// The score of two stories reporting one event, when their times are close enough and it
/// can be above `floor` (the cheap parts are weighed first).
fn pair_score(stories: &[Story], a: usize, b: usize, options: &Options, max_seconds: i64, floor: f32) -> Option<f32> {
    let w = &options.weights;
    let (x, y) = (&stories[a], &stories[b]);
    let span = x.last.max(y.last) - x.first.min(y.first);
    if span > max_seconds {
        return None;
    }
    let days = (x.first.max(y.first) - x.last.min(y.last)) as f32 / 86_400.0;
    let age = x.age_gap(y);
    let rest =
        w.title_entity.max(0.0) + w.informative * x.share().min(y.share()) - w.day * days.max(0.0) - w.age * age.abs()
            + w.bias;
    if rest + w.text + w.entities <= floor {
        return None;
    }
    if rest + w.text * cosine(&x.text, &y.text) + w.entities <= floor {
        return None;
    }
    let (named_x, named_y) = (
        |t: u64| x.entity_sum.contains_key(&t),
        |t: u64| y.entity_sum.contains_key(&t),
    );
    Some(score(w, &x.view(&named_x), &y.view(&named_y), days, age, false)).filter(|p| *p > floor)
}

/// Once every article is placed: stories whose own evidence agrees, close in time, merge,
/// best pairs first, each pair scored again on the stories as they are by then.
fn regroup(stories: &mut [Story], merged_into: &mut [usize], options: &Options) {
    let floor = options.weights.regroup;
    for (_, a, b) in story_pairs(stories, merged_into, options, floor, options.max_span_seconds) {
        let (a, b) = (live(a, merged_into), live(b, merged_into));
        if a == b || pair_score(stories, a, b, options, options.max_span_seconds, floor).is_none() {
            continue;
        }
        let (keep, gone) = (a.min(b), a.max(b));
        merged_into[gone] = keep;
        let absorbed = std::mem::take(&mut stories[gone]);
        stories[keep].absorb(absorbed);
    }
}

/// The story a story was merged into, at the end of the chain.
fn live(mut s: usize, merged_into: &[usize]) -> usize {
    while merged_into[s] != s {
        s = merged_into[s];
    }
    s
}

/// Text terms of a story through which another story may find it when regrouping.
const REGROUP_TERMS: usize = 10;
/// Stories a term may list and still find regrouping candidates.
const MAX_REGROUP_POSTING: usize = 64;
/// Related stories kept per story.
pub const RELATED_STORIES: usize = 5;
/// How far apart related stories may lie (first article to last).
const RELATED_SECONDS: i64 = 7 * 24 * 3600;

/// Each article's story, the stories' members in time order, their centroids and related
/// stories.
pub(crate) fn assign(
    docs: &[Doc<'_>],
    copy_of: &[Option<usize>],
    options: &Options,
    templates: &Templates,
) -> Assignment {
    let w = &options.weights;
    let evidence = evidence(docs, templates);
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| docs[a].time.cmp(&docs[b].time).then(docs[a].id.cmp(docs[b].id)));

    let mut story_of: Vec<Option<usize>> = vec![None; docs.len()];
    let mut stories: Vec<Story> = Vec::new();
    let mut merged_into: Vec<usize> = Vec::new();
    let mut postings: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    let mut group_story: FxHashMap<usize, usize> = FxHashMap::default();
    for &i in &order {
        let doc = &docs[i];
        let e = &evidence[i];
        // A copy group (origin and copies) is one story: the first member to arrive decides.
        let group = copy_of[i].unwrap_or(i);
        let copy_story = group_story.get(&group).map(|&s| live(s, &merged_into));
        let mut scored: Vec<(f32, usize)> = Vec::new();
        if copy_story.is_none() {
            let named_e = |t: u64| e.entities.contains_key(&t);
            let article = View {
                text: &e.text,
                entities: &e.entities,
                title: &e.title,
                named: &named_e,
                share: e.share,
            };
            // Term at a time: each open story sharing a term gets its part of the text dot
            // product (exact: a story is listed under every term of its centroid) and of the
            // entity one (through the article's heaviest entities only).
            let mut looked: Vec<u64> = heaviest(&e.entities, LOOKUP_ENTITIES);
            looked.extend(
                e.title
                    .iter()
                    .filter(|t| !looked.contains(t))
                    .copied()
                    .collect::<Vec<_>>(),
            );
            let rest: f32 = e
                .entities
                .iter()
                .filter(|(t, _)| !looked.contains(t))
                .map(|(_, w)| w * w)
                .sum::<f32>()
                .sqrt();
            let mut partial: FxHashMap<usize, (f32, f32)> = FxHashMap::default();
            let lookups = e.text.iter().map(|(t, w)| (*t, *w, false)).chain(
                looked
                    .iter()
                    .map(|t| (*t, e.entities.get(t).copied().unwrap_or(0.0), true)),
            );
            for (term, weight, entity) in lookups {
                let Some(list) = postings.get_mut(&term) else { continue };
                // Articles come in time order, so a story closed to this one is closed to
                // every later one: drop it from the list for good (this keeps the lists, and
                // the work per article, bounded by the stories open at a time).
                list.retain(|&s| {
                    let s = live(s, &merged_into);
                    stories[s].last >= doc.time - options.window_seconds
                        && stories[s].first >= doc.time - options.max_span_seconds
                });
                for &s in list.iter() {
                    let s = live(s, &merged_into);
                    let entry = partial.entry(s).or_default();
                    if entity {
                        entry.1 += weight * stories[s].entities.get(&term).copied().unwrap_or(0.0);
                    } else {
                        entry.0 += weight * stories[s].text.get(&term).copied().unwrap_or(0.0);
                    }
                }
            }
            for (s, (text, entities)) in partial {
                let story = &stories[s];
                let days = (doc.time - story.last) as f32 / 86_400.0;
                let age = story.age(doc.time);
                let same_source = story.sources.contains(&e.source);
                // The most the score could be: skip the exact one when that is not enough.
                let bound = w.text * text
                    + w.entities * (entities + rest).min(1.0)
                    + w.title_entity.max(0.0)
                    + w.informative * e.share.min(story.share())
                    - w.day * days.max(0.0)
                    - w.age * age.abs()
                    - if same_source { w.same_source } else { 0.0 }
                    + w.bias;
                if bound <= 0.0 {
                    continue;
                }
                let named_s = |t: u64| story.entity_sum.contains_key(&t);
                let p = score(w, &article, &story.view(&named_s), days, age, same_source);
                scored.push((p, s));
            }
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        let story = match (copy_story, scored.first()) {
            (Some(s), _) => s,
            (None, Some(&(p, s))) if p > 0.0 => {
                // A second story this close, whose own evidence agrees with the first's: they
                // were one story all along.
                for &(other_p, other) in scored.iter().skip(1) {
                    if other_p < w.merge {
                        break;
                    }
                    if other == s || merged_into[other] != other {
                        continue;
                    }
                    let (a, b) = (&stories[s], &stories[other]);
                    let (named_a, named_b) = (
                        |t: u64| a.entity_sum.contains_key(&t),
                        |t: u64| b.entity_sum.contains_key(&t),
                    );
                    let days = (a.first.max(b.first) - a.last.min(b.last)) as f32 / 86_400.0;
                    if score(w, &a.view(&named_a), &b.view(&named_b), days, a.age_gap(b), false) > 0.0 {
                        merged_into[other] = s;
                        let absorbed = std::mem::take(&mut stories[other]);
                        stories[s].absorb(absorbed);
                    }
                }
                s
            }
            _ => {
                stories.push(Story::default());
                merged_into.push(stories.len() - 1);
                stories.len() - 1
            }
        };
        story_of[i] = Some(story);
        group_story.insert(group, story);
        stories[story].add(e, doc.time);
        // Post the story under each centroid term it was not posted under yet.
        let current = &mut stories[story];
        let entities = heaviest(&current.entities, LOOKUP_ENTITIES);
        for term in current.text.keys().chain(&entities).chain(&current.title) {
            if current.posted.insert(*term) {
                postings.entry(*term).or_default().push(story);
            }
        }
    }
    regroup(&mut stories, &mut merged_into, options);
    // Number the live stories in order of their first article.
    let mut number: FxHashMap<usize, usize> = FxHashMap::default();
    let mut out = Assignment {
        story: vec![0; docs.len()],
        ..Assignment::default()
    };
    for &i in &order {
        let s = live(story_of[i].unwrap_or(0), &merged_into);
        let next = number.len();
        let k = *number.entry(s).or_insert(next);
        if k == out.stories.len() {
            out.stories.push(Vec::new());
            out.centroids.push(stories[s].text.clone());
        }
        out.story[i] = k;
        out.stories[k].push(i);
    }
    // Related stories: other angles of the event (a preview and its result, a reaction days
    // later) whose evidence agrees less than a story's members do.
    out.related = vec![Vec::new(); out.stories.len()];
    let floor = options.weights.related;
    for (_, a, b) in story_pairs(&stories, &merged_into, options, floor, RELATED_SECONDS) {
        let (Some(&x), Some(&y)) = (number.get(&a), number.get(&b)) else {
            continue;
        };
        for (from, to) in [(x, y), (y, x)] {
            if out.related[from].len() < RELATED_STORIES {
                out.related[from].push(to);
            }
        }
    }
    out
}

/// Where [`assign`] put each article.
#[derive(Debug, Default)]
pub(crate) struct Assignment {
    /// Story number of each article.
    pub story: Vec<usize>,
    /// Members of each story, in time order.
    pub stories: Vec<Vec<usize>>,
    /// Each story's centroid.
    pub centroids: Vec<FxHashMap<u64, f32>>,
    /// Each story's related stories, most related first.
    pub related: Vec<Vec<usize>>,
}
