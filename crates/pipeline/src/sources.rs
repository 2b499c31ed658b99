//! Adding sources: a feed URL, or a page whose feed is discovered; OPML import.

use akhbar_fetch::{parse_feed_http, parse_opml, Feed, HttpClient, HttpError, Validators};
use akhbar_model::{direction_of, Source};
use akhbar_store::{NewSource, Store};

/// First polling interval of a new source (adapted after the first polls).
pub const DEFAULT_INTERVAL_SECONDS: i64 = 3600;

/// Paths tried on a site whose pages announce no feed (the conventional places).
const WELL_KNOWN_FEEDS: [&str; 6] = ["/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml"];

/// Why a source could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    /// The URL could not be fetched.
    #[error(transparent)]
    Fetch(#[from] HttpError),
    /// The URL is neither a feed nor a page that leads to one.
    #[error("{url}: no feed found: {reason}")]
    NoFeed {
        /// The URL given.
        url: String,
        /// What was tried.
        reason: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] akhbar_store::Error),
}

/// Adds the feed at `url`, or the feed a page at `url` announces (`<link rel="alternate">`,
/// else the site's conventional feed paths). Returns the source and whether it is new.
pub fn add_source(
    store: &mut Store,
    client: &HttpClient,
    url: &str,
    name: Option<&str>,
) -> Result<(Source, bool), AddError> {
    let (feed_url, feed, page) = find_feed(client, url)?;
    let language = feed.language.clone().or_else(|| guess_language(&feed));
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .or(feed.title.clone())
        .unwrap_or_else(|| host_of(&feed_url));
    let new = NewSource {
        direction: language.as_deref().map(|l| direction_of(l).to_string()),
        url: feed_url,
        name,
        site: feed.site.clone().or(page),
        language,
        category: None,
        interval_seconds: DEFAULT_INTERVAL_SECONDS,
    };
    Ok(store.add_source(&new)?)
}

/// The feed URL, the parsed feed, and the page it was discovered from.
fn find_feed(client: &HttpClient, url: &str) -> Result<(String, Feed, Option<String>), AddError> {
    let fetched = client.get(url, &Validators::default())?;
    let not_feed = match parse_feed_http(&fetched.body, Some(&fetched.url), fetched.content_type.as_deref()) {
        Ok(feed) => return Ok((fetched.url, feed, None)),
        Err(reason) => reason,
    };
    let (html, _, _) = akhbar_extract::decode(
        &fetched.body,
        fetched.content_type.as_deref().and_then(akhbar_extract::charset_of),
    );
    let mut candidates = akhbar_extract::feed_links(&html, &fetched.url);
    let announced = !candidates.is_empty();
    if !announced {
        if let Ok(page) = url::Url::parse(&fetched.url) {
            candidates.extend(
                WELL_KNOWN_FEEDS
                    .iter()
                    .filter_map(|path| page.join(path).ok().map(String::from)),
            );
        }
    }
    let mut tried = Vec::new();
    for candidate in candidates {
        match client.get(&candidate, &Validators::default()) {
            Ok(found) => match parse_feed_http(&found.body, Some(&found.url), found.content_type.as_deref()) {
                Ok(feed) => return Ok((found.url, feed, Some(fetched.url))),
                Err(reason) => tried.push(format!("{candidate}: {reason}")),
            },
            Err(error) => tried.push(error.to_string()),
        }
    }
    let reason = if announced {
        format!("the feeds the page announces failed ({})", tried.join("; "))
    } else {
        format!("not a feed ({not_feed}) and the page announces none; conventional paths tried")
    };
    Err(AddError::NoFeed {
        url: url.to_string(),
        reason,
    })
}

/// What an OPML import did.
#[derive(Debug, Default, serde::Serialize)]
pub struct ImportReport {
    /// Sources added.
    pub added: usize,
    /// Sources already followed.
    pub existing: usize,
    /// Outlines that could not be added, with reasons.
    pub failed: Vec<crate::Failure>,
}

/// Adds every feed of an OPML document, without fetching (the next poll checks them).
pub fn import_opml(store: &mut Store, bytes: &[u8], origin: &str) -> Result<ImportReport, AddError> {
    let outlines = parse_opml(bytes).map_err(|reason| AddError::NoFeed {
        url: origin.to_string(),
        reason,
    })?;
    let mut report = ImportReport::default();
    for outline in outlines {
        if let Err(error) = akhbar_fetch::check_url(&outline.url, true) {
            report.failed.push(crate::Failure {
                origin: origin.to_string(),
                reason: error.to_string(),
            });
            continue;
        }
        let new = NewSource {
            name: outline.title.clone().unwrap_or_else(|| host_of(&outline.url)),
            url: outline.url,
            site: outline.site,
            category: outline.category,
            interval_seconds: DEFAULT_INTERVAL_SECONDS,
            ..NewSource::default()
        };
        if store.add_source(&new)?.1 {
            report.added += 1;
        } else {
            report.existing += 1;
        }
    }
    Ok(report)
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(|h| h.trim_start_matches("www.").to_string()))
        .unwrap_or_else(|| url.to_string())
}

/// `ar` when most letters of the feed's titles are Arabic.
fn guess_language(feed: &Feed) -> Option<String> {
    let (mut arabic, mut letters) = (0usize, 0usize);
    for c in feed
        .items
        .iter()
        .flat_map(|i| i.title.chars())
        .chain(feed.title.iter().flat_map(|t| t.chars()))
    {
        if c.is_alphabetic() {
            letters += 1;
            arabic += usize::from(('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{0750}'..='\u{077F}').contains(&c));
        }
    }
    (letters > 0 && arabic * 2 > letters).then(|| "ar".to_string())
}
