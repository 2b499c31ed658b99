//! `akhbar ingest PATH...`

use crate::output::{json_line, say_items};
use crate::Outcome;
use akhbar_pipeline::{IngestOptions, IngestReport, Progress};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders (searched recursively): .txt, .html, .htm, .jsonl, .jsonl.gz, .ndjson,
    /// .rss, .atom, .xml.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
    /// Articles per commit.
    #[arg(long, default_value_t = 2000)]
    batch_size: usize,
    /// Source (outlet name) for articles whose input names none, e.g. text and HTML files.
    #[arg(long)]
    source: Option<String>,
    /// Publish into a cluster's log instead of a store (NATS servers, comma-separated).
    #[arg(long, env = "AKHBAR_NATS")]
    nats: Option<String>,
    /// With --nats: return only when every article is searchable on every live replica of
    /// its shard.
    #[arg(long, requires = "nats")]
    wait: bool,
    /// With --nats: copies of each stream when the streams are created (default: 3 in a
    /// cluster, 1 on a lone server).
    #[arg(long, requires = "nats")]
    replicas: Option<usize>,
}

/// A progress bar over input bytes, on a terminal only.
struct Bar(Option<ProgressBar>);

impl Progress for Bar {
    fn start(&self, total_bytes: u64) {
        if let Some(bar) = &self.0 {
            bar.set_length(total_bytes);
        }
    }

    /// On a terminal, moves the bar; elsewhere (a log, a supervisor) prints one line per
    /// commit. Every article counted on a `committed:` line is durable: a crash after it
    /// loses none of them.
    fn update(&self, bytes_done: u64, report: &IngestReport) {
        let message = format!(
            "{} new, {} present, {} failed",
            report.new,
            report.existing,
            report.failed.len()
        );
        match &self.0 {
            Some(bar) => {
                bar.set_position(bytes_done);
                bar.set_message(message);
            }
            None => eprintln!("committed: {message}, {bytes_done} bytes read"),
        }
    }
}

#[derive(serde::Serialize)]
struct Summary<'a> {
    #[serde(flatten)]
    report: &'a IngestReport,
    articles_per_second: f64,
    megabytes_per_second: f64,
    peak_rss_bytes: Option<u64>,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<Outcome> {
    let options = IngestOptions {
        batch_size: args.batch_size.max(1),
        default_source: args.source,
    };
    if let Some(nats) = &args.nats {
        return super::cluster::publish(nats, args.replicas, args.paths, options, args.wait, args.json);
    }
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).context("installing the Ctrl-C handler")?;
    }
    let mut store =
        akhbar_store::Store::open(data).with_context(|| format!("opening the store in {}", data.display()))?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {bytes_per_sec} eta {eta} {msg}")
                .expect("the template is valid"),
        );
        bar
    });
    let report = akhbar_pipeline::ingest(&mut store, &args.paths, &options, &Bar(bar.clone()), &stop)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    super::close(store)?;
    let mut out = std::io::stdout().lock();
    let summary = Summary {
        report: &report,
        articles_per_second: (report.articles_per_second() * 10.0).round() / 10.0,
        megabytes_per_second: (report.bytes as f64 / 1e6 / report.elapsed.as_secs_f64().max(1e-9) * 100.0).round()
            / 100.0,
        peak_rss_bytes: peak_rss_bytes(),
    };
    if args.json {
        json_line(&mut out, &summary)?;
    } else {
        say_items(&report.failed, &report.warnings);
        writeln!(
            out,
            "{}{} new, {} already present, {} failed, from {} files in {:.2} s ({:.0} articles/s)",
            if report.interrupted { "interrupted: " } else { "" },
            report.new,
            report.existing,
            report.failed.len(),
            report.files,
            report.elapsed.as_secs_f64(),
            summary.articles_per_second,
        )?;
    }
    Ok(Outcome::of_batch(report.interrupted, report.failed.len()))
}

/// The process's peak resident memory (Linux), for the benchmark figures.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
