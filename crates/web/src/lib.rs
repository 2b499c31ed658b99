//! The reader's akhbar: one process that serves web pages, a JSON API and Atom feeds over the
//! embedded store, and polls the followed sources in the background.
//!
//! Pages are Arabic first (`lang="ar" dir="rtl"`, an English switch with `?lang=en`), render on
//! the server from templates that escape everything that comes from an article, and need no
//! script: the Content-Security-Policy forbids all scripts. Reads go through a small pool of
//! read-only store handles; writes (adding a source, following) and the poller share one
//! writing handle and need the admin token.
#![deny(missing_docs)]

mod api;
mod auth;
mod cluster;
mod feeds;
mod greader;
mod i18n;
mod metrics;
mod pages;
mod reading;
mod state;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::{delete, get, post};
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use auth::{admin_token, TokenOrigin};
pub use cluster::{bind_cluster, BoundCluster};
pub use state::AppState;

/// Largest request body accepted (JSON for a source or a follow).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The policy every response carries: no scripts at all, styles and images from here only.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// How `akhbar serve` runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The data folder.
    pub data: PathBuf,
    /// Where to listen.
    pub addr: SocketAddr,
    /// The admin token (write actions).
    pub admin_token: String,
    /// Network options for polling and adding sources.
    pub http: akhbar_fetch::HttpOptions,
    /// How often the poller looks for due sources; `None`: no background polling.
    pub poll_every: Option<Duration>,
    /// How often follows with a webhook or an e-mail address are told of new articles;
    /// `None`: never.
    pub alert_every: Option<Duration>,
    /// The SMTP server for e-mail digests; `None`: no e-mail.
    pub mailer: Option<akhbar_pipeline::Mailer>,
    /// The public address for links in feeds (`https://news.example.org`, no trailing
    /// slash); `None`: from the request's Host header.
    pub base_url: Option<String>,
    /// Connection limits and timeouts.
    pub limits: Limits,
}

/// What one client may hold of the server: the defaults hold on a 1,024-file limit.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open connections at most. One more takes the place of the oldest connection that
    /// has no request in progress (one that sent nothing yet, is still sending its headers,
    /// or waits idle between requests); when every one is answering a request, it is
    /// answered 503 and closed.
    pub max_connections: usize,
    /// Time to send a request's headers, and the longest a kept-alive connection waits idle
    /// for its next request.
    pub header_timeout: Duration,
    /// Time to answer a request once its headers are in, reading its body included (408
    /// beyond).
    pub request_timeout: Duration,
    /// How long a stopping server waits for requests in flight before closing them.
    pub shutdown_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 768,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            shutdown_timeout: Duration::from_secs(5),
        }
    }
}

/// Every route: pages, API, feeds, health and metrics.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/rising", get(pages::rising))
        .route("/stories/{id}", get(pages::story))
        .route("/articles/{id}", get(pages::article))
        .route("/entities/{id}", get(pages::entity))
        .route("/sources", get(pages::sources))
        .route("/sources/{id}", get(pages::source))
        .route("/sources/add", post(pages::add_source_form).layer(form_limit()))
        .route(
            "/sources/{id}/remove",
            post(pages::remove_source_form).layer(form_limit()),
        )
        .route("/sources/import", post(pages::import_form))
        .route("/following/add", post(pages::follow_form).layer(form_limit()))
        .route("/following", get(pages::following))
        .route("/following/{id}/remove", post(pages::unfollow_form).layer(form_limit()))
        .route(
            "/login",
            get(reading::login_page).post(reading::login).layer(form_limit()),
        )
        .route("/logout", post(reading::logout).layer(form_limit()))
        .route("/reading", get(reading::reading))
        .route("/reading/mark", post(reading::mark).layer(form_limit()))
        .route("/reading/mark-all", post(reading::mark_all).layer(form_limit()))
        .route("/reading/follow", post(reading::follow).layer(form_limit()))
        .route("/reading/unfollow", post(reading::unfollow).layer(form_limit()))
        .route("/static/style.css", get(pages::style))
        .route("/api/search", get(api::search))
        .route("/api/stories", get(api::stories))
        .route("/api/stories/{id}", get(api::story))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/entities", get(api::entities))
        .route("/api/rising", get(api::rising))
        .route("/api/entities/{id}", get(api::entity))
        .route("/api/sources", get(api::sources).post(api::add_source))
        .route("/api/sources/{id}", delete(api::remove_source))
        .route("/api/follows", get(api::follows).post(api::add_follow))
        .route("/api/follows/{id}", delete(api::remove_follow))
        .route("/api/follows/{id}/deliveries", get(api::deliveries))
        .route("/api/users", get(api::users).post(api::add_user))
        .route("/api/openapi.json", get(api::openapi))
        .route("/feeds/sources/{id}", get(feeds::source))
        .route("/feeds/entities/{id}", get(feeds::entity))
        .route("/feeds/stories/{id}", get(feeds::story))
        .route("/feeds/searches/{id}", get(feeds::search))
        .route("/healthz", get(api::health))
        .route("/metrics", get(metrics::render))
        .nest(greader::PREFIX, greader::routes())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            reading::viewer_layer,
        ))
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&state), auth::guard))
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&state), metrics::track))
        .layer(axum::middleware::from_fn(json_errors))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// The page forms carry the admin token in their body, so their body is read before the
