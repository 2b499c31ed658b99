//! Stories in the store: `story_articles` (each article's story and, for a copy, the id of
//! the article it copies) and `stories` (title, summary, time span, entities).

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
}

const TIME: &str = "COALESCE(a.date, a.ingested_at)";

/// An article's id, source and story.
pub type Brief = (String, Option<String>, Option<String>);

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

    /// Articles not assigned to a story yet, and the earliest time among them.
    pub fn unassigned_since(&self) -> Result<Option<i64>, Error> {
        let db = self.database();
        let earliest: Option<String> = db
            .connection
            .query_row(
                &format!(
                    "SELECT MIN({TIME}) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM story_articles s WHERE s.seq = a.seq)"
                ),
                [],
                |row| row.get(0),
            )
            .map_err(|e| db.wrap(e))?;
        Ok(earliest.map(|t| unix(&t)))
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
                    body: row.get(3)?,
                    source: row.get(4)?,
                    time: unix(&time),
                    entities: Vec::new(),
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        // Inputs come in sequence order: their mentions are one range of the table.
        if let (Some(first), Some(last)) = (inputs.first().map(|i| i.seq), inputs.last().map(|i| i.seq)) {
            let mut by_seq = db.entity_ids_between(first, last)?;
            for input in &mut inputs {
                input.entities = by_seq.remove(&input.seq).unwrap_or_default();
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
            let mut member = transaction
                .prepare_cached(
                    "INSERT INTO story_articles(seq, story, copy_of) VALUES(?1, ?2, ?3)
                     ON CONFLICT(seq) DO UPDATE SET story = excluded.story, copy_of = excluded.copy_of",
                )
                .map_err(wrap)?;
            let mut story = transaction
                .prepare_cached(
                    "INSERT INTO stories(id, title, summary, entities) VALUES(?1, ?2, ?3, ?4)
                     ON CONFLICT(id) DO UPDATE SET title = excluded.title, summary = excluded.summary, entities = excluded.entities",
                )
                .map_err(wrap)?;
            for update in stories {
                let entities = serde_json::to_string(&update.entities).unwrap_or_else(|_| "[]".into());
                story
                    .execute(params![update.id, update.title, update.summary, entities])
                    .map_err(wrap)?;
                for (seq, copy_of) in &update.members {
                    member.execute(params![seq, update.id, copy_of]).map_err(wrap)?;
                }
            }
            transaction
                .execute(
                    "DELETE FROM stories WHERE id NOT IN (SELECT DISTINCT story FROM story_articles)",
                    [],
                )
                .map_err(wrap)?;
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
            .prepare_cached(&format!(
                "SELECT s.story, MAX({TIME}) AS last FROM story_articles s JOIN articles a ON a.seq = s.seq
                 GROUP BY s.story HAVING ?1 IS NULL OR last >= ?1
                 ORDER BY last DESC, s.story LIMIT ?2 OFFSET ?3"
            ))
            .map_err(|e| db.wrap(e))?;
        let ids = statement
            .query_map(params![since, limit as i64, offset as i64], |row| {
                row.get::<_, String>(0)
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        ids.iter().filter_map(|id| self.story(id).transpose()).collect()
    }

    /// One story.
    pub fn story(&self, id: &str) -> Result<Option<Story>, Error> {
        let db = self.database();
        let head: Option<(String, String, String)> = db
            .connection
            .query_row(
                "SELECT title, summary, entities FROM stories WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()
            .map_err(|e| db.wrap(e))?;
        let Some((title, summary, entities)) = head else {
            return Ok(None);
        };
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

    /// For each sequence number, the article's id, source and story (one query).
    pub fn briefs(&self, seqs: &[i64]) -> Result<rustc_hash::FxHashMap<i64, Brief>, Error> {
        let db = self.database();
        let mut out = rustc_hash::FxHashMap::default();
        for chunk in seqs.chunks(500) {
            let placeholders = vec!["?"; chunk.len()].join(",");
            let sql = format!(
                "SELECT a.seq, a.id, a.source, s.story FROM articles a LEFT JOIN story_articles s ON s.seq = a.seq WHERE a.seq IN ({placeholders})"
            );
            let mut statement = db.connection.prepare(&sql).map_err(|e| db.wrap(e))?;
            let rows = statement
                .query_map(rusqlite::params_from_iter(chunk.iter()), |row| {
                    Ok((row.get::<_, i64>(0)?, (row.get(1)?, row.get(2)?, row.get(3)?)))
                })
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(|e| db.wrap(e))?;
            out.extend(rows);
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
