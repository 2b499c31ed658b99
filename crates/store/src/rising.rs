//! What is rising: the entities named in far more of the last 24 hours' articles than their
//! usual share of the four weeks before, and the stories that gained the most outlets in
//! those hours.
//!
//! The counts come from `entity_hours` (articles per entity per hour and outlet: the window's
//! few thousand rows), `entity_days` (per UTC day: each candidate's baseline is a range of
//! at most [`BASELINE_DAYS`] rows) and `article_days` (the four weeks' volume), which the
//! writers of articles and mentions keep ([`Attention`]), so that the query never reads the
//! mentions, or counts the articles, of four weeks.

use crate::{Error, Store};
use akhbar_entities::Kind;
use chrono::{DateTime, Duration, SecondsFormat, Timelike, Utc};
use rusqlite::{params, OptionalExtension};

/// Hours the count looks back.
pub const WINDOW_HOURS: i64 = 24;
/// Days before the window that make the baseline.
pub const BASELINE_DAYS: i64 = 28;
/// Articles in the window an entity needs to rise at all: one stray mention does not.
pub const MIN_ARTICLES: u64 = 3;
/// Outlets that must name it in the window: a name only one outlet prints (its own
/// reporter's byline, its columnist) is not news rising.
pub const MIN_SOURCES: u64 = 2;
/// Score an entity needs to be listed.
pub const MIN_SCORE: f64 = 2.0;
/// Entities and stories listed at most.
pub const LISTED: usize = 20;

/// An entity far above its usual attention. Field names are the `/api/rising` contract.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RisingEntity {
    /// Id.
    pub id: String,
    /// Arabic name.
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub kind: Kind,
    /// Articles that name it in the window.
    pub count: u64,
    /// Articles that would name it in the window at its usual share of the news: its share
    /// of the articles of the four weeks before, times the window's articles.
    pub baseline: f64,
    /// How far above the baseline: `(count − baseline) / √(baseline + 1)`, a Poisson
    /// deviation that lets a name seldom seen rise on a handful of articles and asks a name
    /// seen daily for many more.
    pub score: f64,
}

/// A story that outlets joined in the window.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RisingStory {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Outlets in the story up to the end of the window.
    pub sources: u64,
    /// Outlets whose first article in the story falls in the window.
    pub new_sources: u64,
}

/// What is rising at one moment. Field names are the `/api/rising` and `akhbar rising
/// --json` contract (`at` besides: the end of the window, RFC 3339).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Rising {
    /// The end of the window.
    pub at: String,
    /// Entities, highest score first.
    pub entities: Vec<RisingEntity>,
    /// Stories, most new outlets first.
    pub stories: Vec<RisingStory>,
}

/// The score of `count` articles in the window against `baseline`, the articles expected in
/// it at the usual share.
pub fn burst_score(count: u64, baseline: f64) -> f64 {
    (count as f64 - baseline) / (baseline + 1.0).sqrt()
}

/// Changes to `entity_days` and `entity_hours` gathered over a batch of written mentions, and
/// written once per key at its end.
#[derive(Default)]
pub(crate) struct Attention {
    articles: rustc_hash::FxHashMap<String, i64>,
    days: rustc_hash::FxHashMap<(String, String), i64>,
    hours: rustc_hash::FxHashMap<(String, String, String), i64>,
}

impl Attention {
    /// Counts an article of time `time` (RFC 3339) and outlet `source` `by` times (−1 takes
    /// it back) in its day, and for each entity it names, once per entity.
    pub(crate) fn count<'a>(
        &mut self,
        time: &str,
        source: Option<&str>,
        entities: impl Iterator<Item = &'a str>,
        by: i64,
    ) {
        let (day, hour) = (time.get(..10).unwrap_or(time), time.get(..13).unwrap_or(time));
        *self.articles.entry(day.to_string()).or_default() += by;
        let mut seen = rustc_hash::FxHashSet::default();
        for entity in entities {
            if seen.insert(entity) {
                *self.days.entry((entity.to_string(), day.to_string())).or_default() += by;
                *self
                    .hours
                    .entry((hour.to_string(), entity.to_string(), source.unwrap_or("").to_string()))
                    .or_default() += by;
            }
        }
    }

    /// Writes the changes inside the caller's transaction.
    pub(crate) fn write(self, connection: &rusqlite::Connection) -> rusqlite::Result<()> {
        let mut articles = connection.prepare_cached(
            "INSERT INTO article_days(day, articles) VALUES(?1, ?2)
             ON CONFLICT(day) DO UPDATE SET articles = articles + excluded.articles",
        )?;
        for (day, n) in self.articles.into_iter().filter(|(_, n)| *n != 0) {
            articles.execute(params![day, n])?;
        }
        let mut days = connection.prepare_cached(
            "INSERT INTO entity_days(entity, day, articles) VALUES(?1, ?2, ?3)
             ON CONFLICT(entity, day) DO UPDATE SET articles = articles + excluded.articles",
        )?;
        for ((entity, day), n) in self.days.into_iter().filter(|(_, n)| *n != 0) {
            days.execute(params![entity, day, n])?;
        }
        let mut hours = connection.prepare_cached(
            "INSERT INTO entity_hours(hour, entity, source, articles) VALUES(?1, ?2, ?3, ?4)
             ON CONFLICT(hour, entity, source) DO UPDATE SET articles = articles + excluded.articles",
        )?;
        for ((hour, entity, source), n) in self.hours.into_iter().filter(|(_, n)| *n != 0) {
            hours.execute(params![hour, entity, source, n])?;
        }
        Ok(())
    }
}

