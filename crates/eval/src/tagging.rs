//! `tagging`: the entity tagger's speed on one core over corpus articles, next to the plain
//! way of decoding the same models (every feature of every token collected as a list, each
//! looked up in each pass's own table, weights summed as floats: how the tagger worked before
//! its weights were summed per word), run in the same process, round by round in turn, with
//! a check that both give the same tags.

use crate::corpus;
use akhbar_entities::{embedded_models, sentences, Model, Recognizer, Tag};
use anyhow::{bail, Result};
use std::path::Path;
use std::time::Instant;

/// Tags of each sentence of each text, and the seconds they took.
type Tagged = (Vec<Vec<Vec<Tag>>>, f64);

pub fn run(shared: &Path, articles: usize, rounds: usize) -> Result<()> {
    let corpus = corpus::read(shared)?;
    let texts: Vec<String> = corpus
        .iter()
        .take(articles)
        .map(|a| format!("{}\n{}", a.title, a.content))
        .collect();
    let words: Vec<Vec<Vec<&str>>> = texts
        .iter()
        .map(|text| {
            sentences(text)
                .iter()
                .map(|s| s.iter().map(|t| &text[t.start..t.end]).collect())
                .collect()
        })
        .collect();
    let tokens: usize = words.iter().flatten().map(Vec::len).sum();
    let recognizer = Recognizer::embedded()?;
    let (first, second) = embedded_models()?;
    let rounds = rounds.max(1);
    let (mut fast_seconds, mut plain_seconds) = (Vec::new(), Vec::new());
    let mut differing = 0usize;
    for round in 0..rounds {
        eprintln!("tagging: round {} of {rounds}", round + 1);
        let (fast, seconds) = fast_tags(&recognizer, &words);
        fast_seconds.push(seconds);
        let (plain, seconds) = plain_tags(&recognizer, &first, &second, &words);
        plain_seconds.push(seconds);
        differing = fast
            .iter()
            .flatten()
            .flatten()
            .zip(plain.iter().flatten().flatten())
            .filter(|(a, b)| a != b)
            .count();
    }
    println!(
        "| tagger (one core, {} articles, {tokens} tokens, median of {rounds} rounds) | tokens/s | range, tokens/s | vs plain |",
        texts.len()
    );
    println!("|---|---|---|---|");
    let (plain_median, plain_range) = spread(&mut plain_seconds);
    let (fast_median, fast_range) = spread(&mut fast_seconds);
    for (name, median, (fastest, slowest)) in [
        (
            "plain: feature lists, a table per pass, float sums",
            plain_median,
            plain_range,
        ),
        ("akhbar: one table, integer sums per word", fast_median, fast_range),
    ] {
        println!(
            "| {name} | {:.0} | {:.0}–{:.0} | {:.2}× |",
            tokens as f64 / median,
            tokens as f64 / slowest,
            tokens as f64 / fastest,
            plain_median / median
        );
    }
    println!("\ntags that differ between the two: {differing} of {tokens}");
    if differing > 0 {
        bail!("the two ways of decoding disagree on {differing} tokens");
    }
    Ok(())
}

/// The median and the (fastest, slowest) of some timings.
fn spread(seconds: &mut [f64]) -> (f64, (f64, f64)) {
    seconds.sort_by(f64::total_cmp);
    (seconds[seconds.len() / 2], (seconds[0], seconds[seconds.len() - 1]))
}

fn fast_tags(recognizer: &Recognizer, words: &[Vec<Vec<&str>>]) -> Tagged {
    let started = Instant::now();
    let tags = words.iter().map(|article| recognizer.tag_document(article)).collect();
    (tags, started.elapsed().as_secs_f64())
}

fn plain_tags(recognizer: &Recognizer, first: &Model, second: &Model, words: &[Vec<Vec<&str>>]) -> Tagged {
    let started = Instant::now();
    let tags = words
        .iter()
        .map(|article| {
            let first_pass: Vec<Vec<Tag>> = article.iter().map(|w| first.decode(&recognizer.features(w))).collect();
            recognizer
                .document_features(article, &first_pass)
                .iter()
                .map(|features| second.decode(features))
                .collect()
        })
        .collect();
    (tags, started.elapsed().as_secs_f64())
}
