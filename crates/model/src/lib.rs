//! Plain data shared by every step of akhbar: the [`Article`], its stable [`ArticleId`], the
//! [`FeedItem`] a feed gives before extraction, and the [`Source`] a feed comes from.
//!
//! This crate does no I/O and holds no logic beyond computing ids and parsing the two date
//! formats articles arrive with. Everything else (fetching, analysis, storage) lives in the
//! step crates that depend on it.
//!
//! ```
//! use akhbar_model::{Article, ArticleId};
//!
//! let article = Article {
//!     title: "عنوان".into(),
//!     body: "نص الخبر".into(),
//!     url: Some("HTTPS://Example.com/a?utm_source=x#top".into()),
//!     ..Article::default()
//! };
//! let id = ArticleId::for_article(None, &article);
//! assert_eq!(id, ArticleId::for_article(None, &article)); // stable
//! assert!(id.as_str().starts_with('u')); // derived from the canonical URL
//! ```
#![deny(missing_docs)]

mod article;
mod date;
mod feed_item;
mod id;
mod source;

pub use article::{clean_text, Article};
pub use chrono::SecondsFormat;
pub use date::{parse_date, plausible_date, DateError};
pub use feed_item::FeedItem;
pub use id::{canonical_url, ArticleId};
pub use source::{direction_of, Health, Source};