fn rfc3339(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Store {
    /// What is rising in the 24 hours up to `at` (by default the latest article's time, or
    /// now if that is later: an archive shows its last day), taken to the hour before it.
    pub fn rising(&self, at: Option<DateTime<Utc>>) -> Result<Rising, Error> {
        let db = self.database();
        let time_of = |sql: &str| -> Result<Option<String>, Error> {
            db.connection
                .query_row(sql, [], |row| row.get(0))
                .map_err(|e| db.wrap(e))
        };
        let at = match at {
            Some(at) => at,
            None => time_of("SELECT MAX(COALESCE(date, ingested_at)) FROM articles INDEXED BY articles_time")?
                .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                // The hour that holds the latest article, whole.
                .map(|t| t.with_timezone(&Utc) + Duration::hours(1))
                .unwrap_or_else(Utc::now)
                .min(Utc::now()),
        };
        // Whole hours: the window is the 24 hours that end at `at`'s hour.
        let at = at
            .with_minute(0)
            .and_then(|t| t.with_second(0))
            .and_then(|t| t.with_nanosecond(0))
            .unwrap_or(at);
        let from = at - Duration::hours(WINDOW_HOURS);
        let hour = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H").to_string();
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let (from_text, at_text) = (rfc3339(from), rfc3339(at));
        // The baseline: whole days before the window's first day, from the store's first day
        // on (an archive's first weeks have no four weeks before them).
        let window_day = from.date_naive();
        let store_day = time_of("SELECT MIN(COALESCE(date, ingested_at)) FROM articles INDEXED BY articles_time")?
            .as_deref()
            .and_then(|t| t.get(..10))
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .unwrap_or(window_day);
        let baseline_from = (window_day - Duration::days(BASELINE_DAYS)).max(store_day);
        // Articles in the window and in the baseline's days: a name's usual share of the
        // news, times the window's articles, is what it would have on an ordinary day of
        // this volume (a day with twice the articles names everything twice as often).
        let mut volume = db
            .connection
            .prepare_cached(
                "SELECT COUNT(*) FROM articles INDEXED BY articles_time
                 WHERE COALESCE(date, ingested_at) >= ?1 AND COALESCE(date, ingested_at) < ?2",
            )
            .map_err(|e| db.wrap(e))?;
        let in_window: i64 = volume
            .query_row(params![from_text, at_text], |row| row.get(0))
            .map_err(|e| db.wrap(e))?;
        let in_baseline: i64 = db
            .connection
            .prepare_cached("SELECT COALESCE(SUM(articles), 0) FROM article_days WHERE day >= ?1 AND day < ?2")
            .and_then(|mut days| days.query_row(params![day(baseline_from), day(window_day)], |row| row.get(0)))
            .map_err(|e| db.wrap(e))?;
        let scale = in_window as f64 / in_baseline.max(1) as f64;

        // Each name's articles and outlets in the window, from the hours' rows.
        let mut rows = db
            .connection
            .prepare_cached("SELECT entity, source, articles FROM entity_hours WHERE hour >= ?1 AND hour < ?2")
            .map_err(|e| db.wrap(e))?;
        // Outlets as small numbers, names looked up before they are copied: a day has a few
        // thousand rows.
        let mut outlet_numbers: rustc_hash::FxHashMap<String, u32> = rustc_hash::FxHashMap::default();
        let mut window: rustc_hash::FxHashMap<String, (u64, Vec<u32>)> = rustc_hash::FxHashMap::default();
        let mut read = rows.query(params![hour(from), hour(at)]).map_err(|e| db.wrap(e))?;
        while let Some(row) = read.next().map_err(|e| db.wrap(e))? {
            let text = |k: usize| -> Result<&str, Error> {
                row.get_ref(k)
                    .and_then(|v| v.as_str().map_err(rusqlite::Error::from))
                    .map_err(|e| db.wrap(e))
            };
            let (entity, source) = (text(0)?, text(1)?);
            let articles: i64 = row.get(2).map_err(|e| db.wrap(e))?;
            let next = outlet_numbers.len() as u32;
            let outlet = match outlet_numbers.get(source) {
                Some(&n) => n,
                None => *outlet_numbers.entry(source.to_string()).or_insert(next),
            };
            let entry = match window.get_mut(entity) {
                Some(entry) => entry,
                None => window.entry(entity.to_string()).or_default(),
            };
            entry.0 += articles.max(0) as u64;
            if !entry.1.contains(&outlet) {
                entry.1.push(outlet);
            }
        }
        let mut candidates: Vec<(String, u64)> = window
            .into_iter()
            .filter(|(_, (n, sources))| *n >= MIN_ARTICLES && sources.len() as u64 >= MIN_SOURCES)
            .map(|(id, (n, _))| (id, n))
            .collect();
        // Most articles first: a name's score is at most its count, so once the count is
        // below the last listed score nothing further can be listed.
        candidates.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut baseline = db
            .connection
            .prepare_cached(
                "SELECT COALESCE(SUM(articles), 0) FROM entity_days WHERE entity = ?1 AND day >= ?2 AND day < ?3",
            )
            .map_err(|e| db.wrap(e))?;
        let mut scored: Vec<(f64, String, u64, f64)> = Vec::new();
        for (id, count) in candidates {
            if scored.len() >= LISTED && (count as f64) < scored[LISTED - 1].0 {
                break;
            }
            let before: i64 = baseline
                .query_row(params![id, day(baseline_from), day(window_day)], |row| row.get(0))
                .map_err(|e| db.wrap(e))?;
            let usual = before as f64 * scale;
            let score = burst_score(count, usual);
            if score >= MIN_SCORE {
                scored.push((score, id, count, usual));
                scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
                scored.truncate(LISTED);
            }
        }
        let mut name = db
            .connection
            .prepare_cached("SELECT name, type FROM entities WHERE id = ?1")
            .map_err(|e| db.wrap(e))?;
        let mut entities = Vec::new();
        for (score, id, count, usual) in scored {
            let (name, kind): (String, String) = name
                .query_row([&id], |row| Ok((row.get(0)?, row.get(1)?)))
                .map_err(|e| db.wrap(e))?;
            entities.push(RisingEntity {
                id,
                name,
                kind: Kind::parse(&kind).unwrap_or(Kind::Misc),
                count,
                baseline: (usual * 100.0).round() / 100.0,
                score: (score * 100.0).round() / 100.0,
            });
        }

        // Stories with articles of two outlets or more in the window: the outlets that had
        // not reported them before it are new.
        let mut rows = db
            .connection
            .prepare_cached(
                "SELECT s.story, a.source FROM articles a INDEXED BY articles_time
                 JOIN story_articles s ON s.seq = a.seq
                 WHERE COALESCE(a.date, a.ingested_at) >= ?1 AND COALESCE(a.date, a.ingested_at) < ?2
                     AND a.source IS NOT NULL",
            )
            .map_err(|e| db.wrap(e))?;
        let mut outlets: rustc_hash::FxHashMap<String, rustc_hash::FxHashSet<String>> =
            rustc_hash::FxHashMap::default();
        let mut read = rows.query(params![from_text, at_text]).map_err(|e| db.wrap(e))?;
        while let Some(row) = read.next().map_err(|e| db.wrap(e))? {
            let story: String = row.get(0).map_err(|e| db.wrap(e))?;
            let source: String = row.get(1).map_err(|e| db.wrap(e))?;
            outlets.entry(story).or_default().insert(source);
        }
        let mut earlier = db
            .connection
            .prepare_cached(
                // The members' times from an index: only earlier members' rows are read.
                "SELECT DISTINCT a.source FROM articles a WHERE a.source IS NOT NULL AND a.seq IN (
                     SELECT s.seq FROM story_articles s JOIN articles b INDEXED BY articles_seq_time ON b.seq = s.seq
                     WHERE s.story = ?1 AND COALESCE(b.date, b.ingested_at) < ?2)",
            )
            .map_err(|e| db.wrap(e))?;
        let mut gained: Vec<(String, u64, u64)> = Vec::new();
        for (story, sources) in outlets.into_iter().filter(|(_, s)| s.len() >= 2) {
            let before: rustc_hash::FxHashSet<String> = earlier
                .query_map(params![story, from_text], |row| row.get(0))
                .and_then(|rows| rows.collect())
                .map_err(|e| db.wrap(e))?;
            let new = sources.difference(&before).count() as u64;
            if new >= 2 {
                let all = sources.union(&before).count() as u64;
                gained.push((story, all, new));
            }
        }
        gained.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then_with(|| a.0.cmp(&b.0)));
        gained.truncate(LISTED);
        let mut title = db
            .connection
            .prepare_cached("SELECT title FROM stories WHERE id = ?1")
            .map_err(|e| db.wrap(e))?;
        let mut stories = Vec::new();
        for (id, sources, new_sources) in gained {
            let title: String = title
                .query_row([&id], |row| row.get(0))
                .optional()
                .map_err(|e| db.wrap(e))?
                .unwrap_or_default();
            stories.push(RisingStory {
                id,
                title,
                sources,
                new_sources,
            });
        }
        Ok(Rising {
            at: at_text,
            entities,
            stories,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::burst_score;

    #[test]
    fn a_rare_name_rises_on_few_articles_a_daily_one_needs_many() {
        // (count, baseline, rises above 2)
        let cases = [
            (5, 0.0, true),
            (3, 0.1, true),
            (2, 0.5, false),
            (60, 50.0, false),
            (100, 50.0, true),
            (10, 10.0, false),
        ];
        for (count, baseline, rises) in cases {
            assert_eq!(burst_score(count, baseline) >= 2.0, rises, "{count} against {baseline}");
        }
    }
}
