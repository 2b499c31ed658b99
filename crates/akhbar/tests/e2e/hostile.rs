//! Issue 8's catalogue of hostile and broken inputs, ingested together with good articles in
//! one run: each bad item gets a clear error (or warning) naming it, the run stays bounded in
//! time and memory, and every good article lands.
//!
//! Archives: truncated, corrupt and non-gzip `.gz`, a gzip bomb, a 200 MB line, and twelve
//! broken JSON lines (invalid UTF-8, NUL bytes, not JSON, cut short, an array, empty, wrong
//! types, years 0 and 99999, a byte-order mark, a nested id, `{}`). Pages and feeds: HTML
//! nested 100,000 deep, billion laughs, empty and unclosed feeds, a feed of 100,000 items,
//! feed and page dates in years 0 and 99999, NUL bytes, undeclared legacy bytes, mixed
//! encodings in one page, bidi overrides, other scripts, binary, whitespace, windows-1256.
//! Queries: 10,000 characters, operators only, unbalanced syntax. The web API's hostile
//! requests are in `web.rs`, crash safety in `crash.rs`.

use crate::util::{gzip, Env};
use std::io::Write;
use std::time::{Duration, Instant};

fn good(n: usize) -> String {
    format!("{{\"id\":\"good-{n}\",\"title\":\"خبر سليم رقم {n}\",\"content\":\"نص الخبر السليم عن الرباط وواشنطن رقم {n}.\"}}\n")
}

