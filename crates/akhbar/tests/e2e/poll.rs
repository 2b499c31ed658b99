//! Sources and polling against a real local HTTP server started by the tests: RSS with
//! summaries (pages fetched and extracted, clutter and windows-1256 included), Atom and JSON
//! Feed with full text, discovery, 304, redirects, robots.txt, and sources that fail in
//! every way a real one does, each with a clear per-source error.

use crate::util::Env;
use akhbar_testserver::{Reply, TestServer};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Flags for a test: local addresses allowed, no politeness delay, short timeouts.
const NET: [&str; 7] = [
    "--allow-private",
    "--host-delay-ms",
    "0",
    "--retries",
    "0",
    "--timeout",
    "2",
];

fn with_net<'a>(args: &[&'a str]) -> Vec<&'a str> {
    args.iter().copied().chain(NET).collect()
}

fn pages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../extract/testdata/pages")
}

/// The evaluation pages (written for the project, with their clutter), sorted.
fn pages() -> Vec<(String, Vec<u8>, serde_json::Value)> {
    let mut names: Vec<String> = std::fs::read_dir(pages_dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".html"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let html = std::fs::read(pages_dir().join(&name)).unwrap();
            let expected = std::fs::read_to_string(pages_dir().join(name.replace(".html", ".expected.json"))).unwrap();
            (name, html, serde_json::from_str(&expected).unwrap())
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn rss(title: &str, items: &[(String, String, String)]) -> String {
    let mut rss = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{}</title><link>https://outlet.example/</link><language>ar</language>\n",
        escape(title)
    );
    for (title, link, description) in items {
        rss.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid>{}</guid><pubDate>Tue, 12 Jul 2022 10:00:00 +0100</pubDate><description>{}</description></item>\n",
            escape(title),
            escape(link),
            escape(link),
            escape(description)
        ));
    }
    rss.push_str("</channel></rss>\n");
    rss
}

fn search_one(env: &Env, query: &str) -> serde_json::Value {
    let run = env.run_ok(&["search", query, "--json", "--limit", "1"], 0);
    run.json_lines()
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("nothing found for {query}\n{run}"))
}

#[test]
fn rss_summaries_lead_to_extracted_pages() {
    let server = TestServer::start();
    let mut items = Vec::new();
    for (name, html, expected) in pages() {
        let path = format!("/news/{name}");
        // The declared windows-1256 page also says so in the header; the undeclared one is sniffed.
        let content_type = if name.starts_with("14-") {
            "text/html; charset=windows-1256"
        } else {
            "text/html"
        };
        server.set(&path, Reply::ok(content_type, html));
        let title = expected["title"].as_str().unwrap().to_string();
        items.push((title, server.url(&path), "ملخص قصير".to_string()));
    }
    server.set("/rss.xml", Reply::ok("application/rss+xml", rss("منبر الأخبار", &items)));

    let env = Env::new();
    let added = env
        .run_ok(&with_net(&["sources", "add", &server.url("/rss.xml"), "--json"]), 0)
        .json();
    assert_eq!(added["name"], "منبر الأخبار");
    assert_eq!(
        (added["language"].as_str(), added["direction"].as_str()),
        (Some("ar"), Some("rtl"))
    );
    assert_eq!(added["site"], "https://outlet.example/");

    let report = env.run_ok(&with_net(&["poll", "--json"]), 0).json();
    let source = &report["sources"][0];
    assert_eq!(source["status"], "ok", "{report}");
    let n = pages().len() as u64;
    assert!(n >= 30, "the extraction pages: {n}");
    assert_eq!(
        (source["items"].as_u64(), source["new"].as_u64()),
        (Some(n), Some(n)),
        "{report}"
    );
    assert_eq!(source["pages_fetched"], n);
    assert!(source["failed"].as_array().unwrap().is_empty(), "{report}");

    // Each stored article is the page's extraction (clutter dropped, legacy charset decoded),
    // under the feed's title and the source's name.
    for (name, _, expected) in pages() {
        let title = expected["title"].as_str().unwrap();
        let hit = search_one(&env, title);
        let shown = env.run_ok(&["show", hit["id"].as_str().unwrap(), "--json"], 0).json();
        assert_eq!(shown["title"], title, "{name}");
        assert_eq!(shown["source"], "منبر الأخبار", "{name}");
        let from_file = env
            .run_ok(&["extract", pages_dir().join(&name).to_str().unwrap(), "--json"], 0)
            .json();
        assert_eq!(
            shown["body"], from_file["text"],
            "{name}: the page over HTTP extracts as the file does"
        );
        assert!(
            !shown["body"].as_str().unwrap().contains('\u{FFFD}'),
            "{name}: decoding failed"
        );
    }

    // Nothing new the second time (feed re-fetched with --all; pages not fetched again).
    let again = env.run_ok(&with_net(&["poll", "--all", "--json"]), 0).json();
    assert_eq!(
        (again["new"].as_u64(), again["existing"].as_u64()),
        (Some(0), Some(n)),
        "{again}"
    );
    assert_eq!(again["sources"][0]["pages_fetched"], 0);
    assert_eq!(server.hits("/news/13-agency-wire.html"), 1);
    let listed = env.run_ok(&["sources", "list", "--json"], 0).json();
    assert_eq!(
        (listed["articles"].as_u64(), listed["failures"].as_u64()),
        (Some(n), Some(0))
    );
    assert!(
        listed["last_success"].is_string() && listed["last_error"].is_null(),
        "{listed}"
    );
}

