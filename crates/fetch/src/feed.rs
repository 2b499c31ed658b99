//! Feeds: RSS 0.9x/1.0/2.0, Atom and JSON Feed, parsed with feed-rs into [`FeedItem`]s.

use akhbar_model::FeedItem;

/// A parsed feed: the outlet's description and its entries.
#[derive(Debug, Clone, Default)]
pub struct Feed {
    /// The feed's title (the outlet's name, usually).
    pub title: Option<String>,
    /// The outlet's home page.
    pub site: Option<String>,
    /// Declared language (`ar`, `ar-MA`...).
    pub language: Option<String>,
    /// Entries, in feed order.
    pub items: Vec<FeedItem>,
}

/// Parses a feed document. The error is feed-rs's reason, for the caller to name the input.
pub fn parse_feed(bytes: &[u8]) -> Result<Vec<FeedItem>, String> {
    parse_feed_at(bytes, None).map(|feed| feed.items)
}

/// Parses a feed served over HTTP with this `Content-Type`: a `charset=` there is used when
/// the document names no encoding itself (no byte-order mark, no `encoding=` in its XML
/// declaration) and is not UTF-8; otherwise as [`parse_feed_at`].
pub fn parse_feed_http(bytes: &[u8], base: Option<&str>, content_type: Option<&str>) -> Result<Feed, String> {
    let declared = content_type
        .and_then(|ct| ct.split(';').find_map(|p| p.trim().strip_prefix("charset=")))
        .map(|c| c.trim().trim_matches('"'))
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .filter(|e| *e != encoding_rs::UTF_8);
    let self_declared = encoding_rs::Encoding::for_bom(bytes).is_some() || xml_declares_encoding(bytes);
    match declared {
        Some(encoding) if !self_declared && std::str::from_utf8(bytes).is_err() => {
            let (text, _, _) = encoding.decode(bytes);
            parse_feed_at(text.as_bytes(), base)
        }
        _ => parse_feed_at(bytes, base),
    }
}

/// True when the document opens with an XML declaration that names an encoding.
fn xml_declares_encoding(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head = &bytes[start..bytes.len().min(start + 256)];
    if !head.starts_with(b"<?xml") {
        return false;
    }
    let end = head.windows(2).position(|w| w == b"?>").unwrap_or(head.len());
    head[..end].windows(8).any(|w| w.eq_ignore_ascii_case(b"encoding"))
}

