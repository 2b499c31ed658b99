//! `akhbar export`

use crate::cmd::search::Scope;
use crate::output::json_line;
use crate::Outcome;
use std::io::Write;
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scope: Scope,
}

/// One exported line: the fields `akhbar ingest` reads back, plus the store's own.
#[derive(serde::Serialize)]
struct Line<'a> {
    id: &'a str,
    title: &'a str,
    content: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    entities: &'a [String],
    ingested_at: &'a str,
    /// A stored article with a title and no text, said so that `ingest` takes it back.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    headline: bool,
}

/// Writes every matching article as one JSON line, in ingest order: an archive that
/// `akhbar ingest` takes back unchanged.
pub fn run(data: &Path, args: Args) -> anyhow::Result<Outcome> {
    let store = akhbar_store::Store::open_existing(data)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut after = 0;
    loop {
        let batch = store.articles_after(after, 500)?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        for exported in &batch {
            let article = &exported.stored.article;
            if args.scope.source.is_some() && article.source != args.scope.source {
                continue;
            }
            if args.scope.since.is_some() || args.scope.until.is_some() {
                let Some(date) = article.date else { continue };
                if args.scope.since.is_some_and(|since| date < since)
                    || args.scope.until.is_some_and(|until| date >= until)
                {
                    continue;
                }
            }
            json_line(
                &mut out,
                &Line {
                    id: exported.stored.id.as_str(),
                    title: &article.title,
                    content: &article.body,
                    url: article.url.as_deref(),
                    source: article.source.as_deref(),
                    date: article.date.map(|d| d.to_rfc3339()),
                    author: article.author.as_deref(),
                    entities: &exported.entities,
                    ingested_at: &exported.stored.ingested_at,
                    headline: article.body.trim().is_empty(),
                },
            )?;
        }
    }
    out.flush()?;
    Ok(Outcome::Ok)
}
