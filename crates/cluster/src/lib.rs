//! akhbar across machines, on NATS JetStream.
//!
//! The embedded store stays what it is; the cluster moves articles between machines through
//! JetStream streams (ARCHITECTURE.md has the table):
//!
//! - a publisher ([`publish_files`], `akhbar ingest --nats`) reads files as `ingest` does and
//!   publishes each article once to the work queue [`IN_STREAM`], its id as the message id, so
//!   the server drops a re-publish;
//! - workers ([`run_worker`]) take batches from that queue, run the entity step, and publish
//!   each tagged article to its shard's subject in [`SHARD_STREAM`] (again under its id); they
//!   acknowledge the work only once the shard stream has stored the result;
//! - shard replicas ([`run_node`]) each read their shard's subject in order on a durable
//!   consumer of their own, store batches in an embedded store, record the stream position
//!   in it and acknowledge after the commit: a replica killed at any point starts again
//!   after the last batch it committed (a batch applied twice changes nothing: the store
//!   keeps the first copy of an id), and a new replica builds itself from the stream's start;
//! - members say they are alive in the key-value bucket [`MEMBERS`]; [`status`] reads it with
//!   the streams and consumers;
//! - [`search`] asks one replica of every shard (request-reply, a queue group per shard) for
//!   the query's BM25 statistics, then for its best matches scored with their sums, so the
//!   merged ranking is the one a single store holding every article gives.
//!
//! The shard count is fixed when the first node starts (bucket [`CONFIG`], key `shards`): an
//! article's shard is `xxh3(id) mod N + 1` ([`shard_of`]).
#![deny(missing_docs)]

mod node;
mod publish;
mod search;
mod status;
mod worker;

pub use node::{run_node, Shard};
pub use publish::{publish_files, wait_applied, PublishReport};
pub use search::{ping, search, search_group, search_subject, ClusterSearch, MAX_LIMIT, SHARD_WAIT};
pub use status::{status, ReplicaStatus, ShardStatus, Status, StreamStatus, WorkerStatus};
pub use worker::run_worker;

use async_nats::jetstream::{self, kv, stream};
use std::time::Duration;

/// The work queue of articles read or fetched, not processed yet (subject [`IN_SUBJECT`]).
pub const IN_STREAM: &str = "AKHBAR_IN";
/// Subject of [`IN_STREAM`].
pub const IN_SUBJECT: &str = "akhbar.in";
/// Tagged articles, one subject per shard ([`shard_subject`]), kept so replicas can (re)build.
pub const SHARD_STREAM: &str = "AKHBAR_SHARDS";
/// The durable consumer every worker shares on [`IN_STREAM`].
pub const WORKERS: &str = "workers";
/// Key-value bucket of members' heartbeats (`node.<id>`, `worker.<id>`).
pub const MEMBERS: &str = "akhbar_members";
/// Key-value bucket of the cluster's settings (`shards`).
pub const CONFIG: &str = "akhbar_config";
/// How long a re-publish of the same article id is dropped by the server.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(2 * 3600);
/// A member whose last heartbeat is older than this is not alive.
pub const ALIVE_SECONDS: u64 = 10;
/// How often members write their heartbeat.
pub(crate) const HEARTBEAT: Duration = Duration::from_secs(2);

/// The subject of shard `k`'s articles.
pub fn shard_subject(k: u32) -> String {
    format!("akhbar.shard.{k}")
}

/// The shard (1 to `shards`) that owns an article id.
pub fn shard_of(id: &str, shards: u32) -> u32 {
    (xxhash_rust::xxh3::xxh3_64(id.as_bytes()) % u64::from(shards.max(1))) as u32 + 1
}

/// What can go wrong talking to the cluster; each names what was being done.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No server at the addresses given answered.
    #[error("connecting to NATS at {urls}: {message}")]
    Connect {
        /// The addresses tried.
        urls: String,
        /// The client's reason.
        message: String,
    },
    /// A JetStream request failed.
    #[error("NATS JetStream, {what}: {message}")]
    JetStream {
        /// What was being done (`creating stream AKHBAR_IN`).
        what: String,
        /// The server's or client's reason.
        message: String,
    },
    /// The cluster has another shard count than asked, or the store belongs to another shard.
    #[error("{0}")]
    Shards(String),
    /// The shard's store failed.
    #[error(transparent)]
    Store(#[from] akhbar_store::Error),
    /// A search the cluster refuses before asking the shards (empty, too long, too many
    /// results).
    #[error("{0}")]
    Query(String),
}

/// Maps a client error to [`Error::JetStream`] saying what was being done.
pub(crate) fn js_error<E: std::fmt::Display>(what: impl Into<String>) -> impl FnOnce(E) -> Error {
    let what = what.into();
    move |error| Error::JetStream {
        what,
        message: error.to_string(),
    }
}

