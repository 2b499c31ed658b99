use super::*;
use crate::StoryUpdate;

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

/// Article a stored and indexed, article b only stored: what a crash after the database
/// commit and before the index commit leaves.
fn with_an_unindexed_row(store: &mut Store) {
    add(store, &[("a", "بلينكن", "نص")]);
    store
        .database
        .insert_new(vec![NewArticle::new(
            ArticleId::new("b"),
            article("بوريطة", "نص"),
            None,
        )])
        .unwrap();
}

#[test]
fn survives_reopen_and_catches_up_unindexed_rows() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        with_an_unindexed_row(&mut store);
    }
    let mut store = Store::open(dir.path()).unwrap();
    assert!(store.search("بوريطة", 10).unwrap().is_empty());
    add(&mut store, &[]);
    assert_eq!(ids(&store.search("بوريطة", 10).unwrap()), ["b"]);
    assert_eq!(ids(&store.search("بلينكن", 10).unwrap()), ["a"]);
}

#[test]
fn a_reader_indexes_what_is_missing_and_gives_the_lock_back() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        with_an_unindexed_row(&mut store);
    }
    // What a server does at start: no write of its own needed.
    let mut server = Store::open(dir.path()).unwrap();
    assert_eq!(server.index_missing().unwrap(), 1);
    assert_eq!(server.index_missing().unwrap(), 0, "nothing more");
    assert_eq!(ids(&server.search("بوريطة", 10).unwrap()), ["b"]);
    // The lock is free again: another process (here, another handle) can write.
    let mut other = Store::open(dir.path()).unwrap();
    add(&mut other, &[("c", "الرباط", "نص")]);
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

#[test]
fn stories_keep_their_latest_time_and_empty_ones_go() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let dated = |id: &str, day: u32| {
        let mut a = article(id, "نص");
        a.date = chrono::NaiveDate::from_ymd_opt(2024, 1, day)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|t| t.and_utc());
        NewArticle::new(ArticleId::new(id), a, None)
    };
    store
        .add(vec![dated("a", 1), dated("b", 2), dated("c", 5), dated("d", 9)])
        .unwrap();
    let update = |id: &str, members: &[i64]| StoryUpdate {
        id: id.into(),
        title: id.into(),
        summary: String::new(),
        entities: Vec::new(),
        members: members.iter().map(|&seq| (seq, None)).collect(),
        related: ["s1", "s2", "s3"]
            .iter()
            .filter(|r| **r != id)
            .map(|r| r.to_string())
            .collect(),
    };
    let listed = |store: &Store, since: Option<&str>| -> Vec<(String, String)> {
        let stories = store.stories(since, 10, 0).unwrap();
        stories.into_iter().map(|s| (s.id, s.last_seen)).collect()
    };
    // Nothing has a story: the earliest unassigned article is the first.
    assert_eq!(store.unassigned_since().unwrap(), Some(1_704_110_400));
    store
        .write_stories(&[update("s1", &[1, 2]), update("s2", &[3]), update("s3", &[4])])
        .unwrap();
    assert_eq!(
        listed(&store, None),
        [
            ("s3".to_string(), "2024-01-09T12:00:00Z".to_string()),
            ("s2".into(), "2024-01-05T12:00:00Z".into()),
            ("s1".into(), "2024-01-02T12:00:00Z".into()),
        ]
    );
    // s3's article moves to s1 (now the latest story); s3 is left empty and dropped. s2
    // loses nothing and keeps its time.
    store.write_stories(&[update("s1", &[1, 2, 4])]).unwrap();
    assert_eq!(
        listed(&store, None),
        [
            ("s1".to_string(), "2024-01-09T12:00:00Z".to_string()),
            ("s2".into(), "2024-01-05T12:00:00Z".into()),
        ]
    );
    assert_eq!(store.story_count().unwrap(), 2);
    assert_eq!(listed(&store, Some("2024-01-06")).len(), 1);
    // Related stories are listed while they exist: s3 is gone.
    assert_eq!(store.story("s1").unwrap().unwrap().related, ["s2"]);
    // Every article has a story; once the step says so, nothing is looked at.
    assert_eq!(store.unassigned_since().unwrap(), None);
    store.stories_done_through(4).unwrap();
    store.add(vec![dated("e", 3)]).unwrap();
    assert_eq!(store.unassigned_since().unwrap(), Some(1_704_283_200));
}

