//! The story step: copies and story clusters for new articles (and the stories they join),
//! or for the whole store.

use akhbar_store::{Store, StoryUpdate};
use akhbar_stories::{
    cluster_with, representative, story_id, summary, Doc, Fingerprint, Fingerprinter, Options, Templates,
};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::time::Instant;

/// Entities listed per story.
const STORY_ENTITIES: usize = 6;

/// What a story update did. Field names are part of `akhbar stories --recompute --json`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct StoriesReport {
    /// Articles clustered.
    pub articles: usize,
    /// Stories they form.
    pub stories: usize,
    /// Articles found to copy another.
    pub copies: usize,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// Clusters the articles that have no story yet together with the recent articles and
/// stories they may join (`all`: the whole store).
pub fn update_stories(store: &mut Store, all: bool) -> Result<StoriesReport, akhbar_store::Error> {
    update_stories_with(store, all, &Options::default())
}

/// [`update_stories`] with other thresholds (for evaluations).
pub fn update_stories_with(
    store: &mut Store,
    all: bool,
    options: &Options,
) -> Result<StoriesReport, akhbar_store::Error> {
    let started = Instant::now();
    let options = *options;
    // Articles stored from here on are left for the next run.
    let through = store.max_seq()?;
    let first = if all {
        store.earliest_time()?
    } else {
        store.unassigned_since()?
    };
    let (Some(first), Some(latest)) = (first, store.latest_time()?) else {
        store.stories_done_through(through)?;
        return Ok(StoriesReport::default());
    };
    // Slice by slice in time, each with the days before it that its articles may join: memory
    // stays bounded by a slice, whatever the archive's size.
    let mut report = StoriesReport::default();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut stories = rustc_hash::FxHashMap::default();
    let mut copies = rustc_hash::FxHashSet::default();
    let mut start = first;
    // Fingerprints of the days a slice shares with the next, by sequence number.
    let mut carried: FxHashMap<i64, Fingerprint> = FxHashMap::default();
    while start <= latest {
        let end = start + SLICE_SECONDS;
        let slice = update_window(store, &options, (start - options.window_seconds, end), &mut carried)?;
        // A later slice may regroup articles of the one before: the last word stands.
        for (seq, story, copy) in slice.members {
            seen.insert(seq);
            stories.insert(seq, story);
            if copy {
                copies.insert(seq);
            } else {
                copies.remove(&seq);
            }
        }
        start = end;
    }
    store.stories_done_through(through)?;
    report.articles = seen.len();
    report.stories = stories.values().collect::<rustc_hash::FxHashSet<_>>().len();
    report.copies = copies.len();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// How long stock text learned earlier is remembered, in days.
const STOCK_MEMORY_DAYS: i64 = 60;

/// A week of articles per clustering pass.
const SLICE_SECONDS: i64 = 7 * 24 * 3600;

struct Slice {
    /// (sequence number, story id, is a copy) of every article clustered.
    members: Vec<(i64, String, bool)>,
}

fn update_window(
    store: &mut Store,
    options: &Options,
    (since, until): (i64, i64),
    carried: &mut FxHashMap<i64, Fingerprint>,
) -> Result<Slice, akhbar_store::Error> {
    let options = *options;
    let inputs = store.story_window(Some(since), Some(until))?;
    let fresh: Vec<Option<Fingerprint>> = inputs
        .par_iter()
        .map_init(Fingerprinter::default, |f, input| {
            (!carried.contains_key(&input.seq)).then(|| f.fingerprint(&input.title, &input.body))
        })
        .collect();
    let fingerprints: Vec<Fingerprint> = inputs
        .iter()
        .zip(fresh)
        .map(|(input, fresh)| fresh.or_else(|| carried.remove(&input.seq)).unwrap_or_default())
        .collect();
    let docs: Vec<Doc> = inputs
        .iter()
        .zip(&fingerprints)
        .map(|(input, fingerprint)| Doc {
            id: input.id.as_str(),
            source: input.source.as_deref(),
            time: input.time,
            entities: &input.entities,
            title_entities: &input.title_entities,
            fingerprint,
        })
        .collect();
    // Stock text: what this window's outlets repeat on different days, and what they were
    // seen repeating in the weeks before (kept by the store).
    let mut templates = Templates::learn(&docs);
    let learned: Vec<u64> = templates.iter().collect();
    let day = |t: i64| t.div_euclid(24 * 3600);
    templates.extend(store.stock_shingles(day(since) - STOCK_MEMORY_DAYS)?);
    let result = cluster_with(&docs, &options, &templates);
    if let Some(latest) = docs.iter().map(|d| d.time).max() {
        store.add_stock_shingles(&learned, day(latest))?;
    }
    let prints: Vec<_> = fingerprints.iter().collect();
    let titles: Vec<&str> = inputs.iter().map(|i| i.title.as_str()).collect();
    let bodies: Vec<&str> = inputs.iter().map(|i| i.body.as_str()).collect();
    let story_ids: Vec<String> = result
        .stories
        .iter()
        .map(|members| story_id(inputs[members[0]].id.as_str()))
        .collect();
    // Each story's face (title, summary, main entities), on all cores.
    let faces: Vec<(String, String, Vec<String>)> = result
        .stories
        .par_iter()
        .enumerate()
        .map(|(k, members)| {
            let centroid = &result.centroids[k];
            let title =
                titles[members[representative(members, &prints, &titles, &result.copy_of, centroid)]].to_string();
            let summary = summary(members, &prints, &bodies, centroid);
            let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
            for &m in members {
                for entity in &inputs[m].entities {
                    *counts.entry(entity.as_str()).or_default() += 1;
                }
            }
            let mut top: Vec<(&str, usize)> = counts.into_iter().collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let ids: Vec<String> = top
                .into_iter()
                .take(STORY_ENTITIES)
                .map(|(id, _)| id.to_string())
                .collect();
            (title, summary, ids)
        })
        .collect();
    let mut updates = Vec::with_capacity(result.stories.len());
    let mut wanted_names: Vec<String> = Vec::new();
    let mut story_entities: Vec<Vec<String>> = Vec::new();
    for ((k, members), (title, summary, ids)) in result.stories.iter().enumerate().zip(faces) {
        wanted_names.extend(ids.iter().cloned());
        story_entities.push(ids);
        updates.push(StoryUpdate {
            id: story_ids[k].clone(),
            related: result.related[k].iter().map(|&r| story_ids[r].clone()).collect(),
            title,
            summary,
            entities: Vec::new(),
            members: members
                .iter()
                .map(|&m| {
                    (
                        inputs[m].seq,
                        result.copy_of[m].map(|o| inputs[o].id.as_str().to_string()),
                    )
                })
                .collect(),
        });
    }
    wanted_names.sort();
    wanted_names.dedup();
    let names = store.entity_names(&wanted_names)?;
    for (update, ids) in updates.iter_mut().zip(story_entities) {
        update.entities = ids.iter().filter_map(|id| names.get(id).cloned()).collect();
    }
    store.write_stories(&updates)?;
    // The next slice looks back as far as this one reaches, less its own length.
    carried.clear();
    carried.extend(
        inputs
            .iter()
            .zip(fingerprints)
            .filter(|(input, _)| input.time >= until - options.window_seconds)
            .map(|(input, fingerprint)| (input.seq, fingerprint)),
    );
    let members = updates
        .iter()
        .flat_map(|u| {
            u.members
                .iter()
                .map(move |(seq, copy_of)| (*seq, u.id.clone(), copy_of.is_some()))
        })
        .collect();
    Ok(Slice { members })
}
