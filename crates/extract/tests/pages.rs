//! The extraction evaluation: Arabic news pages written for this project
//! (`testdata/pages/NAME.html`, expected output in `NAME.expected.json`), scored on
//! token-level precision, recall and F1 of the main text (bag of whitespace tokens) and on
//! exact title and publication date. Prints the table; run with `-- --nocapture` to see it.

use std::collections::HashMap;
use std::path::Path;

#[derive(serde::Deserialize)]
struct Expected {
    title: String,
    published: Option<String>,
    author: Option<String>,
    url: Option<String>,
    text: String,
}

fn bag(text: &str) -> HashMap<&str, usize> {
    let mut bag = HashMap::new();
    for token in text.split_whitespace() {
        *bag.entry(token).or_default() += 1;
    }
    bag
}

#[derive(Default)]
struct Totals {
    pages: usize,
    overlap: usize,
    extracted: usize,
    expected: usize,
    titles: usize,
    dates: usize,
    days: usize,
    authors: usize,
    urls: usize,
}

#[test]
fn extraction_quality_on_written_pages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/pages");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("testdata/pages exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 15,
        "the evaluation needs at least 15 pages, found {}",
        names.len()
    );
    let mut totals = Totals::default();
    println!("| page | precision | recall | F1 | title | date | author | url |");
    println!("|---|---|---|---|---|---|---|---|");
    for path in &names {
        let expected_path = path.with_extension("expected.json");
        let expected: Expected = serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let (page, _) = akhbar_extract::extract_page(&std::fs::read(path).unwrap(), None);
        let (got, want) = (bag(&page.article.body), bag(&expected.text));
        let overlap: usize = got
            .iter()
            .map(|(t, n)| (*n).min(want.get(t).copied().unwrap_or(0)))
            .sum();
        let (n_got, n_want) = (got.values().sum::<usize>(), want.values().sum::<usize>());
        let precision = overlap as f64 / n_got.max(1) as f64;
        let recall = overlap as f64 / n_want.max(1) as f64;
        let f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);
        let title_ok = page.article.title == expected.title;
        let published = page.published.map(|p| p.to_rfc3339());
        let date_ok = published == expected.published;
        let author_ok = page.article.author == expected.author;
        let url_ok = page.article.url == expected.url;
        totals.pages += 1;
        totals.overlap += overlap;
        totals.extracted += n_got;
        totals.expected += n_want;
        totals.titles += usize::from(title_ok);
        totals.dates += usize::from(date_ok);
        // The day alone: a time written without its zone (the outlet's local time) gives
        // the right day but cannot give the offset.
        let day = |p: &Option<String>| p.as_deref().and_then(|p| p.get(..10)).map(str::to_string);
        totals.days += usize::from(day(&published) == day(&expected.published));
        totals.authors += usize::from(author_ok);
        totals.urls += usize::from(url_ok);
        let mark = |ok: bool| if ok { "ok" } else { "WRONG" };
        println!(
            "| {} | {precision:.3} | {recall:.3} | {f1:.3} | {} | {} | {} | {} |",
            path.file_name().unwrap().to_string_lossy(),
            mark(title_ok),
            if date_ok {
                "ok".to_string()
            } else {
                format!("{published:?} ≠ {:?}", expected.published)
            },
            mark(author_ok),
            mark(url_ok),
        );
    }
    let precision = totals.overlap as f64 / totals.extracted.max(1) as f64;
    let recall = totals.overlap as f64 / totals.expected.max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall);
    let share = |n: usize| n as f64 / totals.pages as f64;
    println!(
        "\n{} pages: text precision {precision:.4}, recall {recall:.4}, F1 {f1:.4}; title {:.3}, date {:.3} (day {:.3}), author {:.3}, url {:.3}",
        totals.pages,
        share(totals.titles),
        share(totals.dates),
        share(totals.days),
        share(totals.authors),
        share(totals.urls)
    );
    assert!(f1 >= 0.97, "main-text F1 {f1:.4} is below the 0.97 target");
    assert!(
        share(totals.titles) >= 0.9,
        "titles right on {:.3} of pages",
        share(totals.titles)
    );
}
