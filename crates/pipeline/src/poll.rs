//! Polling: fetch every due source once, ingest its new items, record its health and
//! schedule its next poll.
//!
//! One source at a time, so requests to a host are never concurrent; the client spaces them
//! and honours robots.txt. A failing source is recorded (error, failures in a row, a later
//! retry with exponential backoff) and never stops the others. The interval adapts to how
//! often a source publishes: a week divided by the items of the last week, between
//! [`PollOptions::min_interval`] and [`PollOptions::max_interval`].

use crate::ingest::{store_batch, to_article};
use crate::Failure;
use akhbar_fetch::{parse_feed_http, HttpClient, HttpError, Payload, Validators};
use akhbar_model::{FeedItem, Source};
use akhbar_store::{FetchRecord, NewArticle, Store};
use chrono::{DateTime, Duration, Utc};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// How [`poll`] chooses and treats sources.
#[derive(Debug, Clone)]
pub struct PollOptions {
    /// Poll every source, due or not.
    pub all: bool,
    /// Poll only this source (due or not).
    pub only: Option<i64>,
    /// An item whose feed text is shorter than this (in characters) is a summary: its
    /// article page is fetched and extracted.
    pub full_text_below: usize,
    /// Shortest polling interval.
    pub min_interval: Duration,
    /// Longest polling interval, and the longest backoff after failures.
    pub max_interval: Duration,
}

impl Default for PollOptions {
    fn default() -> PollOptions {
        PollOptions {
            all: false,
            only: None,
            full_text_below: 500,
            min_interval: Duration::minutes(5),
            max_interval: Duration::hours(24),
        }
    }
}

/// What happened to one source. Field names are the `akhbar poll --json` contract.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SourcePoll {
    /// Source id.
    pub id: i64,
    /// Source name.
    pub name: String,
    /// Feed URL.
    pub url: String,
    /// `ok`, `not_modified`, `failed`, or `interrupted` (stopped part way: nothing recorded, still due).
    pub status: &'static str,
    /// Entries in the feed.
    pub items: usize,
    /// Articles stored for the first time.
    pub new: usize,
    /// Entries already stored.
    pub existing: usize,
    /// Article pages fetched for summary-only entries.
    pub pages_fetched: usize,
    /// Entries that could not be ingested.
    pub failed: Vec<Failure>,
    /// Entries ingested with something missing (e.g. the full page could not be fetched).
    pub warnings: Vec<Failure>,
    /// Why the source failed, when it did.
    pub error: Option<String>,
    /// When it will be polled next (RFC 3339).
    pub next_fetch: String,
}

/// What a poll did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PollReport {
    /// Per source, in id order.
    pub sources: Vec<SourcePoll>,
    /// New articles, all sources.
    pub new: usize,
    /// Entries already stored, all sources.
    pub existing: usize,
    /// Sources that failed.
    pub failed_sources: usize,
    /// Wall time in seconds.
    pub seconds: f64,
    /// True when a stop was requested before the end.
    pub interrupted: bool,
    /// The story step after the new articles.
    pub stories: crate::StoriesReport,
}

