use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One outlet's document: what akhbar stores, indexes and shows.
///
/// `body` keeps paragraphs separated by a blank line (`"\n\n"`). Fields that the input did
/// not carry are `None`; an empty title is allowed, since some real articles have none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Headline; may be empty.
    pub title: String,
    /// Main text, paragraphs separated by `"\n\n"`.
    pub body: String,
    /// The outlet's name or id (`"sabq"`, `"Telexpress"`).
    pub source: Option<String>,
    /// Where the article was published.
    pub url: Option<String>,
    /// Publication date in UTC.
    pub date: Option<DateTime<Utc>>,
    /// Byline.
    pub author: Option<String>,
}
