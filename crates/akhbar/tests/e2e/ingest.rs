use crate::util::{gzip, seed_path, Env};

const JSONL: &str = r#"{"id":"wire-1","source":"map","url":"https://example.ma/1","date":"2022-07-13 10:00:00","title":"بوريطة يتلقى اتصالا من بلينكن","author":"","content":"تلقى وزير الخارجية ناصر بوريطة اتصالا هاتفيا من نظيره الأمريكي.\n\nوبحث الجانبان التعاون الأمني."}
{"id":"wire-2","source":"spa","date":"2022-07-14T08:00:00+03:00","title":"منتدى اقتصادي في الرياض","body":"افتتح في الرياض منتدى اقتصادي بمشاركة واسعة."}
{"id":"wire-3","title":"","text":"خبر بلا عنوان عن الطقس الحار في الخليج."}
"#;

#[test]
fn each_format_lands_with_its_fields() {
    let env = Env::new();
    env.write("in/seed.txt", std::fs::read(seed_path()).unwrap());
    env.write(
        "in/page.html",
        r#"<html lang="ar"><head><title>صفحة</title><link rel="canonical" href="https://example.ma/page"></head>
        <body><nav>القائمة</nav><article><h1>حموشي في واشنطن</h1><p>أجرى المدير العام زيارة عمل.</p></article></body></html>"#,
    );
    env.write("in/wires.jsonl", JSONL);
    env.write("gz/wires-copy.jsonl.gz", gzip(JSONL.replace("wire-", "gz-").as_bytes()));
    let run = env.run_ok(
        &[
            "ingest",
            "--json",
            env.path("in").to_str().unwrap(),
            env.path("gz").to_str().unwrap(),
        ],
        0,
    );
    let summary = run.json();
    assert_eq!(summary["new"], 8, "{run}");
    assert_eq!(summary["files"], 4, "{run}");
    assert_eq!(summary["failed"].as_array().unwrap().len(), 0, "{run}");

    let show = env.run_ok(&["show", "wire-1", "--json"], 0).json();
    assert_eq!(show["title"], "بوريطة يتلقى اتصالا من بلينكن");
    assert_eq!(show["source"], "map");
    assert_eq!(show["url"], "https://example.ma/1");
    assert_eq!(show["date"], "2022-07-13T10:00:00Z");
    assert_eq!(
        show["body"],
        "تلقى وزير الخارجية ناصر بوريطة اتصالا هاتفيا من نظيره الأمريكي.\n\nوبحث الجانبان التعاون الأمني."
    );
    let keys: Vec<&str> = show.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["author", "body", "copy_of", "date", "dates", "entities", "id", "source", "story", "title", "url"]
    );
    assert_eq!(
        env.run_ok(&["show", "wire-2", "--json"], 0).json()["date"],
        "2022-07-14T05:00:00Z"
    );
    assert_eq!(env.run_ok(&["show", "gz-3", "--json"], 0).json()["title"], "");

    // The HTML page gets its id from its canonical URL, the seed from its content.
    let hits = env.run_ok(&["search", "حموشي", "--json"], 0).json_lines();
    let page = hits
        .iter()
        .find(|h| h["url"] == "https://example.ma/page")
        .expect("the page is found");
    assert!(page["id"].as_str().unwrap().starts_with('u'), "{hits:?}");
    assert_eq!(page["title"], "حموشي في واشنطن");
    assert!(
        env.run_ok(&["search", "القائمة", "--json"], 0).json_lines().is_empty(),
        "navigation is not article text"
    );
    let seed = env.run_ok(&["search", "منتدى النقب", "--json"], 0).json_lines();
    assert!(seed[0]["id"].as_str().unwrap().starts_with('h'), "{seed:?}");
    let seed_show = env
        .run_ok(&["show", seed[0]["id"].as_str().unwrap(), "--json"], 0)
        .json();
    assert_eq!(
        seed_show["title"],
        "المغرب-أمريكا.. بلينكن يشيد بنجاعة الأمن المغربي في تحقيق الاستقرار بالمنطقة"
    );
    assert_eq!(seed_show["body"].as_str().unwrap().split("\n\n").count(), 9);
}