#[test]
fn a_title_with_a_slash_finds_itself_with_all_its_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    add(
        &mut store,
        &[
            (
                "was-1",
                "اقتصادي / الأسهم الباكستانية تغلق على ارتفاع بنسبة 0.34%",
                "أغلق مؤشر بورصة كراتشي",
            ),
            ("other", "اقتصادي", "الأسهم"),
        ],
    );
    let (hits, all_words) = store
        .search_seqs(
            "اقتصادي / الأسهم الباكستانية تغلق على ارتفاع بنسبة 0.34%",
            10,
            &crate::Filters::default(),
        )
        .unwrap();
    assert!(all_words);
    assert_eq!(hits.len(), 1);
    assert_eq!(
        store.search("اقتصادي / الأسهم الباكستانية", 10).unwrap()[0].id.as_str(),
        "was-1"
    );
}

#[test]
fn a_word_in_the_lead_ranks_above_the_same_word_late_in_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    // The same words, the same length: only the place of الميناء differs.
    let body = |at: usize| {
        let mut words = vec!["وقال"; 60];
        words[at] = "الميناء";
        words.join(" ")
    };
    let (late, early) = (body(50), body(2));
    add(&mut store, &[("early", "خبر", &early), ("late", "خبر", &late)]);
    assert_eq!(ids(&store.search("الميناء", 10).unwrap()), ["early", "late"]);
    assert_eq!(crate::lead(&early).split_whitespace().count(), crate::LEAD_WORDS);
}

fn entity(id: &str, name: &str, mentions: &[(usize, usize)]) -> akhbar_entities::Entity {
    akhbar_entities::Entity {
        id: id.into(),
        name: name.into(),
        kind: akhbar_entities::Kind::Location,
        english: None,
        romanized: id.into(),
        mentions: mentions
            .iter()
            .map(|&(start, end)| akhbar_entities::EntityMention {
                start,
                end,
                text: name.into(),
                part: akhbar_entities::Part::Body,
            })
            .collect(),
    }
}

/// Adds articles `(id, entities)` with a placeholder text; returns their sequence numbers.
fn add_with_entities(store: &mut Store, articles: Vec<(&str, Vec<akhbar_entities::Entity>)>) -> Vec<i64> {
    let ids: Vec<String> = articles.iter().map(|(id, _)| id.to_string()).collect();
    let batch = articles
        .into_iter()
        .map(|(id, entities)| {
            let mut new = NewArticle::new(ArticleId::new(id), article("عنوان", "نص"), None);
            new.entities = entities;
            new
        })
        .collect();
    store.add(batch).unwrap();
    ids.iter()
        .map(|id| {
            store
                .database()
                .connection
                .query_row("SELECT seq FROM articles WHERE id = ?1", [id], |r| r.get(0))
                .unwrap()
        })
        .collect()
}

/// Every entity's (mentions, articles) counted from the mentions themselves.
fn recount(store: &Store) -> Vec<(String, i64, i64)> {
    let db = store.database();
    let mut statement = db
        .connection
        .prepare("SELECT entity, COUNT(*), COUNT(DISTINCT seq) FROM mentions GROUP BY entity ORDER BY entity")
        .unwrap();
    let rows = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn listed(store: &Store) -> Vec<(String, i64, i64)> {
    let mut list: Vec<(String, i64, i64)> = store
        .entities(None, 100)
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e.mentions as i64, e.articles as i64))
        .collect();
    list.sort();
    list
}

