//! The SQLite metadata database: articles and store-wide facts.

use crate::packed::{Pack, Packed};
use crate::Error;
use crate::NewArticle;
use akhbar_model::{Article, ArticleId};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};

pub struct Database {
    pub(crate) connection: Connection,
    path: PathBuf,
}

/// An article row.
pub struct Row {
    pub seq: i64,
    pub id: ArticleId,
    pub article: Article,
    pub origin: Option<String>,
    pub ingested_at: String,
    /// Ids of the entities the article mentions (for the index).
    pub entities: Vec<String>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    source TEXT,
    url TEXT,
    date TEXT,
    author TEXT,
    origin TEXT,
    ingested_at TEXT NOT NULL,
    raw_body TEXT
);
CREATE TABLE IF NOT EXISTS boilerplate (
    source TEXT NOT NULL,
    line TEXT NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (source, line)
);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
-- Publication time, or ingestion time for undated articles: every time window (stories,
-- the front page, date filters) reads through it instead of scanning the articles.
CREATE INDEX IF NOT EXISTS articles_time ON articles(COALESCE(date, ingested_at), source);
-- An article's time without reading its row (bodies spill into overflow pages): counts and
-- pages over many articles (an entity's timeline and its latest articles) read this.
CREATE INDEX IF NOT EXISTS articles_seq_time ON articles(seq, date, ingested_at);
-- A source's articles, newest first.
CREATE INDEX IF NOT EXISTS articles_source_time ON articles(source, COALESCE(date, ingested_at));
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    english TEXT,
    romanized TEXT NOT NULL,
    skeleton TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entities_skeleton ON entities(skeleton);
CREATE TABLE IF NOT EXISTS story_articles (
    seq INTEGER PRIMARY KEY,
    story TEXT NOT NULL,
    copy_of TEXT
);
CREATE INDEX IF NOT EXISTS story_articles_story ON story_articles(story);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    entities TEXT NOT NULL,
    -- Time of the story's latest article, kept by write_stories: the front page reads the
    -- newest stories through stories_last instead of grouping every story's articles.
    last TEXT,
    -- Ids of related stories (other angles of the event), as JSON.
    related TEXT
);
-- Stock text: word 4-gram hashes that an outlet repeated on different days (the fixed
-- sentences of cables, forecasts, receptions), learned by the story step, with the last day
-- (Unix day number) they were seen.
CREATE TABLE IF NOT EXISTS stock_shingles (
    hash INTEGER PRIMARY KEY,
    last_day INTEGER NOT NULL
) WITHOUT ROWID;
-- Webhook deliveries per follow (`alerts.rs`), and the articles each follow was told of.
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    follow INTEGER NOT NULL,
    channel TEXT NOT NULL DEFAULT 'webhook',
    time TEXT NOT NULL,
    delivered INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    status INTEGER,
    error TEXT,
    articles TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_follow ON deliveries(follow, id);
CREATE TABLE IF NOT EXISTS notified (
    follow INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (follow, seq)
) WITHOUT ROWID;
-- Accounts: argon2 password hashes (PHC strings), never the password.
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    password TEXT NOT NULL,
    created TEXT NOT NULL
);
-- Logged-in clients: the SHA-256 of their token (a stolen database holds no usable token),
-- and the token that guards their writes (the Google Reader API's `T`).
CREATE TABLE IF NOT EXISTS user_sessions (
    token_hash TEXT PRIMARY KEY,
    user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    write_token TEXT NOT NULL,
    created TEXT NOT NULL
) WITHOUT ROWID;
-- A reader's state of an article: read, starred. No row is unread and not starred.
CREATE TABLE IF NOT EXISTS item_state (
    user INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    site TEXT,
    language TEXT,
    direction TEXT,
    category TEXT,
    added TEXT NOT NULL,
    interval_seconds INTEGER NOT NULL,
    next_fetch TEXT,
    etag TEXT,
    last_modified TEXT,
    last_fetch TEXT,
    last_success TEXT,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0
);
";

/// The columns of `mentions`, created after [`SCHEMA`] (and by [`mentions_without_rowid`]
/// for older stores). Without a rowid: the rows are their key, kept once (a rowid table kept
/// the key a second time in its primary-key index).
/// What each reader follows. `user` 0 holds the follows made before accounts existed; the
/// first account takes them. `label` is the reader's folder, `from_seq` the first article
/// the follow's reading list holds (the latest few at the time it was followed, then all);
/// the webhook and e-mail digest of its alerts, and how far each was told (`alerts.rs`).
const FOLLOWS_COLUMNS: &str = "(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    created TEXT NOT NULL,
    label TEXT,
    title TEXT,
    from_seq INTEGER,
    notify_url TEXT,
    notify_secret TEXT,
    notified_seq INTEGER,
    email TEXT,
    email_every INTEGER,
    emailed_seq INTEGER,
    emailed_at TEXT,
    UNIQUE (user, kind, target)
)";

