//! The embedded store: every article in a SQLite database (`akhbar.sqlite`) and a tantivy
//! index (`index/`) over it, kept in step.
//!
//! The database is the record: an article is *ingested* once its row is committed. The index
//! is derived: each index commit carries the highest database sequence number it covers (the
//! commit payload), and opening the store for writing indexes whatever rows are missing. So a
//! crash between the two commits loses nothing and duplicates nothing, and the index can
//! always be rebuilt from the database ([`Store::reindex`]) — which is what a new analyzer
//! version requires: the store records [`akhbar_arabic::VERSION`] and refuses to mix versions.
//!
//! Text fields are indexed twice through [`akhbar_arabic::ArabicTokenizer`]: normalized words
//! (`title`, `body`) and light stems (`title_stem`, `body_stem`), so exact words rank above stem
//! matches; the stems of the body's lead (its first [`LEAD_WORDS`] words) are indexed once
//! more (`lead_stem`), so an article about a thing ranks above one that mentions it late. Snippets are highlighted on the original text ([`Snippet`]).
//!
//! The database also keeps the followed feeds (`sources`: schedule, validators, health),
//! the per-source boilerplate lines learned while ingesting, and the readers' accounts,
//! follows and read/starred state ([`User`], [`Item`]).
//!
//! ```
//! use akhbar_model::{Article, ArticleId};
//! use akhbar_store::{NewArticle, Store};
//!
//! let dir = tempfile::tempdir()?;
//! let mut store = Store::open(dir.path())?;
//! let article = Article { title: "بلينكن يشيد بالأمن المغربي".into(), body: "وبحث بلينكن مع بوريطة".into(), ..Article::default() };
//! let id = ArticleId::for_article(None, &article);
//! let added = store.add(vec![NewArticle::new(id.clone(), article, None)])?;
//! assert_eq!(added.new, 1);
//! let hits = store.search("الأمن", 10)?;
//! assert_eq!(hits[0].id, id);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod accounts;
mod alerts;
mod browse;
mod check;
mod coord;
mod database;
mod entities;
mod error;
mod index;
mod packed;
mod rising;
mod schema;
mod search;
mod snippet;
mod sources;
mod statistics;
mod store;
mod stories;

pub use accounts::{Item, User, FIRST_ITEMS, LIST_ITEMS, MIN_PASSWORD, SEARCH_ITEMS, SESSION_DAYS};
pub use alerts::{AlertArticle, Channel, Delivery, EmailDigest, Webhook, MAX_ALERT_ARTICLES};
pub use browse::{ArticleSummary, Follow};
pub use check::{Check, ExportedArticle};
pub use coord::CoordQuery;
pub use entities::EntitySummary;
pub use error::Error;
pub use rising::{Rising, RisingEntity, RisingStory};
pub use schema::{lead, LEAD_WORDS};
pub use search::{
    EntityFacet, Filters, Hit, SearchPage, BOOST_BODY, BOOST_BODY_STEM, BOOST_LEAD_STEM, BOOST_TITLE, BOOST_TITLE_STEM,
    MAX_QUERY_BYTES,
};
pub use snippet::{Fragment, QueryTerms, Snippet};
pub use sources::{FetchRecord, NewSource};
pub use statistics::{PartResults, TermStatistics};
pub use store::{Added, NewArticle, Stats, Store, StoredArticle, FORMAT_VERSION, MERGE_PATIENCE};
pub use stories::{Story, StoryInput, StoryUpdate};