const LONG_BODY: &str = "قال وزير الخارجية إن المحادثات التي جرت اليوم في الرباط تناولت التعاون الأمني والاقتصادي بين البلدين، وأكد أن الجانبين اتفقا على مواصلة التنسيق في مجالات مكافحة الإرهاب وتبادل المعلومات. ";

#[test]
fn atom_and_json_feed_with_full_text_need_no_page() {
    let server = TestServer::start();
    let body = LONG_BODY.repeat(4);
    let atom = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>وكالة أطلس</title><id>urn:atlas</id><updated>2022-07-13T08:00:00Z</updated>
        <entry><title>محادثات أمنية في الرباط</title><id>urn:atlas:1</id><link href="{}"/><updated>2022-07-13T08:00:00Z</updated><author><name>سعيد العلمي</name></author><content type="html">&lt;p&gt;{body}&lt;/p&gt;</content></entry></feed>"#,
        server.url("/a/1")
    );
    let json = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "نشرة الخليج",
        "items": [{"id": "j1", "url": server.url("/j/1"), "title": "قمة اقتصادية في الدوحة", "content_html": format!("<p>{body}</p>"), "date_published": "2022-07-14T08:00:00Z"}]
    });
    server.set("/atom", Reply::ok("application/atom+xml", atom));
    server.set("/feed.json", Reply::ok("application/feed+json", json.to_string()));
    let env = Env::new();
    env.run_ok(&with_net(&["sources", "add", &server.url("/atom")]), 0);
    env.run_ok(
        &with_net(&["sources", "add", &server.url("/feed.json"), "--name", "الخليج"]),
        0,
    );
    let report = env.run_ok(&with_net(&["poll", "--json"]), 0).json();
    assert_eq!(report["new"], 2, "{report}");
    assert_eq!(
        server.hits("/a/1") + server.hits("/j/1"),
        0,
        "full text in the feed: no page fetched"
    );
    let hit = search_one(&env, "محادثات أمنية");
    let shown = env.run_ok(&["show", hit["id"].as_str().unwrap(), "--json"], 0).json();
    assert_eq!(
        (shown["source"].as_str(), shown["author"].as_str()),
        (Some("وكالة أطلس"), Some("سعيد العلمي"))
    );
    let hit = search_one(&env, "قمة اقتصادية");
    let shown = env.run_ok(&["show", hit["id"].as_str().unwrap(), "--json"], 0).json();
    assert_eq!(shown["source"], "الخليج", "--name wins over the feed's title");
}

#[test]
fn feeds_are_discovered_from_pages_and_redirects_followed() {
    let server = TestServer::start();
    let feed = rss("هسبريس", &[("خبر".into(), server.url("/n/1"), LONG_BODY.repeat(3))]);
    server.set("/feeds/main.xml", Reply::ok("application/rss+xml", feed.clone()));
    server.set(
        "/",
        Reply::ok(
            "text/html; charset=utf-8",
            r#"<html lang="ar"><head><title>هسبريس</title><link rel="alternate" type="application/rss+xml" href="/feeds/main.xml"></head><body>الرئيسية</body></html>"#,
        ),
    );
    server.set(
        "/old-feed",
        Reply::Redirect {
            status: 301,
            location: "/feeds/moved.xml".into(),
        },
    );
    server.set("/feeds/moved.xml", Reply::ok("application/rss+xml", feed));
    server.set(
        "/no-feed",
        Reply::ok("text/html", "<html><body><p>لا شيء هنا</p></body></html>"),
    );

    let env = Env::new();
    let added = env
        .run_ok(&with_net(&["sources", "add", &server.url("/"), "--json"]), 0)
        .json();
    assert_eq!(added["url"], server.url("/feeds/main.xml"));
    let moved = env
        .run_ok(&with_net(&["sources", "add", &server.url("/old-feed"), "--json"]), 0)
        .json();
    assert_eq!(
        moved["url"],
        server.url("/feeds/moved.xml"),
        "the feed's final URL is followed"
    );
    let again = env.run_ok(&with_net(&["sources", "add", &server.url("/feeds/main.xml")]), 0);
    assert!(again.stdout.contains("already following"), "{again}");

    let none = env.run_ok(&with_net(&["sources", "add", &server.url("/no-feed")]), 2);
    assert!(none.stderr.contains("no feed found"), "{none}");
    assert_eq!(
        server.hits("/rss.xml"),
        1,
        "conventional paths are tried when a page announces none"
    );
}