#[test]
fn entity_counts_follow_inserts_and_replacements() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let seqs = add_with_entities(
        &mut store,
        vec![
            (
                "a",
                vec![
                    entity("rabat", "الرباط", &[(0, 12), (20, 32)]),
                    entity("cairo", "القاهرة", &[(40, 54)]),
                ],
            ),
            ("b", vec![entity("rabat", "الرباط", &[(5, 17)])]),
        ],
    );
    assert_eq!(listed(&store), [("cairo".into(), 1, 1), ("rabat".into(), 3, 2)]);
    assert_eq!(listed(&store), recount(&store));
    assert_eq!(store.entities(None, 1).unwrap()[0].id, "rabat", "most articles first");
    // Re-annotation: article a no longer names Rabat; Cairo twice.
    let seq_a = seqs[0];
    store
        .replace_entities(&[(seq_a, vec![entity("cairo", "القاهرة", &[(0, 14), (30, 44)])])])
        .unwrap();
    assert_eq!(listed(&store), [("cairo".into(), 2, 1), ("rabat".into(), 1, 1)]);
    assert_eq!(listed(&store), recount(&store));
    assert_eq!(store.entity("rabat").unwrap().map(|e| e.articles), Some(1));
    // An entity no article mentions any more is not listed.
    store.replace_entities(&[(seq_a, Vec::new())]).unwrap();
    assert_eq!(listed(&store), [("rabat".into(), 1, 1)]);
    assert_eq!(store.entity("cairo").unwrap(), None);
}

#[test]
fn an_older_store_gains_its_entity_counts_on_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        add_with_entities(
            &mut store,
            vec![("a", vec![entity("rabat", "الرباط", &[(0, 12), (20, 32)])])],
        );
        // Back to the layout before the counts: no columns, no triggers.
        store
            .database()
            .connection
            .execute_batch(
                "DROP TRIGGER mentions_counted_in; DROP TRIGGER mentions_counted_out;
                 DROP INDEX entities_attention;
                 ALTER TABLE entities DROP COLUMN mention_count; ALTER TABLE entities DROP COLUMN article_count;",
            )
            .unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(listed(&store), [("rabat".into(), 2, 1)]);
}

