//! The article extractor on any bytes, as a page with and without a declared charset.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (page, _) = akhbar_extract::extract_page(data, None);
    assert!(!page.article.body.contains('\0'));
    let _ = akhbar_extract::from_html(data, Some("text/html; charset=windows-1256"));
    let _ = akhbar_extract::feed_links(&String::from_utf8_lossy(data), "https://outlet.example/news/");
    let _ = akhbar_extract::fragment_text(&String::from_utf8_lossy(data));
});