/// token can be checked: all but the OPML import are small, and are read only this far.
pub const MAX_FORM_BYTES: usize = 8 * 1024;

fn form_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_FORM_BYTES)
}

/// Errors of API routes are JSON whatever produced them: axum's own rejections (a path that
/// is not UTF-8, a form or JSON body it cannot read, a body over the limit) come as text,
/// and are wrapped as `{"error": text}` here.
async fn json_errors(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    // The reader apps' API answers errors as FreshRSS does, in plain text.
    let api = request.uri().path().starts_with("/api/") && !request.uri().path().starts_with(greader::PREFIX);
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !api || is_json || !(response.status().is_client_error() || response.status().is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_string(),
        Err(_) => String::new(),
    };
    let text = if text.is_empty() {
        parts.status.canonical_reason().unwrap_or("error").to_string()
    } else {
        text
    };
    let body = serde_json::json!({ "error": text }).to_string();
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    axum::response::Response::from_parts(parts, axum::body::Body::from(body))
}

async fn security_headers(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), state::StartError> {
    bind(config).await?.run().await
}

/// A server bound to its address, not yet answering: the caller may say where it listens
/// (only once the address is really its own) before [`Bound::run`].
pub struct Bound {
    state: Arc<AppState>,
    listener: tokio::net::TcpListener,
    limits: Limits,
}

/// Opens the store and binds the address; polling starts with [`Bound::run`].
pub async fn bind(config: Config) -> Result<Bound, state::StartError> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| state::StartError::Bind {
            addr: config.addr,
            source,
        })?;
    let state = Arc::new(AppState::open(&config)?);
    // Articles a killed ingest stored but did not index become searchable now, not at the
    // next write, and so do those of a writer that dies while the server runs (looked for
    // every half minute; skipped while another process writes: it indexes them itself).
    index_missing(&state).await;
    let watcher = Arc::clone(&state);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(INDEX_CHECK).await;
            if watcher.stop.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            index_missing(&watcher).await;
        }
    });
    if let Some(every) = config.poll_every {
        state::spawn_poller(Arc::clone(&state), every);
    }
    if let Some(every) = config.alert_every {
        state::spawn_alerts(Arc::clone(&state), every);
    }
    Ok(Bound {
        state,
        listener,
        limits: config.limits,
    })
}

/// How often the server looks for stored articles the index lacks.
const INDEX_CHECK: Duration = Duration::from_secs(30);

/// Indexes what the database has and the index lacks, when no other process is writing.
async fn index_missing(state: &Arc<AppState>) {
    let indexed = state
        .write(|store| match store.index_missing() {
            // Another process is writing: it indexes what it stored itself.
            Err(akhbar_store::Error::Locked { .. }) => Ok(0),
            other => other.map_err(state::Failure::store),
        })
        .await;
    match indexed {
        Ok(0) => {}
        Ok(n) => tracing::info!(articles = n, "indexed what the index lacked"),
        Err(failure) => tracing::warn!(reason = failure.message, "could not index what the index lacks"),
    }
}

impl Bound {
    /// The address the server listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Answers requests until Ctrl-C or SIGTERM. Each connection is served by hyper with a
    /// header timeout (which also ends idle kept-alive connections), each request within the
    /// request timeout; past `max_connections` a new connection takes the place of the
    /// oldest one without a request in progress, or is answered 503 and closed when there
    /// is none; on a signal, requests in flight get `shutdown_timeout` to finish.
    pub async fn run(self) -> Result<(), state::StartError> {
        let app = router(Arc::clone(&self.state));
        serve_router(self.listener, app, self.limits).await;
        Ok(())
    }
}

