//! Reading the shared news corpus (`corpus/saudinewsnet.jsonl.gz`).

use anyhow::{Context, Result};
use flate2::read::GzDecoder;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// One corpus article, as DATA.md documents the fields.
#[derive(Debug, serde::Deserialize)]
pub struct CorpusArticle {
    pub id: String,
    pub title: String,
    pub content: String,
}

/// All articles of the corpus, in file order.
pub fn read(shared: &Path) -> Result<Vec<CorpusArticle>> {
    let path = shared.join("corpus/saudinewsnet.jsonl.gz");
    let file = std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?;
    let mut articles = Vec::new();
    for (index, line) in BufReader::new(GzDecoder::new(file)).lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", path.display(), index + 1))?;
        let article: CorpusArticle =
            serde_json::from_str(&line).with_context(|| format!("{}: line {}", path.display(), index + 1))?;
        articles.push(article);
    }
    Ok(articles)
}

/// A corpus article with every field.
#[derive(Debug, serde::Deserialize)]
pub struct FullArticle {
    pub id: String,
    pub source: String,
    pub date: String,
    pub title: String,
    pub content: String,
}

/// All articles with their source and date, in file order.
pub fn read_full(shared: &Path) -> Result<Vec<FullArticle>> {
    let path = shared.join("corpus/saudinewsnet.jsonl.gz");
    let file = std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?;
    let mut articles = Vec::new();
    for (index, line) in BufReader::new(GzDecoder::new(file)).lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", path.display(), index + 1))?;
        articles.push(serde_json::from_str(&line).with_context(|| format!("{}: line {}", path.display(), index + 1))?);
    }
    Ok(articles)
}
