//! Bytes from the web: one polite, guarded HTTP client for feeds, pages and robots.txt.
//!
//! [`HttpClient::get`] is the only way akhbar reaches the network. It refuses what an
//! operator did not allow (loopback, private, link-local and other non-public addresses,
//! checked after DNS resolution and on every redirect, so a public name that resolves to
//! `127.0.0.1` is refused too; schemes other than http and https), caps what it accepts
//! (redirects, decompressed body size, time), sends conditional requests (ETag,
//! Last-Modified), decompresses gzip and brotli, retries transient failures with backoff,
//! and is polite per host: requests to one host are sequential and spaced by a delay, the
//! larger of the configured one and the site's `Crawl-delay`. [`HttpClient::allowed`]
//! answers from the host's robots.txt, fetched once per client.

use std::collections::HashMap;
use std::io::Read;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use url::Url;

/// How the client behaves. [`HttpOptions::default`] suits polling real outlets.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Allow loopback, private, link-local and other non-public addresses (tests, intranets).
    pub allow_private: bool,
    /// Whole-request limit: connecting, waiting and reading the body.
    pub timeout: Duration,
    /// Limit for establishing the connection.
    pub connect_timeout: Duration,
    /// Largest body accepted, after decompression.
    pub max_body: u64,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
    /// Minimum time between two requests to the same host.
    pub host_delay: Duration,
    /// Extra attempts after a transient failure (timeout, connection error, 429, 5xx).
    pub retries: u32,
    /// Wait before the first retry; doubled for each further one.
    pub retry_delay: Duration,
    /// `User-Agent` header, also the agent matched in robots.txt.
    pub user_agent: String,
}

impl Default for HttpOptions {
    fn default() -> HttpOptions {
        HttpOptions {
            allow_private: false,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body: 16 * 1024 * 1024,
            max_redirects: 5,
            host_delay: Duration::from_secs(1),
            retries: 2,
            retry_delay: Duration::from_secs(1),
            user_agent: format!("akhbar/{} (self-hosted news reader)", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// Validators from an earlier fetch of the same URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` the server sent.
    pub etag: Option<String>,
    /// The `Last-Modified` the server sent.
    pub last_modified: Option<String>,
}

/// A response the client accepted.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL after redirects.
    pub url: String,
    /// HTTP status (2xx, or 304).
    pub status: u16,
    /// True for 304 Not Modified: the body is empty and the earlier copy stands.
    pub not_modified: bool,
    /// Validators to send next time (the old ones again after a 304 without new ones).
    pub validators: Validators,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The body, decompressed.
    pub body: Vec<u8>,
}

/// A fetch that failed, naming the URL.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// Not an absolute http(s) URL.
    #[error("{url}: not a valid http(s) URL: {reason}")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// Why.
        reason: String,
    },
    /// The URL (or a redirect) leads to an address the operator did not allow.
    #[error("{url}: refused: {reason}")]
    Refused {
        /// The URL.
        url: String,
        /// Why, e.g. "127.0.0.1 is a loopback address".
        reason: String,
    },
    /// The site's robots.txt disallows the URL for akhbar.
    #[error("{url}: disallowed by the site's robots.txt")]
    Robots {
        /// The URL.
        url: String,
    },
    /// The site's robots.txt could not be read (a network error or a server error): the
    /// URL is not fetched until it can be, and the error says so rather than "disallowed".
    #[error("{url}: the site's robots.txt could not be read ({reason}): not fetched")]
    RobotsUnavailable {
        /// The URL that was to be fetched.
        url: String,
        /// What went wrong with robots.txt.
        reason: String,
    },
    /// The server answered with an error status.
    #[error("{url}: HTTP {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
        /// What `Retry-After` asked for, if anything (429, 503).
        retry_after: Option<Duration>,
    },
    /// The body is larger than [`HttpOptions::max_body`].
    #[error("{url}: body larger than {limit} bytes: not read")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit.
        limit: u64,
    },
    /// The server did not answer, or not completely, in time.
    #[error("{url}: timed out after {seconds} s")]
    Timeout {
        /// The URL.
        url: String,
        /// The limit that was hit.
        seconds: u64,
    },
    /// More redirects than [`HttpOptions::max_redirects`].
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects {
        /// The URL.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// DNS, connection, TLS or protocol failure.
    #[error("{url}: {reason}")]
    Network {
        /// The URL.
        url: String,
        /// What failed, with its causes.
        reason: String,
    },
}