#[test]
fn hostile_files_fail_alone_and_everything_else_lands() {
    let env = Env::new();
    let mut expected_failures: Vec<(&str, &str)> = Vec::new();
    let dir = "in";
    let write = |name: &str, bytes: Vec<u8>| env.write(&format!("{dir}/{name}"), bytes);

    // Archives.
    let mut archive = String::new();
    for n in 0..5 {
        archive.push_str(&good(n));
    }
    let whole = gzip(archive.as_bytes());
    write("truncated.jsonl.gz", whole[..whole.len() / 2].to_vec());
    expected_failures.push(("truncated.jsonl.gz", ""));
    let mut corrupt = whole.clone();
    let middle = corrupt.len() / 2;
    corrupt[middle..middle + 8].copy_from_slice(b"garbage!");
    write("corrupt.jsonl.gz", corrupt);
    expected_failures.push(("corrupt.jsonl.gz", ""));
    write("not-gzip.jsonl.gz", b"this is not gzip at all".to_vec());
    expected_failures.push(("not-gzip.jsonl.gz", ""));
    // A gzip bomb: 300 MB of zeros in a few hundred KB.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..300 {
        encoder.write_all(&zeros).unwrap();
    }
    write("bomb.jsonl.gz", encoder.finish().unwrap());
    expected_failures.push(("bomb.jsonl.gz", ""));
    // A 200 MB single line (past the 32 MiB line limit), then a good line.
    let mut huge = b"{\"title\":\"x\",\"content\":\"".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 200 << 20));
    huge.extend_from_slice(b"\"}\n");
    huge.extend_from_slice(good(100).as_bytes());
    write("huge-line.jsonl", huge);
    expected_failures.push(("huge-line.jsonl", "line 1"));

    // Lines of one archive, each broken in its own way, between good ones.
    let bad_lines: [&[u8]; 12] = [
        b"{\"title\":\"\xff\xfe bad utf-8\",\"content\":\"x\"}",
        b"{\"title\":\"nul\x00inside\",\"content\":\"\x00\x00\"",
        b"not json at all",
        b"{\"title\":",
        b"[1,2,3]",
        b"{\"title\":\"\",\"content\":\"\"}",
        b"{\"title\":42,\"content\":\"x\"}",
        b"{\"title\":\"d\",\"content\":\"x\",\"date\":\"0000-01-01 00:00:00\"}",
        b"{\"title\":\"d\",\"content\":\"x\",\"date\":\"99999-01-01T00:00:00Z\"}",
        b"\xef\xbb\xbf{\"title\":\"bom\",\"content\":\"x\"}",
        b"{\"title\":\"\xd8\xb9\xd9\x86\",\"content\":\"\xd8\xb9\",\"id\":{\"nested\":true}}",
        b"{}",
    ];
    let mut lines = Vec::new();
    for (n, bad) in bad_lines.iter().enumerate() {
        lines.extend_from_slice(good(200 + n).as_bytes());
        lines.extend_from_slice(bad);
        lines.push(b'\n');
    }
    write("mixed.jsonl", lines);

    // Pages and feeds.
    // Nested 100,000 deep: read, with the elements below the limit flattened.
    let deep = format!(
        "<html><head><title>صفحة عميقة</title></head><body>{}<p>{}</p></body></html>",
        "<div>".repeat(100_000),
        "نص في أعماق الأغوار من صفحة متداخلة جدا يقرؤه القارئ رغم عمقها الكبير ".repeat(3)
    );
    write("deep.html", deep.into_bytes());
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><description>x</description></item></channel></rss>"#;
    write("laughs.rss", laughs.as_bytes().to_vec());
    write("empty.rss", Vec::new());
    expected_failures.push(("empty.rss", ""));
    write("garbage.atom", b"<feed><entry><title>unclosed".to_vec());
    expected_failures.push(("garbage.atom", ""));
    // A feed of 100,000 items, which repeat the same ten entries (a broken generator):
    // parsed in bounded memory, ten articles, once each.
    let mut big = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>تكرار</title><link>https://repeat.example/</link>");
    for i in 0..100_000 {
        let n = i % 10;
        big.push_str(&format!("<item><title>خبر مكرر رقم {n}</title><link>https://repeat.example/{n}</link><guid>https://repeat.example/{n}</guid><description>نص الخبر المكرر عن الرياض رقم {n}.</description></item>"));
    }
    big.push_str("</channel></rss>");
    write("100000-items.rss", big.into_bytes());
    // Dates out of every calendar's range, in a feed and in a page: the articles land
    // without a date, with a warning.
    write(
        "bad-dates.rss",
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>تواريخ</title>\
         <item><title>خبر من السنة صفر</title><link>https://dates.example/0</link><pubDate>Sat, 01 Jan 0000 00:00:00 GMT</pubDate><description>نص خبر بتاريخ السنة صفر.</description></item>\
         <item><title>خبر من السنة 99999</title><link>https://dates.example/99999</link><pubDate>Fri, 31 Dec 99999 23:59:59 GMT</pubDate><description>نص خبر بتاريخ بعيد جدا.</description></item>\
         </channel></rss>"
            .as_bytes()
            .to_vec(),
    );
    write(
        "year-99999.html",
        "<html><head><title>صفحة بتاريخ بعيد</title><meta property=\"article:published_time\" content=\"99999-12-31T00:00:00Z\"></head><body><article><p>نص صفحة تحمل تاريخا خارج كل التقاويم المعروفة.</p></article></body></html>"
            .as_bytes()
            .to_vec(),
    );
    // NUL bytes inside text, and a file that is not UTF-8 and says nothing of its encoding.
    write(
        "nul-bytes.txt",
        "عنوان\0فيه صفر\n\nنص\0\0 فيه رموز فارغة".as_bytes().to_vec(),
    );
    write(
        "latin1.txt",
        b"Caf\xe9 cr\xe8me\n\nTexte en latin-1 sans d\xe9claration.".to_vec(),
    );
    // Mixed encodings: a UTF-8 page with a paragraph of windows-1256 bytes pasted in.
    write("mixed-encodings.html", {
        let mut page = "<html><head><meta charset=\"utf-8\"><title>ترميز مختلط</title></head><body><article><p>فقرة سليمة بالترميز الموحد.</p><p>"
            .as_bytes()
            .to_vec();
        page.extend_from_slice(&encoding_rs::WINDOWS_1256.encode("فقرة بترميز آخر").0);
        page.extend_from_slice(b"</p></article></body></html>");
        page
    });
    write(
        "rtl-override.txt",
        "\u{202E}عنوان معكوس\u{202C} مع\u{200F}علامات\n\nنص \u{202D}مع\u{202C} محارف اتجاه"
            .as_bytes()
            .to_vec(),
    );
    write(
        "other-scripts.txt",
        "Заголовок 标题 כותרת ΤΊΤΛΟΣ\n\nТекст 文本 טקסט κείμενο 😀 ﷽"
            .as_bytes()
            .to_vec(),
    );
    write("binary.txt", (0..=255u8).cycle().take(4096).collect());
    write("only-spaces.txt", b"   \n\n\t  \n".to_vec());
    expected_failures.push(("only-spaces.txt", "empty"));
    write("windows-1256.html", {
        let mut page = b"<html><head><meta charset=\"windows-1256\"><title>".to_vec();
        page.extend_from_slice(&encoding_rs::WINDOWS_1256.encode("خبر بترميز قديم").0);
        page.extend_from_slice(b"</title></head><body><article><p>");
        page.extend_from_slice(&encoding_rs::WINDOWS_1256.encode("نص الخبر بترميز ويندوز العربي.").0);
        page.extend_from_slice(b"</p></article></body></html>");
        page
    });
    write(
        "good.jsonl",
        (0..3).map(|n| good(300 + n)).collect::<String>().into_bytes(),
    );

    let started = Instant::now();
    let run = env.run(&["ingest", env.path(dir).to_str().unwrap(), "--json"]);
    let elapsed = started.elapsed();
    assert_eq!(run.code, 1, "some items failed, the run finished\n{run}");
    assert!(elapsed < Duration::from_secs(120), "bounded time: {elapsed:?}");
    let report = run.json();
    let failed: Vec<String> = report["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}: {}", f["origin"].as_str().unwrap(), f["reason"].as_str().unwrap()))
        .collect();
    for (file, word) in &expected_failures {
        assert!(
            failed.iter().any(|f| f.contains(file) && f.contains(word)),
            "{file} ({word:?}) not reported in {failed:#?}"
        );
    }
    let mixed_failures = failed.iter().filter(|f| f.contains("mixed.jsonl:")).count();
    assert!(mixed_failures >= 8, "{failed:#?}");
    // Every good article landed, from every file that had one.
    for id in (200..212).chain(300..303).chain([100]) {
        let shown = env.run(&["show", &format!("good-{id}"), "--json"]);
        assert_eq!(shown.code, 0, "good-{id}\n{shown}\n{failed:#?}");
    }
    for query in [
        "قديم",
        "معكوس",
        "Заголовок",
        "فارغة",
        "التقاويم",
        "Texte",
        "الموحد",
        "الأغوار",
    ] {
        let hits = env.run_ok(&["search", query, "--json"], 0).json_lines();
        assert_eq!(hits.len(), 1, "{query}");
    }
    // The 100,000-item feed: its ten distinct entries, once each.
    let repeated = env
        .run_ok(&["search", "المكرر", "--json", "--limit", "100"], 0)
        .json_lines();
    assert_eq!(repeated.len(), 10, "{repeated:?}");
    // Dates out of range are dropped with a warning naming the entry; the articles land.
    let warnings: Vec<String> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| format!("{}: {}", w["origin"].as_str().unwrap(), w["reason"].as_str().unwrap()))
        .collect();
    for entry in ["bad-dates.rss#1", "bad-dates.rss#2", "mixed.jsonl:16"] {
        assert!(
            warnings.iter().any(|w| w.contains(entry) && w.contains("out of range")),
            "{entry}: {warnings:#?}"
        );
    }
    for query in ["\"السنة صفر\"", "بعيد"] {
        let hits = env.run_ok(&["search", query, "--json"], 0).json_lines();
        assert!(
            !hits.is_empty() && hits.iter().all(|h| h["date"].is_null()),
            "{query}: {hits:?}"
        );
    }
    // Undeclared legacy bytes are read as windows-1256 (which keeps French accents), saying so.
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("latin1.txt") && w.contains("windows-1256")),
        "{warnings:#?}"
    );
    let cafe = env.run_ok(&["search", "Texte", "--json"], 0).json();
    assert_eq!(cafe["title"], "Café crème");
    assert!(
        warnings.iter().any(|w| w.contains("mixed-encodings.html")),
        "{warnings:#?}"
    );
    // Memory stayed bounded through the 200 MB line, the gzip bomb and the 100,000 items.
    let peak = report["peak_rss_bytes"].as_u64().unwrap_or(0);
    assert!(peak < 768 << 20, "peak memory {} MiB", peak >> 20);
    // Hostile queries are answered or refused cleanly.
    let long = "ب".repeat(10_000);
    let refused = env.run_ok(&["search", &long], 2);
    assert!(refused.stderr.contains("longer than"), "{refused}");
    let operators = "AND OR NOT ( ) \" + - * ~ ^ : [ ] { } ".repeat(400);
    assert!(operators.chars().count() >= 10_000);
    let refused = env.run_ok(&["search", &operators], 2);
    assert!(refused.stderr.contains("longer than"), "{refused}");
    for query in [
        "\"\"\"",
        "+-+-+-",
        "((((((((",
        "a OR OR OR b",
        "title:",
        "*",
        "~~~",
        "\\",
        "entity:\"",
        "[1 TO 2]",
    ] {
        let run = env.run(&["search", query, "--json"]);
        assert!(run.code == 0 || run.stderr.contains("query"), "{query:?}\n{run}");
    }
}
