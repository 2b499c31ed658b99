//! `akhbar show ID`

use crate::output::json_line;
use crate::Outcome;
use anyhow::Context;
use std::io::Write;
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// The article id (as printed by search).
    id: String,
    /// One JSON object: {"id","title","body","source","url","date","author"}.
    #[arg(long)]
    json: bool,
    /// Show the body as it was read, before the source's recurring lines (boilerplate) were
    /// removed.
    #[arg(long)]
    raw: bool,
}

#[derive(serde::Serialize)]
struct JsonArticle<'a> {
    id: &'a str,
    title: &'a str,
    body: &'a str,
    source: Option<&'a str>,
    url: Option<&'a str>,
    date: Option<String>,
    author: Option<&'a str>,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<Outcome> {
    let store = akhbar_store::Store::open_existing(data)?;
    let stored = store
        .get(&args.id)?
        .with_context(|| format!("no article with id {:?} in {}", args.id, data.display()))?;
    let mut article = stored.article.clone();
    if args.raw {
        if let Some(raw) = store.raw_body(&args.id)? {
            article.body = raw;
        }
    }
    let article = &article;
    let date = article.date.map(|d| d.to_rfc3339_opts(chrono_secs(), true));
    let mut out = std::io::stdout().lock();
    if args.json {
        json_line(
            &mut out,
            &JsonArticle {
                id: stored.id.as_str(),
                title: &article.title,
                body: &article.body,
                source: article.source.as_deref(),
                url: article.url.as_deref(),
                date,
                author: article.author.as_deref(),
            },
        )?;
        return Ok(Outcome::Ok);
    }
    writeln!(out, "{}", article.title)?;
    for (label, value) in [
        ("id", Some(stored.id.as_str())),
        ("source", article.source.as_deref()),
        ("date", date.as_deref()),
        ("author", article.author.as_deref()),
        ("url", article.url.as_deref()),
        ("from", stored.origin.as_deref()),
    ] {
        if let Some(value) = value {
            writeln!(out, "{label:>7}: {value}")?;
        }
    }
    writeln!(out, "\n{}", article.body)?;
    Ok(Outcome::Ok)
}

fn chrono_secs() -> akhbar_model::SecondsFormat {
    akhbar_model::SecondsFormat::Secs
}
