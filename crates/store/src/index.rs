//! The tantivy side of the store: documents derived from database rows.

use crate::database::Row;
use crate::schema::{self, Fields};
use crate::Error;
use akhbar_arabic::Analyzer;
use std::path::{Path, PathBuf};
use tantivy::directory::error::LockError;
use tantivy::{doc, DateTime, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError};

/// Memory the index writer may use before it flushes a segment, shared by its threads.
const WRITER_MEMORY_BYTES: usize = 192 * 1024 * 1024;

pub struct SearchIndex {
    pub index: Index,
    pub fields: Fields,
    pub reader: IndexReader,
    writer: Option<IndexWriter>,
    path: PathBuf,
    data_dir: PathBuf,
    /// The opstamp of the commit `reader` last loaded: [`SearchIndex::refresh`] reloads only
    /// when a newer commit exists.
    loaded_opstamp: std::sync::Mutex<Option<u64>>,
}

impl SearchIndex {
    pub fn open(path: &Path, data_dir: &Path, analyzer: &Analyzer) -> Result<SearchIndex, Error> {
        let wrap = |source| Error::Index {
            path: path.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(path).map_err(|source| Error::Folder {
            path: path.to_path_buf(),
            source,
        })?;
        let directory = tantivy::directory::MmapDirectory::open(path).map_err(|e| wrap(TantivyError::from(e)))?;
        let index = if Index::exists(&directory).map_err(|e| wrap(TantivyError::from(e)))? {
            Index::open(directory).map_err(wrap)?
        } else {
            let (schema, _) = schema::build();
            Index::create(directory, schema, tantivy::IndexSettings::default()).map_err(wrap)?
        };
        let fields = schema::fields_of(&index.schema()).map_err(wrap)?;
        schema::register_tokenizers(&index, analyzer);
        // Read before the reader loads: a commit in between is then seen as new.
        let opstamp = index.load_metas().ok().map(|m| m.opstamp);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(wrap)?;
        Ok(SearchIndex {
            index,
            fields,
            reader,
            writer: None,
            loaded_opstamp: std::sync::Mutex::new(opstamp),
            path: path.to_path_buf(),
            data_dir: data_dir.to_path_buf(),
        })
    }

    fn wrap(&self, source: TantivyError) -> Error {
        Error::Index {
            path: self.path.clone(),
            source,
        }
    }

    /// The highest database sequence number the last index commit covers.
    pub fn committed_seq(&self) -> Result<i64, Error> {
        let metas = self.index.load_metas().map_err(|e| self.wrap(e))?;
        Ok(metas.payload.and_then(|p| p.parse().ok()).unwrap_or(0))
    }

    /// Takes the index's write lock, once. Another process holding it is [`Error::Locked`].
    pub fn writer(&mut self) -> Result<&mut IndexWriter, Error> {
        if self.writer.is_none() {
            let threads = std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .clamp(1, 4);
            let writer = match self.index.writer_with_num_threads(threads, WRITER_MEMORY_BYTES) {
                Ok(writer) => writer,
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                    return Err(Error::Locked {
                        path: self.data_dir.clone(),
                    })
                }
                Err(e) => return Err(self.wrap(e)),
            };
            self.writer = Some(writer);
        }
        Ok(self.writer.as_mut().expect("the writer was just set"))
    }

    /// Makes commits by another handle visible. Reading the commit's opstamp (a small JSON
    /// file) tells whether there is anything new: reloading opens every segment, which a
    /// search should not pay for when nothing changed.
    pub fn refresh(&self) -> Result<(), Error> {
        let now = self.index.load_metas().map_err(|e| self.wrap(e))?.opstamp;
        let mut loaded = self.loaded_opstamp.lock().unwrap_or_else(|p| p.into_inner());
        if *loaded == Some(now) {
            return Ok(());
        }
        self.reader.reload().map_err(|e| self.wrap(e))?;
        *loaded = Some(now);
        Ok(())
    }

    pub fn has_writer(&self) -> bool {
        self.writer.is_some()
    }

    /// Gives the write lock back (after waiting for merges in progress), so another process
    /// may write.
    pub fn release_writer(&mut self) {
        if let Some(writer) = self.writer.take() {
            let _ = writer.wait_merging_threads();
        }
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds the documents of `rows`. Every caller passes rows past the committed sequence
    /// number (new rows, catch-up after a crash, or a re-index after `delete_all`), and a
    /// commit records its sequence number atomically with its documents, so none of these
    /// rows can be in the index already: no delete-before-add is needed.
    pub fn add_rows(&mut self, rows: &[Row]) -> Result<(), Error> {
        let fields = self.fields;
        let path = self.path.clone();
        let writer = self.writer()?;
        for row in rows {
            let mut document = doc!(
                fields.id => row.id.as_str(),
                fields.seq => row.seq as u64,
                fields.title => row.article.title.as_str(),
                fields.title_stem => row.article.title.as_str(),
                fields.body => row.article.body.as_str(),
                fields.body_stem => row.article.body.as_str(),
                fields.lead_stem => crate::schema::lead(&row.article.body),
            );
            if let Some(source) = &row.article.source {
                document.add_text(fields.source, source);
            }
            // Out-of-range dates never reach the store (`plausible_date`); this guard keeps
            // an older store's from overflowing the index's nanosecond times.
            if let Some(date) = row.article.date.filter(akhbar_model::plausible_date) {
                document.add_date(fields.date, DateTime::from_timestamp_secs(date.timestamp()));
            }
            for entity in &row.entities {
                document.add_text(fields.entity, entity);
            }
            let document: TantivyDocument = document;
            writer.add_document(document).map_err(|source| Error::Index {
                path: path.clone(),
                source,
            })?;
        }
        Ok(())
    }

    /// Commits what was added, recording `seq` as covered, and makes it searchable.
    pub fn commit(&mut self, seq: i64) -> Result<(), Error> {
        let path = self.path.clone();
        let wrap = |source| Error::Index {
            path: path.clone(),
            source,
        };
        let writer = self.writer()?;
        let mut prepared = writer.prepare_commit().map_err(wrap)?;
        prepared.set_payload(&seq.to_string());
        prepared.commit().map_err(wrap)?;
        self.reader.reload().map_err(wrap)?;
        Ok(())
    }

    pub fn delete_all(&mut self) -> Result<(), Error> {
        let path = self.path.clone();
        self.writer()?
            .delete_all_documents()
            .map_err(|source| Error::Index { path, source })?;
        Ok(())
    }

    /// Waits up to `patience` for background merges to finish, then lets go (end of a
    /// command). A merge still running after that keeps going on its own thread while the
    /// process lives; if the process exits first, its unfinished files are garbage that the
    /// next writer deletes, and the committed segments stay as they were (tantivy commits a
    /// merge atomically). Returns whether every merge finished.
    pub fn finish(mut self, patience: std::time::Duration) -> Result<bool, Error> {
        let Some(writer) = self.writer.take() else {
            return Ok(true);
        };
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(writer.wait_merging_threads());
        });
        let failed = |source| Error::Index {
            path: self.path.clone(),
            source,
        };
        match finished.recv_timeout(patience) {
            Ok(result) => result.map(|()| true).map_err(failed),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Ok(false),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(failed(TantivyError::ErrorInThread(
                "the thread waiting for index merges panicked".into(),
            ))),
        }
    }

    pub fn size_bytes(&self) -> u64 {
        std::fs::read_dir(&self.path)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }
}
