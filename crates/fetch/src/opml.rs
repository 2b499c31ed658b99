//! OPML, the subscription list format every feed reader imports and exports.

use quick_xml::events::Event;

/// One subscription of an OPML file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// The feed URL (`xmlUrl`).
    pub url: String,
    /// Display name (`title`, else `text`).
    pub title: Option<String>,
    /// The outlet's site (`htmlUrl`).
    pub site: Option<String>,
    /// The enclosing folder's name, when the file groups feeds.
    pub category: Option<String>,
}

/// Largest OPML file read: subscription lists are small.
pub const MAX_OPML_BYTES: usize = 8 * 1024 * 1024;

/// The subscriptions of an OPML document (outlines with an `xmlUrl`, at any depth).
pub fn parse_opml(bytes: &[u8]) -> Result<Vec<Outline>, String> {
    if bytes.len() > MAX_OPML_BYTES {
        return Err(format!("larger than {MAX_OPML_BYTES} bytes"));
    }
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut outlines = Vec::new();
    // Names of the open folder outlines (outlines without xmlUrl); `None` for feed outlines.
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut saw_opml = false;
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("not well-formed XML at byte {position}: {e}"))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"opml" => saw_opml = true,
                    b"outline" => {
                        let mut attributes = std::collections::HashMap::new();
                        for attribute in e.attributes().flatten() {
                            let value = attribute
                                .decode_and_unescape_value(reader.decoder())
                                .map_err(|e| format!("bad attribute at byte {position}: {e}"))?;
                            let value = value.trim().to_string();
                            if !value.is_empty() {
                                attributes.insert(
                                    String::from_utf8_lossy(attribute.key.local_name().as_ref()).to_string(),
                                    value,
                                );
                            }
                        }
                        let title = attributes.get("title").or(attributes.get("text")).cloned();
                        match attributes.get("xmlUrl") {
                            Some(url) => {
                                outlines.push(Outline {
                                    url: url.clone(),
                                    title,
                                    site: attributes.get("htmlUrl").cloned(),
                                    category: folders.iter().rev().flatten().next().cloned(),
                                });
                                if !is_empty {
                                    folders.push(None);
                                }
                            }
                            None if !is_empty => folders.push(title),
                            None => {}
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) if e.local_name().as_ref() == b"outline" => {
                folders.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_opml {
        return Err("no <opml> element: not an OPML file".into());
    }
    Ok(outlines)
}

/// An OPML 2.0 document listing `outlines`, grouped by category.
pub fn write_opml(title: &str, outlines: &[Outline]) -> String {
    use quick_xml::escape::escape;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    out.push_str(&format!("  <head><title>{}</title></head>\n  <body>\n", escape(title)));
    let line = |o: &Outline, indent: &str| {
        let name = o.title.as_deref().unwrap_or(&o.url);
        let mut line = format!(
            "{indent}<outline type=\"rss\" text=\"{}\" title=\"{}\" xmlUrl=\"{}\"",
            escape(name),
            escape(name),
            escape(o.url.as_str())
        );
        if let Some(site) = &o.site {
            line.push_str(&format!(" htmlUrl=\"{}\"", escape(site.as_str())));
        }
        line.push_str("/>\n");
        line
    };
    let mut categories: Vec<Option<&str>> = outlines.iter().map(|o| o.category.as_deref()).collect();
    categories.sort();
    categories.dedup();
    for category in categories {
        let members = outlines.iter().filter(|o| o.category.as_deref() == category);
        match category {
            None => members.for_each(|o| out.push_str(&line(o, "    "))),
            Some(name) => {
                out.push_str(&format!("    <outline text=\"{}\">\n", escape(name)));
                members.for_each(|o| out.push_str(&line(o, "      ")));
                out.push_str("    </outline>\n");
            }
        }
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_folders_and_flat_lists() {
        let opml = r#"<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
            <outline text="المغرب">
              <outline type="rss" text="هسبريس" xmlUrl="https://www.hespress.com/feed" htmlUrl="https://www.hespress.com"/>
              <outline text="Telexpress" title="تليكسبريس" xmlUrl=" https://telexpress.example/rss?a=1&amp;b=2 "/>
            </outline>
            <outline text="بلا رابط"/>
            <outline text="وكالة" xmlUrl="https://agency.example/atom"></outline>
        </body></opml>"#;
        let outlines = parse_opml(opml.as_bytes()).unwrap();
        let got: Vec<(&str, Option<&str>, Option<&str>)> = outlines
            .iter()
            .map(|o| (o.url.as_str(), o.title.as_deref(), o.category.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("https://www.hespress.com/feed", Some("هسبريس"), Some("المغرب")),
                (
                    "https://telexpress.example/rss?a=1&b=2",
                    Some("تليكسبريس"),
                    Some("المغرب")
                ),
                ("https://agency.example/atom", Some("وكالة"), None),
            ]
        );
        assert_eq!(outlines[0].site.as_deref(), Some("https://www.hespress.com"));
    }

    #[test]
    fn round_trips_through_export() {
        let outlines = vec![
            Outline {
                url: "https://a.example/rss?x=1&y=\"2\"".into(),
                title: Some("أ & <ب>".into()),
                site: Some("https://a.example/".into()),
                category: Some("عربي".into()),
            },
            Outline {
                url: "https://b.example/feed".into(),
                ..Outline::default()
            },
        ];
        let written = write_opml("akhbar", &outlines);
        let mut read = parse_opml(written.as_bytes()).unwrap();
        read.sort_by(|a, b| a.url.cmp(&b.url));
        assert_eq!(read[0], outlines[0]);
        assert_eq!(read[1].title.as_deref(), Some("https://b.example/feed"));
    }

    #[test]
    fn rejects_what_is_not_opml() {
        for bad in ["<rss><channel/></rss>", "<opml><body><outline", "not xml <<<", ""] {
            assert!(parse_opml(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
