//! The publisher: article files into the work queue, and waiting until they are applied.

use crate::{message_id, Cluster, Error, Wire, IN_STREAM, IN_SUBJECT};
use akhbar_pipeline::{Failure, IngestOptions};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Publishes awaiting the server's acknowledgement at once, at most.
const IN_FLIGHT: usize = 256;

/// What `akhbar ingest --nats` did. Field names are its `--json` contract.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PublishReport {
    /// Files read.
    pub files: usize,
    /// Articles the log stored.
    pub published: usize,
    /// Articles the log already had (the same id within [`crate::DUPLICATE_WINDOW`]).
    pub duplicates: usize,
    /// Items that could not be read or published, with reasons.
    pub failed: Vec<Failure>,
    /// Items read with something dropped or guessed.
    pub warnings: Vec<Failure>,
    /// Input bytes read.
    pub bytes: u64,
    /// True when a stop was requested before the end.
    pub interrupted: bool,
    /// Seconds spent publishing.
    pub publish_seconds: f64,
    /// Seconds spent waiting for the shards (`--wait`), else 0.
    pub wait_seconds: f64,
    /// Shards without a live replica when the wait ended: their articles are in the log,
    /// not searchable yet.
    pub missing_shards: Vec<u32>,
}

/// Reads `paths` as `akhbar ingest` does and publishes every article to the work queue under
/// its id, keeping a window of publishes in flight; a publish the server refuses (too large,
/// no stream) is a failure of that item.
pub async fn publish_files(
    cluster: &Cluster,
    paths: Vec<PathBuf>,
    options: IngestOptions,
    stop: Arc<AtomicBool>,
) -> Result<PublishReport, Error> {
    let started = Instant::now();
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<akhbar_store::NewArticle>(1024);
    let reading = tokio::task::spawn_blocking(move || {
        akhbar_pipeline::read_files(&paths, &options, &stop, &mut |new| sender.blocking_send(new).is_ok())
    });
    let mut report = PublishReport::default();
    let mut in_flight = VecDeque::new();
    while let Some(new) = receiver.recv().await {
        let origin = new.origin.clone().unwrap_or_else(|| new.id.to_string());
        let headers = message_id(new.id.as_str());
        let payload = serde_json::to_vec(&Wire::from_new(new)).expect("an article serializes");
        match cluster
            .js
            .publish_with_headers(IN_SUBJECT, headers, payload.into())
            .await
        {
            Ok(ack) => in_flight.push_back((origin, ack)),
            Err(error) => report.failed.push(Failure {
                origin,
                reason: format!("not published: {error}"),
            }),
        }
        if in_flight.len() >= IN_FLIGHT {
            let (origin, ack) = in_flight.pop_front().expect("not empty");
            settle(&mut report, origin, ack.await);
        }
    }
    while let Some((origin, ack)) = in_flight.pop_front() {
        settle(&mut report, origin, ack.await);
    }
    let read = reading.await.map_err(|e| Error::JetStream {
        what: "reading the files".into(),
        message: e.to_string(),
    })?;
    report.files = read.files;
    report.failed.splice(0..0, read.failed);
    report.warnings = read.warnings;
    report.bytes = read.bytes;
    report.interrupted = read.interrupted;
    report.publish_seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn settle(
    report: &mut PublishReport,
    origin: String,
    ack: Result<async_nats::jetstream::publish::PublishAck, async_nats::jetstream::context::PublishError>,
) {
    match ack {
        Ok(ack) if ack.duplicate => report.duplicates += 1,
        Ok(_) => report.published += 1,
        Err(error) => report.failed.push(Failure {
            origin,
            reason: format!("not stored by the log: {error}"),
        }),
    }
}

/// Waits until the work queue is empty and every live replica has applied its shard's
/// subject to the end: then every article published before the call is searchable on each
/// of them. Calls `waiting` about every ten seconds with what is left. Returns the shards that
/// had no live replica, or `None` when `stop` was set first (Ctrl-C).
pub async fn wait_applied(
    cluster: &Cluster,
    stop: &AtomicBool,
    waiting: &(dyn Fn(&str) + Sync),
) -> Result<Option<Vec<u32>>, Error> {
    let started = Instant::now();
    let mut said = Instant::now();
    let mut failing_since: Option<Instant> = None;
    loop {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(None);
        }
        // A server lost or a leader being elected makes requests time out for a few
        // seconds: the wait goes on through that, not through a minute of it.
        let status = match crate::status(cluster).await {
            Ok(status) => {
                failing_since = None;
                status
            }
            Err(error) if failing_since.get_or_insert_with(Instant::now).elapsed() < Duration::from_secs(60) => {
                waiting(&format!("the cluster did not answer ({error}); asking again"));
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
            Err(error) => return Err(error),
        };
        let queue = status
            .streams
            .iter()
            .find(|s| s.name == IN_STREAM)
            .map_or(0, |s| s.messages);
        let lagging: Vec<String> = status
            .shards
            .iter()
            .flat_map(|s| s.replicas.iter().map(move |r| (s.shard, r)))
            .filter(|(_, r)| r.alive && r.lag != Some(0))
            .map(|(k, r)| {
                format!(
                    "replica {} of shard {k}: {} to apply",
                    r.id,
                    r.lag.map_or("?".into(), |l| l.to_string())
                )
            })
            .collect();
        let missing: Vec<u32> = status
            .shards
            .iter()
            .filter(|s| !s.replicas.iter().any(|r| r.alive))
            .map(|s| s.shard)
            .collect();
        if queue == 0 && lagging.is_empty() && !status.shards.is_empty() {
            return Ok(Some(missing));
        }
        if said.elapsed() >= Duration::from_secs(10) {
            let workers = status.workers.iter().filter(|w| w.alive).count();
            waiting(&format!(
                "waiting {:.0} s: {queue} articles in the work queue, {workers} live workers; {}",
                started.elapsed().as_secs_f64(),
                if status.shards.is_empty() {
                    // Workers route nothing before a node has fixed the shard count.
                    "no node has started yet (akhbar node --shard K/N)".to_string()
                } else if lagging.is_empty() {
                    "every live replica is applied".to_string()
                } else {
                    lagging.join(", ")
                }
            ));
            said = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
