//! [`Store`]: opening, adding, reading, statistics and re-indexing.

use crate::database::{Database, Row};
use crate::index::SearchIndex;
use crate::Error;
use akhbar_arabic::Analyzer;
use akhbar_model::{Article, ArticleId};
use std::path::{Path, PathBuf};

/// Version of the on-disk layout (database schema and index schema). Bumped on any change;
/// a store with a newer version is refused.
pub const FORMAT_VERSION: u32 = 4;

/// How long [`Store::close`] waits for index merges. Merging the segments of a
/// million-article ingest took longer than 9 minutes on a busy 2-core machine, and a user
/// should not wait for an optimization.
pub const MERGE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(20);

const META_FORMAT: &str = "format_version";
const META_ANALYZER: &str = "analyzer_version";

/// The embedded store in one data folder; see the crate documentation.
pub struct Store {
    dir: PathBuf,
    database: Database,
    pub(crate) index: SearchIndex,
    analyzer: Analyzer,
    /// The analyzer version the index was built with, when it is not this binary's.
    stale_analyzer: Option<String>,
    /// Analyzed words of the bodies snippets were built from.
    pub(crate) snippet_cache: std::sync::Mutex<akhbar_arabic::Cache>,
}

/// An article to add: its id, the article, where it was read, and its text before
/// boilerplate removal when some was removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewArticle {
    /// The stable id.
    pub id: ArticleId,
    /// The article as it will be shown and indexed.
    pub article: Article,
    /// `path:line` or URL.
    pub origin: Option<String>,
    /// The body before the source's recurring lines were removed (kept, not indexed).
    pub raw_body: Option<String>,
    /// People, places and organizations it mentions.
    pub entities: Vec<akhbar_entities::Entity>,
}

impl NewArticle {
    /// An article with nothing removed but what no text should carry: control characters
    /// and bidi overrides ([`akhbar_model::clean_text`]), so pages, feeds and terminals
    /// show every stored text as it reads.
    pub fn new(id: ArticleId, mut article: Article, origin: Option<String>) -> NewArticle {
        article.clean();
        NewArticle {
            id,
            article,
            origin,
            raw_body: None,
            entities: Vec::new(),
        }
    }
}

/// What [`Store::add`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Added {
    /// Articles stored for the first time.
    pub new: usize,
    /// Articles whose id was already in the store (nothing changed).
    pub existing: usize,
}

/// One stored article with its store metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredArticle {
    /// Its id.
    pub id: ArticleId,
    /// The article.
    pub article: Article,
    /// Where it was ingested from (`path:line` or URL).
    pub origin: Option<String>,
    /// When it was ingested (RFC 3339).
    pub ingested_at: String,
}

/// Counts and sizes for `akhbar stats`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// The data folder.
    pub data_dir: String,
    /// Articles stored.
    pub articles: u64,
    /// Distinct sources.
    pub sources: u64,
    /// Articles per source, largest first (`null` source for articles without one).
    pub per_source: Vec<(Option<String>, u64)>,
    /// Earliest article date.
    pub first_date: Option<String>,
    /// Latest article date.
    pub last_date: Option<String>,
    /// Documents in the search index (equal to `articles` once the index is caught up).
    pub index_documents: u64,
    /// Size of the search index in bytes.
    pub index_bytes: u64,
    /// Size of the metadata database in bytes (with its write-ahead log).
    pub database_bytes: u64,
    /// The analyzer version the index was built with.
    pub analyzer_version: String,
    /// True when the index must be rebuilt with `akhbar reindex`.
    pub reindex_needed: bool,
    /// Articles with no story yet (the next write's story step places them).
    pub stories_pending: u64,
}

/// Articles per index commit when catching up or re-indexing.
const REINDEX_BATCH: usize = 2000;

impl Store {
    /// Opens an existing store for reading: a folder that holds no store is
    /// [`Error::NoStore`] (rather than a new empty store left behind by a typo in `--data`).
    pub fn open_existing(dir: &Path) -> Result<Store, Error> {
        if !dir.join("akhbar.sqlite").is_file() {
            return Err(Error::NoStore {
                path: dir.to_path_buf(),
            });
        }
        Store::open(dir)
    }

