//! Text kept compressed in the database: article bodies, raw bodies and story summaries are
//! written as zstd frames (BLOB values) and read back as text. A column written as TEXT by an
//! older store reads as it is; [`migrate`] rewrites such rows once, when a store is opened.
//!
//! Without a dictionary, at level 7: Arabic news text comes out at about 0.36 of its size (an
//! article is a few KB, too short for zstd to learn much from it alone).

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, Value, ValueRef};
use rusqlite::{params, Connection, OptionalExtension};

/// zstd's level: compression is done once per article on the storing thread, beside the
/// entity step; reading back costs the same at any level.
const LEVEL: i32 = 7;

/// The `meta` key saying every text column of the store is compressed.
const META_KEY: &str = "text_compression";

/// Text to write compressed.
pub(crate) struct Pack<'a>(pub &'a str);

impl ToSql for Pack<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        let bytes = zstd::bulk::compress(self.0.as_bytes(), LEVEL)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(ToSqlOutput::Owned(Value::Blob(bytes)))
    }
}

/// Text read from a column that holds it compressed (BLOB) or as an older store wrote it
/// (TEXT).
pub(crate) struct Packed(pub String);

impl FromSql for Packed {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Packed> {
        let bytes = match value {
            ValueRef::Text(text) => text.to_vec(),
            ValueRef::Blob(frame) => zstd::stream::decode_all(frame).map_err(|e| FromSqlError::Other(Box::new(e)))?,
            _ => return Err(FromSqlError::InvalidType),
        };
        String::from_utf8(bytes)
            .map(Packed)
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

/// Compresses the text columns of rows an older store wrote as TEXT, a thousand rows per
/// transaction (so that a killed migration keeps what it did and the next open goes on), then
/// marks the store as migrated. Returns the rows rewritten; a new store is marked at once.
pub(crate) fn migrate(connection: &Connection) -> rusqlite::Result<usize> {
    let done: Option<String> = connection
        .query_row("SELECT value FROM meta WHERE key = ?1", [META_KEY], |row| row.get(0))
        .optional()?;
    if done.is_some() {
        return Ok(0);
    }
    let mut rewritten = 0;
    for (table, key, column) in [
        ("articles", "seq", "body"),
        ("articles", "seq", "raw_body"),
        ("stories", "id", "summary"),
    ] {
        // In key order from where the last transaction stopped: each step reads only rows
        // it has not passed yet (SQLite orders every number before every text, so the
        // smallest integer starts both integer and text keys).
        let mut after = Value::Integer(i64::MIN);
        loop {
            let transaction = connection.unchecked_transaction()?;
            let rows: Vec<(Value, String)> = transaction
                .prepare(&format!(
                    "SELECT {key}, {column} FROM {table}
                     WHERE {key} > ?1 AND typeof({column}) = 'text'
                     ORDER BY {key} LIMIT 1000"
                ))?
                .query_map([&after], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let Some((last, _)) = rows.last() else {
                break;
            };
            after = last.clone();
            {
                let mut update = transaction.prepare(&format!("UPDATE {table} SET {column} = ?1 WHERE {key} = ?2"))?;
                for (id, text) in &rows {
                    update.execute(params![Pack(text), id])?;
                }
            }
            transaction.commit()?;
            rewritten += rows.len();
        }
    }
    connection.execute("INSERT OR IGNORE INTO meta(key, value) VALUES(?1, 'zstd')", [META_KEY])?;
    Ok(rewritten)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_old_rows_migrate() {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch(
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 CREATE TABLE articles (seq INTEGER PRIMARY KEY, body TEXT NOT NULL, raw_body TEXT);
                 CREATE TABLE stories (id TEXT PRIMARY KEY, summary TEXT NOT NULL);",
            )
            .unwrap();
        let body = "أشاد وزير الخارجية الأمريكي بالتعاون الأمني مع المغرب. ".repeat(40);
        // As an older store wrote them: TEXT, and one raw body missing.
        for seq in 1..=2500 {
            connection
                .execute(
                    "INSERT INTO articles(seq, body, raw_body) VALUES(?1, ?2, ?3)",
                    params![seq, format!("{seq} {body}"), (seq % 2 == 0).then_some("خام")],
                )
                .unwrap();
        }
        connection
            .execute("INSERT INTO stories(id, summary) VALUES('s1', ?1)", [&body])
            .unwrap();
        assert_eq!(migrate(&connection).unwrap(), 2500 + 1250 + 1);
        assert_eq!(migrate(&connection).unwrap(), 0, "marked as done");
        let (texts, blobs): (i64, i64) = connection
            .query_row(
                "SELECT SUM(typeof(body) = 'text'), SUM(typeof(body) = 'blob') FROM articles",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!((texts, blobs), (0, 2500));
        let (read, raw): (Packed, Option<Packed>) = connection
            .query_row("SELECT body, raw_body FROM articles WHERE seq = 7", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .unwrap();
        assert_eq!(read.0, format!("7 {body}"));
        assert!(raw.is_none());
        let stored: i64 = connection
            .query_row("SELECT length(body) FROM articles WHERE seq = 7", [], |row| row.get(0))
            .unwrap();
        assert!(stored * 5 < body.len() as i64, "{stored} of {}", body.len());
        let summary: Packed = connection
            .query_row("SELECT summary FROM stories", [], |row| row.get(0))
            .unwrap();
        assert_eq!(summary.0, body);
        // Text written as TEXT still reads.
        let plain: Packed = connection.query_row("SELECT 'نص'", [], |row| row.get(0)).unwrap();
        assert_eq!(plain.0, "نص");
    }
}
