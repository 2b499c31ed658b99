//! Finding article files and reading them into items.

use crate::jsonl::{read_jsonl, Record};
use crate::Error;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Files larger than this (text and HTML, read whole) are refused: 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What kind of file an article comes from, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain UTF-8 text: first non-empty line is the title, the rest the body.
    Text,
    /// An HTML page.
    Html,
    /// JSON Lines, one article object per line.
    Jsonl,
    /// Gzip-compressed JSON Lines.
    JsonlGz,
    /// A saved feed: RSS, Atom (`.rss`, `.atom`, `.xml`).
    Feed,
}

impl Format {
    /// The format of `path` by its extension (case-insensitive), if akhbar reads it.
    pub fn of(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".jsonl.gz") || name.ends_with(".ndjson.gz") {
            Some(Format::JsonlGz)
        } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
            Some(Format::Jsonl)
        } else if name.ends_with(".html") || name.ends_with(".htm") {
            Some(Format::Html)
        } else if name.ends_with(".txt") {
            Some(Format::Text)
        } else if name.ends_with(".rss") || name.ends_with(".atom") || name.ends_with(".xml") {
            Some(Format::Feed)
        } else {
            None
        }
    }
}

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Where it is.
    pub path: PathBuf,
    /// How to read it.
    pub format: Format,
    /// Its size in bytes (for progress).
    pub size: u64,
}

/// Where an item came from: a file, and a line for JSON Lines or an entry for feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line, for JSON Lines.
    pub line: Option<u64>,
    /// The 1-based entry, for feeds.
    pub entry: Option<u64>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(entry) = self.entry {
            write!(f, "#{entry}")?;
        }
        Ok(())
    }
}

/// What an item holds, before extraction.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// A plain-text article, as bytes: UTF-8, or a legacy encoding such as windows-1256
    /// (decoded by the extractor, like a page without a charset).
    Text(Vec<u8>),
    /// An HTML page, as bytes (its charset is the extractor's business).
    Html(Vec<u8>),
    /// One JSON Lines record.
    Record(Record),
    /// One feed entry.
    FeedItem(akhbar_model::FeedItem),
}

/// One article-to-be read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Where it came from.
    pub origin: Origin,
    /// What it holds.
    pub payload: Payload,
    /// Bytes of the file consumed so far, for progress.
    pub bytes_read: u64,
}

/// Finds the article files under `paths`: files are taken as given (they must have a known
/// extension), folders are walked recursively in name order and files of unknown types in
/// them are skipped. Unreadable entries are returned as errors next to the files found.
pub fn find_files(paths: &[PathBuf]) -> (Vec<SourceFile>, Vec<Error>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let metadata = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(source) => {
                errors.push(Error::Open {
                    path: path.clone(),
                    source,
                });
                continue;
            }
        };
        if metadata.is_dir() {
            for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
                match entry {
                    Ok(entry) if entry.file_type().is_file() => {
                        if let Some(format) = Format::of(entry.path()) {
                            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                            files.push(SourceFile {
                                path: entry.into_path(),
                                format,
                                size,
                            });
                        }
                    }
                    Ok(_) => {}
                    Err(error) => {
                        let path = error.path().map(Path::to_path_buf).unwrap_or_else(|| path.clone());
                        let source = error
                            .into_io_error()
                            .unwrap_or_else(|| std::io::Error::other("filesystem loop"));
                        errors.push(Error::Open { path, source });
                    }
                }
            }
        } else {
            match Format::of(path) {
                Some(format) => files.push(SourceFile {
                    path: path.clone(),
                    format,
                    size: metadata.len(),
                }),
                None => errors.push(Error::Unsupported { path: path.clone() }),
            }
        }
    }
    (files, errors)
}

