//! One search over every shard, ranked as one store holding every article would rank it.
//!
//! Two rounds of NATS request-reply, each to one replica of every shard (a queue group per
//! shard): the BM25 statistics of the query on each shard, summed; then each shard's best
//! matches scored with the sums, merged by score. A shard that does not answer within
//! [`SHARD_WAIT`] is left out and named: the search answers with what it has.

use crate::{Cluster, Error};
use akhbar_store::{Filters, Hit, PartResults, TermStatistics};
use std::time::Duration;

/// How long a search waits for a shard.
pub const SHARD_WAIT: Duration = Duration::from_secs(3);

/// Results of a cluster search at most: each shard sends its best this many with their
/// snippets, in one message under the servers' 1 MB limit.
pub const MAX_LIMIT: usize = 500;

/// The subject a shard's replicas answer searches on (queue group [`search_group`]).
pub fn search_subject(k: u32) -> String {
    format!("akhbar.search.{k}")
}

/// The queue group of shard `k`'s replicas: one of them answers each request.
pub fn search_group(k: u32) -> String {
    format!("shard-{k}")
}

/// A search's filters as they travel (times in seconds since the epoch).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct WireFilters {
    entity: Option<String>,
    source: Option<String>,
    since: Option<i64>,
    until: Option<i64>,
}

impl WireFilters {
    fn from_filters(filters: &Filters) -> WireFilters {
        WireFilters {
            entity: filters.entity.clone(),
            source: filters.source.clone(),
            since: filters.since.map(|t| t.timestamp()),
            until: filters.until.map(|t| t.timestamp()),
        }
    }

    pub(crate) fn to_filters(&self) -> Filters {
        let time = |t: Option<i64>| t.and_then(|s| chrono::DateTime::from_timestamp(s, 0));
        Filters {
            entity: self.entity.clone(),
            source: self.source.clone(),
            since: time(self.since),
            until: time(self.until),
        }
    }
}

/// What a search asks a shard.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum ShardRequest {
    /// Whether a replica answers, and its article count.
    Ping,
    /// The query's BM25 statistics on the shard.
    Statistics { query: String, filters: WireFilters },
    /// The shard's best `limit` matches scored with `statistics`.
    Search {
        query: String,
        filters: WireFilters,
        limit: usize,
        all_words: bool,
        statistics: TermStatistics,
    },
}

/// A shard's answer.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ShardReply {
    Alive {
        articles: u64,
    },
    Statistics(TermStatistics),
    Search(PartResults),
    /// The shard could not answer (a bad query, a store error), said.
    Error(String),
}

/// Answers one request on a shard's store.
pub(crate) fn answer(store: &akhbar_store::Store, request: &[u8]) -> ShardReply {
    let request: ShardRequest = match serde_json::from_slice(request) {
        Ok(request) => request,
        Err(error) => return ShardReply::Error(format!("not a search request: {error}")),
    };
    if let Err(error) = store.refresh() {
        return ShardReply::Error(error.to_string());
    }
    let result = match request {
        ShardRequest::Ping => store.article_count().map(|articles| ShardReply::Alive { articles }),
        ShardRequest::Statistics { query, filters } => store
            .query_statistics(&query, &filters.to_filters())
            .map(ShardReply::Statistics),
        ShardRequest::Search {
            query,
            filters,
            limit,
            all_words,
            statistics,
        } => store
            .search_part(&query, &filters.to_filters(), limit, all_words, &statistics)
            .map(ShardReply::Search),
    };
    result.unwrap_or_else(|error| ShardReply::Error(error.to_string()))
}

/// A search over the whole cluster. Field names are part of `akhbar search --nats --json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClusterSearch {
    /// The best matches, best first (ties by id), each with its story.
    pub hits: Vec<(Hit, Option<String>)>,
    /// Articles that match on the shards that answered.
    pub total: usize,
    /// False when no article had all the words and these match some of them.
    pub all_words: bool,
    /// True when a shard did not answer.
    pub partial: bool,
    /// The shards that did not answer.
    pub missing_shards: Vec<u32>,
}

/// Asks every shard `request`, at once; a shard that does not answer in [`SHARD_WAIT`], or
/// answers with an error, is missing (the error is logged).
async fn ask_all(cluster: &Cluster, shards: &[u32], request: &ShardRequest) -> Vec<(u32, Option<ShardReply>)> {
    let payload: bytes::Bytes = serde_json::to_vec(request).expect("a request serializes").into();
    let asks = shards.iter().map(|&k| {
        let payload = payload.clone();
        async move {
            let reply = tokio::time::timeout(SHARD_WAIT, cluster.client.request(search_subject(k), payload)).await;
            let reply = match reply {
                Ok(Ok(message)) => match serde_json::from_slice::<ShardReply>(&message.payload) {
                    Ok(ShardReply::Error(error)) => {
                        tracing::warn!("shard {k}: {error}");
                        None
                    }
                    Ok(reply) => Some(reply),
                    Err(error) => {
                        tracing::warn!("shard {k}: not an answer: {error}");
                        None
                    }
                },
                Ok(Err(error)) => {
                    tracing::debug!("shard {k}: {error}");
                    None
                }
                Err(_) => None,
            };
            (k, reply)
        }
    });
    futures_util::future::join_all(asks).await
}

