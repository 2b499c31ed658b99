//! `akhbar check`

use crate::output::json_line;
use crate::Outcome;
use std::io::Write;
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// One JSON object with every figure.
    #[arg(long)]
    json: bool,
}

/// Exits 0 when the index and the database agree and the database file is sound, 1 otherwise.
pub fn run(data: &Path, args: Args) -> anyhow::Result<Outcome> {
    let store = akhbar_store::Store::open_existing(data)?;
    let check = store.check()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        json_line(&mut out, &check)?;
    } else {
        writeln!(out, "articles:              {}", check.articles)?;
        writeln!(out, "index documents:       {}", check.index_documents)?;
        writeln!(out, "not yet indexed:       {}", check.pending)?;
        writeln!(
            out,
            "without a story yet:   {}{}",
            check.stories_pending,
            if check.stories_pending > 0 {
                " (the next ingest or poll places them; `akhbar stories --recompute` does it now)"
            } else {
                ""
            }
        )?;
        writeln!(
            out,
            "missing from index:    {} {:?}",
            check.missing_count, check.missing_from_index
        )?;
        writeln!(
            out,
            "orphans in index:      {} {:?}",
            check.orphan_count, check.orphans_in_index
        )?;
        writeln!(
            out,
            "duplicates in index:   {} {:?}",
            check.duplicate_count, check.duplicated_in_index
        )?;
        writeln!(out, "database integrity:    {}", check.database_integrity)?;
        writeln!(
            out,
            "{}",
            if check.ok {
                "ok"
            } else {
                "NOT OK: `akhbar reindex` rebuilds the index from the database"
            }
        )?;
    }
    Ok(if check.ok { Outcome::Ok } else { Outcome::Partial })
}
