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
    /// One JSON object: {"id","title","body","source","url","date","author","entities","dates","story","copy_of"};
    /// each entity {"id","name","type","english","romanized","mentions":[{"start","end","text","part"}]},
    /// offsets in bytes into the title or the (clean) body.
    #[arg(long)]
    json: bool,
    /// Show the body as it was read, before the source's recurring lines (boilerplate) were
    /// removed.
    #[arg(long)]
    raw: bool,
    /// For a copy: what it changed against the article it copies (paragraphs dropped `-`
    /// and added `+`).
    #[arg(long)]
    diff: bool,
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
    entities: &'a [akhbar_entities::Entity],
    dates: Vec<akhbar_entities::TimeExpression>,
    story: Option<String>,
    copy_of: Option<String>,
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
    let entities = store.article_entities(&args.id)?;
    let (story, copy_of) = store.story_of(&args.id)?.map_or((None, None), |(s, c)| (Some(s), c));
    if args.diff {
        let Some(origin_id) = &copy_of else {
            anyhow::bail!("{}: not a copy of another article", args.id);
        };
        let origin = store
            .get(origin_id)?
            .with_context(|| format!("the origin {origin_id} is gone"))?;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{} copies {} ({})",
            args.id,
            origin_id,
            origin.article.source.as_deref().unwrap_or("?")
        )?;
        for change in akhbar_stories::paragraph_diff(&origin.article.body, &article.body) {
            match change {
                akhbar_stories::Change::Same(p) => writeln!(out, "  {p}")?,
                akhbar_stories::Change::Removed(p) => writeln!(out, "- {p}")?,
                akhbar_stories::Change::Added(p) => writeln!(out, "+ {p}")?,
            }
        }
        return Ok(Outcome::Ok);
    }
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
                entities: &entities,
                dates: akhbar_entities::time_expressions(&article.body, article.date.map(|d| d.date_naive())),
                story,
                copy_of,
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
        ("story", story.as_deref()),
        ("copies", copy_of.as_deref()),
    ] {
        if let Some(value) = value {
            writeln!(out, "{label:>7}: {value}")?;
        }
    }
    if !entities.is_empty() {
        let names: Vec<String> = entities
            .iter()
            .map(|e| format!("{} ({}, {})", e.name, e.kind.code(), e.id))
            .collect();
        writeln!(out, "{:>7}: {}", "names", names.join(" · "))?;
    }
    writeln!(out, "\n{}", article.body)?;
    Ok(Outcome::Ok)
}

fn chrono_secs() -> akhbar_model::SecondsFormat {
    akhbar_model::SecondsFormat::Secs
}
