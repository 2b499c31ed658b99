use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One entry of an RSS, Atom or JSON feed, before extraction.
///
/// `content` and `summary` are HTML as the feed gives them; the extract step turns them
/// (or the linked page) into an article's text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedItem {
    /// The feed's own id for the entry (guid).
    pub guid: Option<String>,
    /// Headline.
    pub title: String,
    /// Link to the article page.
    pub link: Option<String>,
    /// Publication (or last update) time.
    pub published: Option<DateTime<Utc>>,
    /// Author name.
    pub author: Option<String>,
    /// Full content, HTML.
    pub content: Option<String>,
    /// Summary or description, HTML.
    pub summary: Option<String>,
    /// The feed's title (the outlet).
    pub feed_title: Option<String>,
}
