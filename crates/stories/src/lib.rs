//! One story, many outlets: which articles copy which (syndicated agency dispatches), which
//! report the same story, and what each story is (title, summary).
//!
//! [`Fingerprinter`] turns an article into stems, word 4-gram shingles and a MinHash
//! signature ([`fingerprint`]); [`Templates`] learns the stock text outlets repeat from one
//! event to the next; [`cluster`] finds copy groups (MinHash LSH candidates, verified by
//! containment over what is not stock text, in time, with the same names) and stories (a
//! score of text, entities, time and outlet against the open stories, in time order; stories
//! regrouped when their own evidence agrees; related stories); [`summary`] picks the title
//! and an extractive summary. No I/O; the pipeline feeds articles from the store.
//!
//! ```
//! use akhbar_stories::{cluster, Doc, Fingerprinter, Options};
//! let mut f = Fingerprinter::default();
//! let body = "أعلن وزير الخارجية اليوم عن زيارة رسمية إلى الرباط لبحث التعاون الثنائي في مجالات الأمن والاقتصاد والطاقة.";
//! let prints = [f.fingerprint("زيارة", body), f.fingerprint("الوزير في الرباط", &format!("{body}\n\nاقرأ أيضا"))];
//! let docs: Vec<Doc> = prints.iter().enumerate().map(|(i, fingerprint)| Doc {
//!     id: ["a", "b"][i], source: None, time: i as i64, entities: &[], title_entities: &[], fingerprint,
//! }).collect();
//! let result = cluster(&docs, &Options::default());
//! assert_eq!(result.copy_of, [None, Some(0)]);
//! assert_eq!(result.story[0], result.story[1]);
//! ```
#![deny(missing_docs)]

mod assign;
mod cluster;
mod copies;
mod diff;
mod fingerprint;
mod idf;
mod summary;
mod templates;

pub use assign::Weights;
pub use cluster::{cluster, cluster_with, Clustering, Doc, Options, AGENCIES};
pub use copies::copies;
pub use diff::{paragraph_diff, Change};
pub use fingerprint::{
    containment, jaccard, sentences, Fingerprint, Fingerprinter, BANDS, MINHASH_SIZE, SHINGLE_WORDS,
};
pub use idf::Idf;
pub use summary::{representative, summary, SUMMARY_CHARS, SUMMARY_SENTENCES};
pub use templates::{Templates, STOCK_WORD_WEIGHT, TEMPLATE_DAYS};

/// A story's stable id from the id of its first article: `s` and 12 hex digits.
pub fn story_id(first_article: &str) -> String {
    format!("s{:012x}", xxhash_rust::xxh3::xxh3_64(first_article.as_bytes()) >> 16)
}
