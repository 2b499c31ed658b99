//! `akhbar serve --nats`: a stateless server in front of a cluster's shards. It holds no
//! store: `/api/search` asks every shard (`akhbar_cluster::search`), `/api/cluster` reads the
//! cluster's state, `/healthz` says which shards answer. The other routes of one machine are
//! not served by a cluster yet and say so (501).

use crate::api::{day, day_end, number, result_json, text, MAX_PAGE, MAX_PAGE_SIZE};
use crate::state::Failure;
use crate::{serve_router, Limits};
use akhbar_cluster::Cluster;
use akhbar_store::Filters;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

/// The cluster a server answers for.
struct ClusterState {
    cluster: Cluster,
}

type Shared = State<Arc<ClusterState>>;

fn cluster_failure(error: akhbar_cluster::Error) -> Failure {
    match error {
        akhbar_cluster::Error::Query(message) => Failure::bad_request(message),
        other => Failure::internal(other.to_string()),
    }
}

/// `/api/search` over every shard: the fields of one machine's answer (results one per
/// article: stories are not grouped across a cluster yet), plus `partial` and
/// `missing_shards`.
async fn search(State(state): Shared, Query(params): Query<HashMap<String, String>>) -> Result<Json<Value>, Failure> {
    let query = text(&params, "q")
        .ok_or_else(|| Failure::bad_request("q (the query) is required"))?
        .to_string();
    let size = number(&params, "limit", 20, MAX_PAGE_SIZE)?;
    let page = number(&params, "page", 1, MAX_PAGE)?;
    let filters = Filters {
        entity: text(&params, "entity").map(str::to_string),
        source: text(&params, "source").map(str::to_string),
        since: day(&params, "since")?,
        until: day_end(&params, "until")?,
    };
    if page * size > akhbar_cluster::MAX_LIMIT {
        return Err(Failure::bad_request(format!(
            "page × limit must be at most {} on a cluster",
            akhbar_cluster::MAX_LIMIT
        )));
    }
    let wanted = (page * size + 1).min(akhbar_cluster::MAX_LIMIT);
    let found = akhbar_cluster::search(&state.cluster, &query, &filters, wanted)
        .await
        .map_err(cluster_failure)?;
    let has_more = found.hits.len() > page * size;
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (hit, _) in &found.hits {
        if let Some(source) = hit.source.as_deref() {
            *counts.entry(source).or_default() += 1;
        }
    }
    let mut sources: Vec<(&str, usize)> = counts.into_iter().collect();
    sources.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let results: Vec<Value> = found
        .hits
        .iter()
        .skip((page - 1) * size)
        .take(size)
        .map(|(hit, story)| result_json(hit, story.as_deref(), None))
        .collect();
    Ok(Json(json!({
        "query": query,
        "page": page,
        "has_more": has_more,
        "total": found.total,
        "all_words": found.all_words,
        "results": results,
        "facets": { "sources": sources },
        "partial": found.partial,
        "missing_shards": found.missing_shards,
    })))
}

/// `/api/cluster`: what `akhbar cluster status --json` prints.
async fn cluster_status(State(state): Shared) -> Result<Json<akhbar_cluster::Status>, Failure> {
    Ok(Json(
        akhbar_cluster::status(&state.cluster).await.map_err(cluster_failure)?,
    ))
}

/// `/healthz`: 200 when a replica of every shard answers now (asked, not read from
/// heartbeats), 503 otherwise, with the shards that did not.
async fn health(State(state): Shared) -> Response {
    match akhbar_cluster::ping(&state.cluster).await {
        Ok((alive, missing)) => {
            let code = if missing.is_empty() && !alive.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            let body = json!({
                "status": if code == StatusCode::OK { "ok" } else { "degraded" },
                "shards": alive.len() + missing.len(),
                "missing_shards": missing,
                "articles": alive.iter().map(|(_, n)| n).sum::<u64>(),
            });
            (code, Json(body)).into_response()
        }
        Err(error) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "error": error.to_string() })),
        )
            .into_response(),
    }
}

async fn not_yet(request: axum::extract::Request) -> Failure {
    Failure {
        status: StatusCode::NOT_IMPLEMENTED,
        message: format!(
            "{} is not served by a cluster yet: a cluster serves /api/search, /api/cluster and /healthz",
            request.uri().path()
        ),
    }
}

/// The routes a cluster serves.
fn cluster_router(state: Arc<ClusterState>) -> Router {
    Router::new()
        .route("/api/search", get(search))
        .route("/api/cluster", get(cluster_status))
        .route("/healthz", get(health))
        .fallback(not_yet)
        .layer(axum::middleware::from_fn(crate::json_errors))
        .layer(axum::middleware::from_fn(crate::security_headers))
        .with_state(state)
}

/// A cluster server bound to its address, not answering yet.
pub struct BoundCluster {
    state: Arc<ClusterState>,
    listener: tokio::net::TcpListener,
    limits: Limits,
}

/// Binds `addr` for a server in front of `cluster`.
pub async fn bind_cluster(cluster: Cluster, addr: SocketAddr, limits: Limits) -> std::io::Result<BoundCluster> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    Ok(BoundCluster {
        state: Arc::new(ClusterState { cluster }),
        listener,
        limits,
    })
}

impl BoundCluster {
    /// The address the server listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Answers until Ctrl-C or SIGTERM, with one machine's connection limits and timeouts.
    pub async fn run(self) {
        let router = cluster_router(self.state);
        serve_router(self.listener, router, self.limits).await;
    }
}
