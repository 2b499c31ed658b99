//! Accounts and what each reader keeps: users with argon2-hashed passwords, login sessions,
//! follows per reader with folders, and the read and starred state of articles.
//!
//! A follow's *reading list* is the articles it matches from the [`FIRST_ITEMS`] latest at the
//! time it was followed on (so following an outlet with ten years of archive does not bring
//! ten years of unread articles); a saved search's is its [`SEARCH_ITEMS`] best matches among
//! those. An item is unread until its reader marks it read.

use crate::browse::{follow_row, FOLLOW_COLUMNS};
use crate::{Error, Follow, Store};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::{params, OptionalExtension};
use sha2::Digest;
use std::io::Read;

/// A reader's account. Field names are part of the JSON output.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    /// Id (the first account is 1, and owns the follows made before accounts existed).
    pub id: i64,
    /// Login name.
    pub name: String,
    /// When it was made (RFC 3339).
    pub created: String,
}

/// An article in a reader's lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The article's database sequence number (the Google Reader API's item id).
    pub seq: i64,
    /// The article's id.
    pub id: String,
    /// Publication (else ingestion) time, RFC 3339.
    pub time: String,
    /// When akhbar stored it, RFC 3339 (what reader apps sync by: a late article with an
    /// old date is still new to them).
    pub ingested: String,
    /// Marked read by the reader.
    pub read: bool,
    /// Starred by the reader.
    pub starred: bool,
    /// The reader's follows whose reading list holds it.
    pub follows: Vec<i64>,
}

/// Articles a follow's reading list starts with: the latest this many when it was followed.
pub const FIRST_ITEMS: usize = 50;
/// Articles of one follow a reading list holds at most (its latest): the cost of a sync is
/// bounded whatever the archive and however long ago the follow was made.
pub const LIST_ITEMS: usize = 1000;
/// Best matches of a saved search that its reading list holds.
pub const SEARCH_ITEMS: usize = 500;
/// Longest login name, in bytes.
const MAX_NAME: usize = 64;
/// Shortest password, in characters.
pub const MIN_PASSWORD: usize = 8;
/// Longest password, in bytes (argon2 takes any length; a megabyte of password is an attack).
const MAX_PASSWORD: usize = 1024;

/// How long a login lasts (apps log in again when told 401).
pub const SESSION_DAYS: i64 = 90;

/// The oldest session still valid, as stored (RFC 3339, UTC, to the second).
fn session_cutoff() -> String {
    (chrono::Utc::now() - chrono::Duration::days(SESSION_DAYS)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `n` bytes from the system's random source, as hex.
fn random_hex(n: usize) -> Result<String, Error> {
    let mut bytes = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| Error::Account {
            reason: format!("no system randomness (/dev/urandom): {e}"),
        })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn sha256_hex(text: &str) -> String {
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn hash_password(password: &str) -> Result<String, Error> {
    let salt_bytes = random_hex(16)?;
    let salt = SaltString::encode_b64(salt_bytes.as_bytes()).map_err(|e| Error::Account {
        reason: format!("salt: {e}"),
    })?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Account {
            reason: format!("password hash: {e}"),
        })
}

fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

fn check_password(password: &str) -> Result<(), Error> {
    if password.chars().count() < MIN_PASSWORD || password.len() > MAX_PASSWORD {
        return Err(Error::Account {
            reason: format!("password: {MIN_PASSWORD} characters at least, {MAX_PASSWORD} bytes at most"),
        });
    }
    Ok(())
}

/// A login name: 1 to 64 bytes, no spaces or control characters (an e-mail address will do).
fn check_name(name: &str) -> Result<(), Error> {
    if name.is_empty() || name.len() > MAX_NAME || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::Account {
            reason: format!("user name {name:?}: 1 to {MAX_NAME} bytes without spaces or control characters"),
        });
    }
    Ok(())
}

