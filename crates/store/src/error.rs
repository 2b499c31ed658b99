use std::path::PathBuf;

/// A store operation that failed. Every variant names the data folder or the input.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data folder could not be created or read.
    #[error("{}: cannot use as the data folder", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A read command pointed at a folder that holds no store.
    #[error("{}: no akhbar store here (ingest something first, or pass --data)", path.display())]
    NoStore {
        /// The folder.
        path: PathBuf,
    },
    /// The metadata database failed.
    #[error("{}: metadata database error", path.display())]
    Database {
        /// The database file.
        path: PathBuf,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// The search index failed.
    #[error("{}: search index error", path.display())]
    Index {
        /// The index folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: tantivy::TantivyError,
    },
    /// Another akhbar process is writing to this store.
    #[error("{}: another akhbar process is writing to this store; wait for it to finish", path.display())]
    Locked {
        /// The data folder.
        path: PathBuf,
    },
    /// The index was built by a different analyzer and must be rebuilt before use.
    #[error("{}: the index was built with analyzer version {found}, this akhbar uses version {expected}: run `akhbar reindex --data {}`", path.display(), path.display())]
    ReindexNeeded {
        /// The data folder.
        path: PathBuf,
        /// The analyzer version recorded in the store.
        found: String,
        /// The analyzer version of this binary.
        expected: String,
    },
    /// The store was written by a newer akhbar.
    #[error("{}: store format {found} is newer than this akhbar understands ({expected}); upgrade akhbar", path.display())]
    NewerFormat {
        /// The data folder.
        path: PathBuf,
        /// The format found.
        found: u32,
        /// The format this binary writes.
        expected: u32,
    },
    /// A search query that cannot be run.
    #[error("query: {reason}")]
    Query {
        /// What is wrong with it.
        reason: String,
    },
    /// An account operation that cannot be done (a taken name, a short password).
    #[error("account: {reason}")]
    Account {
        /// What is wrong.
        reason: String,
    },
}
