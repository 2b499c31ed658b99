//! One module per command.

pub mod analyze;
pub mod check;
pub mod cluster;
pub mod entities;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod ner;
pub mod net;
pub mod poll;
pub mod reindex;
pub mod rising;
pub mod search;
pub mod serve;
pub mod show;
pub mod sources;
pub mod stats;
pub mod stories;
pub mod users;

/// Closes the store at the end of a writing command, saying so when index merges were left
/// running (they are an optimization; a later writer redoes them).
pub fn close(store: akhbar_store::Store) -> anyhow::Result<()> {
    if !store.close()? {
        tracing::info!(
            "index merges were still running after {} s; left for a later write",
            akhbar_store::MERGE_PATIENCE.as_secs()
        );
    }
    Ok(())
}