const MENTIONS_COLUMNS: &str = "(
    seq INTEGER NOT NULL,
    entity TEXT NOT NULL,
    part TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (seq, part, start, entity)
) WITHOUT ROWID";

/// The time of the latest article of the story `story` (an SQL expression), read through
/// `articles_seq_time`: the members' rows, bodies included, are not read.
pub(crate) fn story_last(story: &str) -> String {
    format!(
        "SELECT MAX(COALESCE(a.date, a.ingested_at)) FROM story_articles s
         JOIN articles a INDEXED BY articles_seq_time ON a.seq = s.seq WHERE s.story = {story}"
    )
}

impl Database {
    pub fn open(path: &Path) -> Result<Database, Error> {
        let wrap = |source| Error::Database {
            path: path.to_path_buf(),
            source,
        };
        let connection = Connection::open(path).map_err(wrap)?;
        // WAL: readers never block the writer; NORMAL sync is durable against a killed
        // process (only an OS crash can lose the last transactions).
        connection
            .execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;")
            .map_err(wrap)?;
        connection.execute_batch(SCHEMA).map_err(wrap)?;
        connection
            .execute_batch(&format!(
                "CREATE TABLE IF NOT EXISTS mentions {MENTIONS_COLUMNS};
                 CREATE TABLE IF NOT EXISTS follows {FOLLOWS_COLUMNS};
                 CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity, seq);"
            ))
            .map_err(wrap)?;
        // Format 1 stores had no raw_body column.
        add_column_once(
            &connection,
            "articles",
            "raw_body",
            "ALTER TABLE articles ADD COLUMN raw_body TEXT",
        )
        .map_err(wrap)?;
        // Older stores have no stories.last column: add it, then fill any story without it
        // (all of them after the upgrade; an older binary's after it wrote some).
        add_column_once(
            &connection,
            "stories",
            "last",
            "ALTER TABLE stories ADD COLUMN last TEXT",
        )
        .map_err(wrap)?;
        add_column_once(
            &connection,
            "stories",
            "related",
            "ALTER TABLE stories ADD COLUMN related TEXT",
        )
        .map_err(wrap)?;
        add_entity_counts(&connection).map_err(wrap)?;
        // Stores written before mentions lost their rowid and text was compressed: rebuild
        // and compress, then give the space back.
        let rebuilt = mentions_without_rowid(&connection).map_err(wrap)?;
        if crate::packed::migrate(&connection).map_err(wrap)? > 0 || rebuilt {
            tracing::info!("{}: mentions rebuilt and article text compressed", path.display());
            if let Err(error) = connection.execute_batch("VACUUM") {
                tracing::warn!("{}: not compacted after compressing text: {error}", path.display());
            }
        }
        add_entity_days(&connection).map_err(wrap)?;
        add_article_days(&connection).map_err(wrap)?;
        time_index_with_source(&connection).map_err(wrap)?;
        follows_per_user(&connection).map_err(wrap)?;
        connection
            .execute_batch(&format!(
                "CREATE INDEX IF NOT EXISTS stories_last ON stories(last, id);
                 UPDATE stories SET last = ({}) WHERE last IS NULL;",
                story_last("stories.id")
            ))
            .map_err(wrap)?;
        Ok(Database {
            connection,
            path: path.to_path_buf(),
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn wrap(&self, source: rusqlite::Error) -> Error {
        Error::Database {
            path: self.path.clone(),
            source,
        }
    }

    pub fn get_meta(&self, key: &str) -> Result<Option<String>, Error> {
        self.connection
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| row.get(0))
            .optional()
            .map_err(|e| self.wrap(e))
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), Error> {
        self.connection
            .execute(
                "INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(|_| ())
            .map_err(|e| self.wrap(e))
    }

    /// Inserts the articles that are not there yet, in one transaction; returns the rows
    /// inserted (with their sequence numbers) and how many were already present.
    pub fn insert_new(&mut self, articles: Vec<NewArticle>) -> Result<(Vec<Row>, usize), Error> {
        let ingested_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let transaction = self.connection.transaction().map_err(|e| Error::Database {
            path: self.path.clone(),
            source: e,
        })?;
        let mut inserted = Vec::new();
        let mut existing = 0;
        {
            let mut statement = transaction
                .prepare_cached(
                    "INSERT INTO articles(id, title, body, source, url, date, author, origin, ingested_at, raw_body)
                     VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(id) DO NOTHING",
                )
                .map_err(|e| Error::Database {
                    path: self.path.clone(),
                    source: e,
                })?;
            let mut entity_statement = transaction.prepare_cached(INSERT_ENTITY).map_err(|e| Error::Database {
                path: self.path.clone(),
                source: e,
            })?;
            let mut mention_statement = transaction
                .prepare_cached(INSERT_MENTION)
                .map_err(|e| Error::Database {
                    path: self.path.clone(),
                    source: e,
                })?;
            let mut attention = crate::rising::Attention::default();
            for NewArticle {
                id,
                article,
                origin,
                raw_body,
                entities,
            } in articles
            {
                let date = article
                    .date
                    .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
                let changed = statement
                    .execute(params![
                        id.as_str(),
                        article.title,
                        Pack(&article.body),
                        article.source,
                        article.url,
                        date,
                        article.author,
                        origin,
                        ingested_at,
                        raw_body.as_deref().map(Pack)
                    ])
                    .map_err(|e| Error::Database {
                        path: self.path.clone(),
                        source: e,
                    })?;
                if changed == 0 {
                    existing += 1;
                } else {
                    let seq = transaction.last_insert_rowid();
                    attention.count(
                        date.as_deref().unwrap_or(&ingested_at),
                        article.source.as_deref(),
                        entities.iter().map(|e| e.id.as_str()),
                        1,
                    );
                    crate::entities::insert(seq, &entities, &mut entity_statement, &mut mention_statement).map_err(
                        |e| Error::Database {
                            path: self.path.clone(),
                            source: e,
                        },
                    )?;
                    inserted.push(Row {
                        seq,
                        id,
                        article,
                        origin,
                        ingested_at: ingested_at.clone(),
                        entities: entities.into_iter().map(|e| e.id).collect(),
                    });
                }
            }
            attention.write(&transaction).map_err(|e| Error::Database {
                path: self.path.clone(),
                source: e,
            })?;
        }
        transaction.commit().map_err(|e| Error::Database {
            path: self.path.clone(),
            source: e,
        })?;
        Ok((inserted, existing))
    }

    fn row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        let date: Option<String> = row.get(6)?;
        Ok(Row {
            seq: row.get(0)?,
            id: ArticleId::new(row.get::<_, String>(1)?),
            article: Article {
                title: row.get(2)?,
                body: row.get::<_, Packed>(3)?.0,
                source: row.get(4)?,
                url: row.get(5)?,
                date: date.and_then(|d| akhbar_model::parse_date(&d).ok()),
                author: row.get(7)?,
            },
            origin: row.get(8)?,
            ingested_at: row.get(9)?,
            entities: Vec::new(),
        })
    }

    const COLUMNS: &'static str = "seq, id, title, body, source, url, date, author, origin, ingested_at";

    pub fn get(&self, id: &str) -> Result<Option<Row>, Error> {
        self.connection
            .query_row(
                &format!("SELECT {} FROM articles WHERE id = ?1", Self::COLUMNS),
                [id],
                Self::row,
            )
            .optional()
            .map_err(|e| self.wrap(e))
    }

    pub fn get_by_seq(&self, seq: i64) -> Result<Option<Row>, Error> {
        self.connection
            .prepare_cached(&format!("SELECT {} FROM articles WHERE seq = ?1", Self::COLUMNS))
            .and_then(|mut statement| statement.query_row([seq], Self::row).optional())
            .map_err(|e| self.wrap(e))
    }

    /// Calls `f` with every row after `after_seq`, in order, `batch` rows at a time.
    pub fn for_each_after(
        &self,
        after_seq: i64,
        batch: usize,
        f: &mut dyn FnMut(Vec<Row>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut last = after_seq;
        loop {
            let rows = self.rows_after(last, batch)?;
            let Some(tail) = rows.last() else {
                return Ok(());
            };
            last = tail.seq;
            f(rows)?;
        }
    }

    /// Up to `limit` rows after `after_seq`, in order, with their entity ids.
    pub fn rows_after(&self, after_seq: i64, limit: usize) -> Result<Vec<Row>, Error> {
        let mut statement = self
            .connection
            .prepare_cached(&format!(
                "SELECT {} FROM articles WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                Self::COLUMNS
            ))
            .map_err(|e| self.wrap(e))?;
        let mut rows = statement
            .query_map(params![after_seq, limit as i64], Self::row)
            .map_err(|e| self.wrap(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.wrap(e))?;
        self.attach_entities(&mut rows)?;
        Ok(rows)
    }

    /// For each new article (id not stored yet) with a source, counts one more article of the
    /// source opening or closing with each of its edge lines, in one transaction; returns each
    /// line's article count, or `None` for an article already stored.
    pub fn observe_edge_lines(
        &mut self,
        observations: &[(&str, &str, Vec<String>)],
    ) -> Result<Vec<Option<Vec<u64>>>, Error> {
        let path = self.path.clone();
        let wrap = |source| Error::Database {
            path: path.clone(),
            source,
        };
        let transaction = self.connection.transaction().map_err(wrap)?;
        let mut out = Vec::with_capacity(observations.len());
        {
            let mut exists = transaction
                .prepare_cached("SELECT 1 FROM articles WHERE id = ?1")
                .map_err(wrap)?;
            let mut count = transaction
                .prepare_cached(
                    "INSERT INTO boilerplate(source, line, articles) VALUES(?1, ?2, 1)
                     ON CONFLICT(source, line) DO UPDATE SET articles = articles + 1 RETURNING articles",
                )
                .map_err(wrap)?;
            for (id, source, lines) in observations {
                if exists.exists([id]).map_err(wrap)? {
                    out.push(None);
                    continue;
                }
                let mut counts = Vec::with_capacity(lines.len());
                for line in lines {
                    let n: i64 = count.query_row(params![source, line], |row| row.get(0)).map_err(wrap)?;
                    counts.push(n as u64);
                }
                out.push(Some(counts));
            }
        }
        transaction.commit().map_err(wrap)?;
        Ok(out)
    }

    /// The original body of an article whose boilerplate was removed, if any was.
    pub fn raw_body(&self, id: &str) -> Result<Option<String>, Error> {
        self.connection
            .query_row("SELECT raw_body FROM articles WHERE id = ?1", [id], |row| {
                row.get::<_, Option<Packed>>(0)
            })
            .optional()
            .map(|raw| raw.flatten().map(|raw| raw.0))
            .map_err(|e| self.wrap(e))
    }

    pub fn max_seq(&self) -> Result<i64, Error> {
        self.connection
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |row| row.get(0))
            .map_err(|e| self.wrap(e))
    }

    pub fn contains(&self, id: &str) -> Result<bool, Error> {
        self.connection
            .prepare_cached("SELECT 1 FROM articles WHERE id = ?1")
            .and_then(|mut statement| statement.exists([id]))
            .map_err(|e| self.wrap(e))
    }

    /// Every article's sequence number, in order.
    pub fn all_seqs(&self) -> Result<Vec<i64>, Error> {
        let mut statement = self
            .connection
            .prepare("SELECT seq FROM articles ORDER BY seq")
            .map_err(|e| self.wrap(e))?;
        let seqs = statement
            .query_map([], |row| row.get(0))
            .map_err(|e| self.wrap(e))?
            .collect::<Result<Vec<i64>, _>>()
            .map_err(|e| self.wrap(e))?;
        Ok(seqs)
    }

    /// SQLite's own check of the database file: `"ok"`, or its first complaints.
    pub fn integrity_check(&self) -> Result<String, Error> {
        let mut statement = self
            .connection
            .prepare("PRAGMA integrity_check(10)")
            .map_err(|e| self.wrap(e))?;
        let lines = statement
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(|e| self.wrap(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.wrap(e))?;
        Ok(lines.join("; "))
    }

    pub fn count(&self) -> Result<u64, Error> {
        self.connection
            .query_row("SELECT COUNT(*) FROM articles", [], |row| row.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.wrap(e))
    }

    /// Articles of one source (through the source index: the cost is that source's).
    pub fn source_count(&self, source: &str) -> Result<u64, Error> {
        self.connection
            .query_row("SELECT COUNT(*) FROM articles WHERE source = ?1", [source], |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(|e| self.wrap(e))
    }

    /// Article counts per source, largest first (`None` for articles without a source).
    pub fn source_counts(&self) -> Result<Vec<(Option<String>, u64)>, Error> {
        let mut statement = self
            .connection
            .prepare("SELECT source, COUNT(*) FROM articles GROUP BY source ORDER BY COUNT(*) DESC, source")
            .map_err(|e| self.wrap(e))?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)))
            .map_err(|e| self.wrap(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.wrap(e))?;
        Ok(rows)
    }

    /// Earliest and latest article dates (RFC 3339).
    pub fn date_range(&self) -> Result<(Option<String>, Option<String>), Error> {
        self.connection
            .query_row("SELECT MIN(date), MAX(date) FROM articles", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .map_err(|e| self.wrap(e))
    }
}

/// An article's entity, written by ingest and by re-annotation: a record without an English
/// name gives way to one with it (an entity first met through a tagger's mention, then
/// through its gazetteer name), otherwise the first record stays.
pub(crate) const INSERT_ENTITY: &str =
    "INSERT INTO entities(id, name, type, english, romanized, skeleton) VALUES(?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, english = excluded.english,
         romanized = excluded.romanized, skeleton = excluded.skeleton
     WHERE entities.english IS NULL AND excluded.english IS NOT NULL";

/// One mention of an entity in an article.
pub(crate) const INSERT_MENTION: &str =
    "INSERT OR IGNORE INTO mentions(seq, entity, part, start, end, text) VALUES(?1, ?2, ?3, ?4, ?5, ?6)";

/// Runs `migration` unless `done` says it ran, in one `BEGIN IMMEDIATE` transaction that
/// asks again inside it (another process may be doing the same), so a store is migrated
/// exactly once and never half-way. Returns whether it ran.
fn migrate_once(
    connection: &Connection,
    done: impl Fn() -> rusqlite::Result<bool>,
    migration: &str,
) -> rusqlite::Result<bool> {
    if done()? {
        return Ok(false);
    }
    connection.execute_batch("BEGIN IMMEDIATE")?;
    let migrated = (|| {
        let run = !done()?;
        if run {
            connection.execute_batch(migration)?;
        }
        connection.execute_batch("COMMIT")?;
        Ok(run)
    })();
    if migrated.is_err() {
        let _ = connection.execute_batch("ROLLBACK");
    }
    migrated
}

/// Runs `migration` once, unless `table` already has `column` ([`migrate_once`]).
fn add_column_once(connection: &Connection, table: &str, column: &str, migration: &str) -> rusqlite::Result<()> {
    let has_column = || {
        connection
            .prepare("SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2")
            .and_then(|mut statement| statement.exists([table, column]))
    };
    migrate_once(connection, has_column, migration).map(|_| ())
}

/// The triggers that keep each entity's counts as mentions come and go.
pub(crate) const MENTION_TRIGGERS: &str = "
         CREATE TRIGGER mentions_counted_in AFTER INSERT ON mentions BEGIN
             UPDATE entities SET
                 mention_count = mention_count + 1,
                 article_count = article_count
                     + (SELECT COUNT(*) = 1 FROM mentions WHERE entity = NEW.entity AND seq = NEW.seq)
             WHERE id = NEW.entity;
         END;
         CREATE TRIGGER mentions_counted_out AFTER DELETE ON mentions BEGIN
             UPDATE entities SET
                 mention_count = mention_count - 1,
                 article_count = article_count
                     - NOT EXISTS (SELECT 1 FROM mentions WHERE entity = OLD.entity AND seq = OLD.seq)
             WHERE id = OLD.entity;
         END;";

/// Mentions kept without a rowid ([`MENTIONS_COLUMNS`]): an older store's table is rebuilt once, with
/// its index and triggers, in one transaction. Returns whether it was.
fn mentions_without_rowid(connection: &Connection) -> rusqlite::Result<bool> {
    let compact = || -> rusqlite::Result<bool> {
        let sql: String = connection.query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'mentions'",
            [],
            |row| row.get(0),
        )?;
        Ok(sql.contains("WITHOUT ROWID"))
    };
    migrate_once(
        connection,
        compact,
        &format!(
            "CREATE TABLE mentions_compact {MENTIONS_COLUMNS};
             INSERT INTO mentions_compact SELECT seq, entity, part, start, end, text FROM mentions;
             DROP TABLE mentions;
             ALTER TABLE mentions_compact RENAME TO mentions;
             CREATE INDEX mentions_entity ON mentions(entity, seq);
             {MENTION_TRIGGERS}"
        ),
    )
}

/// Each entity's mention and article counts, kept by triggers on `mentions` so that listing
/// entities by attention reads one row per entity instead of grouping every mention (3.3 s
/// at a million articles). Older stores gain the columns, their values and the triggers in
/// one transaction ([`add_column_once`]).
fn add_entity_counts(connection: &Connection) -> rusqlite::Result<()> {
    add_column_once(
        connection,
        "entities",
        "article_count",
        &format!(
            "ALTER TABLE entities ADD COLUMN mention_count INTEGER NOT NULL DEFAULT 0;
         ALTER TABLE entities ADD COLUMN article_count INTEGER NOT NULL DEFAULT 0;
         UPDATE entities SET
             mention_count = (SELECT COUNT(*) FROM mentions WHERE entity = entities.id),
             article_count = (SELECT COUNT(DISTINCT seq) FROM mentions WHERE entity = entities.id);
         {MENTION_TRIGGERS}"
        ),
    )?;
    connection.execute_batch("CREATE INDEX IF NOT EXISTS entities_attention ON entities(article_count DESC, id);")
}

/// Articles per entity per UTC day of the article's time (`entity_days`, the baseline of what
/// is rising) and per hour and outlet (`entity_hours`, its last 24 hours: a day's few
/// thousand rows instead of every mention of the day's articles), for `Store::rising`. Kept
/// by the writers of mentions ([`crate::rising::Attention`], once per key and batch: a
/// trigger per mention made the whole ingest a quarter slower). Older stores gain the tables
/// and their rows in one transaction.
fn add_entity_days(connection: &Connection) -> rusqlite::Result<()> {
    let exists = || table_exists(connection, "entity_hours");
    migrate_once(
        connection,
        exists,
        "CREATE TABLE entity_days (
             entity TEXT NOT NULL,
             day TEXT NOT NULL,
             articles INTEGER NOT NULL,
             PRIMARY KEY (entity, day)
         ) WITHOUT ROWID;
         CREATE TABLE entity_hours (
             hour TEXT NOT NULL,
             entity TEXT NOT NULL,
             source TEXT NOT NULL,
             articles INTEGER NOT NULL,
             PRIMARY KEY (hour, entity, source)
         ) WITHOUT ROWID;
         INSERT INTO entity_days(entity, day, articles)
             SELECT m.entity, substr(COALESCE(a.date, a.ingested_at), 1, 10), COUNT(DISTINCT m.seq)
             FROM mentions m JOIN articles a ON a.seq = m.seq
             GROUP BY 1, 2;
         INSERT INTO entity_hours(hour, entity, source, articles)
             SELECT substr(COALESCE(a.date, a.ingested_at), 1, 13), m.entity, COALESCE(a.source, ''),
                 COUNT(DISTINCT m.seq)
             FROM mentions m JOIN articles a ON a.seq = m.seq
             GROUP BY 1, 2, 3;",
    )
    .map(|_| ())
}

/// Whether the store has this table.
fn table_exists(connection: &Connection, name: &str) -> rusqlite::Result<bool> {
    connection
        .prepare_cached("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1")
        .and_then(|mut statement| statement.exists([name]))
}

/// Articles per UTC day of their time (`article_days`): the four weeks' volume that what is
/// rising scales its baselines by, read as 28 rows instead of counting a month of articles.
/// Kept with `entity_days` ([`crate::rising::Attention`]); older stores gain it once.
fn add_article_days(connection: &Connection) -> rusqlite::Result<()> {
    let exists = || table_exists(connection, "article_days");
    migrate_once(
        connection,
        exists,
        "CREATE TABLE article_days (
             day TEXT PRIMARY KEY,
             articles INTEGER NOT NULL
         ) WITHOUT ROWID;
         INSERT INTO article_days(day, articles)
             SELECT substr(COALESCE(date, ingested_at), 1, 10), COUNT(*) FROM articles GROUP BY 1;",
    )
    .map(|_| ())
}

