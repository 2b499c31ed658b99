//! `train-segmenter`: EM over the corpus' word counts, written to the arabic crate's data.

use crate::corpus;
use akhbar_arabic::SegmenterTrainer;
use anyhow::{Context, Result};
use std::path::Path;
use std::time::Instant;

pub fn run(shared: &Path, out: &Path, min_word_count: u64, smoothing: f32, rounds: usize) -> Result<()> {
    let started = Instant::now();
    let articles = corpus::read(shared)?;
    let mut trainer = SegmenterTrainer::new();
    for article in &articles {
        trainer.add_text(&article.title);
        trainer.add_text(&article.content);
    }
    let model = trainer.train(min_word_count, smoothing, rounds);
    std::fs::write(out, model.to_tsv()).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "trained on {} articles, {} distinct words: {} stems kept, written to {} in {:.1} s",
        articles.len(),
        trainer.n_words(),
        model.n_stems(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
