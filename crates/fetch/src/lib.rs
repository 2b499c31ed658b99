//! Bytes in: finds article files under the paths a user gives and reads them item by item.
//!
//! akhbar ingests four kinds of file, chosen by extension ([`Format`]): plain-text articles
//! (`.txt`), HTML pages (`.html`, `.htm`), JSON Lines archives (`.jsonl`, `.jsonl.gz`,
//! `.ndjson`), one article per line, and saved feeds (`.rss`, `.atom`, `.xml`: RSS, Atom or
//! JSON Feed, [`parse_feed`]). [`find_files`] walks folders recursively, in a stable
//! order; [`read_items`] streams the [`Item`]s of one file, reporting a bad line with its
//! number and reason and carrying on with the next. Nothing here interprets the text: the
//! `extract` step turns a page into an article.
//!
//! ```
//! use akhbar_fetch::{read_items, Format, Payload, SourceFile};
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("a.jsonl");
//! std::fs::write(&path, "{\"title\":\"عنوان\",\"content\":\"نص\"}\nnot json\n")?;
//! let file = SourceFile { path, format: Format::Jsonl, size: 0 };
//! let mut good = 0;
//! let mut bad = Vec::new();
//! read_items(&file, &mut |item| match item {
//!     Ok(item) => { assert!(matches!(item.payload, Payload::Record(_))); good += 1; }
//!     Err(error) => bad.push(error.to_string()),
//! })?;
//! assert_eq!(good, 1);
//! assert!(bad[0].contains("line 2"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod error;
mod feed;
mod files;
mod http;
mod jsonl;
mod opml;

pub use error::Error;
pub use feed::{parse_feed, parse_feed_at, parse_feed_http, Feed};
pub use files::{find_files, read_items, Format, Item, Origin, Payload, SourceFile, MAX_FILE_BYTES};
pub use http::{check_url, non_public, Fetched, HttpClient, HttpError, HttpOptions, Validators};
pub use jsonl::{Record, MAX_LINE_BYTES};
pub use opml::{parse_opml, write_opml, Outline, MAX_OPML_BYTES};
