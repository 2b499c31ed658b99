//! The story step: copies and story clusters for new articles (and the stories they join),
//! or for the whole store.

use akhbar_store::{Store, StoryUpdate};
use akhbar_stories::{cluster, representative, story_id, summary, Doc, Fingerprinter, Options};
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
    let started = Instant::now();
    let options = Options::default();
    let since = if all {
        None
    } else {
        match store.unassigned_since()? {
            None => return Ok(StoriesReport::default()),
            Some(earliest) => Some(earliest - options.window_seconds),
        }
    };
    let inputs = store.story_window(since)?;
    let fingerprints: Vec<_> = inputs
        .par_iter()
        .map_init(Fingerprinter::default, |f, input| {
            f.fingerprint(&input.title, &input.body)
        })
        .collect();
    let docs: Vec<Doc> = inputs
        .iter()
        .zip(&fingerprints)
        .map(|(input, fingerprint)| Doc {
            id: input.id.as_str(),
            source: input.source.as_deref(),
            time: input.time,
            entities: &input.entities,
            fingerprint,
        })
        .collect();
    let result = cluster(&docs, &options);
    let prints: Vec<_> = fingerprints.iter().collect();
    let titles: Vec<&str> = inputs.iter().map(|i| i.title.as_str()).collect();
    let bodies: Vec<&str> = inputs.iter().map(|i| i.body.as_str()).collect();
    let mut updates = Vec::with_capacity(result.stories.len());
    let mut wanted_names: Vec<String> = Vec::new();
    let mut story_entities: Vec<Vec<String>> = Vec::new();
    for (k, members) in result.stories.iter().enumerate() {
        let centroid = &result.centroids[k];
        let title = titles[members[representative(members, &prints, &titles, centroid)]].to_string();
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
        wanted_names.extend(ids.iter().cloned());
        story_entities.push(ids);
        updates.push(StoryUpdate {
            id: story_id(inputs[members[0]].id.as_str()),
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
    Ok(StoriesReport {
        articles: inputs.len(),
        stories: updates.len(),
        copies: result.copy_of.iter().filter(|c| c.is_some()).count(),
        seconds: started.elapsed().as_secs_f64(),
    })
}