/// `articles_time` carries each article's outlet, so that what is rising reads a day's outlets
/// from the index alone; an older store's index (time only) is made again once.
fn time_index_with_source(connection: &Connection) -> rusqlite::Result<()> {
    let current = || -> rusqlite::Result<bool> {
        let sql: Option<String> = connection
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'articles_time'",
                [],
                |row| row.get(0),
            )
            .optional()?;
        Ok(sql.is_some_and(|sql| sql.contains("source")))
    };
    migrate_once(
        connection,
        current,
        "DROP INDEX IF EXISTS articles_time;
         CREATE INDEX articles_time ON articles(COALESCE(date, ingested_at), source);",
    )
    .map(|_| ())
}

/// Follows belong to a reader ([`FOLLOWS_COLUMNS`]): an older store's table, unique on
/// (kind, target), is made again once with its rows as the follows of no account yet (user 0).
fn follows_per_user(connection: &Connection) -> rusqlite::Result<()> {
    add_column_once(
        connection,
        "follows",
        "user",
        &format!(
            "CREATE TABLE follows_per_user {FOLLOWS_COLUMNS};
         INSERT INTO follows_per_user(id, user, kind, target, created)
             SELECT id, 0, kind, target, created FROM follows;
         -- Ids of removed follows are not given again (feeds and logs name follows by id).
         UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'follows'), 0))
             WHERE name = 'follows_per_user';
         DROP TABLE follows;
         ALTER TABLE follows_per_user RENAME TO follows;"
        ),
    )
}