/// A connection to the cluster, with its streams and buckets made sure of.
pub struct Cluster {
    pub(crate) client: async_nats::Client,
    pub(crate) js: jetstream::Context,
    pub(crate) members: kv::Store,
    pub(crate) config: kv::Store,
    /// The shard count once read: it never changes, and a search must not wait on the
    /// bucket while its servers elect a leader.
    shard_count: std::sync::OnceLock<u32>,
}

impl Cluster {
    /// Connects to any of the comma-separated `urls` (`nats://host:4222,nats://other:4222`) and
    /// creates the streams and buckets that do not exist yet, with `replicas` copies each;
    /// `None` means three when the server is part of a cluster and one on a lone server.
    pub async fn connect(urls: &str, replicas: Option<usize>) -> Result<Cluster, Error> {
        let connect_error = |message: String| Error::Connect {
            urls: urls.to_string(),
            message,
        };
        let addrs = urls
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(|u| {
                u.parse::<async_nats::ServerAddr>()
                    .map_err(|e| connect_error(format!("{u}: {e}")))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        if addrs.is_empty() {
            return Err(connect_error("no address given".into()));
        }
        let client = async_nats::ConnectOptions::new()
            .name("akhbar")
            .connection_timeout(Duration::from_secs(5))
            .connect(addrs)
            .await
            .map_err(|e| connect_error(e.to_string()))?;
        let replicas = replicas.unwrap_or(if client.server_info().cluster.is_some() { 3 } else { 1 });
        let js = jetstream::new(client.clone());
        let streams = [
            stream::Config {
                name: IN_STREAM.into(),
                subjects: vec![IN_SUBJECT.into()],
                retention: stream::RetentionPolicy::WorkQueue,
                duplicate_window: DUPLICATE_WINDOW,
                storage: stream::StorageType::File,
                num_replicas: replicas,
                ..Default::default()
            },
            stream::Config {
                name: SHARD_STREAM.into(),
                subjects: vec!["akhbar.shard.*".into()],
                retention: stream::RetentionPolicy::Limits,
                duplicate_window: DUPLICATE_WINDOW,
                storage: stream::StorageType::File,
                num_replicas: replicas,
                ..Default::default()
            },
        ];
        for config in streams {
            let name = config.name.clone();
            retrying(&format!("creating stream {name}"), || {
                let (js, config) = (js.clone(), config.clone());
                async move { js.get_or_create_stream(config).await.map(|_| ()) }
            })
            .await?;
        }
        // The buckets' streams are made here as the client's create_key_value makes them: that
        // call first reads the account's limits in a form a 2.9 server does not answer.
        let mut stores = Vec::new();
        for name in [MEMBERS, CONFIG] {
            let config = stream::Config {
                name: format!("KV_{name}"),
                subjects: vec![format!("$KV.{name}.>")],
                max_messages_per_subject: 1,
                storage: stream::StorageType::File,
                allow_rollup: true,
                deny_delete: true,
                allow_direct: true,
                discard: stream::DiscardPolicy::New,
                num_replicas: replicas,
                ..Default::default()
            };
            let store = retrying(&format!("opening bucket {name}"), || {
                let (js, config) = (js.clone(), config.clone());
                async move {
                    js.get_or_create_stream(config).await.map_err(|e| e.to_string())?;
                    js.get_key_value(name).await.map_err(|e| e.to_string())
                }
            })
            .await?;
            stores.push(store);
        }
        let config = stores.pop().expect("two buckets");
        let members = stores.pop().expect("two buckets");
        Ok(Cluster {
            client,
            js,
            members,
            config,
            shard_count: std::sync::OnceLock::new(),
        })
    }

    /// The cluster's shard count, once a node has set it.
    pub async fn shards(&self) -> Result<Option<u32>, Error> {
        if let Some(n) = self.shard_count.get() {
            return Ok(Some(*n));
        }
        let value = self
            .config
            .get("shards")
            .await
            .map_err(js_error("reading the shard count"))?;
        let n: Option<u32> = value.and_then(|v| std::str::from_utf8(&v).ok()?.trim().parse().ok());
        if let Some(n) = n {
            let _ = self.shard_count.set(n);
        }
        Ok(n)
    }
}

/// Runs `attempt` until it succeeds or a minute has passed: a cluster's servers answer
/// "JetStream not available" for a few seconds after they start, until they elect a leader,
/// and leave requests unanswered while leaders are elected again after a server is lost.
pub(crate) async fn retrying<T, E, F, Fut>(what: &str, mut attempt: F) -> Result<T, Error>
where
    E: std::fmt::Display,
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(error) if std::time::Instant::now() >= deadline => return Err(js_error(what)(error)),
            Err(error) => {
                tracing::debug!("{what}: {error}; trying again");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}

/// How long a request to the cluster may take before it counts as failed.
pub(crate) const REQUEST_LIMIT: Duration = Duration::from_secs(10);

/// `request`, failed as [`Error::JetStream`] (saying `what`) when it fails or takes longer
/// than [`REQUEST_LIMIT`]: a pull or an acknowledgement sent to a server that died can
/// otherwise wait for ever.
pub(crate) async fn within<T, E, F>(what: impl Into<String>, request: F) -> Result<T, Error>
where
    E: std::fmt::Display,
    F: std::future::Future<Output = Result<T, E>>,
{
    let what = what.into();
    match tokio::time::timeout(REQUEST_LIMIT, request).await {
        Ok(result) => result.map_err(js_error(what)),
        Err(_) => Err(Error::JetStream {
            what,
            message: format!("no answer in {} s", REQUEST_LIMIT.as_secs()),
        }),
    }
}

/// Up to `max` messages of a pull consumer: what arrives within half a second, the whole
/// pull within [`REQUEST_LIMIT`].
pub(crate) async fn fetch(
    consumer: &jetstream::consumer::PullConsumer,
    max: usize,
    what: &str,
) -> Result<Vec<jetstream::Message>, Error> {
    use futures_util::StreamExt;
    let pulled = async {
        let mut messages = consumer
            .fetch()
            .max_messages(max)
            .expires(Duration::from_millis(500))
            .messages()
            .await
            .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        while let Some(message) = messages.next().await {
            out.push(message.map_err(|e| e.to_string())?);
        }
        Ok::<_, String>(out)
    };
    within(what, pulled).await
}

/// This machine's name, for heartbeats (Linux; `HOSTNAME` elsewhere).
pub(crate) fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// Seconds since the epoch, for heartbeats.
pub(crate) fn now_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A member's heartbeat in [`MEMBERS`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Heartbeat {
    /// `node` or `worker`.
    pub role: String,
    pub id: String,
    /// A node's shard (the count is the cluster's, in [`CONFIG`]).
    #[serde(default)]
    pub shard: u32,
    /// Articles in a node's store.
    #[serde(default)]
    pub articles: u64,
    /// The machine it runs on.
    #[serde(default)]
    pub host: String,
    /// A node's data folder.
    #[serde(default)]
    pub data: String,
    /// When it was written, seconds since the epoch.
    pub at: u64,
}

impl Heartbeat {
    pub(crate) fn alive(&self) -> bool {
        now_seconds().saturating_sub(self.at) <= ALIVE_SECONDS
    }
}

impl Cluster {
    pub(crate) async fn beat(&self, beat: &Heartbeat) -> Result<(), Error> {
        let key = format!("{}.{}", beat.role, beat.id);
        let value = serde_json::to_vec(beat).expect("a heartbeat serializes");
        within("writing a heartbeat", self.members.put(key, value.into())).await?;
        Ok(())
    }
}

/// An article as it travels between members.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Wire {
    pub id: akhbar_model::ArticleId,
    pub article: akhbar_model::Article,
    pub origin: Option<String>,
    /// Set by a worker.
    #[serde(default)]
    pub entities: Option<Vec<akhbar_entities::Entity>>,
}

