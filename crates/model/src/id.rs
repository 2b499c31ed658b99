use crate::Article;
use serde::{Deserialize, Serialize};
use std::fmt;
use xxhash_rust::xxh3::xxh3_64;

/// Query parameters that only track clicks: dropped from canonical URLs.
const TRACKING_PARAMS: &[&str] = &["fbclid", "gclid", "igshid", "mc_cid", "mc_eid", "ref", "src"];

/// The stable id of an article.
///
/// Chosen in this order, so that re-ingesting the same article always gives the same id:
/// 1. the id the input gives (`"sabq-00012"`), kept as it is;
/// 2. else `u` + 16 hex digits of the xxh3 hash of the [canonical URL](canonical_url);
/// 3. else `h` + 16 hex digits of the xxh3 hash of the title and body with whitespace collapsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(String);

impl ArticleId {
    /// Wraps an id string as it is.
    pub fn new(id: impl Into<String>) -> ArticleId {
        ArticleId(id.into())
    }

    /// The stable id for `article`, given the input's own id if it had one.
    pub fn for_article(given: Option<&str>, article: &Article) -> ArticleId {
        if let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()) {
            return ArticleId(given.to_string());
        }
        if let Some(url) = article.url.as_deref().and_then(canonical_url) {
            return ArticleId(format!("u{:016x}", xxh3_64(url.as_bytes())));
        }
        let mut text = String::with_capacity(article.title.len() + article.body.len() + 1);
        for word in article.title.split_whitespace() {
            text.push_str(word);
            text.push(' ');
        }
        text.push('\n');
        for word in article.body.split_whitespace() {
            text.push_str(word);
            text.push(' ');
        }
        ArticleId(format!("h{:016x}", xxh3_64(text.as_bytes())))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The canonical form of an article URL, or `None` when `raw` is not an absolute http(s) URL.
///
/// Scheme and host are lowercased (by the URL parser), the fragment and tracking parameters
/// (`utm_*`, `fbclid`, ...) are dropped, and the default port is removed.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut url = url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return None;
    }
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| !key.starts_with("utm_") && !TRACKING_PARAMS.contains(&key.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_url(input: &str, expected: Option<&str>) {
        assert_eq!(canonical_url(input).as_deref(), expected, "input {input:?}");
    }

    #[test]
    fn canonical_urls() {
        check_url("HTTPS://Example.COM/a/b", Some("https://example.com/a/b"));
        check_url("https://example.com:443/a#x", Some("https://example.com/a"));
        check_url(
            "https://example.com/a?id=3&utm_source=tw&fbclid=9",
            Some("https://example.com/a?id=3"),
        );
        check_url("https://example.com/a?utm_medium=x", Some("https://example.com/a"));
        check_url("ftp://example.com/a", None);
        check_url("not a url", None);
        check_url("/relative/path", None);
    }

    fn article(title: &str, body: &str, url: Option<&str>) -> Article {
        Article {
            title: title.into(),
            body: body.into(),
            url: url.map(Into::into),
            ..Article::default()
        }
    }

    #[test]
    fn id_prefers_given_then_url_then_content() {
        let a = article("t", "b", Some("https://example.com/x?utm_source=1"));
        assert_eq!(ArticleId::for_article(Some(" sabq-1 "), &a).as_str(), "sabq-1");
        let by_url = ArticleId::for_article(None, &a);
        assert!(by_url.as_str().starts_with('u'));
        let same_url = article("other", "text", Some("https://EXAMPLE.com/x#frag"));
        assert_eq!(by_url, ArticleId::for_article(None, &same_url));
        let by_content = ArticleId::for_article(Some(""), &article("t", "b", None));
        assert!(by_content.as_str().starts_with('h'));
        assert_eq!(by_content.as_str().len(), 17);
    }

    #[test]
    fn content_id_ignores_whitespace_changes() {
        let a = article("عنوان الخبر", "فقرة أولى\n\nفقرة ثانية", None);
        let b = article(" عنوان  الخبر", "فقرة أولى\r\n\r\nفقرة   ثانية\n", None);
        let c = article("عنوان الخبر", "فقرة أولى فقرة ثالثة", None);
        assert_eq!(ArticleId::for_article(None, &a), ArticleId::for_article(None, &b));
        assert_ne!(ArticleId::for_article(None, &a), ArticleId::for_article(None, &c));
    }
}