    /// Opens the store in `dir`, creating it if needed.
    ///
    /// Opening never rebuilds anything by itself; writing ([`Store::add`]) first indexes any
    /// rows a crash left unindexed.
    pub fn open(dir: &Path) -> Result<Store, Error> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
        let database = Database::open(&dir.join("akhbar.sqlite"))?;
        let format: u32 = database
            .get_meta(META_FORMAT)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if format > FORMAT_VERSION {
            return Err(Error::NewerFormat {
                path: dir.to_path_buf(),
                found: format,
                expected: FORMAT_VERSION,
            });
        }
        let expected = akhbar_arabic::version_id();
        let mut stale_analyzer = match database.get_meta(META_ANALYZER)? {
            None => {
                database.set_meta(META_ANALYZER, &expected)?;
                None
            }
            Some(found) if found == expected => None,
            Some(found) => Some(found),
        };
        if format == 0 {
            database.set_meta(META_FORMAT, &FORMAT_VERSION.to_string())?;
        } else if format < FORMAT_VERSION {
            // An older layout: the index lacks fields this version fills (entities, format 3;
            // the lead's stems, format 4). It is derived data: drop it; `reindex` rebuilds it
            // and records the format.
            let index_dir = dir.join("index");
            if index_dir.exists() {
                std::fs::remove_dir_all(&index_dir).map_err(|source| Error::Folder {
                    path: index_dir.clone(),
                    source,
                })?;
            }
            let analyzer = stale_analyzer.take().unwrap_or_else(|| expected.clone());
            stale_analyzer = Some(format!("{analyzer} (store format {format})"));
        }
        let analyzer = Analyzer::default();
        let index = SearchIndex::open(&dir.join("index"), dir, &analyzer)?;
        Ok(Store {
            dir: dir.to_path_buf(),
            database,
            index,
            analyzer,
            stale_analyzer,
            snippet_cache: Default::default(),
        })
    }

    /// The analyzer the index uses.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    pub(crate) fn index(&self) -> &SearchIndex {
        &self.index
    }

    pub(crate) fn database(&self) -> &Database {
        &self.database
    }

    pub(crate) fn database_mut(&mut self) -> &mut Database {
        &mut self.database
    }

    /// Fails when the index needs a rebuild.
    pub(crate) fn check_analyzer(&self) -> Result<(), Error> {
        match &self.stale_analyzer {
            Some(found) => Err(Error::ReindexNeeded {
                path: self.dir.clone(),
                found: found.clone(),
                expected: akhbar_arabic::version_id(),
            }),
            None => Ok(()),
        }
    }

    /// Indexes rows the database has and the index lacks (after a crash). Returns how many.
    fn catch_up(&mut self) -> Result<u64, Error> {
        let committed = self.index.committed_seq()?;
        if committed >= self.database.max_seq()? {
            return Ok(0);
        }
        let mut n = 0;
        let index = &mut self.index;
        self.database.for_each_after(committed, REINDEX_BATCH, &mut |rows| {
            index.add_rows(&rows)?;
            n += rows.len() as u64;
            let last = rows.last().map_or(committed, |r| r.seq);
            index.commit(last)
        })?;
        tracing::info!(
            articles = n,
            "indexed articles a previous run had stored but not indexed"
        );
        Ok(n)
    }

    /// Indexes what the database has and the index lacks (a writer killed between its two
    /// commits), when anything is missing and no other process is writing; the write lock
    /// is given back afterwards unless this handle held it already. Returns how many.
    pub fn index_missing(&mut self) -> Result<u64, Error> {
        self.check_analyzer()?;
        if self.index.committed_seq()? >= self.database.max_seq()? {
            return Ok(0);
        }
        let held = self.index.has_writer();
        self.index.writer()?;
        let result = self.catch_up();
        if !held {
            self.index.release_writer();
        }
        result
    }

    /// Stores the articles that are new, indexes them and commits both. Articles whose id is
    /// already stored are counted as existing and left as they are.
    ///
    /// When this returns `Ok`, the new articles are durable in the database and searchable.
    pub fn add(&mut self, articles: Vec<NewArticle>) -> Result<Added, Error> {
        self.check_analyzer()?;
        if !self.index.has_writer() {
            self.index.writer()?;
            self.catch_up()?;
        }
        let (rows, existing) = self.database.insert_new(articles)?;
        let added = Added {
            new: rows.len(),
            existing,
        };
        if let Some(last) = rows.last().map(|r| r.seq) {
            self.index.add_rows(&rows)?;
            self.index.commit(last)?;
        }
        Ok(added)
    }

    /// One article by id.
    pub fn get(&self, id: &str) -> Result<Option<StoredArticle>, Error> {
        Ok(self.database.get(id)?.map(|row: Row| StoredArticle {
            id: row.id,
            article: row.article,
            origin: row.origin,
            ingested_at: row.ingested_at,
        }))
    }

    /// Per-source boilerplate learning: for each `(id, source, edge lines)` of an article not
    /// stored yet, counts one more article of the source opening or closing with each line
    /// and returns the counts (`None` for an article already stored).
    pub fn observe_edge_lines(
        &mut self,
        observations: &[(&str, &str, Vec<String>)],
    ) -> Result<Vec<Option<Vec<u64>>>, Error> {
        self.database.observe_edge_lines(observations)
    }

    /// A value kept in the store for another part of akhbar (a cluster replica's id), `None`
    /// when unset. Keys are namespaced by their user (`cluster.replica`).
    pub fn meta(&self, key: &str) -> Result<Option<String>, Error> {
        self.database.get_meta(key)
    }

    /// Sets a value [`Store::meta`] reads.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), Error> {
        self.database.set_meta(key, value)
    }

    /// The body of an article as it was read, when boilerplate was removed from it.
    pub fn raw_body(&self, id: &str) -> Result<Option<String>, Error> {
        self.database.raw_body(id)
    }

    /// Number of stored articles: the cheap part of [`Store::stats`] (no per-source or date
    /// scan), for health checks and metrics.
    pub fn article_count(&self) -> Result<u64, Error> {
        self.database.count()
    }

    /// Whether the store answers: articles in the database and documents the search index
    /// counts, each read for the asking (for `/healthz`).
    pub fn health(&self) -> Result<(u64, u64), Error> {
        let articles = self.database.count()?;
        let searcher = self.index.reader.searcher();
        let documents = searcher
            .search(&tantivy::query::AllQuery, &tantivy::collector::Count)
            .map_err(|source| Error::Index {
                path: self.index.path().to_path_buf(),
                source,
            })?;
        Ok((articles, documents as u64))
    }

    /// Counts and sizes.
    pub fn stats(&self) -> Result<Stats, Error> {
        let per_source = self.database.source_counts()?;
        let (first_date, last_date) = self.database.date_range()?;
        let database_bytes = ["akhbar.sqlite", "akhbar.sqlite-wal"]
            .iter()
            .filter_map(|name| std::fs::metadata(self.dir.join(name)).ok())
            .map(|m| m.len())
            .sum();
        Ok(Stats {
            data_dir: self.dir.display().to_string(),
            articles: self.database.count()?,
            sources: per_source.iter().filter(|(s, _)| s.is_some()).count() as u64,
            per_source,
            first_date,
            last_date,
            index_documents: self.index.reader.searcher().num_docs(),
            index_bytes: self.index.size_bytes(),
            database_bytes,
            analyzer_version: self.stale_analyzer.clone().unwrap_or_else(akhbar_arabic::version_id),
            reindex_needed: self.stale_analyzer.is_some(),
            stories_pending: self.stories_pending()?,
        })
    }

    /// Rebuilds the whole index from the database with this binary's analyzer, calling
    /// `progress(done, total)` after each commit. Returns the number of articles indexed.
    pub fn reindex(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64, Error> {
        let total = self.database.count()?;
        self.index.delete_all()?;
        self.index.commit(0)?;
        let mut done = 0;
        let index = &mut self.index;
        self.database.for_each_after(0, REINDEX_BATCH, &mut |rows| {
            index.add_rows(&rows)?;
            done += rows.len() as u64;
            index.commit(rows.last().map_or(0, |r| r.seq))?;
            progress(done, total);
            Ok(())
        })?;
        self.database.set_meta(META_ANALYZER, &akhbar_arabic::version_id())?;
        self.database.set_meta(META_FORMAT, &FORMAT_VERSION.to_string())?;
        self.stale_analyzer = None;
        Ok(done)
    }

    /// Waits for background index merges, at most [`MERGE_PATIENCE`]; call at the end of a
    /// long ingest. A merge that takes longer is left to finish on its own, or to be redone
    /// by a later writer: nothing committed depends on it. Returns whether every merge
    /// finished.
    pub fn close(self) -> Result<bool, Error> {
        self.index.finish(MERGE_PATIENCE)
    }
}

#[cfg(test)]
mod tests;
