//! Shared server state: the store handles, the templates, the token, the poller.

use crate::i18n::Lang;
use crate::metrics::Metrics;
use akhbar_store::Store;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] akhbar_store::Error),
    /// The address is taken or not ours.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The server stopped with an error.
    #[error("server error")]
    Serve {
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A template does not parse (a bug caught by the tests).
    #[error("template error: {0}")]
    Template(String),
}

/// What every handler shares.
pub struct AppState {
    pub(crate) data: PathBuf,
    readers: Mutex<Vec<Store>>,
    writer: Mutex<Store>,
    pub(crate) admin_token: String,
    pub(crate) http: akhbar_fetch::HttpOptions,
    pub(crate) templates: minijinja::Environment<'static>,
    pub(crate) metrics: Metrics,
    pub(crate) stop: AtomicBool,
    /// Wrong admin tokens per client, for the rate limit.
    pub(crate) token_failures: crate::auth::Failures,
    /// The public address for links in feeds.
    pub(crate) base_url: Option<String>,
    /// The SMTP server for e-mail digests.
    pub(crate) mailer: Option<akhbar_pipeline::Mailer>,
    /// Turns to read: [`READERS`] at once.
    reading: Arc<tokio::sync::Semaphore>,
    /// Results of recent form actions, by id, for the page the form redirects to.
    messages: Mutex<std::collections::VecDeque<(String, String)>>,
}

/// Form results kept for their pages.
const MESSAGES: usize = 64;

/// Read handles: kept for reuse, and how many requests read at once.
const READERS: usize = 8;

impl AppState {
    /// Opens the store (creating it when needed) and loads the templates.
    pub fn open(config: &crate::Config) -> Result<AppState, StartError> {
        let writer = Store::open(&config.data)?;
        Ok(AppState {
            data: config.data.clone(),
            readers: Mutex::new(Vec::new()),
            writer: Mutex::new(writer),
            admin_token: config.admin_token.clone(),
            http: config.http.clone(),
            templates: crate::pages::templates().map_err(|e| StartError::Template(e.to_string()))?,
            metrics: Metrics::default(),
            stop: AtomicBool::new(false),
            token_failures: crate::auth::Failures::default(),
            base_url: config.base_url.clone(),
            mailer: config.mailer.clone(),
            reading: Arc::new(tokio::sync::Semaphore::new(READERS)),
            messages: Mutex::new(std::collections::VecDeque::new()),
        })
    }

    /// Keeps a form action's result and returns the id its page is given.
    pub(crate) fn keep_message(&self, message: String) -> String {
        let id = crate::auth::random_hex();
        let mut messages = self.messages.lock().unwrap_or_else(|p| p.into_inner());
        if messages.len() == MESSAGES {
            messages.pop_front();
        }
        messages.push_back((id.clone(), message));
        id
    }

    /// A result kept by [`AppState::keep_message`].
    pub(crate) fn message(&self, id: &str) -> Option<String> {
        let messages = self.messages.lock().unwrap_or_else(|p| p.into_inner());
        messages.iter().find(|(kept, _)| kept == id).map(|(_, m)| m.clone())
    }

    /// Runs `f` with a read handle, off the async threads.
    pub(crate) async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Store) -> Result<T, Failure> + Send + 'static,
    ) -> Result<T, Failure> {
        let state = Arc::clone(self);
        // Requests past READERS wait their turn for a handle.
        let permit = Arc::clone(&state.reading)
            .acquire_owned()
            .await
            .map_err(|_| Failure::internal("the server is stopping"))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let store = state.checkout()?;
            let result = store.refresh().map_err(Failure::store).and_then(|()| f(&store));
            state.checkin(store);
            result
        })
        .await
        .map_err(|e| Failure::internal(format!("worker failed: {e}")))?
    }

    /// Runs `f` with the writing handle, off the async threads.
    pub(crate) async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Store) -> Result<T, Failure> + Send + 'static,
    ) -> Result<T, Failure> {
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut store = state.writer.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut store)
        })
        .await
        .map_err(|e| Failure::internal(format!("worker failed: {e}")))?
    }

    fn checkout(&self) -> Result<Store, Failure> {
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match pooled {
            Some(store) => Ok(store),
            // At most READERS requests read at once (see `read`): a handle is opened only
            // until the pool has READERS of them, never once per request.
            None => Store::open_existing(&self.data).map_err(Failure::store),
        }
    }

    fn checkin(&self, store: Store) {
        let mut readers = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if readers.len() < READERS {
            readers.push(store);
        }
    }

    /// A page, or its failure rendered as the error page with the failure's status.
    pub(crate) fn page(&self, lang: Lang, result: Result<Html<String>, Failure>) -> Response {
        match result {
            Ok(html) => html.into_response(),
            Err(failure) => {
                let status = failure.status;
                let body = self.render(
                    "error.html",
                    lang,
                    minijinja::context! { status => status.as_u16(), message => failure.message },
                );
                match body {
                    Ok(html) => (status, html).into_response(),
                    Err(_) => (status, "error").into_response(),
                }
            }
        }
    }

    pub(crate) fn render(&self, name: &str, lang: Lang, context: minijinja::Value) -> Result<Html<String>, Failure> {
        let template = self
            .templates
            .get_template(name)
            .map_err(|e| Failure::internal(format!("template {name}: {e}")))?;
        let context = minijinja::context! { t => crate::i18n::labels(lang), lang => lang.code(), dir => lang.dir(), viewer => crate::reading::viewer(), ..context };
        template
            .render(context)
            .map(Html)
            .map_err(|e| Failure::internal(format!("template {name}: {e:#}")))
    }
}