#[test]
fn an_older_store_is_rebuilt_compact_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let body = "أشاد وزير الخارجية الأمريكي أنتوني بلينكن بالتعاون الأمني مع المغرب. ".repeat(20);
    {
        let mut store = Store::open(dir.path()).unwrap();
        let mut new = NewArticle::new(ArticleId::new("a"), article("بلينكن في الرباط", &body), None);
        new.raw_body = Some(format!("{body}\nتابعونا على أخبار"));
        new.entities = vec![entity("rabat", "الرباط", &[(0, 12), (20, 32)])];
        store.add(vec![new]).unwrap();
        add_with_entities(&mut store, vec![("b", vec![entity("rabat", "الرباط", &[(5, 17)])])]);
        // Back to the layout before compression: text as TEXT, mentions with a rowid.
        store
            .database()
            .connection
            .execute_batch(&format!(
                "DELETE FROM meta WHERE key = 'text_compression';
                 UPDATE articles SET body = CASE id WHEN 'a' THEN '{body}' ELSE 'نص' END,
                     raw_body = CASE id WHEN 'a' THEN '{body}\nتابعونا على أخبار' END;
                 CREATE TABLE old_mentions (seq INTEGER NOT NULL, entity TEXT NOT NULL, part TEXT NOT NULL,
                     start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
                     PRIMARY KEY (seq, part, start, entity));
                 INSERT INTO old_mentions SELECT * FROM mentions;
                 DROP TABLE mentions;
                 ALTER TABLE old_mentions RENAME TO mentions;
                 CREATE INDEX mentions_entity ON mentions(entity, seq);
                 {}",
                crate::database::MENTION_TRIGGERS
            ))
            .unwrap();
        let text: i64 = store
            .database()
            .connection
            .query_row("SELECT COUNT(*) FROM articles WHERE typeof(body) = 'text'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(text, 2);
    }
    let mut store = Store::open(dir.path()).unwrap();
    let db = store.database();
    let (text, schema): (i64, String) = db
        .connection
        .query_row(
            "SELECT (SELECT COUNT(*) FROM articles WHERE typeof(body) = 'text'),
                    (SELECT sql FROM sqlite_schema WHERE name = 'mentions')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(text, 0, "bodies compressed");
    assert!(schema.contains("WITHOUT ROWID"), "{schema}");
    assert_eq!(store.get("a").unwrap().unwrap().article.body, body);
    assert_eq!(
        store.raw_body("a").unwrap().unwrap(),
        format!("{body}\nتابعونا على أخبار")
    );
    assert_eq!(store.raw_body("b").unwrap(), None);
    assert_eq!(listed(&store), [("rabat".into(), 3, 2)]);
    assert_eq!(ids(&store.search("بلينكن", 10).unwrap()), ["a"]);
    // The triggers came back with the table: counts follow new articles.
    add_with_entities(&mut store, vec![("c", vec![entity("rabat", "الرباط", &[(1, 9)])])]);
    assert_eq!(listed(&store), [("rabat".into(), 4, 3)]);
    assert_eq!(listed(&store), recount(&store));
}

#[test]
fn entity_facets_rank_by_articles_then_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let seqs = add_with_entities(
        &mut store,
        vec![
            (
                "a",
                vec![
                    entity("rabat", "الرباط", &[(0, 12), (20, 32)]),
                    entity("cairo", "القاهرة", &[(40, 54)]),
                ],
            ),
            (
                "b",
                vec![
                    entity("rabat", "الرباط", &[(5, 17)]),
                    entity("amman", "عمان", &[(30, 38)]),
                ],
            ),
            ("c", vec![entity("cairo", "القاهرة", &[(0, 14)])]),
        ],
    );
    let facets = |seqs: &[i64], limit| -> Vec<(String, usize)> {
        store
            .entity_facets(seqs, limit)
            .unwrap()
            .into_iter()
            .map(|f| (f.id, f.articles))
            .collect()
    };
    // Rabat and Cairo in two articles each (Rabat twice in a: still one article), Amman in one.
    assert_eq!(
        facets(&seqs, 10),
        [("cairo".into(), 2), ("rabat".into(), 2), ("amman".into(), 1)]
    );
    assert_eq!(facets(&seqs, 1), [("cairo".into(), 2)]);
    assert_eq!(facets(&seqs[1..2], 10), [("amman".into(), 1), ("rabat".into(), 1)]);
    assert_eq!(facets(&[], 10), []);
    assert_eq!(store.entity_facets(&seqs, 10).unwrap()[0].name, "القاهرة");
}

#[test]
fn a_mention_stored_twice_is_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    // The same mention twice: the second insert is ignored, and so by the count.
    add_with_entities(
        &mut store,
        vec![("a", vec![entity("rabat", "الرباط", &[(0, 12), (0, 12)])])],
    );
    assert_eq!(listed(&store), [("rabat".into(), 1, 1)]);
    assert_eq!(listed(&store), recount(&store));
}

#[test]
fn without_an_article_of_all_the_words_more_of_them_rank_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    add(
        &mut store,
        &[
            (
                "three",
                "خبر",
                "الميناء والقطار والمطار في المدينة الساحلية الكبيرة شمال البلاد",
            ),
            ("one", "خبر", "الجسر الجسر الجسر الجسر الجسر الجسر"),
            ("port", "خبر", "الميناء"),
            ("train", "خبر", "القطار"),
            ("airport", "خبر", "المطار"),
        ],
    );
    // No article has all four words: the one with three of them ranks above the one that
    // repeats the rarest word, which a plain sum of the words' scores puts first.
    let (hits, all_words) = store
        .search_seqs("الميناء القطار المطار الجسر", 10, &crate::Filters::default())
        .unwrap();
    assert!(!all_words);
    let found = store.search("الميناء القطار المطار الجسر", 10).unwrap();
    assert_eq!(ids(&found)[0], "three", "{:?}", ids(&found));
    assert_eq!(hits.len(), 5);
}

