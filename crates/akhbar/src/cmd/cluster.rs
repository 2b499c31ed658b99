//! The cluster's roles: `akhbar node`, `akhbar worker`, `akhbar cluster status`, and
//! `akhbar ingest --nats` (crates/cluster).

use crate::output::{json_line, say_items};
use crate::Outcome;
use akhbar_cluster::{Cluster, Shard};
use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Where the cluster is: `--nats URL[,URL...]` or `AKHBAR_NATS`.
#[derive(clap::Args)]
pub struct Nats {
    /// NATS servers of the cluster, comma-separated (nats://host:4222,...).
    #[arg(long, env = "AKHBAR_NATS")]
    nats: String,
    /// Copies of each stream on different servers when the streams are created (default: 3
    /// when the server is in a cluster, 1 on a lone server).
    #[arg(long)]
    replicas: Option<usize>,
}

#[derive(clap::Args)]
pub struct NodeArgs {
    #[command(flatten)]
    nats: Nats,
    /// This replica's shard: K of N, from 1 (several nodes with the same K are replicas).
    #[arg(long)]
    shard: Shard,
}

#[derive(clap::Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    nats: Nats,
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// Shards and their replicas (articles, lag, alive), workers, streams.
    Status(StatusArgs),
}

#[derive(clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    nats: Nats,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

fn stop_flag() -> anyhow::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).context("installing the signal handler")?;
    }
    Ok(stop)
}

async fn connect(nats: &Nats) -> anyhow::Result<Cluster> {
    Ok(Cluster::connect(&nats.nats, nats.replicas).await?)
}

/// `akhbar node --nats URL --data DIR --shard K/N`: runs until SIGTERM or Ctrl-C.
pub fn node(data: &Path, args: NodeArgs) -> anyhow::Result<Outcome> {
    let stop = stop_flag()?;
    let mut store =
        akhbar_store::Store::open(data).with_context(|| format!("opening the store in {}", data.display()))?;
    let id = runtime()?.block_on(async {
        let cluster = connect(&args.nats).await?;
        let shard = args.shard;
        let on_ready = |id: &str| eprintln!("node: replica {id} of shard {shard} in {}, applying", data.display());
        let on_batch =
            |id: &str, taken: usize, new: usize| eprintln!("applied: replica {id}, {taken} articles, {new} new");
        anyhow::Ok(akhbar_cluster::run_node(&cluster, data, &mut store, shard, &stop, &on_ready, &on_batch).await?)
    })?;
    super::close(store)?;
    eprintln!("node: replica {id} stopped");
    Ok(Outcome::Ok)
}

/// `akhbar worker --nats URL`: runs until SIGTERM or Ctrl-C.
pub fn worker(args: WorkerArgs) -> anyhow::Result<Outcome> {
    let stop = stop_flag()?;
    let id = runtime()?.block_on(async {
        let cluster = connect(&args.nats).await?;
        eprintln!("worker: taking work");
        let on_batch = |id: &str, taken: usize| eprintln!("tagged: worker {id}, {taken} articles");
        anyhow::Ok(akhbar_cluster::run_worker(&cluster, &stop, &on_batch).await?)
    })?;
    eprintln!("worker: {id} stopped");
    Ok(Outcome::Ok)
}

/// `akhbar cluster ...`.
pub fn run(command: Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Status(args) => {
            let status = runtime()?.block_on(async {
                let cluster = connect(&args.nats).await?;
                anyhow::Ok(akhbar_cluster::status(&cluster).await?)
            })?;
            let mut out = std::io::stdout().lock();
            if args.json {
                json_line(&mut out, &status)?;
                return Ok(Outcome::Ok);
            }
            for shard in &status.shards {
                writeln!(out, "shard {}: {} replicas", shard.shard, shard.replicas.len())?;
                for r in &shard.replicas {
                    writeln!(
                        out,
                        "  {} ({}:{}) {} articles, lag {}, {}",
                        r.id,
                        r.host,
                        r.data,
                        r.articles,
                        r.lag.map_or("unknown".into(), |l| l.to_string()),
                        if r.alive { "alive" } else { "not alive" }
                    )?;
                }
            }
            let alive = status.workers.iter().filter(|w| w.alive).count();
            writeln!(out, "workers: {alive} alive of {} seen", status.workers.len())?;
            for s in &status.streams {
                writeln!(
                    out,
                    "stream {}: {} messages, {} replicas, leader {}",
                    s.name,
                    s.messages,
                    s.replicas,
                    s.leader.as_deref().unwrap_or("(one server)")
                )?;
            }
            Ok(Outcome::Ok)
        }
    }
}

/// `akhbar ingest --nats URL [--wait] PATH...`: publishes into the cluster.
pub fn publish(
    nats: &str,
    replicas: Option<usize>,
    paths: Vec<PathBuf>,
    options: akhbar_pipeline::IngestOptions,
    wait: bool,
    json: bool,
) -> anyhow::Result<Outcome> {
    let stop = stop_flag()?;
    let report = runtime()?.block_on(async {
        let cluster = Cluster::connect(nats, replicas).await?;
        let mut report = akhbar_cluster::publish_files(&cluster, paths, options, Arc::clone(&stop)).await?;
        if wait && !report.interrupted {
            let started = std::time::Instant::now();
            let waiting = |line: &str| eprintln!("{line}");
            match akhbar_cluster::wait_applied(&cluster, &stop, &waiting).await? {
                Some(missing) => report.missing_shards = missing,
                // Stopped while waiting: what was published stays in the log.
                None => report.interrupted = true,
            }
            report.wait_seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
        }
        anyhow::Ok(report)
    })?;
    let mut out = std::io::stdout().lock();
    if json {
        json_line(&mut out, &report)?;
    } else {
        say_items(&report.failed, &report.warnings);
        writeln!(
            out,
            "{}{} published, {} already in the log, {} failed, from {} files in {:.2} s{}",
            if report.interrupted { "interrupted: " } else { "" },
            report.published,
            report.duplicates,
            report.failed.len(),
            report.files,
            report.publish_seconds,
            if wait {
                format!("; applied on every live replica {:.2} s later", report.wait_seconds)
            } else {
                String::new()
            }
        )?;
        if !report.missing_shards.is_empty() {
            eprintln!(
                "warning: shards {:?} have no live replica: their articles wait in the log",
                report.missing_shards
            );
        }
    }
    Ok(Outcome::of_batch(report.interrupted, report.failed.len()))
}

/// `akhbar search --nats URL QUERY`: every shard, ranked as one store.
pub fn search(
    nats: &str,
    query: &str,
    filters: &akhbar_store::Filters,
    limit: usize,
) -> anyhow::Result<akhbar_cluster::ClusterSearch> {
    runtime()?.block_on(async {
        let cluster = Cluster::connect(nats, None).await?;
        anyhow::Ok(akhbar_cluster::search(&cluster, query, filters, limit).await?)
    })
}
