//! Stories in the store: `story_articles` (each article's story and, for a copy, the id of
//! the article it copies) and `stories` (title, summary, time span, entities).

use crate::packed::{Pack, Packed};
use crate::{Error, Store};
use akhbar_model::ArticleId;
use rusqlite::{params, OptionalExtension};

/// An article as the story step needs it.
#[derive(Debug, Clone)]
pub struct StoryInput {
    /// Database sequence number.
    pub seq: i64,
    /// Article id.
    pub id: ArticleId,
    /// Headline.
    pub title: String,
    /// Text.
    pub body: String,
    /// Outlet.
    pub source: Option<String>,
    /// Publication time, else ingestion time (Unix seconds).
    pub time: i64,
    /// Entity ids it mentions.
    pub entities: Vec<String>,
    /// Entity ids its title mentions.
    pub title_entities: Vec<String>,
}

/// One story. Field names are the `akhbar stories --json` contract.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Story {
    /// Stable id (from its first article).
    pub id: String,
    /// Representative headline.
    pub title: String,
    /// A few sentences from its articles.
    pub summary: String,
    /// Article ids, oldest first.
    pub articles: Vec<String>,
    /// Outlets, by first appearance.
    pub sources: Vec<String>,
    /// Time of its first article (RFC 3339).
    pub first_seen: String,
    /// Time of its latest article (RFC 3339).
    pub last_seen: String,
    /// Names of the entities most of its articles mention.
    pub entities: Vec<String>,
    /// Ids of related stories (other angles of its event), most related first.
    pub related: Vec<String>,
}

/// What the story step computed for one story.
#[derive(Debug, Clone)]
pub struct StoryUpdate {
    /// Story id.
    pub id: String,
    /// Representative headline.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Entity names.
    pub entities: Vec<String>,
    /// Members: (sequence number, id of the article it copies).
    pub members: Vec<(i64, Option<String>)>,
    /// Ids of related stories.
    pub related: Vec<String>,
}

const TIME: &str = "COALESCE(a.date, a.ingested_at)";

/// Meta key: every article up to this sequence number has a story.
const META_STORIES_DONE: &str = "stories_done_seq";

fn unix(text: &str) -> i64 {
    akhbar_model::parse_date(text).map(|d| d.timestamp()).unwrap_or(0)
}

impl Store {
    /// The latest article time (Unix seconds).
    pub fn latest_time(&self) -> Result<Option<i64>, Error> {
        let db = self.database();
        let latest: Option<String> = db
            .connection
            .query_row(&format!("SELECT MAX({TIME}) FROM articles a"), [], |row| row.get(0))
            .map_err(|e| db.wrap(e))?;
        Ok(latest.map(|t| unix(&t)))
    }

    /// The earliest article time (Unix seconds).
    pub fn earliest_time(&self) -> Result<Option<i64>, Error> {
        let db = self.database();
        let earliest: Option<String> = db
            .connection
            .query_row(&format!("SELECT MIN({TIME}) FROM articles a"), [], |row| row.get(0))
            .map_err(|e| db.wrap(e))?;
        Ok(earliest.map(|t| unix(&t)))
    }

    /// Articles not assigned to a story yet, and the earliest time among them. Only
    /// articles past the last completed story step ([`Store::stories_done_through`]) are
    /// looked at: the cost is the new articles', not the archive's.
    pub fn unassigned_since(&self) -> Result<Option<i64>, Error> {
        let db = self.database();
        let done: i64 = db
            .get_meta(META_STORIES_DONE)?
            .and_then(|seq| seq.parse().ok())
            .unwrap_or(0);
        let earliest: Option<String> = db
            .connection
            .query_row(
                &format!(
                    "SELECT MIN({TIME}) FROM articles a WHERE a.seq > ?1
                     AND NOT EXISTS (SELECT 1 FROM story_articles s WHERE s.seq = a.seq)"
                ),
                [done],
                |row| row.get(0),
            )
            .map_err(|e| db.wrap(e))?;
        Ok(earliest.map(|t| unix(&t)))
    }

