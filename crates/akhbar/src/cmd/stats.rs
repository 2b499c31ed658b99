//! `akhbar stats`

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

pub fn run(data: &Path, args: Args) -> anyhow::Result<Outcome> {
    let store = akhbar_store::Store::open_existing(data)?;
    let stats = store.stats()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        json_line(&mut out, &stats)?;
        return Ok(Outcome::Ok);
    }
    writeln!(out, "data folder:      {}", stats.data_dir)?;
    writeln!(out, "articles:         {}", stats.articles)?;
    writeln!(out, "sources:          {}", stats.sources)?;
    if let (Some(first), Some(last)) = (&stats.first_date, &stats.last_date) {
        writeln!(out, "dates:            {first} … {last}")?;
    }
    writeln!(out, "indexed:          {}", stats.index_documents)?;
    writeln!(out, "index size:       {:.1} MB", stats.index_bytes as f64 / 1e6)?;
    writeln!(out, "database size:    {:.1} MB", stats.database_bytes as f64 / 1e6)?;
    writeln!(
        out,
        "analyzer version: {}{}",
        stats.analyzer_version,
        if stats.reindex_needed {
            " (outdated: run `akhbar reindex`)"
        } else {
            ""
        }
    )?;
    for (source, count) in stats.per_source.iter().take(20) {
        writeln!(out, "  {:>8}  {}", count, source.as_deref().unwrap_or("(no source)"))?;
    }
    Ok(Outcome::Ok)
}
