//! `akhbar extract FILE`: what akhbar reads from one HTML page.

use crate::output::json_line;
use crate::Outcome;
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// An HTML file, or an http(s) URL to fetch.
    file: PathBuf,
    /// One JSON object: {"title","author","published","text","language","url"}; `published`
    /// is RFC 3339 (`2022-07-14T09:30:00+01:00`, or `2022-07-14` when the page gives no time).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    net: super::net::NetArgs,
}

#[derive(serde::Serialize)]
struct JsonPage<'a> {
    title: &'a str,
    author: Option<&'a str>,
    published: Option<String>,
    text: &'a str,
    language: Option<&'a str>,
    url: Option<&'a str>,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let path = &args.file;
    let url = path
        .to_str()
        .filter(|p| p.starts_with("http://") || p.starts_with("https://"));
    let (page, warnings) = match url {
        Some(url) => {
            let fetched = args.net.client()?.get(url, &akhbar_fetch::Validators::default())?;
            let (mut page, warnings) = akhbar_extract::extract_page(&fetched.body, fetched.content_type.as_deref());
            // The page's own canonical URL wins; else where the fetch ended up.
            page.article.url.get_or_insert(fetched.url);
            (page, warnings)
        }
        None => {
            let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            akhbar_extract::extract_page(&bytes, None)
        }
    };
    for warning in &warnings {
        eprintln!("warning: {}: {warning}", path.display());
    }
    let article = &page.article;
    let published = page.published.map(|p| p.to_rfc3339());
    let mut out = std::io::stdout().lock();
    if args.json {
        json_line(
            &mut out,
            &JsonPage {
                title: &article.title,
                author: article.author.as_deref(),
                published,
                text: &article.body,
                language: page.language.as_deref(),
                url: article.url.as_deref(),
            },
        )?;
    } else {
        writeln!(out, "{}", article.title)?;
        for (label, value) in [
            ("author", article.author.as_deref()),
            ("published", published.as_deref()),
            ("language", page.language.as_deref()),
            ("url", article.url.as_deref()),
        ] {
            if let Some(value) = value {
                writeln!(out, "{label:>9}: {value}")?;
            }
        }
        writeln!(out, "\n{}", article.body)?;
    }
    Ok(Outcome::Ok)
}
