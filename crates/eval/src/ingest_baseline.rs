//! `ingest-baseline`: the bare-tantivy reference for `bench/ingest.sh`. Streams the corpus,
//! indexes title and content with tantivy's default tokenizer (nothing stored but the id),
//! commits every 2,000 articles like akhbar, and prints one JSON object with the figures.

use anyhow::{Context, Result};
use std::io::BufRead;
use std::path::Path;
use std::time::Instant;
use tantivy::schema::{Schema, STORED, STRING, TEXT};
use tantivy::{doc, Index};

#[derive(serde::Deserialize)]
struct Line {
    id: String,
    title: String,
    content: String,
}

pub fn run(corpus: &Path, index_dir: &Path) -> Result<()> {
    let started = Instant::now();
    let mut builder = Schema::builder();
    let id = builder.add_text_field("id", STRING | STORED);
    let title = builder.add_text_field("title", TEXT);
    let content = builder.add_text_field("content", TEXT);
    std::fs::create_dir_all(index_dir).with_context(|| format!("creating {}", index_dir.display()))?;
    let index = Index::create_in_dir(index_dir, builder.build())?;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    let mut writer = index.writer_with_num_threads(threads, 192 * 1024 * 1024)?;
    let file = std::fs::File::open(corpus).with_context(|| format!("opening {}", corpus.display()))?;
    let compressed = file.metadata()?.len();
    let mut n = 0u64;
    for line in crate::bench::open_lines(corpus)?.lines() {
        let line: Line = serde_json::from_str(&line?)?;
        writer.add_document(doc!(id => line.id, title => line.title, content => line.content))?;
        n += 1;
        if n.is_multiple_of(2000) {
            writer.commit()?;
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let seconds = started.elapsed().as_secs_f64();
    let index_bytes: u64 = std::fs::read_dir(index_dir)?
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    let peak_rss_bytes = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map(|kb| kb * 1024);
    println!(
        "{}",
        serde_json::json!({
            "articles": n,
            "seconds": seconds,
            "articles_per_second": n as f64 / seconds,
            "megabytes_per_second": compressed as f64 / 1e6 / seconds,
            "index_bytes": index_bytes,
            "peak_rss_bytes": peak_rss_bytes,
        })
    );
    Ok(())
}