/// The writers here touch only the database (SQLite serializes them), so any handle may
/// run them, a server's reading handles included.
impl Store {
    /// Makes an account. The first one takes the follows made before accounts existed.
    pub fn add_user(&mut self, name: &str, password: &str) -> Result<User, Error> {
        check_name(name)?;
        check_password(password)?;
        let hash = hash_password(password)?;
        let db = self.database();
        let created = now();
        let tx = db.connection.unchecked_transaction().map_err(|e| db.wrap(e))?;
        let taken: bool = tx
            .query_row("SELECT EXISTS(SELECT 1 FROM users WHERE name = ?1)", [name], |row| {
                row.get(0)
            })
            .map_err(|e| db.wrap(e))?;
        if taken {
            return Err(Error::Account {
                reason: format!("user {name:?} exists"),
            });
        }
        tx.execute(
            "INSERT INTO users(name, password, created) VALUES(?1, ?2, ?3)",
            params![name, hash, created],
        )
        .map_err(|e| db.wrap(e))?;
        let id = tx.last_insert_rowid();
        let first: bool = tx
            .query_row("SELECT MIN(id) = ?1 FROM users", [id], |row| row.get(0))
            .map_err(|e| db.wrap(e))?;
        if first {
            tx.execute("UPDATE follows SET user = ?1 WHERE user = 0", [id])
                .map_err(|e| db.wrap(e))?;
        }
        tx.commit().map_err(|e| db.wrap(e))?;
        // Follows made before accounts start their reading list now.
        let unstarted: Vec<Follow> = self
            .user_follows(id)?
            .into_iter()
            .filter(|f| f.from_seq.is_none())
            .collect();
        for follow in unstarted {
            let from = self.first_item_seq(&follow)?;
            let db = self.database();
            db.connection
                .execute(
                    "UPDATE follows SET from_seq = ?1 WHERE id = ?2",
                    params![from, follow.id],
                )
                .map_err(|e| db.wrap(e))?;
        }
        Ok(User {
            id,
            name: name.to_string(),
            created,
        })
    }

    /// Removes an account with its sessions, follows, alerts and reading state; returns
    /// whether it existed. The first account's follows are the site's: they pass to the next
    /// account (to nobody when it was the last), keeping their ids and feeds, except those the
    /// next account follows already.
    pub fn remove_user(&self, name: &str) -> Result<bool, Error> {
        let db = self.database();
        let tx = db.connection.unchecked_transaction().map_err(|e| db.wrap(e))?;
        let Some(id) = tx
            .query_row("SELECT id FROM users WHERE name = ?1", [name], |row| {
                row.get::<_, i64>(0)
            })
            .optional()
            .map_err(|e| db.wrap(e))?
        else {
            return Ok(false);
        };
        let first: bool = tx
            .query_row("SELECT MIN(id) = ?1 FROM users", [id], |row| row.get(0))
            .map_err(|e| db.wrap(e))?;
        if first {
            let heir: i64 = tx
                .query_row("SELECT COALESCE(MIN(id), 0) FROM users WHERE id != ?1", [id], |row| {
                    row.get(0)
                })
                .map_err(|e| db.wrap(e))?;
            tx.execute(
                "UPDATE OR IGNORE follows SET user = ?1 WHERE user = ?2",
                params![heir, id],
            )
            .map_err(|e| db.wrap(e))?;
        }
        for sql in [
            "DELETE FROM deliveries WHERE follow IN (SELECT id FROM follows WHERE user = ?1)",
            "DELETE FROM notified WHERE follow IN (SELECT id FROM follows WHERE user = ?1)",
            "DELETE FROM follows WHERE user = ?1",
            "DELETE FROM item_state WHERE user = ?1",
            "DELETE FROM user_sessions WHERE user = ?1",
            "DELETE FROM users WHERE id = ?1",
        ] {
            tx.execute(sql, [id]).map_err(|e| db.wrap(e))?;
        }
        tx.commit().map_err(|e| db.wrap(e))?;
        Ok(true)
    }

    /// Gives an account a new password and ends its sessions (apps and pages sign in again);
    /// returns whether the account exists.
    pub fn set_password(&self, name: &str, password: &str) -> Result<bool, Error> {
        check_password(password)?;
        let hash = hash_password(password)?;
        let db = self.database();
        let tx = db.connection.unchecked_transaction().map_err(|e| db.wrap(e))?;
        let changed = tx
            .execute("UPDATE users SET password = ?1 WHERE name = ?2", params![hash, name])
            .map_err(|e| db.wrap(e))?;
        tx.execute(
            "DELETE FROM user_sessions WHERE user IN (SELECT id FROM users WHERE name = ?1)",
            [name],
        )
        .map_err(|e| db.wrap(e))?;
        tx.commit().map_err(|e| db.wrap(e))?;
        Ok(changed == 1)
    }

