//! JSON Lines archives: one article object per line, plain or gzip.

use crate::files::{Item, Origin, Payload};
use crate::Error;
use serde::Deserialize;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Lines longer than this are skipped with an error: 32 MiB.
pub const MAX_LINE_BYTES: usize = 32 * 1024 * 1024;

/// One article as a JSON Lines archive gives it.
///
/// `title` and `content` are read, with `body` and `text` accepted for `content`; `id`
/// (string or number), `url`, `source`, `date` and `author` are optional. Unknown keys are
/// ignored. The date is kept as text: the pipeline parses it. A record with a title and no
/// text is refused unless it says it is a headline (`"headline": true`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Record {
    /// The archive's own id.
    pub id: Option<String>,
    /// Headline (may be empty).
    pub title: String,
    /// Main text.
    pub content: String,
    /// Article URL.
    pub url: Option<String>,
    /// Outlet.
    pub source: Option<String>,
    /// Date as written.
    pub date: Option<String>,
    /// Byline.
    pub author: Option<String>,
    /// The record says it is a headline only (`"headline": true`).
    pub headline: bool,
}

#[derive(Deserialize)]
struct RawRecord {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    headline: Option<bool>,
}

impl Record {
    /// Parses one line; the error says what is wrong, for the caller to prefix with the line.
    pub fn parse(line: &str) -> Result<Record, String> {
        if !line.starts_with('{') {
            return Err("not a JSON object".to_string());
        }
        let raw: RawRecord = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
        let id = match raw.id {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            Some(other) => return Err(format!("`id` must be a string or a number, not {other}")),
        };
        let content = raw.content.or(raw.body).or(raw.text);
        if raw.title.is_none() && content.is_none() {
            return Err("no `title` and no `content` (or `body`, `text`)".to_string());
        }
        let headline = raw.headline.unwrap_or(false);
        if content.as_deref().is_none_or(|c| c.trim().is_empty()) && !headline {
            return Err(
                "a title and no text: not an article (a record that is only a headline says `\"headline\": true`)"
                    .to_string(),
            );
        }
        let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Ok(Record {
            id: non_empty(id),
            title: raw.title.unwrap_or_default(),
            content: content.unwrap_or_default(),
            url: non_empty(raw.url),
            source: non_empty(raw.source),
            date: non_empty(raw.date),
            author: non_empty(raw.author),
            headline,
        })
    }
}

/// Counts bytes read from the underlying file (compressed bytes for gzip), for progress.
struct Counting<R> {
    inner: R,
    count: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Decompressed bytes allowed per compressed byte, past [`BOMB_FLOOR_BYTES`].
const MAX_EXPANSION: u64 = 200;
/// Output always allowed whatever the ratio (small, highly repetitive files).
const BOMB_FLOOR_BYTES: u64 = 64 * 1024 * 1024;

/// Stops a gzip stream that expands far beyond any text archive (a "gzip bomb"): news JSON
/// Lines compress 4–10×; past 200× (and 64 MiB) reading fails with an error for the file.
struct BombGuard<R> {
    inner: R,
    compressed: std::rc::Rc<std::cell::Cell<u64>>,
    produced: u64,
}

impl<R: Read> Read for BombGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.produced += n as u64;
        let allowed = BOMB_FLOOR_BYTES + MAX_EXPANSION * self.compressed.get();
        if self.produced > allowed {
            return Err(std::io::Error::other(format!(
                "gzip stream expands more than {MAX_EXPANSION}× its compressed size (a gzip bomb?)"
            )));
        }
        Ok(n)
    }
}

pub(crate) fn read_jsonl(path: &Path, file: std::fs::File, gzip: bool, on_item: &mut dyn FnMut(Result<Item, Error>)) {
    let count = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let counting = Counting {
        inner: file,
        count: count.clone(),
    };
    let reader: Box<dyn Read> = if gzip {
        let decoder = flate2::read::MultiGzDecoder::new(BufReader::new(counting));
        Box::new(BombGuard {
            inner: decoder,
            compressed: count.clone(),
            produced: 0,
        })
    } else {
        Box::new(counting)
    };
    let mut reader = BufReader::with_capacity(256 * 1024, reader);
    let mut buffer = Vec::new();
    let mut line_no = 0u64;
    loop {
        buffer.clear();
        let (too_long, at_end) = match read_bounded_line(&mut reader, &mut buffer, MAX_LINE_BYTES) {
            Ok(result) => result,
            Err(source) => {
                on_item(Err(Error::Read {
                    path: path.to_path_buf(),
                    line: line_no,
                    source,
                }));
                return;
            }
        };
        if at_end && buffer.is_empty() && !too_long {
            return;
        }
        line_no += 1;
        let bytes_read = count.get();
        if too_long {
            on_item(Err(Error::LineTooLong {
                path: path.to_path_buf(),
                line: line_no,
                limit: MAX_LINE_BYTES,
            }));
        } else {
            let line = match std::str::from_utf8(&buffer) {
                Ok(line) => line.trim(),
                Err(e) => {
                    on_item(Err(Error::InvalidUtf8 {
                        path: path.to_path_buf(),
                        line: Some(line_no),
                        offset: e.valid_up_to(),
                    }));
                    continue;
                }
            };
            if !line.is_empty() {
                let origin = Origin {
                    path: path.to_path_buf(),
                    line: Some(line_no),
                    entry: None,
                };
                let item = Record::parse(line)
                    .map(|record| Item {
                        origin,
                        payload: Payload::Record(record),
                        bytes_read,
                    })
                    .map_err(|reason| Error::BadRecord {
                        path: path.to_path_buf(),
                        line: line_no,
                        reason,
                    });
                on_item(item);
            }
        }
        if at_end {
            return;
        }
    }
}

