//! The Arabic analyzer on any text: no panic, offsets slice the original on character
//! boundaries in order, normalization is idempotent.
#![no_main]

use akhbar_arabic::{normalize, Analyzer};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(Analyzer::default)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut end = 0;
    for token in analyzer().analyze(&text) {
        assert!(token.start >= end && token.start < token.end, "{token:?}");
        assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
        assert_eq!(&text[token.start..token.end], token.text);
        end = token.end;
    }
    let once = normalize(&text);
    assert_eq!(normalize(&once), once);
});
