//! The pipeline: runs akhbar's steps in order. The command line and the server both call it;
//! no other crate knows the order.
//!
//! [`ingest`] reads files and folders (`fetch`), turns each item into an article
//! (`extract`), gives it its stable id and stores batches of them (`store`), reporting per
//! item what was new, already present or failed, and never stopping for one bad item.
//! [`add_source`] follows a feed (discovering it from a page when needed), [`import_opml`]
//! follows a subscription list, and [`poll`] fetches the due feeds and ingests their new
//! entries through the same steps, fetching the article page when a feed gives a summary.
//!
//! ```
//! use akhbar_pipeline::{ingest, IngestOptions, NoProgress};
//! use std::sync::atomic::AtomicBool;
//!
//! let dir = tempfile::tempdir()?;
//! let article = dir.path().join("a.txt");
//! std::fs::write(&article, "عنوان الخبر\n\nنص الخبر")?;
//! let mut store = akhbar_store::Store::open(&dir.path().join("data"))?;
//! let report = ingest(&mut store, &[article.clone()], &IngestOptions::default(), &NoProgress, &AtomicBool::new(false))?;
//! assert_eq!((report.new, report.existing, report.failed.len()), (1, 0, 0));
//! let again = ingest(&mut store, &[article], &IngestOptions::default(), &NoProgress, &AtomicBool::new(false))?;
//! assert_eq!((again.new, again.existing), (0, 1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod alerts;
mod ingest;
mod poll;
mod reindex;
mod sources;
mod stories;

pub use alerts::{send_alerts, send_digests, signature, AlertOptions, AlertReport, AlertState, Mailer};
pub use ingest::{ingest, read_files, store_tagged, tag, Failure, IngestOptions, IngestReport, NoProgress, Progress};
pub use poll::{poll, PollOptions, PollReport, SourcePoll};
pub use reindex::reindex;
pub use stories::{update_stories, update_stories_with, StoriesReport};

/// The entity recognizer, loaded once (the embedded model is checked by akhbar-entities'
/// tests).
pub(crate) fn recognizer() -> &'static akhbar_entities::Recognizer {
    static RECOGNIZER: std::sync::LazyLock<akhbar_entities::Recognizer> = std::sync::LazyLock::new(|| {
        akhbar_entities::Recognizer::embedded().expect("the embedded entity model loads (tested)")
    });
    &RECOGNIZER
}
pub use sources::{add_source, import_opml, AddError, ImportReport, DEFAULT_INTERVAL_SECONDS};