/// Two stores that split an archive, searched with the archive's summed statistics, give
/// the scores one store holding it all gives: for words, phrases, a word in one part only,
/// words no article has together (any of them) and a filter.
#[test]
fn parts_scored_with_summed_statistics_score_as_one_store() {
    let articles: Vec<(String, String, String)> = (0..30)
        .map(|i| {
            let city = ["الرياض", "جدة", "القاهرة", "الرباط", "بيروت"][i % 5];
            let topic = ["معرض الكتاب", "مؤتمر الطاقة", "مهرجان التراث"][i % 3];
            let extra = if i % 7 == 0 { " وزيارة نادرة" } else { "" };
            (
                format!("a{i}"),
                format!("افتتاح {topic} في {city}"),
                format!(
                    "افتتح الوزير {topic} في مدينة {city} بمشاركة {i} جهة{extra}.\n\nوتستمر الدورة {} أيام.",
                    i % 4 + 2
                ),
            )
        })
        .collect();
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut whole = Store::open(dirs[0].path()).unwrap();
    let mut parts = [
        Store::open(dirs[1].path()).unwrap(),
        Store::open(dirs[2].path()).unwrap(),
    ];
    let rows: Vec<(&str, &str, &str)> = articles
        .iter()
        .map(|(i, t, b)| (i.as_str(), t.as_str(), b.as_str()))
        .collect();
    add(&mut whole, &rows);
    // An uneven split, so that each part's own statistics differ from the whole's.
    let (first, second): (Vec<_>, Vec<_>) = rows.iter().enumerate().partition(|(n, _)| n % 3 == 0);
    add(&mut parts[0], &first.into_iter().map(|(_, r)| *r).collect::<Vec<_>>());
    add(&mut parts[1], &second.into_iter().map(|(_, r)| *r).collect::<Vec<_>>());
    let filters = [
        crate::Filters::default(),
        crate::Filters {
            source: Some("test".into()),
            ..crate::Filters::default()
        },
    ];
    for query in [
        "الرياض",
        "معرض الكتاب",
        "\"مؤتمر الطاقة\"",
        "نادرة",
        "الرباط الطاقة",
        "بيروت طوكيو",
    ] {
        for filter in &filters {
            let expected = whole.search_filtered(query, 50, filter).unwrap();
            let mut statistics = crate::TermStatistics::default();
            for part in &parts {
                statistics.add(&part.query_statistics(query, filter).unwrap());
            }
            let all_words = expected.first().is_none_or(|h| h.all_words);
            let mut merged: Vec<(String, f32)> = parts
                .iter()
                .flat_map(|p| p.search_part(query, filter, 50, all_words, &statistics).unwrap().hits)
                .map(|(hit, _)| (hit.id.to_string(), hit.score))
                .collect();
            merged.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut expected: Vec<(String, f32)> = expected.iter().map(|h| (h.id.to_string(), h.score)).collect();
            expected.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            assert!(!expected.is_empty(), "{query}");
            assert_eq!(merged, expected, "{query} {filter:?}");
            // Each part alone scores differently: the test can fail.
            let alone = parts[0].search_filtered(query, 50, filter).unwrap();
            if let Some(hit) = alone.first() {
                let same = expected.iter().find(|(id, _)| *id == hit.id.as_str()).map(|(_, s)| *s);
                assert_ne!(
                    same,
                    Some(hit.score),
                    "{query}: a part's own statistics are not the whole's"
                );
            }
        }
    }
}