#[test]
fn source_flag_names_files_without_one() {
    let env = Env::new();
    let seed = seed_path();
    env.run_ok(&["ingest", "--source", "Telexpress", seed.to_str().unwrap()], 0);
    let hits = env.run_ok(&["search", "بلينكن", "--json"], 0).json_lines();
    assert_eq!(hits[0]["source"], "Telexpress");
}

#[test]
fn reingest_adds_nothing() {
    let env = Env::new();
    let file = env.write("wires.jsonl", JSONL);
    let seed = seed_path();
    let first = env
        .run_ok(&["ingest", "--json", file.to_str().unwrap(), seed.to_str().unwrap()], 0)
        .json();
    assert_eq!((first["new"].as_u64(), first["existing"].as_u64()), (Some(4), Some(0)));
    let second = env
        .run_ok(&["ingest", "--json", file.to_str().unwrap(), seed.to_str().unwrap()], 0)
        .json();
    assert_eq!(
        (second["new"].as_u64(), second["existing"].as_u64()),
        (Some(0), Some(4))
    );
    let stats = env.run_ok(&["stats", "--json"], 0).json();
    assert_eq!(stats["articles"], 4);
    assert!(stats["index_bytes"].as_u64().unwrap() > 0);
}

#[test]
fn invalid_utf8_and_bad_json_in_the_middle_keep_the_good_lines() {
    let env = Env::new();
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"{\"id\":\"ok-1\",\"title\":\"\xd8\xa3\xd9\x88\xd9\x84\",\"content\":\"x\"}\n");
    bytes.extend_from_slice(
        b"{\"id\":\"broken\",\"title\":\"\xc7\xe1\xe3\xdb\xd1\xc8\",\"content\":\"windows-1256\"}\n",
    );
    bytes.extend_from_slice(b"{\"id\": \n");
    bytes.extend_from_slice(b"{\"id\":\"ok-2\",\"title\":\"t\",\"content\":\"y\"}\n");
    let path = env.write("mixed.jsonl", bytes);
    let run = env.run_ok(&["ingest", "--json", path.to_str().unwrap()], 1);
    let summary = run.json();
    assert_eq!(summary["new"], 2, "{run}");
    let failed: Vec<&str> = summary["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert_eq!(failed.len(), 2, "{run}");
    assert!(
        failed[0].ends_with("mixed.jsonl: line 2: invalid UTF-8 at byte 24"),
        "{failed:?}"
    );
    assert!(failed[1].contains("mixed.jsonl: line 3: invalid JSON"), "{failed:?}");
    env.run_ok(&["show", "ok-2"], 0);
    let human = env.run_ok(&["ingest", path.to_str().unwrap()], 1);
    assert!(human.stderr.contains("line 2: invalid UTF-8"), "{human}");
    assert!(human.stdout.contains("0 new, 2 already present, 2 failed"), "{human}");
}

