//! The sources table: the feeds akhbar follows, their schedule and their health.

use crate::database::Database;
use crate::{Error, Store};
use akhbar_model::{Health, Source};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::params;

/// A source to add.
#[derive(Debug, Clone, Default)]
pub struct NewSource {
    /// Feed URL (the key: adding it twice keeps the first).
    pub url: String,
    /// Display name.
    pub name: String,
    /// Home page.
    pub site: Option<String>,
    /// Language code.
    pub language: Option<String>,
    /// `rtl` or `ltr`.
    pub direction: Option<String>,
    /// OPML folder.
    pub category: Option<String>,
    /// First polling interval.
    pub interval_seconds: i64,
}

/// The outcome of one poll of a source, to record.
#[derive(Debug, Clone, Default)]
pub struct FetchRecord {
    /// When the attempt happened.
    pub at: DateTime<Utc>,
    /// The error, or `None` when it worked.
    pub error: Option<String>,
    /// Validators to send next time (kept as they were when `None`).
    pub etag: Option<String>,
    /// Validators to send next time.
    pub last_modified: Option<String>,
    /// The interval from now on.
    pub interval_seconds: i64,
    /// When to poll next.
    pub next_fetch: DateTime<Utc>,
    /// New articles stored by this attempt.
    pub new_articles: u64,
}

fn time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_time(text: Option<String>) -> Option<DateTime<Utc>> {
    text.and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
}

const COLUMNS: &str = "id, url, name, site, language, direction, category, added, interval_seconds, next_fetch, \
                       etag, last_modified, last_fetch, last_success, last_error, failures, articles";

fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Source> {
    Ok(Source {
        id: row.get(0)?,
        url: row.get(1)?,
        name: row.get(2)?,
        site: row.get(3)?,
        language: row.get(4)?,
        direction: row.get(5)?,
        category: row.get(6)?,
        added: parse_time(row.get(7)?).unwrap_or_default(),
        interval_seconds: row.get(8)?,
        next_fetch: parse_time(row.get(9)?),
        etag: row.get(10)?,
        last_modified: row.get(11)?,
        health: Health {
            last_fetch: parse_time(row.get(12)?),
            last_success: parse_time(row.get(13)?),
            last_error: row.get(14)?,
            failures: row.get(15)?,
            articles: row.get::<_, i64>(16)? as u64,
        },
    })
}

impl Database {
    fn select_sources(&self, condition: &str, value: &dyn rusqlite::ToSql) -> Result<Vec<Source>, Error> {
        let sql = format!("SELECT {COLUMNS} FROM sources {condition} ORDER BY id");
        let mut statement = self.connection.prepare_cached(&sql).map_err(|e| self.wrap(e))?;
        let params: &[&dyn rusqlite::ToSql] = if condition.contains("?1") { &[value] } else { &[] };
        let sources = statement
            .query_map(params, read)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.wrap(e))?;
        Ok(sources)
    }
}

