//! Prometheus metrics at `/metrics`: requests and their time per route, and store counts.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Counters per (route, status class).
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), (u64, f64)>>,
}

/// Counts the request and its time.
pub async fn track(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    let mut requests = state.metrics.requests.lock().unwrap_or_else(|p| p.into_inner());
    let entry = requests.entry((route, status)).or_default();
    entry.0 += 1;
    entry.1 += seconds;
    response
}

/// The Prometheus text format.
pub async fn render(State(state): State<Arc<AppState>>) -> Response {
    let mut out = String::from(
        "# HELP akhbar_http_requests_total HTTP requests by route and status.\n# TYPE akhbar_http_requests_total counter\n",
    );
    let snapshot: Vec<((String, u16), (u64, f64))> = state
        .metrics
        .requests
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    for ((route, status), (count, _)) in &snapshot {
        out.push_str(&format!(
            "akhbar_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {count}\n"
        ));
    }
    out.push_str("# HELP akhbar_http_request_seconds_total Time spent answering, by route.\n# TYPE akhbar_http_request_seconds_total counter\n");
    for ((route, status), (_, seconds)) in &snapshot {
        out.push_str(&format!(
            "akhbar_http_request_seconds_total{{route=\"{route}\",status=\"{status}\"}} {seconds:.6}\n"
        ));
    }
    if let Ok((articles, stories, sources)) = state
        .read(|store| {
            let articles = store.article_count().map_err(crate::state::Failure::store)?;
            let stories = store.story_count().map_err(crate::state::Failure::store)?;
            let sources = store.sources().map_err(crate::state::Failure::store)?.len();
            Ok((articles, stories, sources))
        })
        .await
    {
        out.push_str(&format!(
            "# HELP akhbar_articles Articles in the archive.\n# TYPE akhbar_articles gauge\nakhbar_articles {articles}\n# HELP akhbar_stories Stories in the archive.\n# TYPE akhbar_stories gauge\nakhbar_stories {stories}\n# HELP akhbar_sources Sources followed.\n# TYPE akhbar_sources gauge\nakhbar_sources {sources}\n"
        ));
    }
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}
