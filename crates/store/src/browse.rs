//! Queries for reading the archive page by page: an entity's articles, stories, daily
//! mentions and companions; a source's articles; follows; settings.

use crate::{Error, Store, Story};
use rusqlite::{params, OptionalExtension};

/// An article in a list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ArticleSummary {
    /// Id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Outlet.
    pub source: Option<String>,
    /// Publication (else ingestion) time, RFC 3339.
    pub time: String,
    /// Its story.
    pub story: Option<String>,
}

/// Something a reader follows. Field names are part of the JSON API.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Follow {
    /// Id.
    pub id: i64,
    /// `source`, `entity` or `search`.
    pub kind: String,
    /// Source id, entity id or query.
    pub target: String,
    /// When it was added (RFC 3339).
    pub created: String,
    /// The reader's folder for it (an account's own: not in the site's JSON).
    #[serde(skip)]
    pub label: Option<String>,
    /// The reader's name for it (likewise).
    #[serde(skip)]
    pub title: Option<String>,
    /// The first article of its reading list ([`crate::accounts`]); `None` until an account has it.
    #[serde(skip)]
    pub from_seq: Option<i64>,
}

/// The columns [`follow_row`] reads.
pub(crate) const FOLLOW_COLUMNS: &str = "id, kind, target, created, label, title, from_seq";

pub(crate) fn follow_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Follow> {
    Ok(Follow {
        id: row.get(0)?,
        kind: row.get(1)?,
        target: row.get(2)?,
        created: row.get(3)?,
        label: row.get(4)?,
        title: row.get(5)?,
        from_seq: row.get(6)?,
    })
}

/// The follows of the site (its pages, API and feeds): the first account's, or before
/// accounts, those of nobody (user 0). An SQL expression.
const SITE_USER: &str = "COALESCE((SELECT MIN(id) FROM users), 0)";

const TIME: &str = "COALESCE(a.date, a.ingested_at)";

fn summary(row: &rusqlite::Row<'_>) -> rusqlite::Result<ArticleSummary> {
    Ok(ArticleSummary {
        id: row.get(0)?,
        title: row.get(1)?,
        source: row.get(2)?,
        time: row.get(3)?,
        story: row.get(4)?,
    })
}

impl Store {
    /// Makes changes committed by another handle (a writer) visible to this one.
    pub fn refresh(&self) -> Result<(), Error> {
        self.index().refresh()
    }

    /// Latest articles that mention an entity.
    pub fn entity_articles(&self, entity: &str, limit: usize, offset: usize) -> Result<Vec<ArticleSummary>, Error> {
        // The page is chosen through `articles_seq_time` (seq and time only), so only its
        // own rows are read, whatever the number of articles that mention the entity.
        self.article_list(
            &format!(
                "SELECT a.id, a.title, a.source, {TIME} AS t, s.story FROM articles a LEFT JOIN story_articles s ON s.seq = a.seq
                 WHERE a.seq IN (
                    SELECT p.seq FROM articles p INDEXED BY articles_seq_time
                    WHERE p.seq IN (SELECT seq FROM mentions WHERE entity = ?1)
                    ORDER BY COALESCE(p.date, p.ingested_at) DESC, p.seq DESC LIMIT ?2 OFFSET ?3)
                 ORDER BY t DESC, a.id"
            ),
            entity,
            limit,
            offset,
        )
    }

    /// Articles that name `outlet` as their source.
    pub fn outlet_articles(&self, outlet: &str) -> Result<u64, Error> {
        self.database().source_count(outlet)
    }

    /// The outlets the archive's articles name (their `source`), with their articles, most
    /// first: whether or not akhbar polls them.
    pub fn outlets(&self) -> Result<Vec<(String, u64)>, Error> {
        Ok(self
            .database()
            .source_counts()?
            .into_iter()
            .filter_map(|(name, n)| name.map(|name| (name, n)))
            .collect())
    }

    /// Latest articles of a source.
    pub fn source_articles(&self, source: &str, limit: usize, offset: usize) -> Result<Vec<ArticleSummary>, Error> {
        // Read newest first through `articles_source_time`: the cost is the page's.
        self.article_list(
            &format!(
                "SELECT a.id, a.title, a.source, {TIME} AS t, s.story FROM articles a LEFT JOIN story_articles s ON s.seq = a.seq
                 WHERE a.source = ?1 ORDER BY t DESC, a.seq DESC LIMIT ?2 OFFSET ?3"
            ),
            source,
            limit,
            offset,
        )
    }

