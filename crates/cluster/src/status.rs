//! `akhbar cluster status`: shards and their replicas, workers, streams.

use crate::{js_error, Cluster, Error, Heartbeat, IN_STREAM, MEMBERS, SHARD_STREAM};
use futures_util::StreamExt;

/// The cluster as its members and streams report it. Field names are the
/// `akhbar cluster status --json` contract.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Status {
    /// Every shard from 1 to N, with the replicas that ever reported.
    pub shards: Vec<ShardStatus>,
    /// Workers that reported.
    pub workers: Vec<WorkerStatus>,
    /// The streams.
    pub streams: Vec<StreamStatus>,
}

/// One shard.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShardStatus {
    /// From 1.
    pub shard: u32,
    /// Its replicas.
    pub replicas: Vec<ReplicaStatus>,
}

/// One replica of a shard.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReplicaStatus {
    /// The replica's id (kept in its store).
    pub id: String,
    /// Articles in its store at its last heartbeat.
    pub articles: u64,
    /// Messages of its shard not applied yet (`None` when its consumer could not be read).
    pub lag: Option<u64>,
    /// Whether it wrote a heartbeat in the last [`crate::ALIVE_SECONDS`] seconds.
    pub alive: bool,
    /// The machine it runs on.
    pub host: String,
    /// Its data folder there.
    pub data: String,
}

/// One worker.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WorkerStatus {
    /// The worker's id (new at each start).
    pub id: String,
    /// Whether it wrote a heartbeat in the last [`crate::ALIVE_SECONDS`] seconds.
    pub alive: bool,
    /// The machine it runs on.
    pub host: String,
}

/// One stream.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StreamStatus {
    /// Its name.
    pub name: String,
    /// Messages it holds.
    pub messages: u64,
    /// Copies of each message on different servers.
    pub replicas: usize,
    /// The server that orders the stream's writes (in a cluster of servers).
    pub leader: Option<String>,
}

/// Reads the cluster's state. A server just lost leaves some requests unanswered while
/// leaders are elected again: it asks again for up to a minute.
pub async fn status(cluster: &Cluster) -> Result<Status, Error> {
    crate::retrying("reading the cluster's state", || status_once(cluster)).await
}

async fn status_once(cluster: &Cluster) -> Result<Status, Error> {
    // Keys from the bucket stream's subjects, not the bucket's key listing: that one runs a
    // consumer, which a server that has just lost a peer can leave unanswered.
    let bucket = cluster
        .js
        .get_stream(format!("KV_{MEMBERS}"))
        .await
        .map_err(js_error("opening the members bucket"))?;
    let prefix = format!("$KV.{MEMBERS}.");
    let mut subjects = bucket
        .info_with_subjects(format!("{prefix}>"))
        .await
        .map_err(js_error("listing members"))?;
    let mut keys = Vec::new();
    while let Some(subject) = subjects.next().await {
        let (subject, _) = subject.map_err(js_error("listing members"))?;
        keys.extend(subject.strip_prefix(&prefix).map(str::to_string));
    }
    let mut beats = Vec::new();
    for key in keys {
        let Some(value) = cluster.members.get(&key).await.map_err(js_error("reading a member"))? else {
            continue;
        };
        match serde_json::from_slice::<Heartbeat>(&value) {
            Ok(beat) => beats.push(beat),
            Err(error) => tracing::warn!("member {key}: not a heartbeat: {error}"),
        }
    }
    beats.sort_by(|a, b| (a.shard, &a.id).cmp(&(b.shard, &b.id)));
    let n = cluster.shards().await?.unwrap_or(0);
    // Opening a stream reads its state: one request each, and the shard stream's handle
    // then reads the replicas' consumers.
    let mut streams = Vec::new();
    let mut opened = Vec::new();
    for name in [IN_STREAM, SHARD_STREAM] {
        let stream = cluster
            .js
            .get_stream(name)
            .await
            .map_err(js_error(format!("opening stream {name}")))?;
        let info = stream.cached_info();
        streams.push(StreamStatus {
            name: name.to_string(),
            messages: info.state.messages,
            replicas: info.config.num_replicas.max(1),
            leader: info.cluster.as_ref().and_then(|c| c.leader.clone()),
        });
        opened.push(stream);
    }
    let shard_stream = opened.pop().expect("the shard stream was opened last");
    let mut shards: Vec<ShardStatus> = (1..=n)
        .map(|shard| ShardStatus {
            shard,
            replicas: Vec::new(),
        })
        .collect();
    let mut workers = Vec::new();
    for beat in beats {
        let alive = beat.alive();
        if beat.role == "worker" {
            workers.push(WorkerStatus {
                id: beat.id,
                alive,
                host: beat.host,
            });
            continue;
        }
        let name = crate::node::consumer_name(beat.shard, &beat.id);
        let lag = match shard_stream.consumer_info(&name).await {
            Ok(info) => Some(info.num_pending + info.num_ack_pending as u64),
            Err(error) => {
                tracing::debug!("consumer {name}: {error}");
                None
            }
        };
        let replica = ReplicaStatus {
            id: beat.id,
            articles: beat.articles,
            lag,
            alive,
            host: beat.host,
            data: beat.data,
        };
        match shards.iter_mut().find(|s| s.shard == beat.shard) {
            Some(shard) => shard.replicas.push(replica),
            None => shards.push(ShardStatus {
                shard: beat.shard,
                replicas: vec![replica],
            }),
        }
    }
    Ok(Status {
        shards,
        workers,
        streams,
    })
}