#[test]
fn corrupt_gzip_reports_and_keeps_earlier_lines() {
    let env = Env::new();
    let lines: String = (0..300)
        .map(|i| {
            format!(
                "{{\"id\":\"z-{i}\",\"title\":\"عنوان {i}\",\"content\":\"{}\"}}\n",
                "نص الخبر ".repeat(40)
            )
        })
        .collect();
    let mut bytes = gzip(lines.as_bytes());
    let half = bytes.len() / 2;
    bytes.truncate(half);
    let path = env.write("cut.jsonl.gz", bytes);
    let other = env.write("fine.jsonl", r#"{"id":"fine","title":"سليم","content":"نص"}"#);
    let run = env.run_ok(
        &["ingest", "--json", path.to_str().unwrap(), other.to_str().unwrap()],
        1,
    );
    let summary = run.json();
    let new = summary["new"].as_u64().unwrap();
    assert!(new > 1 && new < 300, "{run}");
    let reason = summary["failed"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("cut.jsonl.gz: read failed after line"), "{reason}");
    assert_eq!(env.run_ok(&["stats", "--json"], 0).json()["articles"], new);
    env.run_ok(&["show", "fine"], 0);
}

#[test]
fn missing_paths_and_unknown_ids_are_clear_errors() {
    let env = Env::new();
    let run = env.run_ok(&["search", "بلينكن"], 2);
    assert!(run.stderr.contains("no akhbar store here"), "{run}");
    assert!(!env.data().exists(), "a read command must not create a store");
    let run = env.run_ok(&["ingest", env.path("nope").to_str().unwrap()], 1);
    assert!(run.stderr.contains("nope: cannot read"), "{run}");
    let run = env.run_ok(&["show", "no-such-id"], 2);
    assert!(run.stderr.contains("no article with id \"no-such-id\""), "{run}");
    env.run_ok(&["frobnicate"], 2);
}

#[test]
fn saved_feeds_are_ingested_entry_by_entry() {
    let env = Env::new();
    let rss = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>تليكسبريس</title>
<item><title>بلينكن يشيد بالأمن المغربي</title><link>https://example.ma/news/1?utm_source=rss</link>
<pubDate>Wed, 13 Jul 2022 10:00:00 +0100</pubDate><author>desk@example.ma (هيئة التحرير)</author>
<description><![CDATA[<p>أشاد وزير الخارجية الأمريكي بالتزام المغرب.</p><p>اقرأ أيضا: خبر آخر</p><p>وبحث مع بوريطة التعاون الثنائي.</p>]]></description></item>
<item><title>منتدى اقتصادي في الرياض</title><link>https://example.ma/news/2</link><description>افتتاح المنتدى</description></item>
</channel></rss>"#;
    let feed = env.write("feeds/telexpress.rss", rss);
    env.write("feeds/broken.xml", "<rss><channel><item><title>مقطوع");
    let run = env.run_ok(&["ingest", "--json", env.path("feeds").to_str().unwrap()], 1);
    let summary = run.json();
    assert_eq!(summary["new"], 2, "{run}");
    let reason = summary["failed"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("broken.xml: not a readable feed"), "{reason}");
    let hits = env.run_ok(&["search", "بوريطة", "--json"], 0).json_lines();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["source"], "تليكسبريس");
    assert_eq!(hits[0]["url"], "https://example.ma/news/1?utm_source=rss");
    assert_eq!(hits[0]["date"], "2022-07-13T09:00:00Z");
    let article = env
        .run_ok(&["show", hits[0]["id"].as_str().unwrap(), "--json"], 0)
        .json();
    assert_eq!(
        article["body"],
        "أشاد وزير الخارجية الأمريكي بالتزام المغرب.\n\nوبحث مع بوريطة التعاون الثنائي."
    );
    // The same feed again adds nothing: entries are identified by their canonical link.
    let again = env.run_ok(&["ingest", "--json", feed.to_str().unwrap()], 0).json();
    assert_eq!((again["new"].as_u64(), again["existing"].as_u64()), (Some(0), Some(2)));
}

#[test]
fn show_raw_keeps_the_learned_boilerplate() {
    let env = Env::new();
    let footer = "تابع آخبار تليكسبريس على akhbar";
    let lines: String = (1..=3)
        .map(|i| format!("{{\"id\":\"t-{i}\",\"source\":\"Telexpress\",\"title\":\"خبر {i}\",\"content\":\"نص الخبر {i}\\n\\n{footer}\"}}\n"))
        .collect();
    let path = env.write("t.jsonl", lines);
    env.run_ok(&["ingest", "--batch-size", "1", path.to_str().unwrap()], 0);
    let clean = env.run_ok(&["show", "t-3", "--json"], 0).json();
    assert_eq!(clean["body"], "نص الخبر 3");
    let raw = env.run_ok(&["show", "t-3", "--json", "--raw"], 0).json();
    assert_eq!(raw["body"], format!("نص الخبر 3\n\n{footer}"));
    let first = env.run_ok(&["show", "t-1", "--json"], 0).json();
    assert_eq!(
        first["body"],
        format!("نص الخبر 1\n\n{footer}"),
        "learned only from the third article on"
    );
}
