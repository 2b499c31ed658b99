//! A shard replica: its shard's articles from the stream, in order, into an embedded store.

use crate::{js_error, shard_subject, within, Cluster, Error, Heartbeat, Wire, SHARD_STREAM};
use async_nats::jetstream::consumer::{pull, AckPolicy, DeliverPolicy};
use futures_util::StreamExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Store keys a replica keeps: its id (the name of its durable consumer) and its shard.
const META_REPLICA: &str = "cluster.replica";
const META_SHARD: &str = "cluster.shard";
/// The stream sequence of the last message applied: where the replica starts again.
const META_APPLIED: &str = "cluster.applied";

/// Articles applied per commit at most.
const BATCH: usize = 1000;

/// Shard `k` of `n` (`--shard K/N`, K from 1 to N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, from 1.
    pub k: u32,
    /// The cluster's shard count.
    pub n: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| format!("expected K/N, e.g. 1/2, not {text:?}"))?;
        let parse = |s: &str| {
            s.trim()
                .parse::<u32>()
                .map_err(|_| format!("{s:?} is not a number in {text:?}"))
        };
        let (k, n) = (parse(k)?, parse(n)?);
        if n == 0 || k == 0 || k > n {
            return Err(format!("the shard must be from 1 to N and N at least 1, not {text}"));
        }
        Ok(Shard { k, n })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// Runs a replica of `shard` on `store` until `stop` is set: fixes the cluster's shard count