impl Wire {
    pub(crate) fn from_new(new: akhbar_store::NewArticle) -> Wire {
        Wire {
            id: new.id,
            article: new.article,
            origin: new.origin,
            entities: None,
        }
    }

    /// An article with its entities, as a worker sends it on.
    pub(crate) fn tagged(new: akhbar_store::NewArticle) -> Wire {
        Wire {
            id: new.id,
            article: new.article,
            origin: new.origin,
            entities: Some(new.entities),
        }
    }

    pub(crate) fn into_new(self) -> akhbar_store::NewArticle {
        let mut new = akhbar_store::NewArticle::new(self.id, self.article, self.origin);
        new.entities = self.entities.unwrap_or_default();
        new
    }
}

/// Headers that make the server drop a second copy of an article id.
pub(crate) fn message_id(id: &str) -> async_nats::HeaderMap {
    let mut headers = async_nats::HeaderMap::new();
    headers.insert(async_nats::header::NATS_MESSAGE_ID, id);
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_one_to_n_evenly() {
        let mut counts = [0usize; 4];
        for i in 0..4000 {
            let k = shard_of(&format!("article-{i}"), 4);
            assert!((1..=4).contains(&k));
            counts[k as usize - 1] += 1;
        }
        assert!(counts.iter().all(|&c| (800..1200).contains(&c)), "{counts:?}");
        assert_eq!(shard_of("x", 1), 1);
        assert_eq!(shard_of("x", 0), 1, "a zero count is read as one shard");
    }
}