    fn article_list(&self, sql: &str, key: &str, limit: usize, offset: usize) -> Result<Vec<ArticleSummary>, Error> {
        let db = self.database();
        let mut statement = db.connection.prepare_cached(sql).map_err(|e| db.wrap(e))?;
        let rows = statement
            .query_map(params![key, limit as i64, offset as i64], summary)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows)
    }

    /// Articles that mention an entity, per day (`YYYY-MM-DD`, count), oldest first.
    pub fn entity_daily(&self, entity: &str) -> Result<Vec<(String, u64)>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached(&format!(
                "SELECT substr({TIME}, 1, 10) AS day, COUNT(DISTINCT a.seq)
                 FROM mentions m JOIN articles a INDEXED BY articles_seq_time ON a.seq = m.seq
                 WHERE m.entity = ?1 GROUP BY day ORDER BY day"
            ))
            .map_err(|e| db.wrap(e))?;
        let rows = statement
            .query_map([entity], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows)
    }

    /// The entities most often mentioned in the same articles as `entity`: (id, name, type,
    /// shared articles), over the last 5,000 articles stored that mention it (an entity of a
    /// million-article archive can be in hundreds of thousands).
    pub fn entity_companions(&self, entity: &str, limit: usize) -> Result<Vec<(String, String, String, u64)>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached(
                "SELECT e.id, e.name, e.type, COUNT(DISTINCT m.seq) AS n FROM mentions m JOIN entities e ON e.id = m.entity
                 WHERE m.seq IN (SELECT DISTINCT seq FROM mentions WHERE entity = ?1 ORDER BY seq DESC LIMIT 5000) AND m.entity != ?1
                 GROUP BY e.id ORDER BY n DESC, e.id LIMIT ?2",
            )
            .map_err(|e| db.wrap(e))?;
        let rows = statement
            .query_map(params![entity, limit as i64], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get::<_, i64>(3)? as u64))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows)
    }

    /// Latest stories with an article that mentions the entity, among the stories of the
    /// last 5,000 articles stored that mention it.
    pub fn entity_stories(&self, entity: &str, limit: usize) -> Result<Vec<Story>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached(
                "SELECT id FROM stories WHERE id IN (
                    SELECT s.story FROM story_articles s
                    WHERE s.seq IN (SELECT DISTINCT seq FROM mentions WHERE entity = ?1 ORDER BY seq DESC LIMIT 5000))
                 ORDER BY last DESC, id DESC LIMIT ?2",
            )
            .map_err(|e| db.wrap(e))?;
        let ids = statement
            .query_map(params![entity, limit as i64], |row| row.get::<_, String>(0))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        ids.iter().filter_map(|id| self.story(id).transpose()).collect()
    }

    /// Everything the site follows (the first account's follows), oldest first.
    pub fn follows(&self) -> Result<Vec<Follow>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached(&format!(
                "SELECT {FOLLOW_COLUMNS} FROM follows WHERE user = {SITE_USER} ORDER BY id"
            ))
            .map_err(|e| db.wrap(e))?;
        let rows = statement
            .query_map([], follow_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows)
    }

    /// Follows a source, an entity or a search for the site (the first account, if any);
    /// following the same thing twice returns the first follow.
    pub fn add_follow(&mut self, kind: &str, target: &str) -> Result<Follow, Error> {
        let site: i64 = {
            let db = self.database();
            db.connection
                .query_row(&format!("SELECT {SITE_USER}"), [], |row| row.get(0))
                .map_err(|e| db.wrap(e))?
        };
        if site == 0 {
            // No account yet: the reading list starts when the first account takes it.
            let db = self.database();
            db.connection
                .execute(
                    "INSERT OR IGNORE INTO follows(user, kind, target, created) VALUES(0, ?1, ?2, ?3)",
                    params![
                        kind,
                        target,
                        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    ],
                )
                .map_err(|e| db.wrap(e))?;
            return db
                .connection
                .query_row(
                    &format!("SELECT {FOLLOW_COLUMNS} FROM follows WHERE user = 0 AND kind = ?1 AND target = ?2"),
                    params![kind, target],
                    follow_row,
                )
                .map_err(|e| db.wrap(e));
        }
        self.follow_for(site, kind, target, None, None)
    }

    /// Stops one of the site's follows; returns whether it existed.
    pub fn remove_follow(&mut self, id: i64) -> Result<bool, Error> {
        let db = self.database();
        let n = db
            .connection
            .execute(
                &format!("DELETE FROM follows WHERE id = ?1 AND user = {SITE_USER}"),
                [id],
            )
            .map_err(|e| db.wrap(e))?;
        Ok(n == 1)
    }

    /// A setting stored with the data (`admin_token_hash`...).
    pub fn setting(&self, key: &str) -> Result<Option<String>, Error> {
        self.database().get_meta(&format!("setting.{key}"))
    }

    /// Stores a setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), Error> {
        self.database().set_meta(&format!("setting.{key}"), value)
    }

    /// One source by name (the `source` of its articles).
    pub fn source_by_name(&self, name: &str) -> Result<Option<akhbar_model::Source>, Error> {
        Ok(self.sources()?.into_iter().find(|s| s.name == name))
    }

    /// The headline, outlet, time and story of the article with this sequence number.
    pub fn summary_of_seq(&self, seq: i64) -> Result<Option<ArticleSummary>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached(&format!(
                "SELECT a.id, a.title, a.source, {TIME} AS t, s.story FROM articles a LEFT JOIN story_articles s ON s.seq = a.seq
                 WHERE a.seq = ?1"
            ))
            .map_err(|e| db.wrap(e))?;
        statement.query_row([seq], summary).optional().map_err(|e| db.wrap(e))
    }

    /// Whether an article exists, and its sequence number.
    pub fn article_seq(&self, id: &str) -> Result<Option<i64>, Error> {
        let db = self.database();
        db.connection
            .query_row("SELECT seq FROM articles WHERE id = ?1", [id], |row| row.get(0))
            .optional()
            .map_err(|e| db.wrap(e))
    }
}
