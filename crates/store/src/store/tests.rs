use super::*;

fn article(title: &str, body: &str) -> Article {
    Article {
        title: title.into(),
        body: body.into(),
        source: Some("test".into()),
        ..Article::default()
    }
}

fn add(store: &mut Store, articles: &[(&str, &str, &str)]) -> Added {
    let batch = articles
        .iter()
        .map(|(id, title, body)| NewArticle::new(ArticleId::new(*id), article(title, body), None))
        .collect();
    store.add(batch).unwrap()
}

fn ids(hits: &[crate::Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn reingest_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(
        add(&mut store, &[("a", "ت", "ب"), ("b", "ت2", "ب2")]),
        Added { new: 2, existing: 0 }
    );
    assert_eq!(
        add(&mut store, &[("a", "ت", "ب"), ("c", "ت3", "ب3")]),
        Added { new: 1, existing: 1 }
    );
    assert_eq!(store.stats().unwrap().articles, 3);
}

#[test]
fn exact_word_ranks_above_stem_match() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    add(
        &mut store,
        &[
            ("stem", "خبر", "زار الوزير المدارس"),
            ("exact", "خبر", "زار الوزير المدرسة"),
        ],
    );
    let hits = store.search("المدرسة", 10).unwrap();
    assert_eq!(ids(&hits), ["exact"]);
    let hits = store.search("مدارس", 10).unwrap();
    assert_eq!(ids(&hits), ["stem"]);
    let hits = store.search("والمدرسة", 10).unwrap();
    assert_eq!(ids(&hits), ["exact"]);
}

#[test]
fn survives_reopen_and_catches_up_unindexed_rows() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        add(&mut store, &[("a", "بلينكن", "نص")]);
        // A crash after the database commit and before the index commit leaves a row
        // the index does not have.
        store
            .database
            .insert_new(vec![NewArticle::new(
                ArticleId::new("b"),
                article("بوريطة", "نص"),
                None,
            )])
            .unwrap();
    }
    let mut store = Store::open(dir.path()).unwrap();
    assert!(store.search("بوريطة", 10).unwrap().is_empty());
    add(&mut store, &[]);
    assert_eq!(ids(&store.search("بوريطة", 10).unwrap()), ["b"]);
    assert_eq!(ids(&store.search("بلينكن", 10).unwrap()), ["a"]);
}

#[test]
fn stale_analyzer_asks_for_reindex() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        add(&mut store, &[("a", "بلينكن", "نص")]);
        store.database.set_meta(META_ANALYZER, "0").unwrap();
    }
    let mut store = Store::open(dir.path()).unwrap();
    let error = store.search("بلينكن", 10).unwrap_err().to_string();
    assert!(
        error.contains("analyzer version 0") && error.contains("akhbar reindex"),
        "{error}"
    );
    assert!(store.stats().unwrap().reindex_needed);
    assert_eq!(store.reindex(&mut |_, _| {}).unwrap(), 1);
    assert_eq!(ids(&store.search("بلينكن", 10).unwrap()), ["a"]);
}

#[test]
fn older_format_drops_the_index_and_reindex_rebuilds_it_with_entities() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        let mut new = NewArticle::new(ArticleId::new("a"), article("بلينكن في الرباط", "نص"), None);
        new.entities = vec![akhbar_entities::Entity {
            id: "rabat".into(),
            name: "الرباط".into(),
            kind: akhbar_entities::Kind::Location,
            english: Some("Rabat".into()),
            romanized: "al-rbat".into(),
            mentions: vec![akhbar_entities::EntityMention {
                start: 13,
                end: 23,
                text: "الرباط".into(),
                part: akhbar_entities::Part::Title,
            }],
        }];
        store.add(vec![new]).unwrap();
        store.database.set_meta(META_FORMAT, "2").unwrap();
    }
    let mut store = Store::open(dir.path()).unwrap();
    let error = store.search("بلينكن", 10).unwrap_err().to_string();
    assert!(
        error.contains("store format 2") && error.contains("akhbar reindex"),
        "{error}"
    );
    assert_eq!(store.reindex(&mut |_, _| {}).unwrap(), 1);
    let filters = crate::Filters {
        entity: Some("rabat".into()),
        ..crate::Filters::default()
    };
    assert_eq!(ids(&store.search_filtered("بلينكن", 10, &filters).unwrap()), ["a"]);
    assert_eq!(
        ids(&store.search("Rabat", 10).unwrap()),
        ["a"],
        "Latin name of a stored entity"
    );
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert!(!store.stats().unwrap().reindex_needed, "the new format is recorded");
    assert_eq!(store.entity("rabat").unwrap().unwrap().articles, 1);
}

#[test]
fn bad_queries_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    add(&mut store, &[("a", "بلينكن", "نص")]);
    assert!(store.search("  ", 10).is_err());
    assert!(store.search(&"ب".repeat(3000), 10).is_err());
    assert!(store.search("x", 0).is_err());
    for odd in [
        "\"unclosed",
        "title:",
        "((((",
        "+-+-",
        "AND OR NOT",
        "*",
        "بلينكن~~~",
        "[1 TO",
    ] {
        store.search(odd, 10).unwrap();
    }
}
