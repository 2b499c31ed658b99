//! The date readers on any text: archive dates, dates in Arabic text (Gregorian, Maghreb
//! month names, Hijri, relative to a publication day), and page metadata dates.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(date) = akhbar_model::parse_date(&text) {
        assert!(akhbar_model::plausible_date(&date));
    }
    let published = chrono::NaiveDate::from_ymd_opt(2022, 7, 13);
    for found in akhbar_entities::time_expressions(&text, published) {
        assert!(text.is_char_boundary(found.start) && text.is_char_boundary(found.end));
    }
    let page = format!(
        "<html><head><meta property=\"article:published_time\" content=\"{0}\"><time datetime=\"{0}\">{0}</time></head><body><p>{0}</p></body></html>",
        text.replace('"', "&quot;")
    );
    let (article, _) = akhbar_extract::from_html(page.as_bytes(), None);
    if let Some(date) = article.date {
        let _ = date.to_rfc3339();
    }
});