/// Reads the items of `file`, calling `on_item` for each item or per-item error, in order.
///
/// Returns `Err` only when the file cannot be opened at all; everything after that, a bad
/// line or a stream that breaks part way, is passed to `on_item` and reading goes on where
/// it can.
pub fn read_items(file: &SourceFile, on_item: &mut dyn FnMut(Result<Item, Error>)) -> Result<(), Error> {
    let path = &file.path;
    let open = || {
        std::fs::File::open(path).map_err(|source| Error::Open {
            path: path.clone(),
            source,
        })
    };
    match file.format {
        Format::Text | Format::Html => {
            let bytes = read_whole(path, open()?)?;
            let bytes_read = bytes.len() as u64;
            let origin = Origin {
                path: path.clone(),
                line: None,
                entry: None,
            };
            let payload = if file.format == Format::Html {
                Payload::Html(bytes)
            } else {
                Payload::Text(bytes)
            };
            on_item(Ok(Item {
                origin,
                payload,
                bytes_read,
            }));
        }
        Format::Feed => {
            let bytes = read_whole(path, open()?)?;
            let bytes_read = bytes.len() as u64;
            match crate::feed::parse_feed(&bytes) {
                Ok(items) => {
                    for (index, item) in items.into_iter().enumerate() {
                        let origin = Origin {
                            path: path.clone(),
                            line: None,
                            entry: Some(index as u64 + 1),
                        };
                        on_item(Ok(Item {
                            origin,
                            payload: Payload::FeedItem(item),
                            bytes_read,
                        }));
                    }
                }
                Err(reason) => on_item(Err(Error::BadFeed {
                    path: path.clone(),
                    reason,
                })),
            }
        }
        Format::Jsonl => read_jsonl(path, open()?, false, on_item),
        Format::JsonlGz => read_jsonl(path, open()?, true, on_item),
    }
    Ok(())
}

fn read_whole(path: &Path, file: std::fs::File) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Open {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(bytes.len() as u64);
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(bytes)
}

/// The payload's record, if it is one (convenience for tests and callers).
impl Payload {
    /// The JSON Lines record, if this is one.
    pub fn as_record(&self) -> Option<&Record> {
        match self {
            Payload::Record(record) => Some(record),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        for (name, format) in [
            ("a.txt", Some(Format::Text)),
            ("A.HTML", Some(Format::Html)),
            ("b.htm", Some(Format::Html)),
            ("c.jsonl", Some(Format::Jsonl)),
            ("c.JSONL.GZ", Some(Format::JsonlGz)),
            ("d.ndjson", Some(Format::Jsonl)),
            ("e.json", None),
            ("feed.rss", Some(Format::Feed)),
            ("feed.XML", Some(Format::Feed)),
            ("f.gz", None),
            ("README", None),
        ] {
            assert_eq!(Format::of(Path::new(name)), format, "{name}");
        }
    }

    #[test]
    fn walks_folders_in_order_and_skips_unknown_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.txt"), "t\n\nb").unwrap();
        std::fs::write(dir.path().join("a.html"), "<p>x</p>").unwrap();
        std::fs::write(dir.path().join("notes.md"), "skip").unwrap();
        let missing = dir.path().join("missing.txt");
        let (files, errors) = find_files(&[dir.path().to_path_buf(), missing.clone()]);
        let names: Vec<_> = files
            .iter()
            .map(|f| f.path.strip_prefix(dir.path()).unwrap().to_path_buf())
            .collect();
        assert_eq!(names, [PathBuf::from("a.html"), PathBuf::from("sub/b.txt")]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().contains("missing.txt"), "{}", errors[0]);
    }

    #[test]
    fn text_file_in_a_legacy_encoding_is_passed_on_as_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("legacy.txt");
        std::fs::write(&path, b"title\n\nbody \xff\xfe").unwrap();
        let file = SourceFile {
            path,
            format: Format::Text,
            size: 0,
        };
        let mut results = Vec::new();
        read_items(&file, &mut |r| {
            results.push(r.map(|item| item.payload).map_err(|e| e.to_string()))
        })
        .unwrap();
        // The extractor decodes it (windows-1256 when it is not UTF-8), with a warning.
        assert_eq!(results, vec![Ok(Payload::Text(b"title\n\nbody \xff\xfe".to_vec()))]);
    }
}