/// Asks one replica of every shard whether it answers: the shards that do with their
/// article counts, and those that do not within [`SHARD_WAIT`].
pub async fn ping(cluster: &Cluster) -> Result<(Vec<(u32, u64)>, Vec<u32>), Error> {
    let n = cluster.shards().await?.unwrap_or(0);
    let all: Vec<u32> = (1..=n).collect();
    let (mut alive, mut missing) = (Vec::new(), Vec::new());
    for (k, reply) in ask_all(cluster, &all, &ShardRequest::Ping).await {
        match reply {
            Some(ShardReply::Alive { articles }) => alive.push((k, articles)),
            _ => missing.push(k),
        }
    }
    Ok((alive, missing))
}

/// Searches every shard: the best `limit` articles for `query` within `filters`, with the
/// scores one store holding every shard's articles gives them, all the words first and any
/// of them when no article has them all.
pub async fn search(cluster: &Cluster, query: &str, filters: &Filters, limit: usize) -> Result<ClusterSearch, Error> {
    if query.trim().is_empty() {
        return Err(Error::Query("empty query".into()));
    }
    if query.len() > akhbar_store::MAX_QUERY_BYTES {
        return Err(Error::Query(format!(
            "query of {} bytes is longer than {}",
            query.len(),
            akhbar_store::MAX_QUERY_BYTES
        )));
    }
    if limit == 0 || limit > MAX_LIMIT {
        return Err(Error::Query(format!("limit must be between 1 and {MAX_LIMIT}")));
    }
    let n = cluster.shards().await?.unwrap_or(0);
    let wire = WireFilters::from_filters(filters);
    let all: Vec<u32> = (1..=n).collect();
    let mut missing: Vec<u32> = Vec::new();
    let mut statistics = TermStatistics::default();
    let mut answering = Vec::new();
    let asked = ShardRequest::Statistics {
        query: query.to_string(),
        filters: wire.clone(),
    };
    for (k, reply) in ask_all(cluster, &all, &asked).await {
        match reply {
            Some(ShardReply::Statistics(part)) => {
                statistics.add(&part);
                answering.push(k);
            }
            _ => missing.push(k),
        }
    }
    let mut found = ClusterSearch {
        hits: Vec::new(),
        total: 0,
        all_words: true,
        partial: false,
        missing_shards: Vec::new(),
    };
    for all_words in [true, false] {
        let asked = ShardRequest::Search {
            query: query.to_string(),
            filters: wire.clone(),
            limit,
            all_words,
            statistics: statistics.clone(),
        };
        let (mut hits, mut total, mut failed) = (Vec::new(), 0, Vec::new());
        for (k, reply) in ask_all(cluster, &answering, &asked).await {
            match reply {
                Some(ShardReply::Search(part)) => {
                    hits.extend(part.hits);
                    total += part.total;
                }
                _ => failed.push(k),
            }
        }
        hits.sort_by(|a, b| b.0.score.total_cmp(&a.0.score).then_with(|| a.0.id.cmp(&b.0.id)));
        hits.truncate(limit);
        found = ClusterSearch {
            hits,
            total,
            all_words,
            partial: false,
            missing_shards: failed,
        };
        if !found.hits.is_empty() {
            break;
        }
    }
    missing.extend(std::mem::take(&mut found.missing_shards));
    missing.sort_unstable();
    missing.dedup();
    found.partial = !missing.is_empty();
    found.missing_shards = missing;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Requests and answers survive the trip as JSON, statistics included (their maps are
    /// keyed by text: an internally tagged request reads integer keys back as text).
    #[test]
    fn requests_and_answers_travel_as_json() {
        let mut statistics = TermStatistics {
            documents: 40,
            ..TermStatistics::default()
        };
        statistics.tokens.insert("2".into(), 1234);
        statistics.doc_freqs.insert("2:73d8a7".into(), 7);
        let filters = Filters {
            entity: Some("riyadh".into()),
            source: None,
            since: chrono::DateTime::from_timestamp(1_700_000_000, 0),
            until: None,
        };
        let requests = [
            ShardRequest::Statistics {
                query: "الرياض".into(),
                filters: WireFilters::from_filters(&filters),
            },
            ShardRequest::Search {
                query: "\"مؤتمر الطاقة\"".into(),
                filters: WireFilters::default(),
                limit: 10,
                all_words: false,
                statistics: statistics.clone(),
            },
        ];
        for request in requests {
            let text = serde_json::to_string(&request).unwrap();
            let back: ShardRequest = serde_json::from_str(&text).unwrap();
            assert_eq!(serde_json::to_string(&back).unwrap(), text);
        }
        let back = WireFilters::from_filters(&filters).to_filters();
        assert_eq!((back.entity, back.since), (filters.entity, filters.since));
        let reply = ShardReply::Statistics(statistics.clone());
        match serde_json::from_slice::<ShardReply>(&serde_json::to_vec(&reply).unwrap()).unwrap() {
            ShardReply::Statistics(back) => assert_eq!(back, statistics),
            other => panic!("{other:?}"),
        }
    }
}
