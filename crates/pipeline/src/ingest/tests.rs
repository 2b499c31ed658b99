use super::*;
use std::io::Write;

struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data")).unwrap();
        Fixture { dir, store }
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn ingest(&mut self, paths: &[PathBuf]) -> IngestReport {
        let options = IngestOptions {
            batch_size: 2,
            default_source: Some("fallback".into()),
        };
        ingest(&mut self.store, paths, &options, &NoProgress, &AtomicBool::new(false)).unwrap()
    }
}

fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

const LINES: &str = r#"{"id":"x-1","title":"الأول","content":"نص أول","source":"s","date":"2015-07-21 02:16:13"}
{"id":"x-2","title":"الثاني","body":"نص ثان","date":"not a date"}
{"id":"x-3","title":"","text":"بلا عنوان"}
"#;

#[test]
fn jsonl_plain_and_gzip_give_the_same_articles() {
    let mut fixture = Fixture::new();
    let plain = fixture.write("a.jsonl", LINES.as_bytes());
    let report = fixture.ingest(&[plain]);
    assert_eq!((report.new, report.existing, report.failed.len()), (3, 0, 0));
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(
        report.warnings[0].origin.ends_with("a.jsonl:2"),
        "{:?}",
        report.warnings
    );
    let gz = fixture.write("b.jsonl.gz", &gzip(LINES));
    let report = fixture.ingest(&[gz]);
    assert_eq!((report.new, report.existing), (0, 3));
    let stored = fixture.store.get("x-1").unwrap().unwrap();
    assert_eq!(stored.article.date.unwrap().to_rfc3339(), "2015-07-21T02:16:13+00:00");
    assert_eq!(stored.article.source.as_deref(), Some("s"));
    let unsourced = fixture.store.get("x-2").unwrap().unwrap();
    assert_eq!(unsourced.article.source.as_deref(), Some("fallback"));
    assert_eq!(fixture.store.get("x-3").unwrap().unwrap().article.title, "");
}

#[test]
fn bad_lines_are_reported_and_good_lines_land() {
    let mut fixture = Fixture::new();
    let mut bytes = b"{\"id\":\"g-1\",\"title\":\"t\",\"content\":\"c\"}\n".to_vec();
    bytes.extend_from_slice(b"{\"id\":\"bad\",\"title\":\"\xff\xfe\"}\n");
    bytes.extend_from_slice(b"not json\n\n");
    bytes.extend_from_slice(b"{\"id\":\"g-2\",\"title\":\"t2\",\"content\":\"c2\"}\n");
    let path = fixture.write("mixed.jsonl", &bytes);
    let report = fixture.ingest(&[path]);
    assert_eq!(report.new, 2);
    let reasons: Vec<&str> = report.failed.iter().map(|f| f.reason.as_str()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].ends_with("mixed.jsonl: line 2: invalid UTF-8 at byte 21"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].ends_with("mixed.jsonl: line 3: not a JSON object"),
        "{reasons:?}"
    );
}

#[test]
fn corrupt_gzip_keeps_what_was_read() {
    let mut fixture = Fixture::new();
    let lines: String = (0..200)
        .map(|i| {
            format!(
                "{{\"id\":\"c-{i}\",\"title\":\"t{i}\",\"content\":\"{}\"}}\n",
                "نص ".repeat(50)
            )
        })
        .collect();
    let mut bytes = gzip(&lines);
    let cut = bytes.len() * 2 / 3;
    bytes.truncate(cut);
    let path = fixture.write("cut.jsonl.gz", &bytes);
    let report = fixture.ingest(&[path]);
    assert!(report.new > 0 && report.new < 200, "{}", report.new);
    assert_eq!(report.failed.len(), 1, "{:?}", report.failed);
    assert!(
        report.failed[0]
            .reason
            .contains(&format!("cut.jsonl.gz: read failed after line {}", report.new)),
        "{:?}",
        report.failed
    );
    assert_eq!(fixture.store.stats().unwrap().articles, report.new as u64);
}

