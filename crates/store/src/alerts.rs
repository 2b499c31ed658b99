//! Alerts: a follow with a webhook or an e-mail address is told of its new articles. The
//! store keeps the webhook and its signing secret, the address and how often it may be
//! written to, how far each was told (`notified_seq`, `emailed_seq`), the articles told of
//! (`notified`, so that a copy of one of them is not told again) and a log of deliveries.
//! Sending is the pipeline's (`akhbar_pipeline::alerts`).

use crate::browse::{follow_row, FOLLOW_COLUMNS};
use crate::{Error, Follow, Store};
use rusqlite::{params, OptionalExtension};

/// A follow with a webhook.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// The follow.
    pub follow: Follow,
    /// Where to POST.
    pub url: String,
    /// The HMAC-SHA256 key of the signature header.
    pub secret: String,
    /// The last article it was told of (or that was there when the webhook was set).
    pub notified_seq: i64,
}

/// An article to tell a webhook of.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AlertArticle {
    /// Database sequence number.
    #[serde(skip)]
    pub seq: i64,
    /// Id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Outlet.
    pub source: Option<String>,
    /// The original's address.
    pub url: Option<String>,
    /// Publication (else ingestion) time, RFC 3339.
    pub time: String,
    /// Its story.
    pub story: Option<String>,
    /// The article it copies, if any.
    #[serde(skip)]
    pub copy_of: Option<i64>,
}

/// A follow with an e-mail digest.
#[derive(Debug, Clone)]
pub struct EmailDigest {
    /// The follow.
    pub follow: Follow,
    /// Where to write.
    pub to: String,
    /// Minutes at least between two digests.
    pub every_minutes: i64,
    /// The last article told of (or that was there when the address was set).
    pub emailed_seq: i64,
    /// When the last digest went (RFC 3339), if one did.
    pub emailed_at: Option<String>,
}

/// How an alert went: a webhook or an e-mail digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// A signed JSON POST.
    Webhook,
    /// An e-mail digest.
    Email,
}

impl Channel {
    fn name(self) -> &'static str {
        match self {
            Channel::Webhook => "webhook",
            Channel::Email => "email",
        }
    }
}

/// One delivery (or failed try at one) of an alert. Field names are part of the JSON API.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Delivery {
    /// Id.
    pub id: i64,
    /// `webhook` or `email`.
    pub channel: String,
    /// When it ended (RFC 3339).
    pub time: String,
    /// Whether the receiver took it (a 2xx answer).
    pub delivered: bool,
    /// Tries made.
    pub attempts: u32,
    /// The last answer's status, if there was one.
    pub status: Option<u16>,
    /// The last error, if any.
    pub error: Option<String>,
    /// The articles it told of.
    pub articles: Vec<String>,
}

/// Articles one delivery tells of at most (the rest go in the next).
pub const MAX_ALERT_ARTICLES: usize = 100;

impl Store {
    /// Sets (or with `None` removes) the webhook of a follow; returns its new signing secret.
    /// Only articles stored after it is set are told of.
    pub fn set_webhook(&self, follow: i64, url: Option<&str>, secret: &str) -> Result<bool, Error> {
        let db = self.database();
        let n = db
            .connection
            .execute(
                "UPDATE follows SET notify_url = ?2, notify_secret = CASE WHEN ?2 IS NULL THEN NULL ELSE ?3 END,
                     notified_seq = (SELECT COALESCE(MAX(seq), 0) FROM articles)
                 WHERE id = ?1",
                params![follow, url, secret],
            )
            .map_err(|e| db.wrap(e))?;
        Ok(n == 1)
    }

