//! `akhbar poll`: fetch every due source once.

use super::net::NetArgs;
use crate::output::json_line;
use crate::Outcome;
use akhbar_pipeline::PollOptions;
use anyhow::Context;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    /// Poll every source now, due or not.
    #[arg(long)]
    all: bool,
    /// Poll only this source id (due or not).
    #[arg(long, value_name = "ID")]
    source: Option<i64>,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    net: NetArgs,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<Outcome> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).context("installing the Ctrl-C handler")?;
    }
    let client = args.net.client()?;
    let mut store =
        akhbar_store::Store::open(data).with_context(|| format!("opening the store in {}", data.display()))?;
    let options = PollOptions {
        all: args.all,
        only: args.source,
        ..PollOptions::default()
    };
    let report = akhbar_pipeline::poll(&mut store, &client, &options, &stop)?;
    super::close(store)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        json_line(&mut out, &report)?;
    } else {
        for source in &report.sources {
            for failure in &source.failed {
                eprintln!("failed: {}", crate::output::join(&failure.origin, &failure.reason));
            }
            for warning in &source.warnings {
                eprintln!("warning: {}", crate::output::join(&warning.origin, &warning.reason));
            }
            match &source.error {
                Some(error) => writeln!(out, "{:>4}  {}: failed: {error}", source.id, source.name)?,
                None => writeln!(
                    out,
                    "{:>4}  {}: {} ({} items, {} new, {} present, {} pages fetched)",
                    source.id,
                    source.name,
                    source.status.replace('_', " "),
                    source.items,
                    source.new,
                    source.existing,
                    source.pages_fetched
                )?,
            }
        }
        writeln!(
            out,
            "{}{} sources polled, {} new articles, {} sources failed, {:.1} s",
            if report.interrupted { "interrupted: " } else { "" },
            report.sources.len(),
            report.new,
            report.failed_sources,
            report.seconds
        )?;
    }
    let item_failures = report.sources.iter().any(|s| !s.failed.is_empty());
    Ok(if report.failed_sources > 0 || item_failures {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}