impl HttpError {
    /// The URL the error is about.
    pub fn url(&self) -> &str {
        match self {
            HttpError::BadUrl { url, .. }
            | HttpError::Refused { url, .. }
            | HttpError::Robots { url }
            | HttpError::RobotsUnavailable { url, .. }
            | HttpError::Status { url, .. }
            | HttpError::TooLarge { url, .. }
            | HttpError::Timeout { url, .. }
            | HttpError::TooManyRedirects { url, .. }
            | HttpError::Network { url, .. } => url,
        }
    }

    /// Whether trying again soon may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            HttpError::Timeout { .. } | HttpError::Network { .. } | HttpError::RobotsUnavailable { .. } => true,
            HttpError::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }

    /// How long the server asked us to wait (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            HttpError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Why an address may not be fetched, or `None` for a public unicast address.
pub fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            if v4.is_loopback() {
                Some("a loopback address")
            } else if v4.is_private() {
                Some("a private address")
            } else if v4.is_link_local() {
                Some("a link-local address")
            } else if v4.is_unspecified() || a == 0 {
                Some("an unspecified address")
            } else if a == 100 && (64..128).contains(&b) {
                Some("a shared (carrier-grade NAT) address")
            } else if v4.is_multicast() || v4.is_broadcast() || a >= 240 {
                Some("a multicast, broadcast or reserved address")
            } else if (a == 198 && (b == 18 || b == 19)) || (a == 192 && b == 0 && v4.octets()[2] == 0) {
                Some("a reserved address")
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return non_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            if v6.is_loopback() {
                Some("a loopback address")
            } else if v6.is_unspecified() {
                Some("an unspecified address")
            } else if first & 0xfe00 == 0xfc00 {
                Some("a unique local (private) address")
            } else if first & 0xffc0 == 0xfe80 {
                Some("a link-local address")
            } else if v6.is_multicast() {
                Some("a multicast address")
            } else {
                None
            }
        }
    }
}

/// Checks a URL before any request: absolute, http(s), and when it names an IP address
/// directly, a public one (names are checked after resolution).
pub fn check_url(url: &str, allow_private: bool) -> Result<Url, HttpError> {
    let parsed = Url::parse(url.trim()).map_err(|e| HttpError::BadUrl {
        url: url.to_string(),
        reason: e.to_string(),
    })?;
    check_parsed(&parsed, allow_private)?;
    Ok(parsed)
}

fn check_parsed(url: &Url, allow_private: bool) -> Result<(), HttpError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(HttpError::BadUrl {
            url: url.to_string(),
            reason: format!("scheme {}: is not fetched", url.scheme()),
        });
    }
    let ip = match url.host() {
        None => {
            return Err(HttpError::BadUrl {
                url: url.to_string(),
                reason: "no host".into(),
            })
        }
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        Some(url::Host::Domain(_)) => None,
    };
    if let (false, Some(ip)) = (allow_private, ip) {
        if let Some(why) = non_public(ip) {
            return Err(HttpError::Refused {
                url: url.to_string(),
                reason: format!("{ip} is {why} (allow it with --allow-private)"),
            });
        }
    }
    Ok(())
}

/// The resolver's refusal, recognized again in reqwest's error chain.
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves to {ip}, {why} (allow it with --allow-private)")]
struct PrivateAddress {
    host: String,
    ip: IpAddr,
    why: &'static str,
}