/// Answers requests with `router` on `listener` until Ctrl-C or SIGTERM, within `limits`:
/// the loop [`Bound::run`] describes.
async fn serve_router(listener: tokio::net::TcpListener, router: Router, limits: Limits) {
    tracing::info!(addr = ?listener.local_addr().ok(), "serving");
    let router = router.layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| async move {
            match tokio::time::timeout(limits.request_timeout, next.run(request)).await {
                Ok(response) => response,
                Err(_) => state::Failure {
                    status: axum::http::StatusCode::REQUEST_TIMEOUT,
                    message: "the request took too long to arrive or to answer".into(),
                }
                .into_response(),
            }
        },
    ));
    let connections = Arc::new(Connections::default());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    let signal = shutdown_signal();
    tokio::pin!(signal);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors or a connection reset: keep serving.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut signal => break,
        };
        while tasks.try_join_next().is_some() {}
        let Some(slot) = connections.admit(limits.max_connections) else {
            tasks.spawn(refuse(stream));
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(WithPeer {
            router: router.clone(),
            peer,
            slot: Arc::clone(&slot),
        });
        let mut stop = stop_rx.clone();
        let connections = Arc::clone(&connections);
        tasks.spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                // Its place was given to a newer connection: close it.
                _ = slot.evicted.notified() => {}
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(limits.shutdown_timeout, connection.as_mut()).await;
                }
            }
            connections.leave(&slot);
        });
    }
    let _ = stop_tx.send(true);
    drop(listener);
    // Connections finish what is in flight, within the bound (and a little for the
    // tasks themselves).
    let _ = tokio::time::timeout(limits.shutdown_timeout + Duration::from_secs(1), async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    tasks.abort_all();
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let term = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// A connection past the limit: a short 503 and close, without reading its request.
async fn refuse(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    let body = "{\"error\":\"too many connections: try again shortly\"}";
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(response.as_bytes())).await;
    let _ = stream.shutdown().await;
}

/// The open connections, oldest first, and which of them are answering a request.
#[derive(Default)]
struct Connections {
    open: std::sync::Mutex<std::collections::VecDeque<Arc<Slot>>>,
}

/// One open connection.
#[derive(Default)]
struct Slot {
    /// Requests in progress (headers read, response not yet produced).
    busy: std::sync::atomic::AtomicUsize,
    /// Told when a newer connection takes its place.
    evicted: tokio::sync::Notify,
}

impl Connections {
    /// A place for a new connection: a free one, or the place of the oldest connection with
    /// no request in progress (which is told to close); `None` when all `max` are busy.
    fn admit(&self, max: usize) -> Option<Arc<Slot>> {
        use std::sync::atomic::Ordering;
        let mut open = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if open.len() >= max {
            let idle = open.iter().position(|s| s.busy.load(Ordering::Acquire) == 0)?;
            if let Some(old) = open.remove(idle) {
                old.evicted.notify_one();
            }
        }
        let slot = Arc::new(Slot::default());
        open.push_back(Arc::clone(&slot));
        Some(slot)
    }

    /// A connection has closed.
    fn leave(&self, slot: &Arc<Slot>) {
        let mut open = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(k) = open.iter().position(|s| Arc::ptr_eq(s, slot)) {
            open.remove(k);
        }
    }
}

/// Counts a request in progress on its connection while it lives.
struct Busy(Arc<Slot>);

impl Busy {
    fn new(slot: &Arc<Slot>) -> Busy {
        slot.busy.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        Busy(Arc::clone(slot))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// The router, with the client's address in each request (`ConnectInfo`); the connection
/// counts as busy while a request is answered.
#[derive(Clone)]
struct WithPeer {
    router: Router,
    peer: SocketAddr,
    slot: Arc<Slot>,
}

impl tower_service::Service<hyper::Request<hyper::body::Incoming>> for WithPeer {
    type Response = axum::response::Response;
    type Error = std::convert::Infallible;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: hyper::Request<hyper::body::Incoming>) -> Self::Future {
        request.extensions_mut().insert(axum::extract::ConnectInfo(self.peer));
        let busy = Busy::new(&self.slot);
        let answer = tower_service::Service::call(&mut self.router, request);
        Box::pin(async move {
            let response = answer.await;
            drop(busy);
            response
        })
    }
}
