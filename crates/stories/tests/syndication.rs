//! An agency dispatch and five edited reprints (new titles, a dropped lead or closing
//! paragraph, a byline, an "اقرأ أيضا" insert, numbers written as digits, trimmed sentences)
//! become one origin with five copies in one story; another story about the same minister
//! on the same day stays apart. Fixtures written for the project.

use akhbar_stories::{cluster, paragraph_diff, Change, Doc, Fingerprinter, Options};

fn fixture(name: &str) -> (String, String) {
    let path = format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (title, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    (title.trim().to_string(), body.trim().to_string())
}

#[test]
fn a_dispatch_and_its_reprints_are_one_origin_with_five_copies() {
    let names = [
        ("reprint-2.txt", "okaz"),
        ("dispatch.txt", "spa"),
        ("reprint-1.txt", "sabq"),
        ("reprint-3.txt", "alwatan"),
        ("reprint-4.txt", "almadina"),
        ("reprint-5.txt", "alyaum"),
        ("same-minister-other-story.txt", "alriyadh"),
    ];
    let articles: Vec<(String, String)> = names.iter().map(|(n, _)| fixture(n)).collect();
    let mut fingerprinter = Fingerprinter::default();
    let prints: Vec<_> = articles.iter().map(|(t, b)| fingerprinter.fingerprint(t, b)).collect();
    // The reprint in okaz was crawled before the agency's dispatch: the agency is still the origin.
    let base = 1_654_930_000;
    let times = [
        base - 600,
        base,
        base + 900,
        base + 1800,
        base + 3600,
        base + 7200,
        base + 5400,
    ];
    let entities = vec!["saudi-moh".to_string(), "jeddah".to_string()];
    let minister = vec!["saudi-moh".to_string()];
    let docs: Vec<Doc> = names
        .iter()
        .zip(&prints)
        .zip(times)
        .enumerate()
        .map(|(i, (((name, source), fingerprint), time))| Doc {
            id: name,
            source: Some(source),
            time,
            entities: if i == 6 { &minister } else { &entities },
            title_entities: &[],
            fingerprint,
        })
        .collect();
    let result = cluster(&docs, &Options::default());
    let dispatch = 1;
    for (i, (name, _)) in names.iter().enumerate() {
        match i {
            1 => assert_eq!(result.copy_of[i], None, "the dispatch is the origin"),
            6 => assert_eq!(result.copy_of[i], None, "{name} is not a copy"),
            _ => assert_eq!(result.copy_of[i], Some(dispatch), "{name} copies the dispatch"),
        }
    }
    for (i, (name, _)) in names.iter().enumerate().take(6) {
        assert_eq!(
            result.story[i], result.story[dispatch],
            "{name} is in the dispatch's story"
        );
    }
    assert_ne!(
        result.story[6], result.story[dispatch],
        "another story about the same minister stays apart"
    );
    assert_eq!(result.stories.len(), 2);

    // What reprint 3 changed: the lead paragraph dropped, a byline added.
    let changes = paragraph_diff(&articles[dispatch].1, &articles[3].1);
    assert!(
        changes
            .iter()
            .any(|c| matches!(c, Change::Added(p) if p.starts_with("كتب:"))),
        "{changes:?}"
    );
    assert!(
        changes
            .iter()
            .any(|c| matches!(c, Change::Removed(p) if p.starts_with("جدة 12"))),
        "{changes:?}"
    );
}

#[test]
fn summaries_come_from_the_story_and_say_what_happened() {
    let (title, body) = fixture("dispatch.txt");
    let (title2, body2) = fixture("reprint-1.txt");
    let mut fingerprinter = Fingerprinter::default();
    let prints = [
        fingerprinter.fingerprint(&title, &body),
        fingerprinter.fingerprint(&title2, &body2),
    ];
    let docs: Vec<Doc> = prints
        .iter()
        .enumerate()
        .map(|(i, fingerprint)| Doc {
            id: ["a", "b"][i],
            source: Some(["spa", "sabq"][i]),
            time: i as i64,
            entities: &[],
            title_entities: &[],
            fingerprint,
        })
        .collect();
    let result = cluster(&docs, &Options::default());
    let refs: Vec<_> = prints.iter().collect();
    let summary = akhbar_stories::summary(&result.stories[0], &refs, &[&body, &body2], &result.centroids[0]);
    assert!(summary.contains("مستشفى الملك فهد"), "{summary}");
    assert!(
        summary.chars().count() <= akhbar_stories::SUMMARY_CHARS + 300,
        "{summary}"
    );
    // Copies say the same thing: no sentence appears twice.
    let sentences: Vec<&str> = summary.split(". ").collect();
    let unique: std::collections::HashSet<&&str> = sentences.iter().collect();
    assert_eq!(sentences.len(), unique.len(), "{summary}");
}

/// A feed that repeats one dispatch thousands of times (a broken generator, or a hostile one)
/// and thousands of short items in one hour: the work per article stays bounded (LSH buckets
/// and story postings are capped), and the result is still right: one origin, the rest its
/// copies, one story.
#[test]
fn thousands_of_one_text_in_one_hour_stay_bounded_and_right() {
    let (title, body) = fixture("dispatch.txt");
    let mut fingerprinter = Fingerprinter::default();
    let print = fingerprinter.fingerprint(&title, &body);
    let n = 4000;
    let ids: Vec<String> = (0..n).map(|i| format!("repeat-{i:04}")).collect();
    let docs: Vec<Doc> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| Doc {
            id,
            source: Some("outlet"),
            time: 1_654_930_000 + i as i64,
            entities: &[],
            title_entities: &[],
            fingerprint: &print,
        })
        .collect();
    let started = std::time::Instant::now();
    let result = cluster(&docs, &Options::default());
    let elapsed = started.elapsed();
    assert_eq!(result.copy_of[0], None);
    assert!(result.copy_of[1..].iter().all(|c| *c == Some(0)));
    assert_eq!(result.stories.len(), 1);
    // Unbounded, this was 8 million containment checks; bounded, a quarter million.
    assert!(elapsed < std::time::Duration::from_secs(60), "{elapsed:?}");
}
