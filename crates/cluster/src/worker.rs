//! A worker: articles from the work queue, the entity step, each to its shard's subject.

use crate::{message_id, shard_of, shard_subject, within, Cluster, Error, Heartbeat, Wire, IN_STREAM, WORKERS};
use async_nats::jetstream::consumer::{pull, AckPolicy};
use async_nats::jetstream::AckKind;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Articles taken from the queue at once.
const BATCH: usize = 64;

/// Runs a worker until `stop` is set: takes batches from the shared consumer of the work
/// queue, tags them on all cores, publishes each to its shard and acknowledges the work only
/// once the shard stream has stored it. A worker killed at any point loses nothing: what it
/// had not acknowledged is delivered again (to any worker) after the acknowledgement wait,
/// and the shard stream drops the second copy by its message id. Returns the worker's id.
pub async fn run_worker(
    cluster: &Cluster,
    stop: &AtomicBool,
    on_batch: &(dyn Fn(&str, usize) + Sync),
) -> Result<String, Error> {
    let id = crate::node::new_id("w");
    let mut beat = Heartbeat {
        role: "worker".into(),
        id: id.clone(),
        shard: 0,
        articles: 0,
        host: crate::host_name(),
        data: String::new(),
        at: crate::now_seconds(),
    };
    while !stop.load(Ordering::Relaxed) {
        // A server lost or a leader being elected: what this worker took and did not
        // acknowledge comes back to the queue after the acknowledgement wait.
        if let Err(error) = work(cluster, &mut beat, stop, on_batch).await {
            tracing::warn!("worker {id}: {error}; taking work again");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
    Ok(id)
}

/// Takes, tags and sends on batches until `stop` is set or a request fails.
async fn work(
    cluster: &Cluster,
    beat: &mut Heartbeat,
    stop: &AtomicBool,
    on_batch: &(dyn Fn(&str, usize) + Sync),
) -> Result<(), Error> {
    let stream = within("opening the work queue", cluster.js.get_stream(IN_STREAM)).await?;
    let config = pull::Config {
        durable_name: Some(WORKERS.into()),
        ack_policy: AckPolicy::Explicit,
        ack_wait: Duration::from_secs(10),
        max_ack_pending: 10_000,
        ..Default::default()
    };
    let consumer = within(
        "creating the workers' consumer",
        stream.get_or_create_consumer(WORKERS, config),
    )
    .await?;
    let mut last_beat: Option<Instant> = None;
    while !stop.load(Ordering::Relaxed) {
        if last_beat.is_none_or(|at| at.elapsed() >= crate::HEARTBEAT) {
            beat.at = crate::now_seconds();
            cluster.beat(beat).await?;
            last_beat = Some(Instant::now());
        }
        // Nothing can be routed before a node has fixed the shard count (read once, then
        // kept by the connection).
        let Some(n) = within("reading the shard count", cluster.shards()).await? else {
            tokio::time::sleep(Duration::from_millis(500)).await;
            continue;
        };
        let (mut taken, mut batch, mut bad) = (Vec::new(), Vec::new(), Vec::new());
        for message in crate::fetch(&consumer, BATCH, "fetching work").await? {
            match serde_json::from_slice::<Wire>(&message.payload) {
                Ok(wire) => {
                    batch.push(wire.into_new());
                    taken.push(message);
                }
                Err(error) => {
                    tracing::warn!("work item is not an article, dropped: {error}");
                    bad.push(message);
                }
            }
        }
        for message in bad {
            within("dropping a bad work item", message.ack_with(AckKind::Term)).await?;
        }
        if batch.is_empty() {
            continue;
        }
        tokio::task::block_in_place(|| akhbar_pipeline::tag(&mut batch));
        let mut stored = Vec::with_capacity(batch.len());
        for new in batch {
            let subject = shard_subject(shard_of(new.id.as_str(), n));
            let headers = message_id(new.id.as_str());
            let payload = serde_json::to_vec(&Wire::tagged(new)).expect("an article serializes");
            let ack = within(
                "publishing to a shard",
                cluster.js.publish_with_headers(subject, headers, payload.into()),
            )
            .await?;
            stored.push(ack);
        }
        for (ack, message) in stored.into_iter().zip(&taken) {
            match within("a shard storing an article", std::future::IntoFuture::into_future(ack)).await {
                Ok(_) => within("acknowledging work", message.ack()).await?,
                // Not stored: given back to the queue at once, for any worker.
                Err(error) => {
                    tracing::warn!("a shard did not store an article ({error}); it goes back to the queue");
                    within("giving back work", message.ack_with(AckKind::Nak(None))).await?;
                }
            }
        }
        on_batch(&beat.id, taken.len());
    }
    Ok(())
}
