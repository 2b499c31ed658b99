//! `akhbar search QUERY`

use crate::output::{highlight_codes, json_line, stdout_is_terminal};
use crate::Outcome;
use std::io::Write;
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// The query: words (all required, else any), "phrases", +required, -excluded, a OR b.
    #[arg(allow_hyphen_values = true)]
    query: String,
    /// Number of results.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// One JSON object per result: {"id","title","source","url","date","score","snippet"};
    /// the snippet is HTML-escaped text with matches in `<b>`.
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct JsonHit<'a> {
    id: &'a str,
    title: &'a str,
    source: Option<&'a str>,
    url: Option<&'a str>,
    date: Option<&'a str>,
    score: f32,
    snippet: String,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<Outcome> {
    let store = akhbar_store::Store::open_existing(data)?;
    let hits = store.search(&args.query, args.limit)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        for hit in &hits {
            json_line(
                &mut out,
                &JsonHit {
                    id: hit.id.as_str(),
                    title: &hit.title,
                    source: hit.source.as_deref(),
                    url: hit.url.as_deref(),
                    date: hit.date.as_deref(),
                    score: hit.score,
                    snippet: hit.snippet.to_html(),
                },
            )?;
        }
        return Ok(Outcome::Ok);
    }
    if hits.is_empty() {
        writeln!(out, "no results for {:?}", args.query)?;
    }
    if hits.first().is_some_and(|hit| !hit.all_words) {
        writeln!(out, "no article has all the words; showing articles with any of them")?;
    }
    let (on, off) = highlight_codes(stdout_is_terminal());
    for (rank, hit) in hits.iter().enumerate() {
        let meta: Vec<&str> = [hit.source.as_deref(), hit.date.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        writeln!(out, "{}. {}  [{}]  {}", rank + 1, hit.title, meta.join(", "), hit.id)?;
        let snippet: String = hit
            .snippet
            .fragments
            .iter()
            .map(|f| {
                if f.highlighted {
                    format!("{on}{}{off}", f.text)
                } else {
                    f.text.clone()
                }
            })
            .collect();
        writeln!(out, "   {snippet}")?;
    }
    Ok(Outcome::Ok)
}