#[test]
fn not_modified_feeds_send_validators_and_change_nothing() {
    let server = TestServer::start();
    let feed = rss("أخبار", &[("خبر أول".into(), server.url("/n/1"), LONG_BODY.repeat(3))]);
    server.set(
        "/rss",
        Reply::Conditional {
            etag: "\"abc\"".into(),
            reply: Box::new(Reply::ok("application/rss+xml", feed)),
        },
    );
    let env = Env::new();
    env.run_ok(&with_net(&["sources", "add", &server.url("/rss")]), 0);
    assert_eq!(env.run_ok(&with_net(&["poll", "--json"]), 0).json()["new"], 1);
    let second = env.run_ok(&with_net(&["poll", "--all", "--json"]), 0).json();
    assert_eq!(second["sources"][0]["status"], "not_modified", "{second}");
    let requests = server.requests("/rss");
    assert_eq!(requests.last().unwrap().header("if-none-match"), Some("\"abc\""));
    // Not due again yet: a plain poll skips it.
    let third = env.run_ok(&with_net(&["poll", "--json"]), 0).json();
    assert_eq!(third["sources"].as_array().unwrap().len(), 0, "{third}");
}

#[test]
fn a_failing_source_never_stops_the_others() {
    let server = TestServer::start();
    let good = rss("سليم", &[("خبر سليم".into(), server.url("/n/1"), LONG_BODY.repeat(3))]);
    server.set("/good", Reply::ok("application/rss+xml", good.clone()));
    server.set("/server-error", Reply::status(500));
    server.set(
        "/slow",
        Reply::Slow {
            delay: Duration::from_secs(6),
            reply: Box::new(Reply::ok("application/rss+xml", good.clone())),
        },
    );
    server.set("/endless", Reply::Endless);
    server.set(
        "/malformed",
        Reply::ok(
            "application/rss+xml",
            "<rss><channel><title>x</title><item><title>مقطوع",
        ),
    );
    for i in 0..8 {
        server.set(
            &format!("/loop{i}"),
            Reply::Redirect {
                status: 302,
                location: format!("/loop{}", i + 1),
            },
        );
    }
    // Followed through an OPML import (which does not fetch), as feeds that later broke.
    let broken = ["/gone", "/server-error", "/slow", "/endless", "/malformed", "/loop0"];
    let env = Env::new();
    let opml = format!(
        "<opml version=\"2.0\"><body>{}<outline text=\"سليم\" xmlUrl=\"{}\"/></body></opml>",
        broken
            .iter()
            .map(|p| format!("<outline text=\"{p}\" xmlUrl=\"{}\"/>", server.url(p)))
            .collect::<String>(),
        server.url("/good")
    );
    let opml_path = env.write("subs.opml", opml);
    env.run_ok(&["sources", "import", opml_path.to_str().unwrap()], 0);

    let mut args = with_net(&["poll", "--json"]);
    args.extend(["--max-body-mib", "1"]);
    let run = env.run_ok(&args, 1);
    let report = run.json();
    assert_eq!(
        (report["new"].as_u64(), report["failed_sources"].as_u64()),
        (Some(1), Some(6)),
        "{report}"
    );
    let error_of = |path: &str| {
        let url = server.url(path);
        let source = report["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["url"] == url.as_str())
            .unwrap();
        assert_eq!(source["status"], "failed");
        source["error"].as_str().unwrap().to_string()
    };
    for (path, expected) in [
        ("/gone", "HTTP 404"),
        ("/server-error", "HTTP 500"),
        ("/slow", "timed out"),
        ("/endless", "larger than"),
        ("/malformed", "not a valid feed"),
        ("/loop0", "redirects"),
    ] {
        let error = error_of(path);
        assert!(error.contains(expected), "{path}: {error}");
    }
    let listed = env.run_ok(&["sources", "list", "--json"], 0).json_lines();
    let failing = listed
        .iter()
        .find(|s| s["url"] == server.url("/server-error").as_str())
        .unwrap();
    assert_eq!(failing["failures"], 1);
    assert!(failing["last_error"].as_str().unwrap().contains("HTTP 500"));
    assert!(failing["next_fetch"].as_str().unwrap() > failing["last_fetch"].as_str().unwrap());
}

#[test]
fn robots_txt_and_private_addresses_are_respected() {
    let server = TestServer::start();
    server.set(
        "/robots.txt",
        Reply::ok("text/plain", "User-agent: *\nDisallow: /private/\n"),
    );
    server.set(
        "/private/1.html",
        Reply::ok("text/html", "<html><body><h1>سر</h1><p>نص محجوب</p></body></html>"),
    );
    let feed = rss(
        "منبر",
        &[(
            "خبر في صفحة محظورة".into(),
            server.url("/private/1.html"),
            "ملخص الخبر".into(),
        )],
    );
    server.set("/rss", Reply::ok("application/rss+xml", feed));
    let env = Env::new();
    env.run_ok(&with_net(&["sources", "add", &server.url("/rss")]), 0);
    let report = env.run_ok(&with_net(&["poll", "--json"]), 0).json();
    let source = &report["sources"][0];
    assert_eq!(
        (source["new"].as_u64(), source["pages_fetched"].as_u64()),
        (Some(1), Some(0)),
        "{report}"
    );
    assert!(
        source["warnings"][0]["reason"].as_str().unwrap().contains("robots.txt"),
        "{report}"
    );
    assert_eq!(server.hits("/private/1.html"), 0);

    // Without --allow-private, nothing local is fetched.
    let refused = env.run_ok(&["sources", "add", &server.url("/rss")], 2);
    assert!(refused.stderr.contains("loopback"), "{refused}");
    let refused = env.run_ok(
        &[
            "extract",
            &server.url("/private/1.html").replace("127.0.0.1", "localhost"),
        ],
        2,
    );
    assert!(refused.stderr.contains("refused"), "{refused}");
    let before = server.hits("/rss");
    let poll = env.run_ok(&["poll", "--all", "--json"], 1).json();
    assert!(
        poll["sources"][0]["error"]
            .as_str()
            .unwrap()
            .contains("--allow-private"),
        "{poll}"
    );
    assert_eq!(server.hits("/rss"), before);
}

#[test]
fn opml_import_export_and_remove() {
    let env = Env::new();
    let opml = r#"<?xml version="1.0"?><opml version="2.0"><body>
        <outline text="المغرب"><outline text="هسبريس" xmlUrl="https://www.hespress.example/feed" htmlUrl="https://www.hespress.example/"/>
        <outline text="Le360" xmlUrl="https://le360.example/rss"/></outline>
        <outline text="bad" xmlUrl="file:///etc/passwd"/>
        </body></opml>"#;
    let path = env.write("in.opml", opml);
    let run = env.run_ok(&["sources", "import", path.to_str().unwrap(), "--json"], 1);
    let report = run.json();
    assert_eq!(
        (report["added"].as_u64(), report["failed"].as_array().unwrap().len()),
        (Some(2), 1)
    );
    let again = env
        .run_ok(&["sources", "import", path.to_str().unwrap(), "--json"], 1)
        .json();
    assert_eq!(
        (again["added"].as_u64(), again["existing"].as_u64()),
        (Some(0), Some(2))
    );
    let listed = env.run_ok(&["sources", "list", "--json"], 0).json_lines();
    assert_eq!(listed[0]["category"], "المغرب");
    assert!(listed[0]["last_fetch"].is_null());

    let exported = env.run_ok(&["sources", "export"], 0).stdout;
    let back = env.write("out.opml", &exported);
    let other = Env::new();
    other.run_ok(&["sources", "import", back.to_str().unwrap()], 0);
    let relisted = other.run_ok(&["sources", "list", "--json"], 0).json_lines();
    let urls = |list: &[serde_json::Value]| list.iter().map(|s| s["url"].to_string()).collect::<Vec<_>>();
    assert_eq!(urls(&relisted), urls(&listed));

    env.run_ok(&["sources", "remove", "1"], 0);
    env.run_ok(&["sources", "remove", "https://le360.example/rss"], 0);
    assert_eq!(env.run_ok(&["sources", "list", "--json"], 0).stdout, "");
    let missing = env.run_ok(&["sources", "remove", "99"], 2);
    assert!(missing.stderr.contains("no such source"), "{missing}");
}

#[test]
fn extract_fetches_urls() {
    let server = TestServer::start();
    let (_, html, expected) = pages().into_iter().find(|(n, _, _)| n.starts_with("13-")).unwrap();
    server.set("/wire", Reply::ok("text/html; charset=utf-8", html));
    let env = Env::new();
    let page = env
        .run_ok(&with_net(&["extract", &server.url("/wire"), "--json"]), 0)
        .json();
    assert_eq!(page["title"], expected["title"]);
    assert_eq!(page["url"], expected["url"], "the page's canonical URL");
    let missing = env.run_ok(&with_net(&["extract", &server.url("/nothing")]), 2);
    assert!(missing.stderr.contains("HTTP 404"), "{missing}");
}
