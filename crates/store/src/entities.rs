//! Entities in the store: the `entities` table (one row per entity: name, type, English name,
//! romanized form and consonant skeleton) and `mentions` (where each article names each).

use crate::database::{Database, Row};
use crate::{Error, Store};
use akhbar_entities::{skeleton, Entity, EntityMention, Kind, Part};
use rusqlite::{params, CachedStatement, OptionalExtension};

/// Writes an article's entities inside the caller's transaction.
pub(crate) fn insert(
    seq: i64,
    entities: &[Entity],
    entity_statement: &mut CachedStatement<'_>,
    mention_statement: &mut CachedStatement<'_>,
) -> rusqlite::Result<()> {
    for entity in entities {
        let skeleton = entity
            .english
            .as_deref()
            .map_or_else(|| skeleton(&entity.name), skeleton);
        entity_statement.execute(params![
            entity.id,
            entity.name,
            entity.kind.code(),
            entity.english,
            entity.romanized,
            skeleton
        ])?;
        for mention in &entity.mentions {
            mention_statement.execute(params![
                seq,
                entity.id,
                mention.part.as_str(),
                mention.start as i64,
                mention.end as i64,
                mention.text
            ])?;
        }
    }
    Ok(())
}

/// An entity with its counts across the store. Field names are the `akhbar entities --json`
/// contract.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EntitySummary {
    /// Id.
    pub id: String,
    /// Arabic name.
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub kind: Kind,
    /// English name when known.
    pub english: Option<String>,
    /// Latin transcription.
    pub romanized: String,
    /// Mentions in all articles.
    pub mentions: u64,
    /// Articles that mention it.
    pub articles: u64,
}

impl Database {
    /// Entity ids of the articles with sequence numbers in `first..=last`.
    pub(crate) fn entity_ids_between(
        &self,
        first: i64,
        last: i64,
    ) -> Result<rustc_hash::FxHashMap<i64, Vec<String>>, Error> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT DISTINCT seq, entity FROM mentions WHERE seq BETWEEN ?1 AND ?2")
            .map_err(|e| self.wrap(e))?;
        let rows = statement
            .query_map(params![first, last], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(|e| self.wrap(e))?;
        let mut by_seq: rustc_hash::FxHashMap<i64, Vec<String>> = rustc_hash::FxHashMap::default();
        for row in rows {
            let (seq, entity) = row.map_err(|e| self.wrap(e))?;
            by_seq.entry(seq).or_default().push(entity);
        }
        Ok(by_seq)
    }

    /// The entity ids each article in a range of sequence numbers mentions, and those its
    /// title mentions.
    #[allow(clippy::type_complexity)]
    pub(crate) fn entity_ids_with_title_between(
        &self,
        first: i64,
        last: i64,
    ) -> Result<rustc_hash::FxHashMap<i64, (Vec<String>, Vec<String>)>, Error> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT seq, entity, MAX(part = 'title') FROM mentions WHERE seq BETWEEN ?1 AND ?2 GROUP BY seq, entity",
            )
            .map_err(|e| self.wrap(e))?;
        let rows = statement
            .query_map(params![first, last], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, bool>(2)?))
            })
            .map_err(|e| self.wrap(e))?;
        let mut by_seq: rustc_hash::FxHashMap<i64, (Vec<String>, Vec<String>)> = rustc_hash::FxHashMap::default();
        for row in rows {
            let (seq, entity, title) = row.map_err(|e| self.wrap(e))?;
            let (all, titles) = by_seq.entry(seq).or_default();
            if title {
                titles.push(entity.clone());
            }
            all.push(entity);
        }
        Ok(by_seq)
    }

    /// Fills `entities` of each row (rows in sequence order) from the mentions table.
    pub(crate) fn attach_entities(&self, rows: &mut [Row]) -> Result<(), Error> {
        let (Some(first), Some(last)) = (rows.first().map(|r| r.seq), rows.last().map(|r| r.seq)) else {
            return Ok(());
        };
        let mut by_seq = self.entity_ids_between(first, last)?;
        for row in rows.iter_mut() {
            row.entities = by_seq.remove(&row.seq).unwrap_or_default();
        }
        Ok(())
    }
}