impl Store {
    /// Adds a source; returns it and whether it is new (a URL already followed is returned
    /// as it is).
    pub fn add_source(&mut self, new: &NewSource) -> Result<(Source, bool), Error> {
        let db = self.database();
        let inserted = db
            .connection
            .execute(
                "INSERT OR IGNORE INTO sources(url, name, site, language, direction, category, added, interval_seconds)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    new.url,
                    new.name,
                    new.site,
                    new.language,
                    new.direction,
                    new.category,
                    time(&Utc::now()),
                    new.interval_seconds
                ],
            )
            .map_err(|e| db.wrap(e))?;
        let source = self.source_by_url(&new.url)?.ok_or_else(|| Error::Query {
            reason: format!("source {} vanished while being added", new.url),
        })?;
        Ok((source, inserted == 1))
    }

    /// Every source, in the order they were added.
    pub fn sources(&self) -> Result<Vec<Source>, Error> {
        self.database().select_sources("", &0)
    }

    /// The sources due for a poll at `now`.
    pub fn due_sources(&self, now: DateTime<Utc>) -> Result<Vec<Source>, Error> {
        self.database()
            .select_sources("WHERE next_fetch IS NULL OR next_fetch <= ?1", &time(&now))
    }

    /// One source by id.
    pub fn source(&self, id: i64) -> Result<Option<Source>, Error> {
        Ok(self.database().select_sources("WHERE id = ?1", &id)?.pop())
    }

    /// One source by feed URL.
    pub fn source_by_url(&self, url: &str) -> Result<Option<Source>, Error> {
        Ok(self.database().select_sources("WHERE url = ?1", &url)?.pop())
    }

    /// Stops following a source; its articles stay in the archive. Returns whether it existed.
    pub fn remove_source(&mut self, id: i64) -> Result<bool, Error> {
        let db = self.database();
        let removed = db
            .connection
            .execute("DELETE FROM sources WHERE id = ?1", [id])
            .map_err(|e| db.wrap(e))?;
        Ok(removed == 1)
    }

    /// Records a poll of source `id`: schedule, validators and health.
    pub fn record_fetch(&mut self, id: i64, record: &FetchRecord) -> Result<(), Error> {
        let db = self.database();
        let ok = record.error.is_none();
        db.connection
            .execute(
                "UPDATE sources SET
                    last_fetch = ?2,
                    last_success = CASE WHEN ?3 THEN ?2 ELSE last_success END,
                    last_error = ?4,
                    failures = CASE WHEN ?3 THEN 0 ELSE failures + 1 END,
                    etag = COALESCE(?5, etag),
                    last_modified = COALESCE(?6, last_modified),
                    interval_seconds = ?7,
                    next_fetch = ?8,
                    articles = articles + ?9
                 WHERE id = ?1",
                params![
                    id,
                    time(&record.at),
                    ok,
                    record.error,
                    record.etag,
                    record.last_modified,
                    record.interval_seconds,
                    time(&record.next_fetch),
                    record.new_articles as i64
                ],
            )
            .map_err(|e| db.wrap(e))?;
        Ok(())
    }

    /// Whether an article with this id is stored.
    pub fn contains(&self, id: &str) -> Result<bool, Error> {
        self.database().contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_list_schedule_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let new = NewSource {
            url: "https://example.ma/rss".into(),
            name: "تليكسبريس".into(),
            language: Some("ar".into()),
            direction: Some("rtl".into()),
            interval_seconds: 3600,
            ..NewSource::default()
        };
        let (source, created) = store.add_source(&new).unwrap();
        assert!(created);
        let (again, created) = store
            .add_source(&NewSource {
                name: "other".into(),
                ..new.clone()
            })
            .unwrap();
        assert!(!created);
        assert_eq!((again.id, again.name.as_str()), (source.id, "تليكسبريس"));

        let now = Utc::now();
        assert_eq!(store.due_sources(now).unwrap().len(), 1, "a new source is due at once");
        let record = FetchRecord {
            at: now,
            error: Some("HTTP 500".into()),
            interval_seconds: 3600,
            next_fetch: now + chrono::Duration::seconds(600),
            ..FetchRecord::default()
        };
        store.record_fetch(source.id, &record).unwrap();
        store.record_fetch(source.id, &record).unwrap();
        let failing = store.source(source.id).unwrap().unwrap();
        assert_eq!(failing.health.failures, 2);
        assert_eq!(failing.health.last_error.as_deref(), Some("HTTP 500"));
        assert!(failing.health.last_success.is_none());
        assert!(store.due_sources(now).unwrap().is_empty());
        assert_eq!(
            store.due_sources(now + chrono::Duration::seconds(601)).unwrap().len(),
            1
        );

        store
            .record_fetch(
                source.id,
                &FetchRecord {
                    at: now,
                    etag: Some("\"v2\"".into()),
                    new_articles: 7,
                    next_fetch: now,
                    interval_seconds: 1800,
                    ..FetchRecord::default()
                },
            )
            .unwrap();
        let healthy = store.source_by_url("https://example.ma/rss").unwrap().unwrap();
        assert_eq!(
            (
                healthy.health.failures,
                healthy.health.last_error,
                healthy.health.articles,
                healthy.etag.as_deref()
            ),
            (0, None, 7, Some("\"v2\""))
        );
        assert_eq!(healthy.interval_seconds, 1800);

        assert!(store.remove_source(source.id).unwrap());
        assert!(!store.remove_source(source.id).unwrap());
        assert!(store.sources().unwrap().is_empty());
    }
}
