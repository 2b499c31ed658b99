//! `speed`: whole-corpus analysis throughput on one core, next to baselines run in the same
//! process on the same text.
//!
//! Each round runs every analyzer once over the whole corpus, in turn, so that a slow spell
//! of a shared machine falls on all of them alike; the table gives the median round and the
//! range. akhbar starts each round with an empty word cache: every first sight of a word is
//! analyzed in full, as in a real ingest.

use crate::{baselines, corpus};
use akhbar_arabic::{Analyzer, Cache};
use anyhow::Result;
use std::path::Path;
use std::time::Instant;
use tantivy::tokenizer::TextAnalyzer;

pub fn run(shared: &Path, akhbar_only: bool, rounds: usize) -> Result<()> {
    let articles = corpus::read(shared)?;
    let texts: Vec<&str> = articles
        .iter()
        .flat_map(|a| [a.title.as_str(), a.content.as_str()])
        .collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let rounds = rounds.max(1);
    let mut baselines: Vec<(&str, TextAnalyzer)> = vec![
        ("tantivy default (simple + lowercase)", baselines::plain()),
        ("Lucene ArabicAnalyzer chain (re-implemented)", baselines::lucene()),
        ("Snowball Arabic", baselines::snowball()),
    ];
    if akhbar_only {
        baselines.clear();
    }
    let analyzer = Analyzer::default();
    let mut names: Vec<&str> = baselines.iter().map(|(name, _)| *name).collect();
    names.push("akhbar: normalize + tokenize + segment + stem (cached)");
    if !akhbar_only {
        names.push("akhbar: same, owned tokens with segments, no cache");
    }
    // seconds[analyzer][round], and each analyzer's token count.
    let mut seconds = vec![Vec::new(); names.len()];
    let mut tokens = vec![0usize; names.len()];
    for round in 0..rounds {
        eprintln!("speed: round {} of {rounds}", round + 1);
        for (i, (_, tantivy_analyzer)) in baselines.iter_mut().enumerate() {
            let (s, n) = time_tantivy(tantivy_analyzer, &texts);
            seconds[i].push(s);
            tokens[i] = n;
        }
        let i = baselines.len();
        let started = Instant::now();
        let mut cache = Cache::default();
        let mut n = 0usize;
        for text in &texts {
            analyzer.for_each(text, &mut cache, |_| n += 1);
        }
        seconds[i].push(started.elapsed().as_secs_f64());
        tokens[i] = n;
        drop(cache);
        if !akhbar_only {
            let started = Instant::now();
            let mut n = 0usize;
            for text in &texts {
                n += analyzer.analyze(text).len();
            }
            seconds[i + 1].push(started.elapsed().as_secs_f64());
            tokens[i + 1] = n;
        }
    }
    println!(
        "| analyzer (one core, {:.1} MB of text, median of {rounds} rounds) | MB/s | range, MB/s | tokens/s | vs first row |",
        bytes as f64 / 1e6
    );
    println!("|---|---|---|---|---|");
    let mb = bytes as f64 / 1e6;
    let mut first = None;
    for ((name, mut times), n) in names.into_iter().zip(seconds).zip(tokens) {
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let (fastest, slowest) = (times[0], times[times.len() - 1]);
        let mbs = mb / median;
        let base = *first.get_or_insert(mbs);
        println!(
            "| {name} | {mbs:.1} | {:.1}–{:.1} | {:.2} M | {:.2}× |",
            mb / slowest,
            mb / fastest,
            n as f64 / median / 1e6,
            mbs / base
        );
    }
    Ok(())
}

fn time_tantivy(analyzer: &mut TextAnalyzer, texts: &[&str]) -> (f64, usize) {
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