/// Reads up to and including the next `\n` into `buffer`, keeping at most `limit` bytes;
/// a longer line is consumed to its end and reported as too long. Returns
/// `(too_long, reached_end_of_input)`.
fn read_bounded_line(reader: &mut impl BufRead, buffer: &mut Vec<u8>, limit: usize) -> std::io::Result<(bool, bool)> {
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok((too_long, true));
        }
        let (chunk, found_newline) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..i], true),
            None => (available, false),
        };
        if !too_long {
            if buffer.len() + chunk.len() > limit {
                too_long = true;
                buffer.clear();
            } else {
                buffer.extend_from_slice(chunk);
            }
        }
        let consumed = chunk.len() + usize::from(found_newline);
        reader.consume(consumed);
        if found_newline {
            return Ok((too_long, false));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(line: &str, expected: Result<Record, &str>) {
        assert_eq!(Record::parse(line), expected.map_err(str::to_string), "line {line}");
    }

    #[test]
    fn records() {
        check(
            r#"{"id":"sabq-00001","source":"sabq","url":"https://sabq.org/x","date":"2015-07-21 02:16:13","title":"ع","author":"","content":"نص"}"#,
            Ok(Record {
                id: Some("sabq-00001".into()),
                title: "ع".into(),
                content: "نص".into(),
                url: Some("https://sabq.org/x".into()),
                source: Some("sabq".into()),
                date: Some("2015-07-21 02:16:13".into()),
                author: None,
                headline: false,
            }),
        );
        check(
            r#"{"id":7,"title":"","body":"b"}"#,
            Ok(Record {
                id: Some("7".into()),
                content: "b".into(),
                ..Record::default()
            }),
        );
        check(
            r#"{"text":"t"}"#,
            Ok(Record {
                content: "t".into(),
                ..Record::default()
            }),
        );
        check(r#"{"url":"x"}"#, Err("no `title` and no `content` (or `body`, `text`)"));
        // A title alone is a headline only when the record says so.
        check(
            r#"{"title":"x"}"#,
            Err("a title and no text: not an article (a record that is only a headline says `\"headline\": true`)"),
        );
        check(
            r#"{"title":"x","content":"  "}"#,
            Err("a title and no text: not an article (a record that is only a headline says `\"headline\": true`)"),
        );
        check(
            r#"{"title":"عاجل: زلزال","headline":true}"#,
            Ok(Record {
                title: "عاجل: زلزال".into(),
                headline: true,
                ..Record::default()
            }),
        );
        check(
            r#"{"id":[1],"title":"t","content":"c"}"#,
            Err("`id` must be a string or a number, not [1]"),
        );
        check("[1,2]", Err("not a JSON object"));
        check(
            r#"{"title":"t""#,
            Err("invalid JSON: EOF while parsing an object at line 1 column 12"),
        );
    }

    #[test]
    fn expansion_past_the_limit_is_an_error() {
        // 10 compressed bytes read, then endless output: stopped once past the floor.
        let compressed = std::rc::Rc::new(std::cell::Cell::new(10));
        let mut guard = BombGuard {
            inner: std::io::repeat(b' '),
            compressed,
            produced: 0,
        };
        let error = std::io::copy(&mut guard, &mut std::io::sink()).unwrap_err();
        assert!(error.to_string().contains("gzip bomb"), "{error}");
        assert!(guard.produced <= BOMB_FLOOR_BYTES + 10 * MAX_EXPANSION + (1 << 20));
    }

    #[test]
    fn bounded_lines() {
        let mut input: &[u8] = b"short\nthis line is long\nok";
        let mut buffer = Vec::new();
        assert_eq!(read_bounded_line(&mut input, &mut buffer, 8).unwrap(), (false, false));
        assert_eq!(buffer, b"short");
        buffer.clear();
        assert_eq!(read_bounded_line(&mut input, &mut buffer, 8).unwrap(), (true, false));
        buffer.clear();
        assert_eq!(read_bounded_line(&mut input, &mut buffer, 8).unwrap(), (false, true));
        assert_eq!(buffer, b"ok");
    }
}