/// Polls the due sources (or all, or one, per `options`). Only a store failure is an `Err`.
pub fn poll(
    store: &mut Store,
    client: &HttpClient,
    options: &PollOptions,
    stop: &AtomicBool,
) -> Result<PollReport, akhbar_store::Error> {
    let started = Instant::now();
    let now = Utc::now();
    let sources = match options.only {
        Some(id) => store.source(id)?.into_iter().collect(),
        None if options.all => store.sources()?,
        None => store.due_sources(now)?,
    };
    let mut report = PollReport::default();
    for source in sources {
        if stop.load(Ordering::Relaxed) {
            report.interrupted = true;
            break;
        }
        let polled = poll_source(store, client, &source, options, stop)?;
        report.new += polled.new;
        report.existing += polled.existing;
        report.failed_sources += usize::from(polled.status == "failed");
        report.sources.push(polled);
    }
    if !report.interrupted && report.new > 0 {
        report.stories = crate::update_stories(store, false)?;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn poll_source(
    store: &mut Store,
    client: &HttpClient,
    source: &Source,
    options: &PollOptions,
    stop: &AtomicBool,
) -> Result<SourcePoll, akhbar_store::Error> {
    let at = Utc::now();
    let mut polled = SourcePoll {
        id: source.id,
        name: source.name.clone(),
        url: source.url.clone(),
        status: "ok",
        items: 0,
        new: 0,
        existing: 0,
        pages_fetched: 0,
        failed: Vec::new(),
        warnings: Vec::new(),
        error: None,
        next_fetch: String::new(),
    };
    let interval = Duration::seconds(source.interval_seconds.max(1));
    let mut record = FetchRecord {
        at,
        interval_seconds: interval.num_seconds(),
        next_fetch: at + interval,
        ..FetchRecord::default()
    };
    match fetch_items(store, client, source, options, stop, &mut polled) {
        Ok(Fetched::NotModified(validators)) => {
            polled.status = "not_modified";
            record.etag = validators.etag;
            record.last_modified = validators.last_modified;
        }
        Ok(Fetched::Items(validators, dates)) => {
            record.etag = validators.etag;
            record.last_modified = validators.last_modified;
            let interval = adapt_interval(&dates, at, interval, options);
            record.interval_seconds = interval.num_seconds();
            record.next_fetch = at + interval;
            record.new_articles = polled.new as u64;
        }
        Err(PollError::Store(error)) => return Err(error),
        // Stopped part way through the entries: what was read is stored, but the feed's
        // validators are not, and the source stays due, so the next poll reads it whole.
        Err(PollError::Interrupted) => {
            polled.status = "interrupted";
            return Ok(polled);
        }
        Err(PollError::Source { message, retry_after }) => {
            polled.status = "failed";
            // Back off: the interval, doubled for each failure in a row, capped.
            let failures = source.health.failures.min(16);
            let mut wait = (interval * 2i32.pow(failures)).min(options.max_interval);
            if let Some(asked) = retry_after.and_then(|r| Duration::from_std(r).ok()) {
                wait = wait.max(asked.min(options.max_interval));
            }
            record.next_fetch = at + wait;
            record.error = Some(message.clone());
            polled.error = Some(message);
        }
    }
    polled.next_fetch = record.next_fetch.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    store.record_fetch(source.id, &record)?;
    Ok(polled)
}

enum Fetched {
    NotModified(Validators),
    /// New validators and the publication times of the feed's entries.
    Items(Validators, Vec<DateTime<Utc>>),
}

enum PollError {
    Source {
        message: String,
        retry_after: Option<std::time::Duration>,
    },
    Store(akhbar_store::Error),
    /// `stop` was set before every entry was read.
    Interrupted,
}

impl From<HttpError> for PollError {
    fn from(error: HttpError) -> PollError {
        PollError::Source {
            retry_after: error.retry_after(),
            message: error.to_string(),
        }
    }
}

fn fetch_items(
    store: &mut Store,
    client: &HttpClient,
    source: &Source,
    options: &PollOptions,
    stop: &AtomicBool,
    polled: &mut SourcePoll,
) -> Result<Fetched, PollError> {
    if !client.allowed(&source.url)? {
        return Err(HttpError::Robots {
            url: source.url.clone(),
        }
        .into());
    }
    let validators = Validators {
        etag: source.etag.clone(),
        last_modified: source.last_modified.clone(),
    };
    let fetched = client.get(&source.url, &validators)?;
    if fetched.not_modified {
        return Ok(Fetched::NotModified(fetched.validators));
    }
    let feed =
        parse_feed_http(&fetched.body, Some(&fetched.url), fetched.content_type.as_deref()).map_err(|reason| {
            PollError::Source {
                message: format!("{}: not a valid feed: {reason}", fetched.url),
                retry_after: None,
            }
        })?;
    polled.items = feed.items.len();
    let dates: Vec<DateTime<Utc>> = feed.items.iter().filter_map(|i| i.published).collect();
    let mut batch = Vec::new();
    let mut interrupted = false;
    for (n, item) in feed.items.into_iter().enumerate() {
        if stop.load(Ordering::Relaxed) {
            interrupted = true;
            break;
        }
        let origin = item
            .link
            .clone()
            .unwrap_or_else(|| format!("{}#{}", fetched.url, n + 1));
        match item_article(store, client, source, item, &origin, options, polled) {
            Ok(Some(new)) => batch.push(new),
            Ok(None) => polled.existing += 1,
            Err(reason) => polled.failed.push(Failure { origin, reason }),
        }
    }
    let added = store_batch(store, &mut batch).map_err(PollError::Store)?;
    polled.new += added.new;
    polled.existing += added.existing;
    if interrupted {
        return Err(PollError::Interrupted);
    }
    Ok(Fetched::Items(fetched.validators, dates))
}

/// The article of one feed entry (fetching its page when the feed gives only a summary), or
/// `None` when it is already stored.
fn item_article(
    store: &Store,
    client: &HttpClient,
    source: &Source,
    item: FeedItem,
    origin: &str,
    options: &PollOptions,
    polled: &mut SourcePoll,
) -> Result<Option<NewArticle>, String> {
    let (id, mut article) = to_article(Payload::FeedItem(item), origin, &mut polled.warnings)?;
    article.source = Some(source.name.clone());
    if store.contains(id.as_str()).map_err(|e| e.to_string())? {
        return Ok(None);
    }
    // A short text is a summary (or a teaser): the article is on its page.
    let summary_only = article.body.chars().count() < options.full_text_below;
    if let (true, Some(link)) = (summary_only, article.url.clone()) {
        match fetch_page(client, &link) {
            Ok(page) => {
                polled.pages_fetched += 1;
                if page.article.body.chars().count() > article.body.chars().count() {
                    article.body = page.article.body;
                }
                article.author = article.author.or(page.article.author);
                article.date = article.date.or(page.article.date.filter(akhbar_model::plausible_date));
                if article.title.trim().is_empty() {
                    article.title = page.article.title;
                }
            }
            Err(reason) => polled.warnings.push(Failure {
                origin: origin.to_string(),
                reason: format!("{reason}; kept the feed's summary"),
            }),
        }
    }
    Ok(Some(NewArticle::new(id, article, Some(origin.to_string()))))
}

fn fetch_page(client: &HttpClient, link: &str) -> Result<akhbar_extract::Page, String> {
    if !client.allowed(link).map_err(|e| e.to_string())? {
        return Err(HttpError::Robots { url: link.to_string() }.to_string());
    }
    let fetched = client.get(link, &Validators::default()).map_err(|e| e.to_string())?;
    let (page, _) = akhbar_extract::extract_page(&fetched.body, fetched.content_type.as_deref());
    Ok(page)
}

/// A week divided by the entries published in the last week, within bounds; unchanged when
/// the feed dates nothing.
fn adapt_interval(dates: &[DateTime<Utc>], now: DateTime<Utc>, current: Duration, options: &PollOptions) -> Duration {
    if dates.is_empty() {
        return current;
    }
    let week = Duration::days(7);
    let recent = dates
        .iter()
        .filter(|d| **d > now - week && **d <= now + Duration::hours(1))
        .count();
    if recent == 0 {
        return options.max_interval;
    }
    (week / recent as i32).clamp(options.min_interval, options.max_interval)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_follows_publishing_rate() {
        let now = Utc::now();
        let options = PollOptions::default();
        let hourly: Vec<_> = (0..168).map(|h| now - Duration::hours(h)).collect();
        let daily: Vec<_> = (0..7).map(|d| now - Duration::days(d) - Duration::minutes(1)).collect();
        let busy: Vec<_> = (0..5000).map(|m| now - Duration::minutes(m)).collect();
        let stale = [now - Duration::days(30)];
        let table = [
            (&hourly[..], Duration::hours(1)),
            (&daily[..], Duration::days(1)),
            (&busy[..], Duration::minutes(5)),
            (&stale[..], Duration::hours(24)),
            (&[][..], Duration::minutes(90)),
        ];
        for (dates, expected) in table {
            assert_eq!(adapt_interval(dates, now, Duration::minutes(90), &options), expected);
        }
    }
}