    /// How many articles have no story yet (an ingest stopped before its story step, or an
    /// article stored by another writer since): the next write's story step places them.
    pub fn stories_pending(&self) -> Result<u64, Error> {
        let db = self.database();
        let done: i64 = db
            .get_meta(META_STORIES_DONE)?
            .and_then(|seq| seq.parse().ok())
            .unwrap_or(0);
        db.connection
            .query_row(
                "SELECT COUNT(*) FROM articles a WHERE a.seq > ?1
                 AND NOT EXISTS (SELECT 1 FROM story_articles s WHERE s.seq = a.seq)",
                [done],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(|e| db.wrap(e))
    }

    /// Records that every article up to sequence number `seq` has its story: the story
    /// step calls it when it completes, with the highest sequence number it started with.
    pub fn stories_done_through(&mut self, seq: i64) -> Result<(), Error> {
        self.database_mut().set_meta(META_STORIES_DONE, &seq.to_string())
    }

    /// The highest article sequence number.
    pub fn max_seq(&self) -> Result<i64, Error> {
        self.database().max_seq()
    }

    /// The articles published in `[since, until)` (Unix seconds; `None`: unbounded), and
    /// every article of the stories they belong to, with their entity ids.
    pub fn story_window(&self, since: Option<i64>, until: Option<i64>) -> Result<Vec<StoryInput>, Error> {
        let db = self.database();
        let text = |t: Option<i64>| {
            t.map(|s| {
                chrono::DateTime::from_timestamp(s, 0)
                    .unwrap_or_default()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            })
        };
        let (since_text, until_text) = (text(since), text(until));
        // The window's articles, and every member of a story one of them is in. Each part
        // reads through an index (`articles_time`, `story_articles_story`): the cost is the
        // window's, not the archive's.
        let in_window = "SELECT b.seq FROM articles b
             WHERE COALESCE(b.date, b.ingested_at) >= COALESCE(?1, '')
               AND COALESCE(b.date, b.ingested_at) < COALESCE(?2, '~')";
        let sql = format!(
            "SELECT a.seq, a.id, a.title, a.body, a.source, {TIME} FROM articles a
             WHERE a.seq IN (
                {in_window}
                UNION
                SELECT s2.seq FROM story_articles s2 WHERE s2.story IN (
                    SELECT s1.story FROM story_articles s1 WHERE s1.seq IN ({in_window})))
             ORDER BY a.seq"
        );
        let mut statement = db.connection.prepare(&sql).map_err(|e| db.wrap(e))?;
        let mut inputs = statement
            .query_map([&since_text, &until_text], |row| {
                let time: String = row.get(5)?;
                Ok(StoryInput {
                    seq: row.get(0)?,
                    id: ArticleId::new(row.get::<_, String>(1)?),
                    title: row.get(2)?,
                    body: row.get::<_, Packed>(3)?.0,
                    source: row.get(4)?,
                    time: unix(&time),
                    entities: Vec::new(),
                    title_entities: Vec::new(),
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        // Inputs come in sequence order: their mentions are one range of the table.
        if let (Some(first), Some(last)) = (inputs.first().map(|i| i.seq), inputs.last().map(|i| i.seq)) {
            let mut by_seq = db.entity_ids_with_title_between(first, last)?;
            for input in &mut inputs {
                (input.entities, input.title_entities) = by_seq.remove(&input.seq).unwrap_or_default();
            }
        }
        Ok(inputs)
    }

    /// Writes the stories computed over a window, in one transaction: every member's story
    /// and origin, the stories' rows, and drops stories left without articles.
    pub fn write_stories(&mut self, stories: &[StoryUpdate]) -> Result<(), Error> {
        let db = self.database_mut();
        let path = db.path().to_path_buf();
        let wrap = |source| Error::Database {
            path: path.clone(),
            source,
        };
        let transaction = db.connection.transaction().map_err(wrap)?;
        {
            let mut previous = transaction
                .prepare_cached("SELECT story FROM story_articles WHERE seq = ?1")
                .map_err(wrap)?;
            let mut member = transaction
                .prepare_cached(
                    "INSERT INTO story_articles(seq, story, copy_of) VALUES(?1, ?2, ?3)
                     ON CONFLICT(seq) DO UPDATE SET story = excluded.story, copy_of = excluded.copy_of",
                )
                .map_err(wrap)?;
            let mut story = transaction
                .prepare_cached(
                    "INSERT INTO stories(id, title, summary, entities, related) VALUES(?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT(id) DO UPDATE SET title = excluded.title, summary = excluded.summary,
                         entities = excluded.entities, related = excluded.related",
                )
                .map_err(wrap)?;
            // Every story that gains or loses an article: its latest time is recomputed, and
            // one left without articles is dropped. Only these change, so the cost is the
            // update's, not the archive's.
            let mut touched: rustc_hash::FxHashSet<String> = rustc_hash::FxHashSet::default();
            for update in stories {
                let entities = serde_json::to_string(&update.entities).unwrap_or_else(|_| "[]".into());
                let related = serde_json::to_string(&update.related).unwrap_or_else(|_| "[]".into());
                story
                    .execute(params![
                        update.id,
                        update.title,
                        Pack(&update.summary),
                        entities,
                        related
                    ])
                    .map_err(wrap)?;
                for (seq, copy_of) in &update.members {
                    let before: Option<String> =
                        previous.query_row([seq], |row| row.get(0)).optional().map_err(wrap)?;
                    touched.extend(before);
                    member.execute(params![seq, update.id, copy_of]).map_err(wrap)?;
                }
                touched.insert(update.id.clone());
            }
            let mut last = transaction
                .prepare_cached(&format!(
                    "UPDATE stories SET last = ({}) WHERE id = ?1",
                    crate::database::story_last("?1")
                ))
                .map_err(wrap)?;
            let mut empty = transaction
                .prepare_cached(
                    "DELETE FROM stories WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM story_articles WHERE story = ?1)",
                )
                .map_err(wrap)?;
            for id in &touched {
                if empty.execute([id]).map_err(wrap)? == 0 {
                    last.execute([id]).map_err(wrap)?;
                }
            }
        }
        transaction.commit().map_err(wrap)?;
        Ok(())
    }

    /// Stories whose latest article is at or after `since` (RFC 3339 or a day), newest
    /// first.
    pub fn stories(&self, since: Option<&str>, limit: usize, offset: usize) -> Result<Vec<Story>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached(
                "SELECT id FROM stories WHERE last >= COALESCE(?1, '')
                 ORDER BY last DESC, id DESC LIMIT ?2 OFFSET ?3",
            )
            .map_err(|e| db.wrap(e))?;
        let ids = statement
            .query_map(params![since, limit as i64, offset as i64], |row| {
                row.get::<_, String>(0)
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        ids.iter().filter_map(|id| self.story(id).transpose()).collect()
    }

    /// The stock shingles (see `akhbar_stories::Templates`) last seen on or after `day`
    /// (a Unix day number).
    pub fn stock_shingles(&self, day: i64) -> Result<Vec<u64>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached("SELECT hash FROM stock_shingles WHERE last_day >= ?1")
            .map_err(|e| db.wrap(e))?;
        statement
            .query_map([day], |row| row.get::<_, i64>(0))
            .and_then(|rows| rows.map(|r| r.map(|h| h as u64)).collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))
    }

    /// Records stock shingles seen on `day` (a Unix day number).
    pub fn add_stock_shingles(&mut self, shingles: &[u64], day: i64) -> Result<(), Error> {
        let db = self.database_mut();
        let path = db.path().to_path_buf();
        let wrap = |source| Error::Database {
            path: path.clone(),
            source,
        };
        let transaction = db.connection.transaction().map_err(wrap)?;
        {
            let mut insert = transaction
                .prepare_cached(
                    "INSERT INTO stock_shingles(hash, last_day) VALUES(?1, ?2)
                     ON CONFLICT(hash) DO UPDATE SET last_day = MAX(last_day, excluded.last_day)",
                )
                .map_err(wrap)?;
            for &hash in shingles {
                insert.execute(params![hash as i64, day]).map_err(wrap)?;
            }
        }
        transaction.commit().map_err(wrap)
    }

    /// One story.
    pub fn story(&self, id: &str) -> Result<Option<Story>, Error> {
        let db = self.database();
        let head: Option<(String, String, String, Option<String>)> = db
            .connection
            .query_row(
                "SELECT title, summary, entities, related FROM stories WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get::<_, Packed>(1)?.0, row.get(2)?, row.get(3)?)),
            )
            .optional()
            .map_err(|e| db.wrap(e))?;
        let Some((title, summary, entities, related)) = head else {
            return Ok(None);
        };
        // A related story regrouped since may be gone: only those that still exist.
        let mut exists = db
            .connection
            .prepare_cached("SELECT 1 FROM stories WHERE id = ?1")
            .map_err(|e| db.wrap(e))?;
        let mut related: Vec<String> = related.and_then(|r| serde_json::from_str(&r).ok()).unwrap_or_default();
        related.retain(|r: &String| r != id && exists.exists([r]).unwrap_or(false));
        let mut statement = db
            .connection
            .prepare_cached(&format!(
                "SELECT a.id, a.source, {TIME} AS t FROM story_articles s JOIN articles a ON a.seq = s.seq
                 WHERE s.story = ?1 ORDER BY t, a.id"
            ))
            .map_err(|e| db.wrap(e))?;
        let members = statement
            .query_map([id], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, String>(2)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        let mut sources: Vec<String> = Vec::new();
        for source in members.iter().filter_map(|(_, s, _)| s.clone()) {
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
        Ok(Some(Story {
            id: id.to_string(),
            title,
            summary,
            first_seen: members.first().map(|m| m.2.clone()).unwrap_or_default(),
            last_seen: members.iter().map(|m| m.2.clone()).max().unwrap_or_default(),
            articles: members.into_iter().map(|m| m.0).collect(),
            sources,
            entities: serde_json::from_str(&entities).unwrap_or_default(),
            related,
        }))
    }

    /// An article's story and the id of the article it copies (`None`: an original).
    pub fn story_of(&self, id: &str) -> Result<Option<(String, Option<String>)>, Error> {
        let db = self.database();
        db.connection
            .query_row(
                "SELECT s.story, s.copy_of FROM story_articles s JOIN articles a ON a.seq = s.seq WHERE a.id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| db.wrap(e))
    }

    /// The story of each of these articles that has one, by sequence number. Reads only
    /// `story_articles` (small rows), never the articles' text.
    pub fn stories_of(&self, seqs: &[i64]) -> Result<rustc_hash::FxHashMap<i64, String>, Error> {
        let db = self.database();
        let mut out = rustc_hash::FxHashMap::default();
        let mut statement = db
            .connection
            .prepare_cached("SELECT story FROM story_articles WHERE seq = ?1")
            .map_err(|e| db.wrap(e))?;
        for &seq in seqs {
            let story: Option<String> = statement
                .query_row([seq], |row| row.get(0))
                .optional()
                .map_err(|e| db.wrap(e))?;
            out.extend(story.map(|story| (seq, story)));
        }
        Ok(out)
    }

    /// Number of articles in a story.
    pub fn story_size(&self, id: &str) -> Result<u64, Error> {
        let db = self.database();
        db.connection
            .prepare_cached("SELECT COUNT(*) FROM story_articles WHERE story = ?1")
            .and_then(|mut s| s.query_row([id], |row| row.get::<_, i64>(0)))
            .map(|n| n as u64)
            .map_err(|e| db.wrap(e))
    }

    /// Number of stories.
    pub fn story_count(&self) -> Result<u64, Error> {
        let db = self.database();
        db.connection
            .query_row("SELECT COUNT(*) FROM stories", [], |row| row.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| db.wrap(e))
    }
}