#[test]
fn text_and_html_files_and_folders() {
    let mut fixture = Fixture::new();
    std::fs::create_dir(fixture.dir.path().join("in")).unwrap();
    fixture.write("in/a.txt", "عنوان\n\nفقرة".as_bytes());
    fixture.write(
        "in/b.html",
        "<title>صفحة</title><article><p>نص الصفحة</p></article>".as_bytes(),
    );
    // A login page is no article: refused, with the reason.
    fixture.write(
        "in/login.html",
        "<title>تسجيل الدخول</title><form><input name=u><input type=password name=p><button>دخول</button></form>"
            .as_bytes(),
    );
    fixture.write("in/empty.txt", b"\n\n");
    fixture.write("in/skip.md", b"ignored");
    // Nested far below the limit: read, the deep elements flattened, with a warning.
    fixture.write(
        "in/z-deep.html",
        format!(
            "<title>عميقة</title><p>{}{}",
            "<div>".repeat(50_000),
            "كلمات المقال العميق تبقى مقروءة ولا تضيع مهما تداخلت عناصر المستند ".repeat(3)
        )
        .as_bytes(),
    );
    let report = fixture.ingest(&[fixture.dir.path().join("in")]);
    assert_eq!((report.files, report.new), (5, 3));
    assert_eq!(report.failed.len(), 2);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.origin.ends_with("z-deep.html") && w.reason.contains("nested more than")),
        "{:?}",
        report.warnings
    );
    assert_eq!(report.failed[0].reason, "empty article: no title and no text");
    assert!(report.failed[1].origin.ends_with("login.html"), "{:?}", report.failed);
    assert!(
        report.failed[1].reason.starts_with("not an article"),
        "{:?}",
        report.failed
    );
    let hits = fixture.store.search("الصفحة", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "صفحة");
}

#[test]
fn stop_flag_commits_what_was_read() {
    let mut fixture = Fixture::new();
    let path = fixture.write("a.jsonl", LINES.as_bytes());
    let stop = AtomicBool::new(true);
    let report = ingest(
        &mut fixture.store,
        &[path],
        &IngestOptions::default(),
        &NoProgress,
        &stop,
    )
    .unwrap();
    assert!(report.interrupted);
    assert_eq!(report.new, 0);
}

#[test]
fn recurring_footer_of_a_source_is_learned_and_removed() {
    let mut fixture = Fixture::new();
    let footer = "تابع آخبار تليكسبريس على akhbar";
    let lines: String = (1..=5)
        .map(|i| {
            format!(
                "{{\"id\":\"t-{i}\",\"source\":\"Telexpress\",\"title\":\"خبر {i}\",\"content\":\"فقرة أولى من الخبر {i}\\n\\nفقرة ثانية\\n\\n{footer}\"}}\n"
            )
        })
        .collect();
    let other = format!("{{\"id\":\"o-1\",\"source\":\"other\",\"title\":\"خبر\",\"content\":\"نص\\n\\n{footer}\"}}\n");
    let path = fixture.write("telexpress.jsonl", format!("{lines}{other}").as_bytes());
    let report = fixture.ingest(&[path]);
    assert_eq!(report.new, 6);
    // The line is boilerplate from the third article of the source on; the raw copy keeps it.
    for (id, stripped) in [
        ("t-1", false),
        ("t-2", false),
        ("t-3", true),
        ("t-5", true),
        ("o-1", false),
    ] {
        let body = fixture.store.get(id).unwrap().unwrap().article.body;
        assert_eq!(!body.contains(footer), stripped, "{id}: {body}");
        let raw = fixture.store.raw_body(id).unwrap();
        assert_eq!(raw.is_some(), stripped, "{id}");
        if let Some(raw) = raw {
            assert!(raw.ends_with(footer));
        }
    }
    // Re-ingesting counts nothing twice.
    let again = fixture.ingest(&[fixture.dir.path().join("telexpress.jsonl")]);
    assert_eq!(again.existing, 6);
    assert!(fixture
        .store
        .search("تليكسبريس", 10)
        .unwrap()
        .iter()
        .all(|h| ["t-1", "t-2", "o-1"].contains(&h.id.as_str())));
}
