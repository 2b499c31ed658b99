//! The feed parser (RSS, Atom, JSON Feed) and the OPML reader on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(feed) = akhbar_fetch::parse_feed_at(data, Some("https://outlet.example/feed")) {
        for item in feed.items {
            if let Some(date) = item.published {
                let _ = date.to_rfc3339();
            }
        }
    }
    if let Ok(outlines) = akhbar_fetch::parse_opml(data) {
        let _ = akhbar_fetch::write_opml("fuzz", &outlines);
    }
});