/// A request that failed: its status and a message for the reader.
#[derive(Debug)]
pub struct Failure {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn bad_request(message: impl Into<String>) -> Failure {
        Failure {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Failure {
        Failure {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    pub(crate) fn unauthorized() -> Failure {
        Failure {
            status: StatusCode::UNAUTHORIZED,
            message: "this action needs the admin token (Authorization: Bearer TOKEN)".into(),
        }
    }

    pub(crate) fn internal(message: impl Into<String>) -> Failure {
        let message = message.into();
        tracing::error!(%message, "request failed");
        Failure {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message,
        }
    }

    pub(crate) fn store(error: akhbar_store::Error) -> Failure {
        match error {
            akhbar_store::Error::Query { reason } | akhbar_store::Error::Account { reason } => {
                Failure::bad_request(reason)
            }
            akhbar_store::Error::NoStore { .. } => Failure {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: "no articles yet: add a source or ingest files".into(),
            },
            other => {
                // The cause, with paths, goes to the log; the reader learns what failed, not
                // where the server keeps its files.
                let mut cause = String::new();
                let mut source = std::error::Error::source(&other);
                while let Some(inner) = source {
                    cause.push_str(": ");
                    cause.push_str(&inner.to_string());
                    source = inner.source();
                }
                tracing::error!("{other}{cause}");
                let what = match other {
                    akhbar_store::Error::Database { .. } => "the archive's database could not be read",
                    akhbar_store::Error::Index { .. } => "the search index could not be read",
                    akhbar_store::Error::Locked { .. } => "another akhbar process is writing to the archive",
                    akhbar_store::Error::ReindexNeeded { .. } => {
                        "the search index needs rebuilding: run akhbar reindex"
                    }
                    _ => "the archive could not be used",
                };
                Failure {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    message: what.to_string(),
                }
            }
        }
    }
}

/// JSON errors for the API: `{"error": message}`.
impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (self.status, axum::Json(serde_json::json!({ "error": self.message }))).into_response()
    }
}

/// Polls due sources every `every`, on a thread of its own, until the server stops.
pub fn spawn_poller(state: Arc<AppState>, every: Duration) {
    std::thread::spawn(move || loop {
        let client = match akhbar_fetch::HttpClient::new(state.http.clone()) {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "polling disabled");
                return;
            }
        };
        {
            let mut store = state.writer.lock().unwrap_or_else(|p| p.into_inner());
            match akhbar_pipeline::poll(
                &mut store,
                &client,
                &akhbar_pipeline::PollOptions::default(),
                &state.stop,
            ) {
                Ok(report) if !report.sources.is_empty() => {
                    tracing::info!(
                        sources = report.sources.len(),
                        new = report.new,
                        failed = report.failed_sources,
                        "polled"
                    )
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "polling failed"),
            }
        }
        let mut slept = Duration::ZERO;
        while slept < every {
            if state.stop.load(std::sync::atomic::Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
            slept += Duration::from_millis(200);
        }
    });
}

/// Tells follows with a webhook or an e-mail address of their new articles every `every`, on
/// a thread of its own with a store handle of its own (alerts write only the database), until
/// the server stops.
pub fn spawn_alerts(state: Arc<AppState>, every: Duration) {
    std::thread::spawn(move || {
        let client = match akhbar_fetch::HttpClient::new(state.http.clone()) {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "alerts disabled");
                return;
            }
        };
        let options = akhbar_pipeline::AlertOptions::default();
        let mut alerts = akhbar_pipeline::AlertState::default();
        let mut store: Option<Store> = None;
        loop {
            if store.is_none() {
                // No store yet (nothing ingested) or a passing error: said, and tried next round.
                store = match Store::open_existing(&state.data) {
                    Ok(opened) => Some(opened),
                    Err(error) => {
                        tracing::debug!(%error, "alerts wait for the store");
                        None
                    }
                };
            }
            if let Some(store) = &store {
                match store
                    .refresh()
                    .and_then(|()| akhbar_pipeline::send_alerts(store, &client, &options, &mut alerts))
                {
                    Ok(report) if report.delivered + report.failed > 0 => tracing::info!(
                        delivered = report.delivered,
                        failed = report.failed,
                        articles = report.articles,
                        "alerts sent"
                    ),
                    Ok(_) => {}
                    Err(error) => tracing::error!(%error, "alerts failed"),
                }
                if let Some(mailer) = &state.mailer {
                    match akhbar_pipeline::send_digests(store, mailer) {
                        Ok(report) if report.delivered + report.failed > 0 => tracing::info!(
                            sent = report.delivered,
                            failed = report.failed,
                            articles = report.articles,
                            "e-mail digests"
                        ),
                        Ok(_) => {}
                        Err(error) => tracing::error!(%error, "e-mail digests failed"),
                    }
                }
            }
            let mut slept = Duration::ZERO;
            while slept < every {
                if state.stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
                slept += Duration::from_millis(100);
            }
        }
    });
}