/// The redirect policy's refusal.
#[derive(Debug, thiserror::Error)]
enum RedirectRefused {
    #[error("more than {0} redirects")]
    TooMany(usize),
    #[error("redirected to {0}")]
    Refused(String),
}

/// DNS through the system resolver, keeping only public addresses.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let lookup = host.clone();
            let addresses: Vec<SocketAddr> =
                tokio::task::spawn_blocking(move || (lookup.as_str(), 0).to_socket_addrs().map(Iterator::collect))
                    .await??;
            let mut refused = None;
            let public: Vec<SocketAddr> = addresses
                .into_iter()
                .filter(|address| match non_public(address.ip()) {
                    None => true,
                    Some(why) => {
                        refused.get_or_insert((address.ip(), why));
                        false
                    }
                })
                .collect();
            match (public.is_empty(), refused) {
                (true, Some((ip, why))) => Err(Box::new(PrivateAddress { host, ip, why }) as _),
                _ => Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs),
            }
        })
    }
}

#[derive(Debug, Default)]
struct Host {
    last_request: Option<Instant>,
    crawl_delay: Option<Duration>,
    /// `None`: not fetched yet; `Some(None)`: everything allowed.
    robots: Option<Option<Arc<texting_robots::Robot>>>,
}

/// Largest robots.txt read (Google reads 500 KiB).
const MAX_ROBOTS_BYTES: u64 = 512 * 1024;

/// Longest `Crawl-delay` honoured: a larger one would stall a whole poll.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);

/// The HTTP client. Cheap to share between threads; politeness state is per client.
pub struct HttpClient {
    client: reqwest::blocking::Client,
    options: HttpOptions,
    hosts: Mutex<HashMap<String, Host>>,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient").field("options", &self.options).finish()
    }
}

