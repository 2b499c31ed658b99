//! Consistency of the two halves of the store (`akhbar check`), and the export of what it holds.

use crate::store::Store;
use crate::{Error, StoredArticle};
use std::collections::HashMap;

/// How many example sequence numbers a [`Check`] lists per kind of problem.
const EXAMPLES: usize = 10;

/// What [`Store::check`] found. The store is consistent when [`Check::ok`] holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    /// Articles in the database.
    pub articles: u64,
    /// Live documents in the search index.
    pub index_documents: u64,
    /// The highest database sequence number the last index commit covers.
    pub index_covers_seq: i64,
    /// Articles stored after the last index commit (a crash between the two commits): the
    /// next write indexes them. Not an inconsistency.
    pub pending: u64,
    /// Articles with no story yet: the next write's story step places them. Not an
    /// inconsistency.
    pub stories_pending: u64,
    /// Articles the index should cover but lacks (example sequence numbers).
    pub missing_from_index: Vec<i64>,
    /// How many such articles.
    pub missing_count: u64,
    /// Index documents whose article is not in the database.
    pub orphans_in_index: Vec<i64>,
    /// How many such documents.
    pub orphan_count: u64,
    /// Sequence numbers indexed more than once.
    pub duplicated_in_index: Vec<i64>,
    /// How many extra documents.
    pub duplicate_count: u64,
    /// SQLite's `PRAGMA integrity_check` answer (`"ok"` when sound).
    pub database_integrity: String,
    /// True when nothing above is wrong.
    pub ok: bool,
}

impl Store {
    /// Compares every index document with the database, and checks the database file.
    /// Reads only: it can run beside a writer.
    pub fn check(&self) -> Result<Check, Error> {
        let database = self.database();
        let covers = self.index.committed_seq()?;
        let seqs = database.all_seqs()?;
        let mut indexed: HashMap<i64, u32> = HashMap::with_capacity(seqs.len());
        let searcher = self.index.reader.searcher();
        let wrap = |source| Error::Index {
            path: self.index.path().to_path_buf(),
            source,
        };
        let mut index_documents = 0u64;
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64("seq").map_err(wrap)?;
            for doc in segment.doc_ids_alive() {
                index_documents += 1;
                for seq in column.values_for_doc(doc) {
                    *indexed.entry(seq as i64).or_default() += 1;
                }
            }
        }
        let mut check = Check {
            articles: seqs.len() as u64,
            index_documents,
            index_covers_seq: covers,
            database_integrity: database.integrity_check()?,
            stories_pending: self.stories_pending()?,
            ..Check::default()
        };
        for &seq in &seqs {
            match indexed.remove(&seq) {
                None if seq > covers => check.pending += 1,
                None => {
                    check.missing_count += 1;
                    if check.missing_from_index.len() < EXAMPLES {
                        check.missing_from_index.push(seq);
                    }
                }
                Some(1) => {}
                Some(n) => {
                    check.duplicate_count += u64::from(n - 1);
                    if check.duplicated_in_index.len() < EXAMPLES {
                        check.duplicated_in_index.push(seq);
                    }
                }
            }
        }
        let mut orphans: Vec<(i64, u32)> = indexed.into_iter().collect();
        orphans.sort_unstable();
        check.orphan_count = orphans.iter().map(|&(_, n)| u64::from(n)).sum();
        check.orphans_in_index = orphans.iter().take(EXAMPLES).map(|&(seq, _)| seq).collect();
        check.ok = check.missing_count == 0
            && check.orphan_count == 0
            && check.duplicate_count == 0
            && check.database_integrity == "ok";
        Ok(check)
    }

    /// Up to `limit` stored articles after sequence number `after_seq`, in ingest order, each
    /// with its sequence number and the ids of the entities it mentions: a whole-store walk
    /// for `akhbar export` and re-annotation.
    pub fn articles_after(&self, after_seq: i64, limit: usize) -> Result<Vec<ExportedArticle>, Error> {
        Ok(self
            .database()
            .rows_after(after_seq, limit.max(1))?
            .into_iter()
            .map(|row| ExportedArticle {
                seq: row.seq,
                entities: row.entities,
                stored: StoredArticle {
                    id: row.id,
                    article: row.article,
                    origin: row.origin,
                    ingested_at: row.ingested_at,
                },
            })
            .collect())
    }
}

/// One article of [`Store::articles_after`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedArticle {
    /// Its database sequence number (ingest order).
    pub seq: i64,
    /// The article.
    pub stored: StoredArticle,
    /// Ids of the entities it mentions.
    pub entities: Vec<String>,
}
