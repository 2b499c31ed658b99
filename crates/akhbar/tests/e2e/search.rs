use crate::util::{seed_path, Env};

fn seeded() -> Env {
    let env = Env::new();
    env.write(
        "others.jsonl",
        r#"{"id":"other-1","title":"منتدى اقتصادي في الرياض","content":"افتتح في الرياض منتدى اقتصادي بمشاركة وزراء المالية."}
{"id":"other-2","title":"موجة حر في الخليج","content":"سجلت درجات الحرارة ٤٨ درجة مئوية في عدة مدن."}
"#,
    );
    env.run_ok(
        &[
            "ingest",
            seed_path().to_str().unwrap(),
            env.path("others.jsonl").to_str().unwrap(),
        ],
        0,
    );
    env
}

#[test]
fn seed_is_found_by_blinken_with_highlight() {
    let env = seeded();
    let hits = env.run_ok(&["search", "بلينكن", "--json"], 0).json_lines();
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hit = &hits[0];
    assert_eq!(
        hit["title"],
        "المغرب-أمريكا.. بلينكن يشيد بنجاعة الأمن المغربي في تحقيق الاستقرار بالمنطقة"
    );
    assert!(hit["snippet"].as_str().unwrap().contains("<b>بلينكن</b>"), "{hit}");
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    let keys: Vec<&str> = hit.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["date", "id", "score", "snippet", "source", "story", "title", "url"]
    );
}

#[test]
fn clitics_and_spelling_variants_match() {
    let env = seeded();
    for query in [
        "الأمن المغربي",
        "\"الأمن المغربي\"",
        "الامن",
        "والرباط",
        "رباط",
        "بالولايات",
        "الولايات المتحدة",
        "مكافحة الارهاب",
    ] {
        let hits = env.run_ok(&["search", query, "--json"], 0).json_lines();
        assert!(!hits.is_empty(), "no hit for {query:?}");
        assert!(
            hits[0]["title"].as_str().unwrap().starts_with("المغرب-أمريكا"),
            "{query:?}: {hits:?}"
        );
    }
    let hits = env.run_ok(&["search", "درجة ٤٨", "--json"], 0).json_lines();
    assert_eq!(hits[0]["id"], "other-2");
    let hits = env.run_ok(&["search", "48", "--json"], 0).json_lines();
    assert_eq!(hits[0]["id"], "other-2");
}

#[test]
fn human_output_limit_and_odd_queries() {
    let env = seeded();
    let run = env.run_ok(&["search", "منتدى", "--limit", "1"], 0);
    assert_eq!(run.stdout.lines().filter(|l| l.starts_with("1. ")).count(), 1, "{run}");
    assert!(!run.stdout.contains("2. "), "{run}");
    let run = env.run_ok(&["search", "كلمةغيرموجودة"], 0);
    assert!(run.stdout.contains("no results"), "{run}");
    for odd in ["\"", "(((", "title:", "+-", "AND"] {
        env.run_ok(&["search", odd, "--json"], 0);
    }
    let long = "ب".repeat(5000);
    let run = env.run_ok(&["search", &long], 2);
    assert!(run.stderr.contains("query of 10000 bytes is longer than 2048"), "{run}");
    env.run_ok(&["search", " "], 2);
}

#[test]
fn reindex_rebuilds_and_search_still_works() {
    let env = seeded();
    let run = env.run_ok(&["reindex"], 0);
    assert!(run.stdout.contains("re-indexed 3 articles"), "{run}");
    assert_eq!(env.run_ok(&["search", "بوريطة", "--json"], 0).json_lines().len(), 1);
}

#[test]
fn a_query_may_start_with_a_hyphen() {
    let env = seeded();
    let run = env.run_ok(&["search", "-بلينكن", "--json"], 0);
    assert!(run.json_lines().iter().all(|h| h["id"] != "he4d87624425aa082"), "{run}");
}

#[test]
fn says_when_it_falls_back_to_any_word() {
    let env = seeded();
    let run = env.run_ok(&["search", "بلينكن الرياض"], 0);
    assert!(run.stdout.starts_with("no article has all the words"), "{run}");
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
            .count(),
        2,
        "{run}"
    );
    let run = env.run_ok(&["search", "بلينكن بوريطة"], 0);
    assert!(!run.stdout.contains("no article has all the words"), "{run}");
}