/// Adds one article per `(id, day of August 2015, hour, entity ids)`.
fn add_dated(store: &mut Store, articles: &[(&str, u32, u32, &[&str])]) {
    use chrono::TimeZone;
    let batch = articles
        .iter()
        .map(|(id, day, hour, entities)| {
            let mut a = article("عنوان", "نص");
            a.date = chrono::Utc.with_ymd_and_hms(2015, 8, *day, *hour, 0, 0).single();
            // Each article its own outlet, but for the one outlet's byline below.
            a.source = Some(if entities.contains(&"byline") {
                "one".into()
            } else {
                format!("outlet-{id}")
            });
            let mut new = NewArticle::new(ArticleId::new(*id), a, None);
            new.entities = entities.iter().map(|e| entity(e, e, &[(0, 4)])).collect();
            new
        })
        .collect();
    store.add(batch).unwrap();
}

fn entity_days(store: &Store) -> Vec<(String, String, i64)> {
    let db = store.database();
    let mut statement = db
        .connection
        .prepare("SELECT entity, day, articles FROM entity_days WHERE articles > 0 ORDER BY 1, 2")
        .unwrap();
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Articles per day.
type Days = Vec<(String, i64)>;

/// Articles per day as `article_days` keeps them, and as counting the articles gives them.
fn article_days(store: &Store) -> (Days, Days) {
    let db = store.database();
    let read = |sql: &str| -> Days {
        let mut statement = db.connection.prepare(sql).unwrap();
        statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    (
        read("SELECT day, articles FROM article_days WHERE articles > 0 ORDER BY 1"),
        read("SELECT substr(COALESCE(date, ingested_at), 1, 10), COUNT(*) FROM articles GROUP BY 1 ORDER BY 1"),
    )
}

#[test]
fn a_name_far_above_its_usual_days_rises_and_a_daily_one_does_not() {
    use chrono::TimeZone;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    // Rabat in one article a day for four weeks; on the 29th, Rabat in two articles, Tangier
    // (never named before) in four, Fes in one.
    let days: Vec<(String, u32)> = (1..=28).map(|d| (format!("r{d}"), d)).collect();
    let usual: Vec<(&str, u32, u32, &[&str])> = days
        .iter()
        .map(|(id, d)| (id.as_str(), *d, 9, &["rabat"][..]))
        .collect();
    add_dated(&mut store, &usual);
    add_dated(
        &mut store,
        &[
            ("a", 29, 8, &["rabat", "tangier"]),
            ("b", 29, 10, &["rabat", "tangier"]),
            ("c", 29, 12, &["tangier"]),
            ("d", 29, 14, &["tangier", "fes"]),
            // A name one outlet prints in all its articles is not rising news.
            ("f", 29, 15, &["byline"]),
            ("g", 29, 16, &["byline"]),
            ("h", 29, 17, &["byline"]),
            ("i", 29, 18, &["byline"]),
            // Outside the window: the day after.
            ("e", 30, 12, &["fes", "fes-region"]),
        ],
    );
    let at = chrono::Utc.with_ymd_and_hms(2015, 8, 29, 23, 0, 0).single();
    let rising = store.rising(at).unwrap();
    assert_eq!(rising.at, "2015-08-29T23:00:00Z");
    let listed: Vec<(&str, u64, f64)> = rising
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.count, e.baseline))
        .collect();
    assert_eq!(listed, [("tangier", 4, 0.0)]);
    assert_eq!(rising.entities[0].score, 4.0);
    // By default, the window ends at the latest article.
    assert_eq!(store.rising(None).unwrap().at, "2015-08-30T13:00:00Z");

    // The day counts follow replaced mentions, and an older store gains them on open.
    let before = entity_days(&store);
    assert!(before.contains(&("rabat".into(), "2015-08-29".into(), 2)), "{before:?}");
    let (kept, counted) = article_days(&store);
    assert_eq!(kept.len(), 30);
    assert_eq!(kept, counted);
    store
        .database()
        .connection
        .execute_batch("DROP TABLE entity_days; DROP TABLE entity_hours; DROP TABLE article_days;")
        .unwrap();
    drop(store);
    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(entity_days(&store), before);
    assert_eq!(article_days(&store).0, kept);
    // Re-annotated, article c no longer names Tangier.
    let c: i64 = store
        .database()
        .connection
        .query_row("SELECT seq FROM articles WHERE id = 'c'", [], |r| r.get(0))
        .unwrap();
    store
        .replace_entities(&[(c, vec![entity("fes", "fes", &[(0, 4)])])])
        .unwrap();
    assert_eq!(store.rising(at).unwrap().entities[0].count, 3);
    assert!(entity_days(&store).contains(&("tangier".into(), "2015-08-29".into(), 3)));
    assert_eq!(article_days(&store).0, kept, "re-annotation moves no article");
}