/// (or checks it), then applies the shard's articles from the stream in order, a batch per
/// store commit, acknowledging a batch only once it is committed. Returns the replica's id.
pub async fn run_node(
    cluster: &Cluster,
    data: &std::path::Path,
    store: &mut akhbar_store::Store,
    shard: Shard,
    stop: &AtomicBool,
    on_ready: &(dyn Fn(&str) + Sync),
    on_batch: &(dyn Fn(&str, usize, usize) + Sync),
) -> Result<String, Error> {
    let kept = store.meta(META_SHARD)?;
    if let Some(kept) = kept.as_ref().filter(|kept| **kept != shard.to_string()) {
        return Err(Error::Shards(format!(
            "this store holds shard {kept}, not {shard}: give each shard its own --data"
        )));
    }
    fix_shard_count(cluster, shard.n).await?;
    // Only once the cluster agrees: a refused shard count leaves the folder free.
    if kept.is_none() {
        store.set_meta(META_SHARD, &shard.to_string())?;
    }
    let id = match store.meta(META_REPLICA)? {
        Some(id) => id,
        None => {
            let id = new_id("r");
            store.set_meta(META_REPLICA, &id)?;
            id
        }
    };
    let name = consumer_name(shard.k, &id);
    answer_searches(cluster, data, shard.k).await?;
    on_ready(&id);
    let mut beat = Heartbeat {
        role: "node".into(),
        id: id.clone(),
        shard: shard.k,
        articles: store.article_count()?,
        host: crate::host_name(),
        data: std::path::absolute(data)
            .unwrap_or_else(|_| data.to_path_buf())
            .display()
            .to_string(),
        at: crate::now_seconds(),
    };
    while !stop.load(Ordering::Relaxed) {
        match apply(cluster, store, shard, &name, &mut beat, stop, on_batch).await {
            Ok(()) => {}
            Err(Error::Store(error)) => return Err(Error::Store(error)),
            // A server lost, a leader being elected: start again from the last batch
            // applied, on a consumer made anew (acknowledging past a message this process
            // took and did not apply would skip it).
            Err(error) => {
                tracing::warn!("{name}: {error}; starting again after the last batch applied");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
    beat.at = crate::now_seconds();
    if let Err(error) = cluster.beat(&beat).await {
        tracing::warn!("{name}: the last heartbeat: {error}");
    }
    Ok(id)
}

/// Applies the shard's messages after the last one applied until `stop` is set or a request
/// fails.
async fn apply(
    cluster: &Cluster,
    store: &mut akhbar_store::Store,
    shard: Shard,
    name: &str,
    beat: &mut Heartbeat,
    stop: &AtomicBool,
    on_batch: &(dyn Fn(&str, usize, usize) + Sync),
) -> Result<(), Error> {
    let stream = within("opening the shard stream", cluster.js.get_stream(SHARD_STREAM)).await?;
    // The replica's place in the stream is kept in its store: it starts after the last
    // message it applied, at once (a consumer left from before would wait out the
    // acknowledgement time of what the killed process had taken), and an emptied store
    // builds itself again from the stream's start.
    let applied: u64 = store.meta(META_APPLIED)?.and_then(|s| s.parse().ok()).unwrap_or(0);
    if let Err(error) = within("removing the old consumer", stream.delete_consumer(name)).await {
        tracing::debug!("{name}: no consumer to replace ({error})");
    }
    let config = pull::Config {
        durable_name: Some(name.to_string()),
        filter_subject: shard_subject(shard.k),
        deliver_policy: DeliverPolicy::ByStartSequence {
            start_sequence: applied + 1,
        },
        ack_policy: AckPolicy::All,
        ack_wait: Duration::from_secs(30),
        max_ack_pending: 20_000,
        ..Default::default()
    };
    let mut consumer = within(format!("creating consumer {name}"), stream.create_consumer(config)).await?;
    let mut last_beat: Option<Instant> = None;
    let mut empty = 0u32;
    while !stop.load(Ordering::Relaxed) {
        if last_beat.is_none_or(|at| at.elapsed() >= crate::HEARTBEAT) {
            beat.at = crate::now_seconds();
            cluster.beat(beat).await?;
            last_beat = Some(Instant::now());
        }
        let mut batch = Vec::new();
        let mut last = None;
        for message in crate::fetch(&consumer, BATCH, &format!("fetching from {name}")).await? {
            match serde_json::from_slice::<Wire>(&message.payload) {
                Ok(wire) => batch.push(wire.into_new()),
                // Not an article: said and skipped (acknowledged with the batch), as a bad item
                // of a file is.
                Err(error) => tracing::warn!("{name}: message {} is not an article: {error}", message.subject),
            }
            last = Some(message);
        }
        let Some(last) = last else {
            // Messages delivered while a server died can be lost on the way and count as
            // delivered until the acknowledgement wait ends (seen with nats-server 2.9); this
            // replica holds nothing unacknowledged between batches, so after a few seconds of
            // nothing it asks, and makes the consumer anew when messages are held back.
            empty += 1;
            if empty.is_multiple_of(10) {
                let info = within(format!("reading consumer {name}"), consumer.info()).await?;
                let held = info.num_pending + info.num_ack_pending as u64;
                if held > 0 {
                    return Err(Error::JetStream {
                        what: format!("consumer {name}"),
                        message: format!("{held} messages wait and none came"),
                    });
                }
            }
            continue;
        };
        empty = 0;
        let taken = batch.len();
        let sequence = last
            .info()
            .map_err(js_error(format!("reading a message's place on {name}")))?
            .stream_sequence;
        let added = tokio::task::block_in_place(|| akhbar_pipeline::store_tagged(store, batch))?;
        // A crash between the commit and this line applies the batch again: the store keeps
        // the first copy of each id.
        store.set_meta(META_APPLIED, &sequence.to_string())?;
        // Every message up to this one is applied (the consumer acknowledges all before it).
        within(format!("acknowledging on {name}"), last.double_ack()).await?;
        on_batch(&beat.id, taken, added.new);
        // Said at once: a status read after a wait sees the count that wait saw applied.
        beat.articles += added.new as u64;
        beat.at = crate::now_seconds();
        cluster.beat(beat).await?;
        last_beat = Some(Instant::now());
    }
    Ok(())
}

/// Answers searches for shard `k` (one replica of each shard answers each request) from a
/// read handle on the store in `data`, on a task of its own while the replica applies.
async fn answer_searches(cluster: &Cluster, data: &std::path::Path, k: u32) -> Result<(), Error> {
    let reader = akhbar_store::Store::open_existing(data)?;
    let client = cluster.client.clone();
    let mut requests = within(
        "listening for searches",
        client.queue_subscribe(crate::search_subject(k), crate::search_group(k)),
    )
    .await?;
    tokio::spawn(async move {
        while let Some(request) = requests.next().await {
            let Some(reply) = request.reply else { continue };
            let answer = tokio::task::block_in_place(|| crate::search::answer(&reader, &request.payload));
            let payload = serde_json::to_vec(&answer).expect("an answer serializes");
            if let Err(error) = client.publish(reply, payload.into()).await {
                tracing::warn!("shard {k}: a search answer was not sent: {error}");
            }
        }
    });
    Ok(())
}

/// The durable consumer of replica `id` of shard `k`.
pub(crate) fn consumer_name(k: u32, id: &str) -> String {
    format!("shard-{k}-{id}")
}

/// Sets the cluster's shard count if no node has, or checks it is `n`. Servers that have just
/// started answer bucket requests late for a few seconds: it asks again meanwhile.
async fn fix_shard_count(cluster: &Cluster, n: u32) -> Result<(), Error> {
    let other = |kept: u32| {
        Error::Shards(format!(
            "the cluster has {kept} shards, not {n}: start nodes with --shard K/{kept}"
        ))
    };
    let kept = crate::retrying("reading the shard count", || async {
        match cluster.shards().await? {
            Some(kept) => Ok(kept),
            // Set it, or read what another node set first.
            None => match cluster.config.create("shards", n.to_string().into()).await {
                Ok(_) => Ok(n),
                Err(error) => cluster.shards().await?.ok_or(Error::JetStream {
                    what: "setting the shard count".into(),
                    message: error.to_string(),
                }),
            },
        }
    })
    .await?;
    if kept == n {
        Ok(())
    } else {
        Err(other(kept))
    }
}

/// A member id unlikely to repeat: the prefix, the time and the process.
pub(crate) fn new_id(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!("{nanos}-{}-{:?}", std::process::id(), std::thread::current().id());
    format!(
        "{prefix}{:012x}",
        xxhash_rust::xxh3::xxh3_64(seed.as_bytes()) & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse() {
        for (text, expected) in [
            ("1/2", Ok(Shard { k: 1, n: 2 })),
            ("2/2", Ok(Shard { k: 2, n: 2 })),
            (" 3 / 4 ", Ok(Shard { k: 3, n: 4 })),
            ("0/2", Err(())),
            ("3/2", Err(())),
            ("1/0", Err(())),
            ("1", Err(())),
            ("a/2", Err(())),
        ] {
            assert_eq!(text.parse::<Shard>().map_err(|_| ()), expected, "{text}");
        }
        let id = new_id("r");
        assert!(id.starts_with('r') && id.len() == 13, "{id}");
        assert!(
            id.chars().all(|c| c.is_ascii_alphanumeric()),
            "consumer names take it: {id}"
        );
    }
}
