//! `speed`: whole-corpus analysis throughput on one core, next to baselines run in the same
//! process on the same text.

use crate::{baselines, corpus};
use akhbar_arabic::{Analyzer, Cache};
use anyhow::Result;
use std::path::Path;
use std::time::Instant;
use tantivy::tokenizer::TextAnalyzer;

pub fn run(shared: &Path, akhbar_only: bool) -> Result<()> {
    let articles = corpus::read(shared)?;
    let texts: Vec<&str> = articles
        .iter()
        .flat_map(|a| [a.title.as_str(), a.content.as_str()])
        .collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    println!(
        "| analyzer (one core, {:.1} MB of text) | MB/s | tokens/s | vs tantivy default |",
        bytes as f64 / 1e6
    );
    println!("|---|---|---|---|");
    let mut baseline_mbs = 0.0;
    let mut row = |name: &str, seconds: f64, tokens: usize| {
        let mbs = bytes as f64 / 1e6 / seconds;
        if baseline_mbs == 0.0 {
            baseline_mbs = mbs;
        }
        println!(
            "| {name} | {mbs:.1} | {:.2} M | {:.2}× |",
            tokens as f64 / seconds / 1e6,
            mbs / baseline_mbs
        );
    };
    let baselines = [
        ("tantivy default (simple + lowercase)", baselines::plain()),
        ("Lucene ArabicAnalyzer chain (re-implemented)", baselines::lucene()),
        ("Snowball Arabic", baselines::snowball()),
    ];
    for (name, analyzer) in baselines.into_iter().take(if akhbar_only { 0 } else { 3 }) {
        let (seconds, tokens) = time_tantivy(analyzer, &texts);
        row(name, seconds, tokens);
    }
    let analyzer = Analyzer::default();
    let started = Instant::now();
    let mut cache = Cache::default();
    let mut tokens = 0usize;
    for text in &texts {
        analyzer.for_each(text, &mut cache, |_| tokens += 1);
    }
    row(
        "akhbar: normalize + tokenize + segment + stem (cached)",
        started.elapsed().as_secs_f64(),
        tokens,
    );
    if !akhbar_only {
        let started = Instant::now();
        let mut tokens = 0usize;
        for text in &texts {
            tokens += analyzer.analyze(text).len();
        }
        row(
            "akhbar: same, owned tokens with segments, no cache",
            started.elapsed().as_secs_f64(),
            tokens,
        );
    }
    Ok(())
}

fn time_tantivy(mut analyzer: TextAnalyzer, texts: &[&str]) -> (f64, usize) {
    let started = Instant::now();
    let mut tokens = 0usize;
    for text in texts {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            tokens += 1;
        }
    }
    (started.elapsed().as_secs_f64(), tokens)
}