/// Parses a feed fetched from `base` (relative links resolve against it). The XML
/// declaration's encoding (windows-1256, ISO-8859-6...) is honoured.
pub fn parse_feed_at(bytes: &[u8], base: Option<&str>) -> Result<Feed, String> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(base)
        .build()
        .parse(bytes)
        .map_err(|e| e.to_string())?;
    let feed_title = feed
        .title
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    let site = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|rel| rel == "alternate"))
        .map(|l| l.href.trim().to_string());
    let items = feed
        .entries
        .into_iter()
        .map(|entry| FeedItem {
            guid: Some(entry.id).filter(|id| !id.is_empty()),
            title: entry.title.map(|t| t.content.trim().to_string()).unwrap_or_default(),
            link: entry
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|rel| rel == "alternate"))
                .or(entry.links.first())
                .map(|l| l.href.trim().to_string()),
            published: entry.published.or(entry.updated),
            author: entry
                .authors
                .first()
                .and_then(|a| a.name.as_deref())
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty()),
            content: entry.content.and_then(|c| c.body),
            summary: entry.summary.map(|s| s.content),
            feed_title: feed_title.clone(),
        })
        .collect();
    Ok(Feed {
        title: feed_title,
        site,
        language: feed.language.map(|l| l.trim().to_string()).filter(|l| !l.is_empty()),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_encoding_given_only_in_the_http_header() {
        let mut rss = b"<rss version=\"2.0\"><channel><title>".to_vec();
        rss.extend_from_slice(&encoding_rs::WINDOWS_1256.encode("أخبار").0);
        rss.extend_from_slice(b"</title><item><title>x</title><link>https://a.example/1</link></item></channel></rss>");
        let feed = parse_feed_http(&rss, None, Some("application/rss+xml; charset=windows-1256")).unwrap();
        assert_eq!(feed.title.as_deref(), Some("أخبار"));
        // The document's own declaration wins over the header.
        let mut declared = b"<?xml version=\"1.0\" encoding=\"windows-1256\"?>".to_vec();
        declared.extend_from_slice(&rss);
        let feed = parse_feed_http(&declared, None, Some("text/xml; charset=iso-8859-1")).unwrap();
        assert_eq!(feed.title.as_deref(), Some("أخبار"));
        // A UTF-8 feed served with a wrong header stays UTF-8.
        let utf8 = "<rss version=\"2.0\"><channel><title>أخبار</title></channel></rss>";
        let feed = parse_feed_http(utf8.as_bytes(), None, Some("text/xml; charset=iso-8859-1")).unwrap();
        assert_eq!(feed.title.as_deref(), Some("أخبار"));
    }

    #[test]
    fn rss_atom_and_json_feed() {
        let rss = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>تليكسبريس</title>
            <item><title>بلينكن يشيد بالأمن المغربي</title><link>https://example.ma/1</link>
            <guid>https://example.ma/1</guid><pubDate>Wed, 13 Jul 2022 10:00:00 +0100</pubDate>
            <description><![CDATA[<p>أشاد وزير الخارجية الأمريكي</p>]]></description></item></channel></rss>"#;
        let items = parse_feed(rss.as_bytes()).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].title, "بلينكن يشيد بالأمن المغربي");
        assert_eq!(items[0].link.as_deref(), Some("https://example.ma/1"));
        assert_eq!(
            items[0].published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2022-07-13T09:00:00+00:00")
        );
        assert_eq!(items[0].feed_title.as_deref(), Some("تليكسبريس"));
        assert!(items[0].summary.as_deref().unwrap().contains("أشاد"));

        let atom = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>وكالة</title><id>urn:x</id><updated>2022-07-14T08:00:00Z</updated>
            <entry><title>خبر</title><id>urn:1</id><link href="https://example.com/a"/><updated>2022-07-14T08:00:00Z</updated>
            <author><name>سعيد</name></author><content type="html">&lt;p&gt;نص&lt;/p&gt;</content></entry></feed>"#;
        let items = parse_feed(atom.as_bytes()).unwrap();
        assert_eq!(
            (items[0].author.as_deref(), items[0].content.as_deref()),
            (Some("سعيد"), Some("<p>نص</p>"))
        );

        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"ج","items":[{"id":"1","title":"خبر","url":"https://example.com/j","content_html":"<p>نص</p>","date_published":"2022-07-14T08:00:00Z"}]}"#;
        let items = parse_feed(json.as_bytes()).unwrap();
        assert_eq!(items[0].link.as_deref(), Some("https://example.com/j"));
    }

    #[test]
    fn feed_description_and_legacy_encodings() {
        let mut rss = br#"<?xml version="1.0" encoding="windows-1256"?><rss version="2.0"><channel><title>"#.to_vec();
        let (title, _, _) = encoding_rs::WINDOWS_1256.encode("هسبريس");
        rss.extend_from_slice(&title);
        rss.extend_from_slice(
            br#"</title><link>https://example.ma/</link><language>ar</language><item><title>x</title><link>/a/1</link></item></channel></rss>"#,
        );
        let feed = parse_feed_at(&rss, Some("https://example.ma/rss")).unwrap();
        assert_eq!(feed.title.as_deref(), Some("هسبريس"));
        assert_eq!(feed.site.as_deref(), Some("https://example.ma/"));
        assert_eq!(feed.language.as_deref(), Some("ar"));
        assert_eq!(feed.items[0].link.as_deref(), Some("https://example.ma/a/1"));
    }

    #[test]
    fn malformed_feeds_are_errors() {
        assert!(parse_feed(b"<rss><channel><item><title>unclosed").is_err());
        assert!(parse_feed(b"not a feed at all").is_err());
        assert!(parse_feed(b"").is_err());
    }
}
