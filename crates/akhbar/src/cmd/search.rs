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
    /// One JSON object per result: {"id","title","source","url","date","score","snippet","story"}
    /// (with --collapse also "story_articles");
    /// the snippet is HTML-escaped text with matches in `<b>`.
    #[arg(long)]
    json: bool,
    /// Only articles that mention this entity (an id from `akhbar entities`).
    #[arg(long, value_name = "ID")]
    entity: Option<String>,
    #[command(flatten)]
    scope: Scope,
    /// One result per story: the best-ranked article, with the number of articles in its story.
    #[arg(long)]
    collapse: bool,
    /// Search a cluster's shards instead of a store (NATS servers, comma-separated): ranked
    /// as one store holding every shard's articles; shards that do not answer in 3 s are
    /// left out and named.
    #[arg(long, env = "AKHBAR_NATS", conflicts_with = "collapse")]
    nats: Option<String>,
}

/// The source and period flags `search` and `export` share.
#[derive(clap::Args)]
pub struct Scope {
    /// Only articles of this source.
    #[arg(long)]
    pub source: Option<String>,
    /// Only articles published on or after this day or time (2015-08-10, RFC 3339).
    #[arg(long, value_parser = parse_time)]
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// Only articles published on or before this day (the whole day), or before this time.
    #[arg(long, value_parser = parse_until)]
    pub until: Option<chrono::DateTime<chrono::Utc>>,
}

/// The end of a range, exclusive: a day (`2022-07-12`) ends at the next midnight, so the day
/// itself is in the range; a time is the end itself.
pub fn parse_until(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let next = day.succ_opt().ok_or_else(|| format!("{text}: no day after it"))?;
        return Ok(next.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    akhbar_model::parse_date(text).map_err(|e| e.to_string())
}

/// `YYYY-MM-DD` (midnight UTC) or a full date and time.
pub fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    akhbar_model::parse_date(text).map_err(|e| e.to_string())
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
    story: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    story_articles: Option<usize>,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<Outcome> {
    let filters = akhbar_store::Filters {
        entity: args.entity.clone(),
        source: args.scope.source.clone(),
        since: args.scope.since,
        until: args.scope.until,
    };
    let (mut hits, mut stories, mut sizes) = (Vec::new(), Vec::new(), Vec::new());
    let mut outcome = Outcome::Ok;
    let all_words = match &args.nats {
        Some(nats) => {
            let found = super::cluster::search(nats, &args.query, &filters, args.limit)?;
            if found.partial {
                eprintln!(
                    "warning: shards {:?} did not answer; these results are from the others",
                    found.missing_shards
                );
                outcome = Outcome::Partial;
            }
            for (hit, story) in found.hits {
                hits.push(hit);
                stories.push(story);
                sizes.push(None);
            }
            found.all_words
        }
        None => {
            let store = akhbar_store::Store::open_existing(data)?;
            let found = store.search_page(&args.query, &filters, 1, args.limit, args.collapse)?;
            for (hit, story, size) in found.hits {
                hits.push(hit);
                stories.push(story);
                sizes.push(size.map(|n| n as usize));
            }
            found.all_words
        }
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        for ((hit, story), size) in hits.iter().zip(&stories).zip(&sizes) {
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
                    story: story.as_deref(),
                    story_articles: *size,
                },
            )?;
        }
        return Ok(outcome);
    }
    if hits.is_empty() {
        writeln!(out, "no results for {:?}", args.query)?;
    }
    if !hits.is_empty() && !all_words {
        writeln!(out, "no article has all the words; showing articles with any of them")?;
    }
    let (on, off) = highlight_codes(stdout_is_terminal());
    for (rank, (hit, size)) in hits.iter().zip(&sizes).enumerate() {
        let meta: Vec<&str> = [hit.source.as_deref(), hit.date.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let more = match size {
            Some(n) if *n > 1 => format!("  (+{} more in this story)", n - 1),
            _ => String::new(),
        };
        writeln!(
            out,
            "{}. {}  [{}]  {}{more}",
            rank + 1,
            hit.title,
            meta.join(", "),
            hit.id
        )?;
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
    Ok(outcome)
}
