use std::path::PathBuf;

/// A file, or one item of a file, that could not be read. Every variant names the input.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file or folder could not be opened or listed.
    #[error("{}: cannot read", path.display())]
    Open {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A path given on the command line that is neither a folder nor a known file type.
    #[error("{}: unsupported file type (expected .txt, .html, .htm, .jsonl, .jsonl.gz, .ndjson, .rss, .atom, .xml)", path.display())]
    Unsupported {
        /// The path.
        path: PathBuf,
    },
    /// The file is bigger than akhbar reads in one piece.
    #[error("{}: file of {size} bytes is larger than the limit of {limit} bytes", path.display())]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The bytes of a file or line are not UTF-8.
    #[error("{}{}: invalid UTF-8 at byte {offset}", path.display(), line.map(|l| format!(": line {l}")).unwrap_or_default())]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// The line, for JSON Lines.
        line: Option<u64>,
        /// Byte offset of the first bad byte (within the line, for JSON Lines).
        offset: usize,
    },
    /// Reading failed part way, e.g. a truncated or corrupt gzip stream.
    #[error("{}: read failed after line {line}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The last line read completely.
        line: u64,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A JSON Lines line that is not a JSON object, or lacks the article fields.
    #[error("{}: line {line}: {reason}", path.display())]
    BadRecord {
        /// The file.
        path: PathBuf,
        /// The line.
        line: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// A feed file that is not a readable RSS, Atom or JSON feed.
    #[error("{}: not a readable feed: {reason}", path.display())]
    BadFeed {
        /// The file.
        path: PathBuf,
        /// The parser's reason.
        reason: String,
    },
    /// A line longer than [`crate::MAX_LINE_BYTES`].
    #[error("{}: line {line}: longer than {limit} bytes, skipped", path.display())]
    LineTooLong {
        /// The file.
        path: PathBuf,
        /// The line.
        line: u64,
        /// The limit.
        limit: usize,
    },
}

impl Error {
    /// The input that failed, as `path` or `path:line`.
    pub fn origin(&self) -> String {
        match self {
            Error::Open { path, .. }
            | Error::Unsupported { path }
            | Error::TooLarge { path, .. }
            | Error::BadFeed { path, .. } => path.display().to_string(),
            Error::InvalidUtf8 {
                path, line: Some(line), ..
            } => format!("{}:{line}", path.display()),
            Error::InvalidUtf8 { path, line: None, .. } => path.display().to_string(),
            Error::Read { path, .. } => path.display().to_string(),
            Error::BadRecord { path, line, .. } | Error::LineTooLong { path, line, .. } => {
                format!("{}:{line}", path.display())
            }
        }
    }

    /// The message with its causes (`nope: cannot read: No such file or directory`).
    pub fn describe(&self) -> String {
        let mut message = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        message
    }
}
