//! Copies and stories over a set of articles.
//!
//! 1. **Stock text.** The shingles each outlet repeats on different days are learned
//!    ([`Templates`]): what formulaic releases share is no evidence that they report one event.
//! 2. **Copies** ([`copies`](crate::copies())): reprints of one text, judged on what is not
//!    stock text, within a few days of their origin.
//! 3. **Stories** ([`assign`](crate::assign)): articles in time order join the story their own
//!    evidence points to, a copy its origin's story.

use crate::assign::{assign, Weights};
use crate::copies::copies;
use crate::fingerprint::Fingerprint;
use crate::templates::Templates;
use rustc_hash::FxHashMap;

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
    /// Entity ids its title mentions (a subset of `entities`).
    pub title_entities: &'a [String],
    /// Its fingerprint.
    pub fingerprint: &'a Fingerprint,
}

/// Thresholds; the defaults are the ones `akhbar-eval stories` reports.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Containment, over the shingles that are not stock text, from which two articles are
    /// copies.
    pub copy_containment: f32,
    /// Share of all its shingles that a copy shares with its origin at least.
    pub link_containment: f32,
    /// Longest time between a copy and its origin.
    pub copy_window_seconds: i64,
    /// Lower containment that makes a copy when the titles agree too (a lightly reworded
    /// press release under a near-identical headline, within two days).
    pub reworded_containment: f32,
    /// Title similarity (Jaccard of title stems) that the lower containment needs.
    pub reworded_title: f32,
    /// Fewest shingles an article needs to be compared for copying (very short texts share
    /// their few 4-grams by chance).
    pub copy_min_shingles: usize,
    /// How the evidence that an article reports a story's event is weighed.
    pub weights: Weights,
    /// How far back a story stays open to new articles.
    pub window_seconds: i64,
    /// Longest time a story may span: a topic that runs for weeks (aid to Yemen, a football
    /// tournament) is many stories, not one.
    pub max_span_seconds: i64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            copy_containment: 0.6,
            link_containment: 0.3,
            copy_window_seconds: 3 * 24 * 3600,
            reworded_containment: 0.35,
            reworded_title: 0.5,
            copy_min_shingles: 8,
            weights: Weights::default(),
            window_seconds: 3 * 24 * 3600,
            max_span_seconds: 4 * 24 * 3600,
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
    /// Each story's centroid (stem hash → weight), for summaries.
    pub centroids: Vec<FxHashMap<u64, f32>>,
    /// Each story's related stories (other angles of its event), most related first.
    pub related: Vec<Vec<usize>>,
}

/// Copies and stories for `docs`.
pub fn cluster(docs: &[Doc<'_>], options: &Options) -> Clustering {
    let templates = Templates::learn(docs);
    cluster_with(docs, options, &templates)
}

/// Copies and stories for `docs`, with these stock shingles.
pub fn cluster_with(docs: &[Doc<'_>], options: &Options, templates: &Templates) -> Clustering {
    let copy_of = copies(docs, options, templates);
    let assigned = assign(docs, &copy_of, options, templates);
    Clustering {
        story: assigned.story,
        copy_of,
        stories: assigned.stories,
        centroids: assigned.centroids,
        related: assigned.related,
    }
}
