//! One module per command.

pub mod analyze;
pub mod check;
pub mod entities;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod ner;
pub mod net;
pub mod poll;
pub mod reindex;
pub mod search;
pub mod serve;
pub mod show;
pub mod sources;
pub mod stats;
pub mod stories;
