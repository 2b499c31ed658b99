//! `akhbar stories`: one entry per story, every outlet under it.

use crate::output::json_line;
use crate::Outcome;
use anyhow::Context;
use std::io::Write;
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// Only stories with an article on or after this day or time (2015-08-10, RFC 3339).
    #[arg(long, value_parser = super::search::parse_time)]
    since: Option<chrono::DateTime<chrono::Utc>>,
    /// Number of stories (newest first).
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// One JSON object per story: {"id","title","summary","articles","sources","first_seen","last_seen","entities"}.
    #[arg(long)]
    json: bool,
    /// Recompute copies and stories for the whole store first.
    #[arg(long)]
    recompute: bool,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<Outcome> {
    let mut out = std::io::stdout().lock();
    if args.recompute {
        let mut store =
            akhbar_store::Store::open(data).with_context(|| format!("opening the store in {}", data.display()))?;
        let report = akhbar_pipeline::update_stories(&mut store, true)?;
        eprintln!(
            "recomputed: {} articles, {} stories, {} copies in {:.1} s",
            report.articles, report.stories, report.copies, report.seconds
        );
    }
    let store = akhbar_store::Store::open_existing(data)?;
    let since = args.since.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    for story in store.stories(since.as_deref(), args.limit.clamp(1, 100_000), 0)? {
        if args.json {
            json_line(&mut out, &story)?;
            continue;
        }
        writeln!(
            out,
            "{}  [{} articles, {}]  {} → {}  {}",
            story.title,
            story.articles.len(),
            story.sources.join(", "),
            story.first_seen,
            story.last_seen,
            story.id
        )?;
        if !story.summary.is_empty() {
            writeln!(out, "    {}", story.summary)?;
        }
        if !story.entities.is_empty() {
            writeln!(out, "    {}", story.entities.join(" · "))?;
        }
    }
    Ok(Outcome::Ok)
}