    /// The webhook and e-mail address of a follow (each if it has one).
    pub fn alert_targets(&self, follow: i64) -> Result<(Option<String>, Option<String>), Error> {
        let db = self.database();
        db.connection
            .query_row("SELECT notify_url, email FROM follows WHERE id = ?1", [follow], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()
            .map(Option::unwrap_or_default)
            .map_err(|e| db.wrap(e))
    }

    /// Sets (or with `None` removes) the e-mail digest of a follow, at most one every
    /// `every_minutes`. Only articles stored after it is set are told of.
    pub fn set_email(&self, follow: i64, to: Option<&str>, every_minutes: i64) -> Result<bool, Error> {
        let db = self.database();
        let n = db
            .connection
            .execute(
                "UPDATE follows SET email = ?2, email_every = ?3, emailed_at = NULL,
                     emailed_seq = (SELECT COALESCE(MAX(seq), 0) FROM articles)
                 WHERE id = ?1",
                params![follow, to, every_minutes.max(0)],
            )
            .map_err(|e| db.wrap(e))?;
        Ok(n == 1)
    }

    /// Every follow with an e-mail digest.
    pub fn email_digests(&self) -> Result<Vec<EmailDigest>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached(&format!(
                "SELECT {FOLLOW_COLUMNS}, email, COALESCE(email_every, 0), COALESCE(emailed_seq, 0), emailed_at
                 FROM follows WHERE email IS NOT NULL ORDER BY id"
            ))
            .map_err(|e| db.wrap(e))?;
        let rows = statement
            .query_map([], |row| {
                Ok(EmailDigest {
                    follow: follow_row(row)?,
                    to: row.get(7)?,
                    every_minutes: row.get(8)?,
                    emailed_seq: row.get(9)?,
                    emailed_at: row.get(10)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows)
    }

    /// Every follow with a webhook.
    pub fn webhooks(&self) -> Result<Vec<Webhook>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached(&format!(
                "SELECT {FOLLOW_COLUMNS}, notify_url, notify_secret, COALESCE(notified_seq, 0)
                 FROM follows WHERE notify_url IS NOT NULL ORDER BY id"
            ))
            .map_err(|e| db.wrap(e))?;
        let rows = statement
            .query_map([], |row| {
                Ok(Webhook {
                    follow: follow_row(row)?,
                    url: row.get(7)?,
                    secret: row.get::<_, Option<String>>(8)?.unwrap_or_default(),
                    notified_seq: row.get(9)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows)
    }

    /// The articles an alert of `follow` has yet to tell of, oldest first: its articles past
    /// `after` that the story step has seen (so copies are known), at most
    /// [`MAX_ALERT_ARTICLES`]; and the last sequence number looked at.
    pub fn pending_alerts(&self, follow: &Follow, after: i64) -> Result<(Vec<AlertArticle>, i64), Error> {
        let done: i64 = self.meta("stories_done_seq")?.and_then(|v| v.parse().ok()).unwrap_or(0);
        if done <= after {
            return Ok((Vec::new(), after));
        }
        let mut seqs = self.follow_matches(follow, after + 1)?;
        seqs.retain(|&seq| seq <= done);
        seqs.sort_unstable();
        let upto = if seqs.len() > MAX_ALERT_ARTICLES {
            seqs.truncate(MAX_ALERT_ARTICLES);
            seqs.last().copied().unwrap_or(done)
        } else {
            done
        };
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached(
                "SELECT a.id, a.title, a.source, a.url, COALESCE(a.date, a.ingested_at), s.story, o.seq
                 FROM articles a LEFT JOIN story_articles s ON s.seq = a.seq
                 LEFT JOIN articles o ON o.id = s.copy_of WHERE a.seq = ?1",
            )
            .map_err(|e| db.wrap(e))?;
        let mut out = Vec::with_capacity(seqs.len());
        for seq in seqs {
            let article = statement
                .query_row([seq], |row| {
                    Ok(AlertArticle {
                        seq,
                        id: row.get(0)?,
                        title: row.get(1)?,
                        source: row.get(2)?,
                        url: row.get(3)?,
                        time: row.get(4)?,
                        story: row.get(5)?,
                        copy_of: row.get(6)?,
                    })
                })
                .optional()
                .map_err(|e| db.wrap(e))?;
            out.extend(article);
        }
        Ok((out, upto))
    }

    /// Whether a webhook was told of an article.
    pub fn was_notified(&self, follow: i64, seq: i64) -> Result<bool, Error> {
        let db = self.database();
        db.connection
            .prepare_cached("SELECT 1 FROM notified WHERE follow = ?1 AND seq = ?2")
            .and_then(|mut statement| statement.exists(params![follow, seq]))
            .map_err(|e| db.wrap(e))
    }

    /// Records a delivery; when delivered (or when there was nothing to tell), the channel
    /// was told of everything up to `upto`.
    pub fn record_delivery(
        &self,
        follow: i64,
        channel: Channel,
        delivery: &Delivery,
        seqs: &[i64],
        upto: i64,
    ) -> Result<(), Error> {
        let db = self.database();
        let tx = db.connection.unchecked_transaction().map_err(|e| db.wrap(e))?;
        if delivery.attempts > 0 {
            tx.execute(
                "INSERT INTO deliveries(follow, channel, time, delivered, attempts, status, error, articles)
                 VALUES(?1, ?8, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    follow,
                    delivery.time,
                    delivery.delivered,
                    delivery.attempts,
                    delivery.status,
                    delivery.error,
                    serde_json::to_string(&delivery.articles).unwrap_or_default(),
                    channel.name()
                ],
            )
            .map_err(|e| db.wrap(e))?;
        }
        if delivery.delivered || delivery.attempts == 0 {
            for seq in seqs {
                tx.execute(
                    "INSERT OR IGNORE INTO notified(follow, seq) VALUES(?1, ?2)",
                    params![follow, seq],
                )
                .map_err(|e| db.wrap(e))?;
            }
            match channel {
                Channel::Webhook => tx.execute(
                    "UPDATE follows SET notified_seq = MAX(COALESCE(notified_seq, 0), ?2) WHERE id = ?1",
                    params![follow, upto],
                ),
                // A digest that went starts the wait for the next; nothing to tell does not.
                Channel::Email => tx.execute(
                    "UPDATE follows SET emailed_seq = MAX(COALESCE(emailed_seq, 0), ?2),
                         emailed_at = CASE WHEN ?3 THEN ?4 ELSE emailed_at END WHERE id = ?1",
                    params![follow, upto, delivery.delivered, delivery.time],
                ),
            }
            .map_err(|e| db.wrap(e))?;
        }
        tx.commit().map_err(|e| db.wrap(e))
    }

    /// A follow's deliveries, newest first.
    pub fn deliveries(&self, follow: i64, limit: usize) -> Result<Vec<Delivery>, Error> {
        let db = self.database();
        let mut statement = db
            .connection
            .prepare_cached(
                "SELECT id, channel, time, delivered, attempts, status, error, articles FROM deliveries
                 WHERE follow = ?1 ORDER BY id DESC LIMIT ?2",
            )
            .map_err(|e| db.wrap(e))?;
        let rows = statement
            .query_map(params![follow, limit as i64], |row| {
                Ok(Delivery {
                    id: row.get(0)?,
                    channel: row.get(1)?,
                    time: row.get(2)?,
                    delivered: row.get(3)?,
                    attempts: row.get(4)?,
                    status: row.get(5)?,
                    error: row.get(6)?,
                    articles: serde_json::from_str(&row.get::<_, String>(7)?).unwrap_or_default(),
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| db.wrap(e))?;
        Ok(rows)
    }

    /// A follow by id, whoever's it is.
    pub fn follow(&self, id: i64) -> Result<Option<Follow>, Error> {
        let db = self.database();
        db.connection
            .query_row(
                &format!("SELECT {FOLLOW_COLUMNS} FROM follows WHERE id = ?1"),
                [id],
                follow_row,
            )
            .optional()
            .map_err(|e| db.wrap(e))
    }
}