fn summary(row: &rusqlite::Row<'_>) -> rusqlite::Result<EntitySummary> {
    let kind: String = row.get(2)?;
    Ok(EntitySummary {
        id: row.get(0)?,
        name: row.get(1)?,
        kind: Kind::parse(&kind).unwrap_or(Kind::Misc),
        english: row.get(3)?,
        romanized: row.get(4)?,
        mentions: row.get::<_, i64>(5)? as u64,
        articles: row.get::<_, i64>(6)? as u64,
    })
}

/// Entities with their counts (kept by triggers on `mentions`); only those mentioned.
const SUMMARY: &str = "SELECT id, name, type, english, romanized, mention_count, article_count
     FROM entities WHERE article_count > 0";

impl Store {
    /// Entities by the number of articles that mention them (most first), optionally of one
    /// type.
    pub fn entities(&self, kind: Option<Kind>, limit: usize) -> Result<Vec<EntitySummary>, Error> {
        let db = self.database();
        let sql = format!("{SUMMARY} AND (?1 IS NULL OR type = ?1) ORDER BY article_count DESC, id LIMIT ?2");
        let mut statement = db.connection.prepare_cached(&sql).map_err(|e| db.wrap(e))?;
        let rows = statement
            .query_map(params![kind.map(Kind::code), limit as i64], summary)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows)
    }

    /// Names of entities by id (those known).
    pub fn entity_names(&self, ids: &[String]) -> Result<rustc_hash::FxHashMap<String, String>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached("SELECT name FROM entities WHERE id = ?1")
            .map_err(|e| db.wrap(e))?;
        let mut names = rustc_hash::FxHashMap::default();
        for id in ids {
            if let Some(name) = statement
                .query_row([id], |row| row.get::<_, String>(0))
                .optional()
                .map_err(|e| db.wrap(e))?
            {
                names.insert(id.clone(), name);
            }
        }
        Ok(names)
    }

    /// One entity with its counts.
    pub fn entity(&self, id: &str) -> Result<Option<EntitySummary>, Error> {
        let db = self.database();
        let sql = format!("{SUMMARY} AND id = ?1");
        let mut statement = db.connection.prepare_cached(&sql).map_err(|e| db.wrap(e))?;
        let mut rows = statement
            .query_map([id], summary)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows.pop())
    }

    /// Every mention of an entity, in article order: the article's id and the mention.
    pub fn entity_mentions(&self, entity: &str) -> Result<Vec<(String, EntityMention)>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached(
                "SELECT a.id, m.part, m.start, m.end, m.text FROM mentions m JOIN articles a ON a.seq = m.seq
                 WHERE m.entity = ?1 ORDER BY m.seq, m.part DESC, m.start",
            )
            .map_err(|e| db.wrap(e))?;
        let rows = statement
            .query_map([entity], |row| {
                let part: String = row.get(1)?;
                Ok((
                    row.get::<_, String>(0)?,
                    EntityMention {
                        start: row.get::<_, i64>(2)? as usize,
                        end: row.get::<_, i64>(3)? as usize,
                        text: row.get(4)?,
                        part: if part == "title" { Part::Title } else { Part::Body },
                    },
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows)
    }

    /// The entities of one stored article, with their mentions, in order of first mention
    /// (title first).
    pub fn article_entities(&self, id: &str) -> Result<Vec<Entity>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached(
                "SELECT e.id, e.name, e.type, e.english, e.romanized, m.part, m.start, m.end, m.text
                 FROM articles a JOIN mentions m ON m.seq = a.seq JOIN entities e ON e.id = m.entity
                 WHERE a.id = ?1 ORDER BY m.part DESC, m.start",
            )
            .map_err(|e| db.wrap(e))?;
        let rows = statement
            .query_map([id], |row| {
                let kind: String = row.get(2)?;
                let part: String = row.get(5)?;
                Ok((
                    Entity {
                        id: row.get(0)?,
                        name: row.get(1)?,
                        kind: Kind::parse(&kind).unwrap_or(Kind::Misc),
                        english: row.get(3)?,
                        romanized: row.get(4)?,
                        mentions: Vec::new(),
                    },
                    EntityMention {
                        start: row.get::<_, i64>(6)? as usize,
                        end: row.get::<_, i64>(7)? as usize,
                        text: row.get(8)?,
                        part: if part == "title" { Part::Title } else { Part::Body },
                    },
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        let mut entities: Vec<Entity> = Vec::new();
        for (entity, mention) in rows {
            match entities.iter_mut().find(|e| e.id == entity.id) {
                Some(known) => known.mentions.push(mention),
                None => {
                    let mut entity = entity;
                    entity.mentions.push(mention);
                    entities.push(entity);
                }
            }
        }
        Ok(entities)
    }

    /// Entity ids whose English name or consonant skeleton matches a Latin word
    /// (`Blinken` → `antony-blinken`): how a search in Latin letters finds Arabic articles.
    pub fn entities_for_latin(&self, word: &str) -> Result<Vec<String>, Error> {
        let key = skeleton(word);
        if key.chars().count() < 3 {
            return Ok(Vec::new());
        }
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached("SELECT id, english FROM entities WHERE skeleton = ?1 OR english IS NOT NULL")
            .map_err(|e| db.wrap(e))?;
        let lower = word.to_lowercase();
        let rows = statement
            .query_map([&key], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows
            .into_iter()
            .filter(|(_, english)| {
                english.as_deref().is_none_or(|english| {
                    english
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| w.to_lowercase() == lower || (w.len() > 3 && skeleton(w) == key))
                })
            })
            .map(|(id, _)| id)
            .collect())
    }

    /// Replaces the entities of the article with sequence number `seq` (re-annotation after
    /// a model upgrade; the index is rebuilt afterwards by [`Store::reindex`]).
    pub fn replace_entities(&mut self, batch: &[(i64, Vec<Entity>)]) -> Result<(), Error> {
        let db = self.database_mut();
        let path = db.path().to_path_buf();
        let path_error = |source| Error::Database {
            path: path.clone(),
            source,
        };
        let transaction = db.connection.transaction().map_err(path_error)?;
        {
            let mut delete = transaction
                .prepare_cached("DELETE FROM mentions WHERE seq = ?1")
                .map_err(path_error)?;
            let mut entity_statement = transaction
                .prepare_cached(crate::database::INSERT_ENTITY)
                .map_err(path_error)?;
            let mut mention_statement = transaction
                .prepare_cached(crate::database::INSERT_MENTION)
                .map_err(path_error)?;
            let mut before = transaction
                .prepare_cached(
                    "SELECT COALESCE(a.date, a.ingested_at), a.source, m.entity
                     FROM articles a LEFT JOIN mentions m ON m.seq = a.seq WHERE a.seq = ?1",
                )
                .map_err(path_error)?;
            let mut attention = crate::rising::Attention::default();
            for (seq, entities) in batch {
                // What the article counted for before, taken back; what it names now, counted.
                let rows: Vec<(String, Option<String>, Option<String>)> = before
                    .query_map([seq], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                    .and_then(|rows| rows.collect())
                    .map_err(path_error)?;
                if let Some((time, source, _)) = rows.first() {
                    attention.count(time, source.as_deref(), rows.iter().filter_map(|r| r.2.as_deref()), -1);
                    attention.count(time, source.as_deref(), entities.iter().map(|e| e.id.as_str()), 1);
                }
                delete.execute([seq]).map_err(path_error)?;
                insert(*seq, entities, &mut entity_statement, &mut mention_statement).map_err(path_error)?;
            }
            attention.write(&transaction).map_err(path_error)?;
        }
        transaction.commit().map_err(path_error)?;
        Ok(())
    }
}
