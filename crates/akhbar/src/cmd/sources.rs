//! `akhbar sources add|list|remove|import|export`

use super::net::NetArgs;
use crate::output::json_line;
use crate::Outcome;
use akhbar_model::Source;
use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Follow a feed: a feed URL, or a page or site whose feed is discovered.
    Add {
        /// Feed, page or site URL.
        url: String,
        /// Display name (default: the feed's title).
        #[arg(long)]
        name: Option<String>,
        /// Print the source as one JSON object.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        net: NetArgs,
    },
    /// List the sources with their health.
    List {
        /// One JSON object per source per line.
        #[arg(long)]
        json: bool,
    },
    /// Stop following a source (its articles stay).
    Remove {
        /// Source id or feed URL.
        source: String,
    },
    /// Follow every feed of an OPML file (checked at the next poll).
    Import {
        /// The OPML file.
        file: PathBuf,
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Print the sources as OPML.
    Export,
}

pub fn run(data: &Path, command: Command) -> anyhow::Result<Outcome> {
    let mut out = std::io::stdout().lock();
    match command {
        Command::Add { url, name, json, net } => {
            let client = net.client()?;
            let mut store = open(data)?;
            let (source, created) = akhbar_pipeline::add_source(&mut store, &client, &url, name.as_deref())?;
            if json {
                json_line(&mut out, &source)?;
            } else {
                let verb = if created { "following" } else { "already following" };
                writeln!(out, "{verb} {} ({}): {}", source.name, source.id, source.url)?;
            }
        }
        Command::List { json } => {
            let store = open_existing(data)?;
            for source in store.sources()? {
                if json {
                    json_line(&mut out, &source)?;
                } else {
                    writeln!(out, "{}", line(&source))?;
                }
            }
        }
        Command::Remove { source } => {
            let mut store = open(data)?;
            let found = match source.parse::<i64>() {
                Ok(id) => store.source(id)?,
                Err(_) => store.source_by_url(&source)?,
            };
            let Some(found) = found else {
                anyhow::bail!("{source}: no such source (see `akhbar sources list`)");
            };
            store.remove_source(found.id)?;
            writeln!(
                out,
                "removed {} ({}); its {} articles stay",
                found.name, found.id, found.health.articles
            )?;
        }
        Command::Import { file, json } => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let mut store = open(data)?;
            let report = akhbar_pipeline::import_opml(&mut store, &bytes, &file.display().to_string())?;
            if json {
                json_line(&mut out, &report)?;
            } else {
                for failure in &report.failed {
                    eprintln!("failed: {}", failure.reason);
                }
                writeln!(
                    out,
                    "{} added, {} already followed, {} failed",
                    report.added,
                    report.existing,
                    report.failed.len()
                )?;
            }
            if !report.failed.is_empty() {
                return Ok(Outcome::Partial);
            }
        }
        Command::Export => {
            let store = open_existing(data)?;
            let outlines: Vec<akhbar_fetch::Outline> = store
                .sources()?
                .into_iter()
                .map(|s| akhbar_fetch::Outline {
                    url: s.url,
                    title: Some(s.name),
                    site: s.site,
                    category: s.category,
                })
                .collect();
            out.write_all(akhbar_fetch::write_opml("akhbar sources", &outlines).as_bytes())?;
        }
    }
    Ok(Outcome::Ok)
}

fn open(data: &Path) -> anyhow::Result<akhbar_store::Store> {
    akhbar_store::Store::open(data).with_context(|| format!("opening the store in {}", data.display()))
}

fn open_existing(data: &Path) -> anyhow::Result<akhbar_store::Store> {
    Ok(akhbar_store::Store::open_existing(data)?)
}

/// `id  name  url  health`, one source per line.
fn line(source: &Source) -> String {
    let health = match (&source.health.last_error, source.health.last_success) {
        (Some(error), _) => format!("failing ({} in a row): {error}", source.health.failures),
        (None, Some(at)) => format!("ok, last {}", at.format("%Y-%m-%d %H:%M")),
        (None, None) => "not fetched yet".to_string(),
    };
    format!(
        "{:>4}  {}  {}  [{} articles, every {} min] {}",
        source.id,
        source.name,
        source.url,
        source.health.articles,
        source.interval_seconds / 60,
        health
    )
}