    /// Every account, oldest first.
    pub fn users(&self) -> Result<Vec<User>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached("SELECT id, name, created FROM users ORDER BY id")
            .map_err(|e| db.wrap(e))?;
        let rows = statement
            .query_map([], |row| {
                Ok(User {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    created: row.get(2)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows)
    }

    /// Checks a password and opens a session: the account and its session token, or `None`
    /// for a wrong name or password (which take the same time: an unknown name is checked
    /// against a hash too).
    pub fn login(&self, name: &str, password: &str) -> Result<Option<(User, String)>, Error> {
        const DECOY: &str =
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$1nLh4pOcbSgHckVNcDDKVU2n8kaF2cplbM4J9JxWYJM";
        if password.len() > MAX_PASSWORD {
            return Ok(None);
        }
        let db = self.database();
        let found: Option<(i64, String, String)> = db
            .connection
            .query_row(
                "SELECT id, password, created FROM users WHERE name = ?1",
                [name],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()
            .map_err(|e| db.wrap(e))?;
        let hash = found.as_ref().map_or(DECOY, |(_, hash, _)| hash.as_str());
        let right = verify_password(password, hash);
        let Some((id, _, created)) = found.filter(|_| right) else {
            return Ok(None);
        };
        db.connection
            .execute("DELETE FROM user_sessions WHERE created < ?1", [session_cutoff()])
            .map_err(|e| db.wrap(e))?;
        let token = format!("{id}/{}", random_hex(24)?);
        let write_token = random_hex(20)?;
        db.connection
            .execute(
                "INSERT INTO user_sessions(token_hash, user, write_token, created) VALUES(?1, ?2, ?3, ?4)",
                params![sha256_hex(&token), id, write_token, now()],
            )
            .map_err(|e| db.wrap(e))?;
        Ok(Some((
            User {
                id,
                name: name.to_string(),
                created,
            },
            token,
        )))
    }

    /// The account of a session token, and the token its writes must carry.
    pub fn session(&self, token: &str) -> Result<Option<(User, String)>, Error> {
        if token.is_empty() || token.len() > 256 {
            return Ok(None);
        }
        let db = self.database();
        db.connection
            .query_row(
                "SELECT u.id, u.name, u.created, s.write_token FROM user_sessions s JOIN users u ON u.id = s.user
                 WHERE s.token_hash = ?1 AND s.created >= ?2",
                params![sha256_hex(token), session_cutoff()],
                |row| {
                    Ok((
                        User {
                            id: row.get(0)?,
                            name: row.get(1)?,
                            created: row.get(2)?,
                        },
                        row.get(3)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| db.wrap(e))
    }

    /// Ends a session (signing out); returns whether it was open.
    pub fn logout(&self, token: &str) -> Result<bool, Error> {
        let db = self.database();
        let n = db
            .connection
            .execute("DELETE FROM user_sessions WHERE token_hash = ?1", [sha256_hex(token)])
            .map_err(|e| db.wrap(e))?;
        Ok(n == 1)
    }

    /// A reader's follows, oldest first.
    pub fn user_follows(&self, user: i64) -> Result<Vec<Follow>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached(&format!(
                "SELECT {FOLLOW_COLUMNS} FROM follows WHERE user = ?1 ORDER BY id"
            ))
            .map_err(|e| db.wrap(e))?;
        let rows = statement
            .query_map([user], follow_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows)
    }

    /// Follows something for a reader (the same thing twice is the first follow), in a folder
    /// when `label` is given; its reading list starts with the latest [`FIRST_ITEMS`].
    pub fn follow_for(
        &self,
        user: i64,
        kind: &str,
        target: &str,
        label: Option<&str>,
        title: Option<&str>,
    ) -> Result<Follow, Error> {
        let existing = self.find_follow(user, kind, target)?;
        if let Some(follow) = existing {
            return Ok(follow);
        }
        let probe = Follow {
            id: 0,
            kind: kind.to_string(),
            target: target.to_string(),
            created: now(),
            label: None,
            title: None,
            from_seq: None,
        };
        let from = self.first_item_seq(&probe)?;
        let db = self.database();
        db.connection
            .execute(
                "INSERT OR IGNORE INTO follows(user, kind, target, created, label, title, from_seq)
                 VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![user, kind, target, probe.created, label, title, from],
            )
            .map_err(|e| db.wrap(e))?;
        self.find_follow(user, kind, target)?.ok_or_else(|| Error::Account {
            reason: format!("follow of {kind} {target:?} was not kept"),
        })
    }

    fn find_follow(&self, user: i64, kind: &str, target: &str) -> Result<Option<Follow>, Error> {
        let db = self.database();
        db.connection
            .query_row(
                &format!("SELECT {FOLLOW_COLUMNS} FROM follows WHERE user = ?1 AND kind = ?2 AND target = ?3"),
                params![user, kind, target],
                follow_row,
            )
            .optional()
            .map_err(|e| db.wrap(e))
    }

    /// Stops a reader's follow; returns whether it was theirs.
    pub fn unfollow_for(&self, user: i64, id: i64) -> Result<bool, Error> {
        let db = self.database();
        let n = db
            .connection
            .execute("DELETE FROM follows WHERE id = ?1 AND user = ?2", params![id, user])
            .map_err(|e| db.wrap(e))?;
        Ok(n == 1)
    }

    /// Renames a reader's follow and moves it to a folder (`Some("")` takes it out of its
    /// folder); returns whether it was theirs.
    pub fn edit_follow(&self, user: i64, id: i64, title: Option<&str>, label: Option<&str>) -> Result<bool, Error> {
        let db = self.database();
        let n = db
            .connection
            .execute(
                "UPDATE follows SET
                     title = CASE WHEN ?3 IS NULL THEN title ELSE NULLIF(?3, '') END,
                     label = CASE WHEN ?4 IS NULL THEN label ELSE NULLIF(?4, '') END
                 WHERE id = ?1 AND user = ?2",
                params![id, user, title, label],
            )
            .map_err(|e| db.wrap(e))?;
        Ok(n == 1)
    }

    /// Renames a reader's folder (`to` `None`: takes its follows out of it); returns how many
    /// follows it held.
    pub fn rename_label(&self, user: i64, from: &str, to: Option<&str>) -> Result<usize, Error> {
        let db = self.database();
        db.connection
            .execute(
                "UPDATE follows SET label = NULLIF(?3, '') WHERE user = ?1 AND label = ?2",
                params![user, from, to],
            )
            .map_err(|e| db.wrap(e))
    }

    /// The outlet name a source follow's target means (a polled source's id, or a name).
    fn follow_outlet(&self, target: &str) -> Result<String, Error> {
        Ok(match target.parse::<i64>() {
            Ok(id) => self.source(id)?.map_or_else(|| target.to_string(), |s| s.name),
            Err(_) => target.to_string(),
        })
    }

    /// The articles a follow matches from `from` on, newest stored first (10,000 at most).
    pub(crate) fn follow_matches(&self, follow: &Follow, from: i64) -> Result<Vec<i64>, Error> {
        self.follow_seqs(follow, from, 10_000)
    }

    /// The articles a follow matches from `from` on, newest stored first (at most `limit`).
    fn follow_seqs(&self, follow: &Follow, from: i64, limit: usize) -> Result<Vec<i64>, Error> {
        let db = self.database();
        let sql = match follow.kind.as_str() {
            "source" => "SELECT seq FROM articles WHERE source = ?1 AND seq >= ?2 ORDER BY seq DESC LIMIT ?3",
            "entity" => "SELECT DISTINCT seq FROM mentions WHERE entity = ?1 AND seq >= ?2 ORDER BY seq DESC LIMIT ?3",
            "story" => "SELECT seq FROM story_articles WHERE story = ?1 AND seq >= ?2 ORDER BY seq DESC LIMIT ?3",
            _ => {
                let (top, _) = self.search_seqs(&follow.target, SEARCH_ITEMS, &crate::Filters::default())?;
                let mut seqs: Vec<i64> = top.into_iter().map(|(seq, _)| seq).filter(|&seq| seq >= from).collect();
                seqs.sort_unstable_by(|a, b| b.cmp(a));
                seqs.truncate(limit);
                return Ok(seqs);
            }
        };
        let key = if follow.kind == "source" {
            self.follow_outlet(&follow.target)?
        } else {
            follow.target.clone()
        };
        let mut statement = db.connection.prepare_cached(sql).map_err(|e| db.wrap(e))?;
        let rows = statement
            .query_map(params![key, from, limit.min(i64::MAX as usize) as i64], |row| {
                row.get(0)
            })
            .and_then(|rows| rows.collect::<Result<Vec<i64>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows)
    }

    /// A follow's latest `limit` articles, newest stored first, with headline, outlet and time.
    pub fn follow_latest(&self, follow: &Follow, limit: usize) -> Result<Vec<crate::ArticleSummary>, Error> {
        let mut out = Vec::new();
        for seq in self.follow_seqs(follow, 0, limit)? {
            out.extend(self.summary_of_seq(seq)?);
        }
        Ok(out)
    }

    /// Where a new follow's reading list starts: its [`FIRST_ITEMS`]-th latest article.
    fn first_item_seq(&self, follow: &Follow) -> Result<i64, Error> {
        let latest = self.follow_seqs(follow, 0, FIRST_ITEMS)?;
        Ok(if latest.len() < FIRST_ITEMS {
            0
        } else {
            latest.last().copied().unwrap_or(0)
        })
    }

    /// The articles of a reader's follows (all of them, or those in `only`), with their state,
    /// newest stored first, the latest [`LIST_ITEMS`] of each follow; starred articles are in
    /// it whatever follow they came from.
    pub fn reading_list(&self, user: i64, only: Option<&[i64]>) -> Result<Vec<Item>, Error> {
        let mut by_seq: std::collections::BTreeMap<i64, Vec<i64>> = std::collections::BTreeMap::new();
        for follow in self.user_follows(user)? {
            if only.is_some_and(|only| !only.contains(&follow.id)) {
                continue;
            }
            for seq in self.follow_seqs(&follow, follow.from_seq.unwrap_or(0), LIST_ITEMS)? {
                by_seq.entry(seq).or_default().push(follow.id);
            }
        }
        let db = self.database();
        if only.is_none() {
            let mut statement = db
                .connection
                .prepare_cached("SELECT seq FROM item_state WHERE user = ?1 AND starred = 1")
                .map_err(|e| db.wrap(e))?;
            let starred = statement
                .query_map([user], |row| row.get::<_, i64>(0))
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(|e| db.wrap(e))?;
            for seq in starred {
                by_seq.entry(seq).or_default();
            }
        }
        let mut time = db
            .connection
            .prepare_cached("SELECT id, COALESCE(date, ingested_at), ingested_at FROM articles WHERE seq = ?1")
            .map_err(|e| db.wrap(e))?;
        let mut state = db
            .connection
            .prepare_cached("SELECT read, starred FROM item_state WHERE user = ?1 AND seq = ?2")
            .map_err(|e| db.wrap(e))?;
        let mut items = Vec::with_capacity(by_seq.len());
        for (seq, follows) in by_seq {
            let Some((id, time, ingested)) = time
                .query_row([seq], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                    ))
                })
                .optional()
                .map_err(|e| db.wrap(e))?
            else {
                continue;
            };
            let (read, starred) = state
                .query_row(params![user, seq], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()
                .map_err(|e| db.wrap(e))?
                .unwrap_or((false, false));
            items.push(Item {
                seq,
                id,
                time,
                ingested,
                read,
                starred,
                follows,
            });
        }
        // Newest stored first: the order reader apps sync in.
        items.sort_by_key(|item| std::cmp::Reverse(item.seq));
        Ok(items)
    }

    /// One article with a reader's state of it (`follows` left empty), if it exists.
    pub fn item(&self, user: i64, seq: i64) -> Result<Option<Item>, Error> {
        let db = self.database();
        db.connection
            .query_row(
                "SELECT a.id, COALESCE(a.date, a.ingested_at), a.ingested_at, COALESCE(s.read, 0), COALESCE(s.starred, 0)
                 FROM articles a LEFT JOIN item_state s ON s.user = ?1 AND s.seq = a.seq WHERE a.seq = ?2",
                params![user, seq],
                |row| {
                    Ok(Item {
                        seq,
                        id: row.get(0)?,
                        time: row.get(1)?,
                        ingested: row.get(2)?,
                        read: row.get(3)?,
                        starred: row.get(4)?,
                        follows: Vec::new(),
                    })
                },
            )
            .optional()
            .map_err(|e| db.wrap(e))
    }

    /// Marks articles read or unread, starred or not, for a reader (`None`: unchanged).
    /// Articles that do not exist are left out; returns how many were changed.
    pub fn set_item_state(
        &self,
        user: i64,
        seqs: &[i64],
        read: Option<bool>,
        starred: Option<bool>,
    ) -> Result<usize, Error> {
        let db = self.database();
        let tx = db.connection.unchecked_transaction().map_err(|e| db.wrap(e))?;
        let mut changed = 0;
        {
            let mut statement = tx
                .prepare_cached(
                    "INSERT INTO item_state(user, seq, read, starred)
                     SELECT ?1, ?2, COALESCE(?3, 0), COALESCE(?4, 0) WHERE EXISTS (SELECT 1 FROM articles WHERE seq = ?2)
                     ON CONFLICT(user, seq) DO UPDATE SET
                         read = COALESCE(?3, read), starred = COALESCE(?4, starred)",
                )
                .map_err(|e| db.wrap(e))?;
            for &seq in seqs {
                changed += statement
                    .execute(params![user, seq, read, starred])
                    .map_err(|e| db.wrap(e))?;
            }
        }
        {
            // Rows back to unread and not starred say nothing: gone (only those just changed).
            let mut clear = tx
                .prepare_cached("DELETE FROM item_state WHERE user = ?1 AND seq = ?2 AND read = 0 AND starred = 0")
                .map_err(|e| db.wrap(e))?;
            for &seq in seqs {
                clear.execute(params![user, seq]).map_err(|e| db.wrap(e))?;
            }
        }
        tx.commit().map_err(|e| db.wrap(e))?;
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use akhbar_model::{Article, ArticleId};

    fn article(title: &str, source: &str) -> crate::NewArticle {
        let article = Article {
            title: title.into(),
            body: format!("{title}. نص الخبر."),
            source: Some(source.into()),
            ..Article::default()
        };
        crate::NewArticle::new(ArticleId::for_article(None, &article), article, None)
    }

    #[test]
    fn names_and_passwords() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        for (name, password, ok) in [
            ("reader", "long enough", true),
            ("reader", "another one", false),
            ("", "long enough", false),
            ("two words", "long enough", false),
            ("short", "short", false),
            ("mail@example.org", "كلمة سر طويلة", true),
        ] {
            assert_eq!(store.add_user(name, password).is_ok(), ok, "{name} {password}");
        }
        assert!(store.login("reader", "long enough").unwrap().is_some());
        assert!(store.login("reader", "long enougH").unwrap().is_none());
        assert!(store.login("nobody", "long enough").unwrap().is_none());
        let (user, token) = store.login("mail@example.org", "كلمة سر طويلة").unwrap().unwrap();
        assert_eq!(store.session(&token).unwrap().unwrap().0, user);
        assert!(store.session(&format!("{token}0")).unwrap().is_none());
        // Neither the password nor the token is kept.
        let raw = std::fs::read(dir.path().join("akhbar.sqlite")).unwrap();
        let raw = String::from_utf8_lossy(&raw);
        assert!(!raw.contains("long enough") && !raw.contains(&token));
    }

    #[test]
    fn reading_lists_are_per_reader_and_start_with_the_latest() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let old: Vec<_> = (0..FIRST_ITEMS + 5)
            .map(|i| article(&format!("خبر قديم رقم {i}"), "هسبريس"))
            .collect();
        store.add(old).unwrap();
        // A follow made before accounts is the first account's.
        store.add_follow("source", "هسبريس").unwrap();
        let first = store.add_user("first", "password1").unwrap();
        let second = store.add_user("second", "password2").unwrap();
        assert_eq!(store.user_follows(first.id).unwrap().len(), 1);
        assert!(store.user_follows(second.id).unwrap().is_empty());
        assert_eq!(store.reading_list(first.id, None).unwrap().len(), FIRST_ITEMS);
        assert!(store.reading_list(second.id, None).unwrap().is_empty());

        let follow = store
            .follow_for(second.id, "source", "هسبريس", Some("المغرب"), None)
            .unwrap();
        assert_eq!(follow.label.as_deref(), Some("المغرب"));
        store.add(vec![article("خبر جديد", "هسبريس")]).unwrap();
        let list = store.reading_list(second.id, None).unwrap();
        assert_eq!(list.len(), FIRST_ITEMS + 1);
        assert!(list.iter().all(|item| !item.read && item.follows == [follow.id]));

        // One reader's state is not the other's.
        let newest = list[0].seq;
        store
            .set_item_state(second.id, &[newest], Some(true), Some(true))
            .unwrap();
        assert!(store.reading_list(second.id, None).unwrap()[0].read);
        assert!(!store.reading_list(first.id, None).unwrap()[0].read);
        // Unfollowed, a starred article stays in the list; nobody else's follow can be removed.
        assert!(!store.unfollow_for(first.id, follow.id).unwrap());
        assert!(store.unfollow_for(second.id, follow.id).unwrap());
        let list = store.reading_list(second.id, None).unwrap();
        assert_eq!(list.len(), 1);
        assert!(list[0].starred && list[0].follows.is_empty());
        assert_eq!(
            store.set_item_state(second.id, &[i64::MAX], Some(true), None).unwrap(),
            0
        );
    }
}