impl HttpClient {
    /// Builds a client. Fails only if the TLS backend cannot start.
    pub fn new(options: HttpOptions) -> Result<HttpClient, HttpError> {
        // One process-wide TLS provider; a second install attempt is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let max_redirects = options.max_redirects;
        let allow_private = options.allow_private;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > max_redirects {
                return attempt.error(RedirectRefused::TooMany(max_redirects));
            }
            match check_parsed(attempt.url(), allow_private) {
                Ok(()) => attempt.follow(),
                Err(error) => {
                    let reason = error.to_string();
                    attempt.error(RedirectRefused::Refused(reason))
                }
            }
        });
        let mut builder = reqwest::blocking::Client::builder()
            .user_agent(options.user_agent.clone())
            .timeout(options.timeout)
            .connect_timeout(options.connect_timeout)
            .redirect(policy)
            .no_proxy()
            .pool_max_idle_per_host(1);
        if !options.allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        let client = builder.build().map_err(|e| HttpError::Network {
            url: String::new(),
            reason: format!("cannot start the HTTP client: {}", chain(&e)),
        })?;
        Ok(HttpClient {
            client,
            options,
            hosts: Mutex::new(HashMap::new()),
        })
    }

    /// The options in use.
    pub fn options(&self) -> &HttpOptions {
        &self.options
    }

    /// GETs `url`, sending `validators` as a conditional request; retries transient
    /// failures. A 304 is a success with [`Fetched::not_modified`] set.
    pub fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, HttpError> {
        let parsed = check_url(url, self.options.allow_private)?;
        let mut attempt = 0;
        loop {
            match self.get_once(&parsed, validators) {
                Err(error) if error.is_transient() && attempt < self.options.retries => {
                    let backoff = self.options.retry_delay * 2u32.pow(attempt);
                    let wait = error.retry_after().unwrap_or(backoff);
                    if wait > backoff * 4 {
                        // The server asks for a long pause: leave it to the next poll.
                        return Err(error);
                    }
                    tracing::debug!(%error, ?wait, "retrying");
                    std::thread::sleep(wait);
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    /// Whether the site's robots.txt lets akhbar fetch `url` (fetched once per host). An
    /// unreachable robots.txt (5xx, network) disallows for now, as RFC 9309 asks; a missing
    /// one (4xx) allows everything.
    pub fn allowed(&self, url: &str) -> Result<bool, HttpError> {
        let parsed = check_url(url, self.options.allow_private)?;
        let key = host_key(&parsed);
        let known = self.with_host(&key, |host| host.robots.clone());
        let robot = match known {
            Some(robot) => robot,
            None => {
                let robots_url = format!("{}/robots.txt", parsed.origin().ascii_serialization());
                let robot = match self.get_capped(&robots_url, MAX_ROBOTS_BYTES) {
                    Ok(fetched) => texting_robots::Robot::new(&self.options.user_agent_token(), &fetched.body)
                        .ok()
                        .map(Arc::new),
                    Err(HttpError::Status { status, .. }) if (400..500).contains(&status) => None,
                    Err(HttpError::TooLarge { .. }) => None,
                    Err(error) => {
                        tracing::debug!(%error, "robots.txt unreachable");
                        return Err(HttpError::RobotsUnavailable {
                            url: url.to_string(),
                            reason: error.to_string(),
                        });
                    }
                };
                let delay = robot
                    .as_ref()
                    .and_then(|r| r.delay)
                    .filter(|d| d.is_finite() && *d > 0.0)
                    .map(|d| Duration::from_secs_f32(d).min(MAX_CRAWL_DELAY));
                self.with_host(&key, |host| {
                    host.robots = Some(robot.clone());
                    host.crawl_delay = delay;
                });
                robot
            }
        };
        Ok(robot.is_none_or(|robot| robot.allowed(parsed.as_str())))
    }

    fn get_capped(&self, url: &str, limit: u64) -> Result<Fetched, HttpError> {
        let parsed = check_url(url, self.options.allow_private)?;
        self.request(&parsed, &Validators::default(), limit)
    }

    /// POSTs a JSON `body` to `url` once, with extra `headers` (a webhook): the address is
    /// checked as a GET's is, and so is every redirect. A 2xx answer is its status;
    /// any other is [`HttpError::Status`].
    pub fn post_json(&self, url: &str, body: Vec<u8>, headers: &[(&str, String)]) -> Result<u16, HttpError> {
        let parsed = check_url(url, self.options.allow_private)?;
        let shown = parsed.to_string();
        let mut request = self
            .client
            .post(parsed)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, value.as_str());
        }
        let response = request.send().map_err(|e| self.classify(&shown, &e))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            Ok(status)
        } else {
            Err(HttpError::Status {
                url: shown,
                status,
                retry_after: None,
            })
        }
    }

    fn get_once(&self, url: &Url, validators: &Validators) -> Result<Fetched, HttpError> {
        self.request(url, validators, self.options.max_body)
    }

    fn request(&self, url: &Url, validators: &Validators, limit: u64) -> Result<Fetched, HttpError> {
        self.wait_turn(url);
        let shown = url.to_string();
        let mut request = self.client.get(url.clone()).header(
            reqwest::header::ACCEPT,
            "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5",
        );
        if let Some(etag) = &validators.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(modified) = &validators.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, modified);
        }
        let response = request.send().map_err(|e| self.classify(&shown, &e))?;
        let status = response.status().as_u16();
        let final_url = response.url().to_string();
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let new_validators = Validators {
            etag: header(reqwest::header::ETAG),
            last_modified: header(reqwest::header::LAST_MODIFIED),
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        if status == 304 {
            return Ok(Fetched {
                url: final_url,
                status,
                not_modified: true,
                validators: Validators {
                    etag: new_validators.etag.or_else(|| validators.etag.clone()),
                    last_modified: new_validators
                        .last_modified
                        .or_else(|| validators.last_modified.clone()),
                },
                content_type,
                body: Vec::new(),
            });
        }
        if (300..400).contains(&status) {
            // Redirects reqwest did not follow: to a scheme other than http(s), or without a
            // usable Location.
            let location = header(reqwest::header::LOCATION).unwrap_or_else(|| "nowhere".into());
            return Err(HttpError::Refused {
                url: final_url,
                reason: format!("HTTP {status} redirect to {location} not followed"),
            });
        }
        if !(200..300).contains(&status) {
            let retry_after = header(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            return Err(HttpError::Status {
                url: final_url,
                status,
                retry_after,
            });
        }
        if response.content_length().is_some_and(|length| length > limit) {
            return Err(HttpError::TooLarge { url: final_url, limit });
        }
        let mut body = Vec::new();
        response
            .take(limit + 1)
            .read_to_end(&mut body)
            .map_err(|e| self.classify(&final_url, &e))?;
        if body.len() as u64 > limit {
            return Err(HttpError::TooLarge { url: final_url, limit });
        }
        Ok(Fetched {
            url: final_url,
            status,
            not_modified: false,
            validators: new_validators,
            content_type,
            body,
        })
    }

    /// Sleeps until this host may be asked again, and books the slot.
    fn wait_turn(&self, url: &Url) {
        let key = host_key(url);
        let wait = self.with_host(&key, |host| {
            let delay = host.crawl_delay.unwrap_or_default().max(self.options.host_delay);
            let now = Instant::now();
            let turn = host.last_request.map_or(now, |last| (last + delay).max(now));
            host.last_request = Some(turn);
            turn - now
        });
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }

    fn with_host<T>(&self, key: &str, f: impl FnOnce(&mut Host) -> T) -> T {
        let mut hosts = self.hosts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(hosts.entry(key.to_string()).or_default())
    }

    /// Turns reqwest's error (or an I/O error wrapping one) into ours.
    fn classify(&self, url: &str, error: &(dyn std::error::Error + 'static)) -> HttpError {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
        let mut timed_out = false;
        let mut connect = false;
        let mut root = error.to_string();
        while let Some(current) = cause {
            if let Some(private) = current.downcast_ref::<PrivateAddress>() {
                return HttpError::Refused {
                    url: url.to_string(),
                    reason: private.to_string(),
                };
            }
            if let Some(redirect) = current.downcast_ref::<RedirectRefused>() {
                return match redirect {
                    RedirectRefused::TooMany(limit) => HttpError::TooManyRedirects {
                        url: url.to_string(),
                        limit: *limit,
                    },
                    RedirectRefused::Refused(reason) => HttpError::Refused {
                        url: url.to_string(),
                        reason: reason.clone(),
                    },
                };
            }
            if let Some(reqwest_error) = current.downcast_ref::<reqwest::Error>() {
                timed_out |= reqwest_error.is_timeout();
                connect |= reqwest_error.is_connect();
            }
            root = current.to_string();
            if let Some(io) = current.downcast_ref::<std::io::Error>() {
                timed_out |= io.kind() == std::io::ErrorKind::TimedOut;
            }
            cause = current.source();
        }
        if timed_out {
            return HttpError::Timeout {
                url: url.to_string(),
                seconds: self.options.timeout.as_secs(),
            };
        }
        HttpError::Network {
            url: url.to_string(),
            // reqwest's own message repeats the URL; the root cause says what happened.
            reason: if connect {
                format!("cannot connect: {root}")
            } else {
                chain(error.source().unwrap_or(error))
            },
        }
    }
}

impl HttpOptions {
    /// The product token robots.txt groups are matched against: `akhbar`.
    fn user_agent_token(&self) -> String {
        self.user_agent.split(['/', ' ']).next().unwrap_or("akhbar").to_string()
    }
}

fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// An error and its causes on one line, without reqwest's repeated URL.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cause = Some(error);
    while let Some(current) = cause {
        let text = current.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cause = current.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests;
