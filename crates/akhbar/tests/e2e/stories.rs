//! Stories end to end: a dispatch and its reprints from several outlets become one story
//! with one origin, another story about the same minister stays apart, and search can show
//! one result per story.

use crate::util::Env;

fn fixture(name: &str) -> (String, String) {
    let path = format!("{}/../stories/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let (title, body) = text.split_once("\n\n").unwrap();
    (title.trim().to_string(), body.trim().to_string())
}

fn archive() -> String {
    let articles = [
        ("dispatch.txt", "spa", "2022-06-11 09:00:00", "d-spa"),
        ("reprint-1.txt", "sabq", "2022-06-11 09:20:00", "r-sabq"),
        ("reprint-2.txt", "okaz", "2022-06-11 08:50:00", "r-okaz"),
        ("reprint-3.txt", "alwatan", "2022-06-11 11:00:00", "r-alwatan"),
        ("reprint-4.txt", "almadina", "2022-06-11 12:00:00", "r-almadina"),
        ("reprint-5.txt", "alyaum", "2022-06-11 13:00:00", "r-alyaum"),
        (
            "same-minister-other-story.txt",
            "alriyadh",
            "2022-06-11 10:00:00",
            "other",
        ),
    ];
    articles
        .iter()
        .map(|(file, source, date, id)| {
            let (title, content) = fixture(file);
            serde_json::json!({"id": id, "source": source, "date": date, "title": title, "content": content})
                .to_string()
                + "\n"
        })
        .collect()
}

#[test]
fn reprints_are_one_story_with_one_origin() {
    let env = Env::new();
    let path = env.write("news.jsonl", archive());
    let summary = env.run_ok(&["ingest", path.to_str().unwrap(), "--json"], 0).json();
    assert_eq!(
        (
            summary["stories"]["stories"].as_u64(),
            summary["stories"]["copies"].as_u64()
        ),
        (Some(2), Some(5)),
        "{summary}"
    );

    let stories = env.run_ok(&["stories", "--json"], 0).json_lines();
    assert_eq!(stories.len(), 2);
    for story in &stories {
        let keys: Vec<&str> = story.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "articles",
                "entities",
                "first_seen",
                "id",
                "last_seen",
                "related",
                "sources",
                "summary",
                "title"
            ]
        );
    }
    let hospital = stories
        .iter()
        .find(|s| s["articles"].as_array().unwrap().len() == 6)
        .unwrap();
    let sources: Vec<&str> = hospital["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 6, "{sources:?}");
    assert!(hospital["summary"].as_str().unwrap().contains("مستشفى"), "{hospital}");
    assert_eq!(
        (hospital["first_seen"].as_str(), hospital["last_seen"].as_str()),
        (Some("2022-06-11T08:50:00Z"), Some("2022-06-11T13:00:00Z"))
    );
    let other = stories
        .iter()
        .find(|s| s["articles"] == serde_json::json!(["other"]))
        .unwrap();
    assert_ne!(other["id"], hospital["id"]);

    let dispatch = env.run_ok(&["show", "d-spa", "--json"], 0).json();
    assert_eq!(
        (dispatch["story"].clone(), dispatch["copy_of"].clone()),
        (hospital["id"].clone(), serde_json::Value::Null)
    );
    for id in ["r-sabq", "r-okaz", "r-alwatan", "r-almadina", "r-alyaum"] {
        let copy = env.run_ok(&["show", id, "--json"], 0).json();
        assert_eq!(
            copy["copy_of"], "d-spa",
            "{id}: the agency is the origin, even for a reprint crawled first"
        );
    }
    let diff = env.run_ok(&["show", "r-alwatan", "--diff"], 0).stdout;
    assert!(diff.lines().any(|l| l.starts_with("+ كتب:")), "{diff}");
    assert!(diff.lines().any(|l| l.starts_with("- جدة 12")), "{diff}");
    let not_copy = env.run_ok(&["show", "other", "--diff"], 2);
    assert!(not_copy.stderr.contains("not a copy"), "{not_copy}");

    let collapsed = env
        .run_ok(&["search", "وزير الصحة", "--collapse", "--json"], 0)
        .json_lines();
    assert_eq!(collapsed.len(), 2, "one result per story");
    let top = collapsed.iter().find(|h| h["story"] == hospital["id"]).unwrap();
    assert_eq!(top["story_articles"], 6);
    let all = env.run_ok(&["search", "وزير الصحة", "--json"], 0).json_lines();
    assert_eq!(all.len(), 7);

    // Recomputing the whole store gives the same stories.
    let before: Vec<String> = stories.iter().map(|s| s["id"].to_string()).collect();
    let run = env.run_ok(&["stories", "--recompute", "--json"], 0);
    assert!(
        run.stderr.contains("recomputed: 7 articles, 2 stories, 5 copies"),
        "{run}"
    );
    let mut after: Vec<String> = run.json_lines().iter().map(|s| s["id"].to_string()).collect();
    let mut before = before;
    before.sort();
    after.sort();
    assert_eq!(before, after);

    // A later ingest adds to the story instead of starting another.
    let late = serde_json::json!({"id": "late", "source": "alsharq", "date": "2022-06-12 08:00:00",
        "title": "مستشفى جدة الجديد يبدأ استقبال المرضى",
        "content": fixture("reprint-1.txt").1})
    .to_string();
    let late_path = env.write("late.jsonl", late + "\n");
    env.run_ok(&["ingest", late_path.to_str().unwrap()], 0);
    assert_eq!(
        env.run_ok(&["show", "late", "--json"], 0).json()["story"],
        hospital["id"]
    );
}
