//! A scripted HTTP server on `127.0.0.1` for tests: each path has a [`Reply`], every request
//! is recorded, and replies can be changed while the server runs.
//!
//! ```
//! use akhbar_testserver::{Reply, TestServer};
//! let server = TestServer::start();
//! server.set("/feed.xml", Reply::ok("application/rss+xml", "<rss/>"));
//! assert!(server.url("/feed.xml").starts_with("http://127.0.0.1:"));
//! assert_eq!(server.hits("/feed.xml"), 0);
//! ```
#![deny(missing_docs)]

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the server answers on a path.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete response.
    Body {
        /// Status code.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// Body bytes.
        body: Vec<u8>,
    },
    /// 304 when the request's `If-None-Match` equals `etag`, else `reply` with that ETag.
    Conditional {
        /// The current ETag.
        etag: String,
        /// The full response.
        reply: Box<Reply>,
    },
    /// A redirect to `location` (relative or absolute).
    Redirect {
        /// 301, 302, 307, 308.
        status: u16,
        /// Target.
        location: String,
    },
    /// `reply`, after waiting.
    Slow {
        /// The wait before the headers.
        delay: Duration,
        /// What follows.
        reply: Box<Reply>,
    },
    /// 200 with a body that never ends (chunked, an endless stream of `x`).
    Endless,
    /// The response to the first `n` requests is `first`, then `then`.
    FirstThen {
        /// How many requests get `first`.
        n: usize,
        /// The early reply.
        first: Box<Reply>,
        /// Every later reply.
        then: Box<Reply>,
    },
}

impl Reply {
    /// 200 with this content type and body.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Body {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// An error status with a short text body.
    pub fn status(status: u16) -> Reply {
        Reply::Body {
            status,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: format!("status {status}").into_bytes(),
        }
    }

    /// The same reply with one more header.
    pub fn with_header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Body {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Reply::Body { status, headers, body }
            }
            other => other,
        }
    }
}

/// One request the server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Path and query.
    pub path: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// When it arrived.
    pub at: Instant,
    /// The request's body (the first MiB).
    pub body: Vec<u8>,
}

impl Seen {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Reply>,
    seen: Vec<Seen>,
}

/// The running server; it stops when dropped.
pub struct TestServer {
    server: Arc<tiny_http::Server>,
    state: Arc<Mutex<State>>,
    port: u16,
}

impl TestServer {
    /// Starts a server on a free port of 127.0.0.1. Unknown paths answer 404.
    ///
    /// # Panics
    /// When no local port can be bound (a broken test machine).
    pub fn start() -> TestServer {
        let server =
            Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("binding a local port for the test server"));
        let port = server.server_addr().to_ip().map_or(0, |a| a.port());
        let state = Arc::new(Mutex::new(State::default()));
        let (accept, shared) = (Arc::clone(&server), Arc::clone(&state));
        std::thread::spawn(move || {
            for request in accept.incoming_requests() {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || answer(request, &shared));
            }
        });
        TestServer { server, state, port }
    }

    /// Sets what `path` answers.
    pub fn set(&self, path: &str, reply: Reply) {
        self.lock().routes.insert(path.to_string(), reply);
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// `host:port` of the server.
    pub fn authority(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Requests seen on `path`.
    pub fn requests(&self, path: &str) -> Vec<Seen> {
        self.lock().seen.iter().filter(|s| s.path == path).cloned().collect()
    }

    /// How many requests `path` received.
    pub fn hits(&self, path: &str) -> usize {
        self.requests(path).len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

fn answer(mut request: tiny_http::Request, state: &Mutex<State>) {
    let mut body = Vec::new();
    let _ = request.as_reader().take(1 << 20).read_to_end(&mut body);
    let seen = Seen {
        path: request.url().to_string(),
        headers: request
            .headers()
            .iter()
            .map(|h| {
                (
                    h.field.as_str().as_str().to_ascii_lowercase(),
                    h.value.as_str().to_string(),
                )
            })
            .collect(),
        at: Instant::now(),
        body,
    };
    let (reply, count) = {
        let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
        state.seen.push(seen.clone());
        let count = state.seen.iter().filter(|s| s.path == seen.path).count();
        (state.routes.get(&seen.path).cloned(), count)
    };
    let reply = reply.unwrap_or_else(|| Reply::status(404));
    respond(request, reply, &seen, count);
}

fn respond(request: tiny_http::Request, reply: Reply, seen: &Seen, count: usize) {
    // A client that hung up is not the test server's problem: results are ignored.
    match reply {
        Reply::Body { status, headers, body } => {
            let mut response = tiny_http::Response::from_data(body).with_status_code(status);
            for (name, value) in headers {
                if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                    response.add_header(header);
                }
            }
            let _ = request.respond(response);
        }
        Reply::Conditional { etag, reply } => {
            if seen.header("if-none-match") == Some(etag.as_str()) {
                let mut response = tiny_http::Response::empty(304);
                if let Ok(header) = tiny_http::Header::from_bytes("ETag", etag.as_bytes()) {
                    response.add_header(header);
                }
                let _ = request.respond(response);
            } else {
                respond(request, reply.with_header("ETag", &etag), seen, count);
            }
        }
        Reply::Redirect { status, location } => {
            let reply = Reply::status(status).with_header("Location", &location);
            respond(request, reply, seen, count);
        }
        Reply::Slow { delay, reply } => {
            std::thread::sleep(delay);
            respond(request, *reply, seen, count);
        }
        Reply::Endless => {
            let endless = std::io::repeat(b'x').take(u64::MAX);
            let response = tiny_http::Response::new(200.into(), Vec::new(), endless, None, None);
            let _ = request.respond(response);
        }
        Reply::FirstThen { n, first, then } => {
            let reply = if count <= n { *first } else { *then };
            respond(request, reply, seen, count);
        }
    }
}