#[test]
fn an_older_stores_follows_become_the_first_accounts() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        // Back to the layout before accounts: follows unique on (kind, target).
        store
            .database()
            .connection
            .execute_batch(
                "DROP TABLE follows;
                 CREATE TABLE follows (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,
                     target TEXT NOT NULL, created TEXT NOT NULL, UNIQUE (kind, target));
                 INSERT INTO follows(kind, target, created) VALUES
                     ('entity', 'nasser-bourita', '2026-01-01T00:00:00Z'),
                     ('search', 'الأمن المغربي', '2026-01-02T00:00:00Z');",
            )
            .unwrap();
    }
    let mut store = Store::open(dir.path()).unwrap();
    let site: Vec<_> = store
        .follows()
        .unwrap()
        .into_iter()
        .map(|f| (f.id, f.kind, f.target))
        .collect();
    assert_eq!(
        site,
        [
            (1, "entity".to_string(), "nasser-bourita".to_string()),
            (2, "search".to_string(), "الأمن المغربي".to_string())
        ]
    );
    let user = store.add_user("owner", "a password").unwrap();
    assert_eq!(store.user_follows(user.id).unwrap().len(), 2);
    assert_eq!(store.follows().unwrap().len(), 2);
    // New follows of the site are the owner's; ids go on from the old table's.
    assert_eq!(store.add_follow("source", "هسبريس").unwrap().id, 3);
    assert_eq!(store.user_follows(user.id).unwrap().len(), 3);
    // The rebuilt table carries the alerts' columns.
    assert!(store.set_webhook(3, Some("https://hooks.example/a"), "secret").unwrap());
    assert!(store.set_email(3, Some("reader@example.org"), 60).unwrap());
    assert_eq!(store.webhooks().unwrap()[0].url, "https://hooks.example/a");
    assert_eq!(store.email_digests().unwrap()[0].to, "reader@example.org");
}

#[test]
fn an_entity_stored_without_its_english_name_gains_it_later() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let with = |id: &str, name: &str, english: Option<&str>| {
        let mut new = NewArticle::new(ArticleId::new(id), article("القاعدة", "نص"), None);
        new.entities = vec![akhbar_entities::Entity {
            id: "al-qaeda".into(),
            name: name.into(),
            kind: akhbar_entities::Kind::Organization,
            english: english.map(str::to_string),
            romanized: akhbar_entities::romanize(name),
            mentions: vec![akhbar_entities::EntityMention {
                start: 0,
                end: 12,
                text: "القاعدة".into(),
                part: akhbar_entities::Part::Title,
            }],
        }];
        new
    };
    store.add(vec![with("a", "القاعدة", None)]).unwrap();
    store.add(vec![with("b", "تنظيم القاعدة", Some("al-Qaeda"))]).unwrap();
    // A later record without the English name changes nothing.
    store.add(vec![with("c", "القاعدة", None)]).unwrap();
    let entity = store.entity("al-qaeda").unwrap().unwrap();
    assert_eq!(
        (entity.name.as_str(), entity.english.as_deref(), entity.articles),
        ("تنظيم القاعدة", Some("al-Qaeda"), 3)
    );
}
