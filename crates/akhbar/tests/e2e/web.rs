//! The web reader and the JSON API against the real `akhbar serve`: every endpoint, bad
//! parameters, the admin token, follows and their Atom feeds, hostile article text; and the
//! pages in headless Chromium when it is installed.

use crate::util::{seed_path, Env};
use akhbar_testserver::{Reply, TestServer};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "test-admin-token";

pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
}

impl Server {
    /// A POST of `body` to `path` with the admin token.
    pub(crate) fn admin_post(&self, path: &str, body: &serde_json::Value) -> reqwest::blocking::Response {
        client()
            .post(format!("{}{path}", self.base))
            .bearer_auth(TOKEN)
            .json(body)
            .send()
            .unwrap()
    }

    /// A GET of `path` with the admin token, read as JSON.
    pub(crate) fn admin_get_json(&self, path: &str) -> serde_json::Value {
        client()
            .get(format!("{}{path}", self.base))
            .bearer_auth(TOKEN)
            .send()
            .unwrap()
            .json()
            .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn client() -> reqwest::blocking::Client {
    // reqwest is built without a TLS backend of its own (as in akhbar-fetch): install one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

pub(crate) fn start(env: &Env) -> Server {
    start_with(env, &[])
}

pub(crate) fn start_with(env: &Env, extra: &[&str]) -> Server {
    let port = crate::util::free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_akhbar"))
        .arg("--data")
        .arg(env.data())
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--admin-token",
            TOKEN,
            "--poll-every",
            "0",
        ])
        .args(["--allow-private", "--host-delay-ms", "0", "--retries", "0"])
        .args(extra)
        .env_remove("AKHBAR_ADMIN_TOKEN")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let started = Instant::now();
    while client().get(format!("{}/healthz", server.base)).send().is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

const XSS_TITLE: &str = "<script>document.title='PWNED'</script>خبر عن الرباط";
const XSS_BODY: &str = "قال مصدر في الرباط <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> إن الأمر انتهى.\n\n\"><script>document.body.setAttribute('data-pwned','2')</script> فقرة ثانية عن بلينكن.";

fn seeded() -> (Env, Server) {
    let env = Env::new();
    let seed = std::fs::read_to_string(seed_path()).unwrap();
    let (title, body) = seed.split_once('\n').unwrap();
    let lines = [
        serde_json::json!({"id": "seed", "source": "Telexpress", "date": "2022-07-13 09:10:00", "url": "https://telexpress.example/a", "title": title, "content": body.trim()}),
        serde_json::json!({"id": "xss", "source": "hostile", "date": "2022-07-13 10:00:00", "url": "javascript:alert(1)", "title": XSS_TITLE, "content": XSS_BODY}),
    ];
    let text: String = lines.iter().map(|l| l.to_string() + "\n").collect();
    let path = env.write("news.jsonl", text);
    env.run_ok(&["ingest", path.to_str().unwrap()], 0);
    let server = start(&env);
    (env, server)
}

fn get(server: &Server, path: &str) -> (u16, String) {
    let response = client().get(format!("{}{path}", server.base)).send().unwrap();
    (response.status().as_u16(), response.text().unwrap())
}

fn get_json(server: &Server, path: &str) -> serde_json::Value {
    let (status, body) = get(server, path);
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

#[test]
fn every_endpoint_answers_and_bad_parameters_are_clear_4xx() {
    let (_env, server) = seeded();
    let search = get_json(&server, "/api/search?q=%D8%A8%D9%84%D9%8A%D9%86%D9%83%D9%86");
    assert_eq!(search["results"][0]["id"], "seed", "{search}");
    // Who the results are about: the entities of the matches, each a filter away (on the
    // search page always, in the API on request).
    assert!(search["facets"].get("entities").is_none(), "{search}");
    let search = get_json(
        &server,
        "/api/search?q=%D8%A8%D9%84%D9%8A%D9%86%D9%83%D9%86&entity_facets=1",
    );
    let facets = search["facets"]["entities"].as_array().unwrap();
    let bourita = facets
        .iter()
        .find(|e| e["id"] == "nasser-bourita")
        .unwrap_or_else(|| panic!("{search}"));
    assert_eq!(
        (bourita["type"].as_str(), bourita["articles"].as_u64()),
        (Some("PER"), Some(1))
    );
    let (_, page) = get(
        &server,
        "/search?q=%D8%A8%D9%84%D9%8A%D9%86%D9%83%D9%86&source=Telexpress",
    );
    assert!(
        page.contains("entity=nasser-bourita&amp;source=Telexpress&amp;lang=ar"),
        "an entity facet keeps the source filter: {page}"
    );
    let (_, page) = get(
        &server,
        "/search?q=%D8%A8%D9%84%D9%8A%D9%86%D9%83%D9%86&entity=nasser-bourita",
    );
    assert!(page.contains("aria-current=\"true\""), "the chosen entity is marked");
    let latin = get_json(&server, "/api/search?q=Blinken");
    assert!(latin["results"].as_array().unwrap().iter().any(|r| r["id"] == "seed"));
    // A day given as the end of a range is in it (the seed is of 13 July, 09:10).
    for (until, found) in [
        ("2022-07-13", true),
        ("2022-07-12", false),
        ("2022-07-13T09:00:00Z", false),
    ] {
        let hits = get_json(&server, &format!("/api/search?q=Blinken&until={until}"));
        let seed = hits["results"].as_array().unwrap().iter().any(|r| r["id"] == "seed");
        assert_eq!(seed, found, "until {until}: {hits}");
    }
    let story_id = search["results"][0]["story"].as_str().unwrap().to_string();
    let stories = get_json(&server, "/api/stories");
    assert!(stories["stories"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == story_id.as_str()));
    let story = get_json(&server, &format!("/api/stories/{story_id}"));
    assert_eq!(story["items"][0]["id"], "seed");
    assert!(story["related_stories"].is_array(), "{story}");
    let article = get_json(&server, "/api/articles/seed");
    assert!(article["entities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == "nasser-bourita"));
    let entities = get_json(&server, "/api/entities?type=PER");
    assert!(entities["entities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["type"] == "PER"));
    let entity = get_json(&server, "/api/entities/nasser-bourita");
    assert_eq!(entity["entity"]["english"], "Nasser Bourita");
    assert_eq!(entity["daily"][0][0], "2022-07-13");
    assert!(entity["companions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "antony-blinken"));
    assert_eq!(get_json(&server, "/api/sources")["sources"], serde_json::json!([]));
    assert_eq!(get_json(&server, "/api/follows")["follows"], serde_json::json!([]));
    let openapi = get_json(&server, "/api/openapi.json");
    assert_eq!(openapi["openapi"], "3.0.3");
    let health = get_json(&server, "/healthz");
    assert_eq!(
        (health["articles"].as_u64(), health["index_documents"].as_u64()),
        (Some(2), Some(2)),
        "{health}"
    );
    for page in [
        "/",
        "/search",
        "/search?q=%D8%A7%D9%84%D8%B1%D8%A8%D8%A7%D8%B7",
        &format!("/stories/{story_id}"),
        "/articles/seed",
        "/entities/antony-blinken",
        "/sources",
        "/following",
        "/?lang=en",
    ] {
        let (status, body) = get(&server, page);
        assert_eq!(status, 200, "{page}");
        assert!(body.contains("<html lang=\"") && body.contains("dir=\""), "{page}");
    }
    assert!(get(&server, "/").1.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(get(&server, "/?lang=en").1.contains("<html lang=\"en\" dir=\"ltr\">"));
    let (status, metrics) = get(&server, "/metrics");
    assert_eq!(status, 200);
    assert!(
        metrics.contains("akhbar_http_requests_total{route=\"/api/search\",status=\"200\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("akhbar_articles 2"), "{metrics}");

    let long = "ب".repeat(3000);
    for (path, expected) in [
        ("/api/search", "q (the query) is required"),
        ("/api/search?q=x&limit=0", "limit must be"),
        ("/api/search?q=x&page=abc", "page must be"),
        ("/api/search?q=x&since=yesterday", "since must be"),
        ("/api/entities?type=THING", "type must be"),
        ("/api/stories?limit=1000", "limit must be"),
        (&format!("/api/search?q={long}"), "longer than"),
    ] {
        let (status, body) = get(&server, path);
        assert_eq!(status, 400, "{path}: {body}");
        let error: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(error["error"].as_str().unwrap().contains(expected), "{path}: {body}");
    }
    for path in [
        "/api/stories/nope",
        "/api/articles/nope",
        "/api/entities/nope",
        "/api/nope",
        "/feeds/entities/nope",
    ] {
        let (status, body) = get(&server, path);
        assert_eq!(status, 404, "{path}: {body}");
    }
    assert_eq!(get(&server, "/stories/nope").0, 404);
    assert_eq!(
        get(&server, "/feeds/sources/abc").0,
        404,
        "no source or outlet named abc"
    );
    // Errors axum itself raises are JSON on API routes too.
    let (status, body) = get(&server, "/api/articles/%FF");
    assert_eq!(status, 400, "{body}");
    assert!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["error"].is_string(),
        "{body}"
    );
    let big = client()
        .post(format!("{}/api/follows", server.base))
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .body(vec![b' '; 200 * 1024])
        .send()
        .unwrap();
    assert_eq!(big.status().as_u16(), 413);
    let body: serde_json::Value = big.json().unwrap();
    assert!(body["error"].is_string(), "{body}");
}

#[test]
fn write_actions_need_the_admin_token_and_follows_have_atom_feeds() {
    let (_env, server) = seeded();
    let feed_server = TestServer::start();
    let rss = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>تليكسبريس</title><link>https://telexpress.example/</link><item><title>خبر</title><link>https://telexpress.example/1</link><description>نص الخبر الكامل عن الرباط وواشنطن</description></item></channel></rss>";
    feed_server.set("/rss", Reply::ok("application/rss+xml", rss));
    let http = client();
    let post = |path: &str, body: serde_json::Value, token: Option<&str>| {
        let mut request = http.post(format!("{}{path}", server.base)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().unwrap();
        (response.status().as_u16(), response.text().unwrap())
    };
    let source = serde_json::json!({"url": feed_server.url("/rss")});
    assert_eq!(post("/api/sources", source.clone(), None).0, 401);
    assert_eq!(post("/api/sources", source.clone(), Some("wrong")).0, 401);
    let (status, body) = post("/api/sources", source.clone(), Some(TOKEN));
    assert_eq!(status, 201, "{body}");
    let added: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(added["name"], "تليكسبريس");
    assert_eq!(post("/api/sources", source, Some(TOKEN)).0, 200, "already followed");
    let (status, body) = post(
        "/api/sources",
        serde_json::json!({"url": "http://127.0.0.1:1/none"}),
        Some(TOKEN),
    );
    assert_eq!(status, 422, "{body}");
    let (status, _) = post("/api/sources", serde_json::json!({"nourl": 1}), Some(TOKEN));
    assert_eq!(status, 400);
    let big = serde_json::json!({"url": "x".repeat(100_000)});
    assert_eq!(post("/api/sources", big, Some(TOKEN)).0, 413, "request size is capped");
    let id = added["id"].as_i64().unwrap();
    assert_eq!(get(&server, &format!("/sources/{id}")).0, 200);

    // Follows and their feeds.
    let (status, body) = post(
        "/api/follows",
        serde_json::json!({"kind": "entity", "target": "nasser-bourita"}),
        Some(TOKEN),
    );
    assert_eq!(status, 201, "{body}");
    let follow: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(follow["feed"], "/feeds/entities/nasser-bourita");
    let (status, atom) = get(&server, "/feeds/entities/nasser-bourita");
    assert_eq!(status, 200);
    let entries = akhbar_fetch::parse_feed(atom.as_bytes()).unwrap();
    assert_eq!(entries.len(), 1, "{atom}");
    assert!(entries[0].link.as_deref().unwrap().ends_with("/articles/seed"));
    // A story: its feed is its articles, whichever outlet.
    let story = get_json(&server, "/api/articles/seed")["story"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, body) = post(
        "/api/follows",
        serde_json::json!({"kind": "story", "target": story}),
        Some(TOKEN),
    );
    assert_eq!(status, 201, "{body}");
    let story_follow: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(story_follow["feed"], format!("/feeds/stories/{story}"));
    let members = get_json(&server, &format!("/api/stories/{story}"))["articles"]
        .as_array()
        .unwrap()
        .len();
    let (status, atom) = get(&server, &format!("/feeds/stories/{story}"));
    assert_eq!(status, 200);
    let entries = akhbar_fetch::parse_feed(atom.as_bytes()).unwrap();
    assert_eq!(entries.len(), members, "{atom}");
    assert!(entries
        .iter()
        .any(|e| e.link.as_deref().unwrap().ends_with("/articles/seed")));
    let (status, _) = post(
        "/api/follows",
        serde_json::json!({"kind": "story", "target": "nope"}),
        Some(TOKEN),
    );
    assert_eq!(status, 404);
    let (_, following) = get(&server, "/following");
    assert!(
        following.contains("قصة: <bdi>") && following.contains(&format!("stories&#x2f;{story}\"")),
        "{following}"
    );
    let (_, page) = get(&server, &format!("/stories/{story}"));
    assert!(page.contains("value=\"story\""), "a follow button on the story page");
    let (status, body) = post(
        "/api/follows",
        serde_json::json!({"kind": "search", "target": "الرباط"}),
        Some(TOKEN),
    );
    assert_eq!(status, 201, "{body}");
    let search_follow: serde_json::Value = serde_json::from_str(&body).unwrap();
    let (status, atom) = get(&server, search_follow["feed"].as_str().unwrap());
    assert_eq!(status, 200);
    let titles: Vec<String> = akhbar_fetch::parse_feed(atom.as_bytes())
        .unwrap()
        .into_iter()
        .map(|e| e.title)
        .collect();
    assert!(
        titles.iter().any(|t| t.contains("<script>")),
        "the hostile title is text in the feed: {titles:?}"
    );
    assert!(!atom.contains("<script>"), "escaped in the XML");
    let (status, _) = post(
        "/api/follows",
        serde_json::json!({"kind": "source", "target": id.to_string()}),
        Some(TOKEN),
    );
    assert_eq!(status, 201);
    let (status, atom) = get(&server, &format!("/feeds/sources/{id}.atom"));
    assert_eq!(status, 200, "{atom}");
    assert_eq!(
        post(
            "/api/follows",
            serde_json::json!({"kind": "entity", "target": "nobody"}),
            Some(TOKEN)
        )
        .0,
        404
    );
    assert_eq!(
        post(
            "/api/follows",
            serde_json::json!({"kind": "planet", "target": "x"}),
            Some(TOKEN)
        )
        .0,
        400
    );
    assert_eq!(
        post(
            "/api/follows",
            serde_json::json!({"kind": "entity", "target": "nasser-bourita"}),
            None
        )
        .0,
        401
    );
    let follows = get_json(&server, "/api/follows")["follows"].as_array().unwrap().len();
    assert_eq!(follows, 4, "an entity, a story, a search, a source");
    let (_, entity_page) = get(&server, "/entities/nasser-bourita");
    assert!(
        entity_page.contains("action=\"&#x2f;following&#x2f;add\"")
            || entity_page.contains("action=\"/following/add\""),
        "follow form"
    );
    let following = get(&server, "/following").1;
    assert!(
        following
            .replace("&#x2f;", "/")
            .contains("/feeds/entities/nasser-bourita"),
        "{following}"
    );

    // The pages' forms: follow with the token as a field, import OPML.
    let no_redirect = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = |path: &str, body: String| {
        let response = no_redirect
            .post(format!("{}{path}", server.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .unwrap();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        (response.status().as_u16(), location)
    };
    assert_eq!(
        form("/following/add", "kind=entity&target=antony-blinken&token=wrong".into()).0,
        401
    );
    let (status, location) = form(
        "/following/add",
        format!("kind=entity&target=antony-blinken&token={TOKEN}"),
    );
    assert_eq!((status, location.as_deref()), (303, Some("/following")));
    let opml = format!(
        "<opml version=\"2.0\"><body><outline text=\"x\" xmlUrl=\"{}\"/></body></opml>",
        feed_server.url("/other")
    );
    let encoded: String = opml.bytes().map(|b| format!("%{b:02X}")).collect();
    let (status, location) = form("/sources/import", format!("opml={encoded}&token={TOKEN}"));
    assert_eq!(status, 303);
    let location = location.unwrap();
    let (_, page) = get(&server, &location);
    assert!(page.contains("1 + · 0 = · 0 ×"), "one source added: {location} {page}");
    // A message in a link is not shown: only what this server wrote after an action.
    let (_, page) = get(&server, "/sources?message=Enter%20your%20token%20at%20evil.example");
    assert!(!page.contains("evil.example"), "{page}");
    assert!(get_json(&server, "/api/sources")["sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["url"] == feed_server.url("/other").as_str()));

    let delete = |path: &str, token: Option<&str>| {
        let mut request = http.delete(format!("{}{path}", server.base));
        if let Some(token) = token {
            request = request.header("X-Admin-Token", token);
        }
        request.send().unwrap().status().as_u16()
    };
    let follow_id = follow["id"].as_i64().unwrap();
    assert_eq!(delete(&format!("/api/follows/{follow_id}"), None), 401);
    assert_eq!(delete(&format!("/api/follows/{follow_id}"), Some(TOKEN)), 204);
    assert_eq!(delete(&format!("/api/follows/{follow_id}"), Some(TOKEN)), 404);
    assert_eq!(delete(&format!("/api/sources/{id}"), Some(TOKEN)), 204);
    assert_eq!(delete(&format!("/api/sources/{id}"), Some(TOKEN)), 404);
    assert_eq!(delete("/api/sources/abc", Some(TOKEN)), 400);

    // The following page says what each follow is, in the reader's language, and each can
    // be unfollowed there with the token.
    let following = get(&server, "/following").1;
    assert!(following.contains("اسم: <bdi>"), "{following}");
    assert!(!following.contains("entity:"), "{following}");
    assert!(
        following.contains("إلغاء المتابعة") && following.contains("رمز المشرف"),
        "{following}"
    );
    assert!(get(&server, "/following?lang=en").1.contains("Unfollow"));
    let follows = get_json(&server, "/api/follows")["follows"].as_array().unwrap().clone();
    let first = follows[0]["id"].as_i64().unwrap();
    assert_eq!(form(&format!("/following/{first}/remove"), "token=wrong".into()).0, 401);
    let (status, location) = form(&format!("/following/{first}/remove"), format!("token={TOKEN}&lang=en"));
    assert_eq!((status, location.as_deref()), (303, Some("/following?lang=en")));
    let left = get_json(&server, "/api/follows")["follows"].as_array().unwrap().len();
    assert_eq!(left, follows.len() - 1);
}

#[test]
fn pages_speak_arabic_numbers_and_names() {
    let (_env, server) = seeded();
    // Numbers agree with their nouns: one article is مقال واحد, not "1 مقالات".
    let home = get(&server, "/").1;
    assert!(home.contains("مقال واحد"), "{home}");
    assert!(!home.contains("1 مقالات") && !home.contains("1 مصادر"), "{home}");
    assert!(get(&server, "/?lang=en").1.contains("1 article"));
    // Times are written one way, in words, on every page (no 2022-07-13 that an RTL line
    // shows as 13-07-2022); day inputs say their format instead of the browser's mm/dd/yyyy.
    assert!(home.contains(">13 يوليو 2022، "), "{home}");
    assert!(get(&server, "/?lang=en").1.contains(">13 Jul 2022, "));
    let search = get(&server, "/search?q=Blinken").1;
    assert!(
        search.contains("result-count\">نتيجتان</p>"),
        "how many match: {search}"
    );
    assert_eq!(get_json(&server, "/api/search?q=Blinken")["total"], 2);
    assert!(search.contains(">13 يوليو 2022</time>"), "{search}");
    assert!(
        !search.contains("type=\"date\"") && search.contains("placeholder=\"2022-07-01\""),
        "{search}"
    );
    // The entity page names the type; the token box says what it is.
    let entity = get(&server, "/entities/nasser-bourita").1;
    assert!(entity.contains("شخص ·") && !entity.contains(">PER"), "{entity}");
    assert!(entity.contains("placeholder=\"رمز المشرف\""), "{entity}");
    // The mentions chart has a scale and runs the way the page reads (its axis on the right
    // in Arabic, on the left in English), with days in words.
    assert!(
        entity.contains("text-anchor=\"start\">1</text>") && entity.contains(">13 يوليو 2022</text>"),
        "{entity}"
    );
    let english = get(&server, "/entities/nasser-bourita?lang=en").1;
    assert!(
        english.contains("text-anchor=\"end\">1</text>") && english.contains(">13 Jul 2022</text>"),
        "{english}"
    );
    // The article page: its story link in the singular, entities coloured by type with a
    // legend.
    let article = get(&server, "/articles/seed").1;
    assert!(article.contains("\">القصة</a>"), "{article}");
    assert!(
        article.contains("class=\"entity PER\"") && article.contains("class=\"legend meta\""),
        "{article}"
    );
    let sources = get(&server, "/sources").1;
    assert!(
        sources.contains("إضافة مصدر") && sources.contains("استيراد OPML"),
        "{sources}"
    );
    // The search page's entity filter takes a name as typed, Arabic or English, or an id.
    for entity in ["nasser-bourita", "ناصر بوريطة", "Nasser Bourita"] {
        let encoded: String = entity.bytes().map(|b| format!("%{b:02X}")).collect();
        let found = get_json(&server, &format!("/api/search?q=Blinken&entity={encoded}"));
        assert!(
            found["results"].as_array().unwrap().iter().any(|r| r["id"] == "seed"),
            "{entity}: {found}"
        );
    }
    let (status, body) = get(&server, "/api/search?q=Blinken&entity=nobody-at-all");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("no name or id"), "{body}");
    // Outlets the articles name are sources to open and follow, polled or not.
    let sources = get(&server, "/sources").1;
    assert!(
        // Listed by the name readers know it by (outlets.tsv), linked by the name articles give.
        sources.contains("منافذ في الأرشيف")
            && sources.contains("href=\"/sources/Telexpress?lang=ar\" dir=\"auto\">تليكسبريس</a>"),
        "{sources}"
    );
    let (status, outlet) = get(&server, "/sources/Telexpress");
    assert_eq!(status, 200, "{outlet}");
    assert!(
        outlet.contains("مقال واحد") && outlet.contains("/feeds/sources/Telexpress"),
        "{outlet}"
    );
    let (status, feed) = get(&server, "/feeds/sources/Telexpress");
    assert!(status == 200 && feed.contains("<title>Telexpress</title>"), "{feed}");
    assert_eq!(get(&server, "/sources/NoSuchOutlet").0, 404);
    let follow = client()
        .post(format!("{}/api/follows", server.base))
        .bearer_auth(TOKEN)
        .json(&serde_json::json!({"kind": "source", "target": "Telexpress"}))
        .send()
        .unwrap();
    assert_eq!(follow.status().as_u16(), 201);
    let follow: serde_json::Value = follow.json().unwrap();
    assert_eq!(follow["feed"], "/feeds/sources/Telexpress", "{follow}");
    let missing = client()
        .post(format!("{}/api/follows", server.base))
        .bearer_auth(TOKEN)
        .json(&serde_json::json!({"kind": "source", "target": "NoSuchOutlet"}))
        .send()
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
    // Atom entries carry the text, and the feed an author (RFC 4287) for entries without one.
    let (status, feed) = get(&server, "/feeds/entities/nasser-bourita");
    assert_eq!(status, 200, "{feed}");
    assert!(feed.contains("<author><name>akhbar</name></author>"), "{feed}");
    assert!(
        feed.contains("<summary type=\"text\">أشاد وزير الخارجية الأمريكي"),
        "{feed}"
    );
    assert!(feed.contains("<content type=\"text\">"), "{feed}");
    let metrics = get(&server, "/metrics").1;
    for name in [
        "akhbar_articles",
        "akhbar_stories",
        "akhbar_sources",
        "akhbar_http_requests_total",
    ] {
        assert!(metrics.contains(&format!("# HELP {name} ")), "{name}: {metrics}");
    }
}

#[test]
fn hostile_article_text_is_inert() {
    let (_env, server) = seeded();
    let response = client().get(format!("{}/articles/xss", server.base)).send().unwrap();
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("script-src"),
        "{csp}"
    );
    let page = response.text().unwrap();
    assert!(!page.contains("<script"), "no script element on the page");
    assert!(!page.contains("<img"), "no image element from the article");
    assert!(page.contains("&lt;script&gt;"), "the payload is shown as text");
    assert!(!page.contains("href=\"javascript:"), "a javascript: URL is not linked");
    for path in ["/search?q=%D8%A8%D9%84%D9%8A%D9%86%D9%83%D9%86", "/", "/entities/rabat"] {
        let (status, body) = get(&server, path);
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains("<script") && !body.contains("<img"), "{path}");
    }
    // A query that is itself markup comes back as text.
    let (_, body) = get(&server, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert!(!body.contains("<script>alert"), "reflected query is escaped");
}

/// Where the page tests leave their screenshots: `AKHBAR_SCREENSHOTS`, else the test's folder.
pub(crate) fn screenshots(env: &Env) -> std::path::PathBuf {
    let shots = std::env::var("AKHBAR_SCREENSHOTS").map_or_else(|_| env.path("screenshots"), std::path::PathBuf::from);
    std::fs::create_dir_all(&shots).unwrap();
    shots
}

/// The headless browser of the page tests: `None` (the skip said on the terminal) when the
/// machine has none, which fails the test when `AKHBAR_REQUIRE_CHROMIUM` is set (CI).
pub(crate) fn chromium(test: &str) -> Option<&'static str> {
    let found = ["chromium", "chromium-browser", "google-chrome"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("AKHBAR_REQUIRE_CHROMIUM").is_none(),
            "no chromium on this machine, and AKHBAR_REQUIRE_CHROMIUM is set"
        );
        // Written past the test harness's capture of eprintln!.
        use std::io::Write;
        let _ = std::io::stderr().write_all(
            format!("\nSKIPPED {test}: no chromium on this machine (apt-get install chromium)\n").as_bytes(),
        );
    }
    found
}

/// Runs headless `chromium` with the profile in `profile` (cookies last from one run to the
/// next) and `args`; its standard output.
pub(crate) fn headless(chromium: &str, profile: &std::path::Path, args: &[&str]) -> String {
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Headless Chromium on the real server: the pages render right to left, the search finds
/// the seed, a story and an entity page open, and no script from an article runs.
#[test]
fn pages_in_headless_chromium() {
    let Some(chromium) = chromium("pages_in_headless_chromium") else {
        return;
    };
    let (env, server) = seeded();
    let results = get_json(&server, "/api/search?q=Blinken")["results"].clone();
    let seed = results.as_array().unwrap().iter().find(|r| r["id"] == "seed").unwrap();
    let story = seed["story"].as_str().unwrap().to_string();
    let shots = screenshots(&env);
    let profile = env.path("chromium-profile");
    let run = |args: &[&str]| headless(chromium, &profile, args);
    let pages = [
        ("home", "/".to_string(), "أخبار"),
        (
            "search",
            "/search?q=%D8%A8%D9%84%D9%8A%D9%86%D9%83%D9%86".to_string(),
            "بلينكن",
        ),
        ("story", format!("/stories/{story}"), "بلينكن"),
        ("article", "/articles/xss".to_string(), "PWNED"),
        ("entity", "/entities/nasser-bourita".to_string(), "Nasser Bourita"),
    ];
    for (name, path, expected) in pages {
        let url = format!("{}{path}", server.base);
        let dom = run(&["--dump-dom", &url]);
        assert!(dom.contains("dir=\"rtl\""), "{name}: right to left\n{dom}");
        assert!(dom.contains(expected), "{name}: {expected}\n{dom}");
        // The payload's text may be shown; the attribute it would set must not be there.
        let body_tag = dom
            .split("<body")
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .unwrap_or_default();
        assert!(
            !body_tag.contains("data-pwned"),
            "{name}: a script from an article ran: <body{body_tag}>"
        );
        assert!(!dom.contains("<title>PWNED"), "{name}: a script from an article ran");
        let shot = shots.join(format!("{name}.png"));
        run(&[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1000,1300",
            &url,
        ]);
        let bytes = std::fs::read(&shot).unwrap_or_default();
        assert!(bytes.starts_with(b"\x89PNG"), "{name}: screenshot taken");
    }
}

/// Checks `value` against an OpenAPI 3.0 schema (the subset `openapi.json` uses: `$ref`,
/// `type` with `nullable`, `enum`, `properties` with `required`, `items`); the failures, each
/// with its JSON path. A hand-written checker: no JSON Schema crate builds offline here, and
/// the subset is small.
fn schema_errors(
    doc: &serde_json::Value,
    schema: &serde_json::Value,
    value: &serde_json::Value,
    path: &str,
) -> Vec<String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        assert!(target.is_object(), "{path}: no schema {reference}");
        return schema_errors(doc, target, value, path);
    }
    if value.is_null() {
        return if schema["nullable"] == true || schema.get("type").is_none() {
            Vec::new()
        } else {
            vec![format!("{path}: null but not nullable")]
        };
    }
    let kind_ok = match schema["type"].as_str() {
        None => true,
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        Some(other) => panic!("{path}: schema type {other} not handled"),
    };
    if !kind_ok {
        return vec![format!("{path}: {value} is not {}", schema["type"])];
    }
    let mut errors = Vec::new();
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            errors.push(format!("{path}: {value} not in {allowed:?}"));
        }
    }
    if let Some(required) = schema["required"].as_array() {
        for key in required {
            if value.get(key.as_str().unwrap()).is_none() {
                errors.push(format!("{path}: {key} missing"));
            }
        }
    }
    if let (Some(properties), Some(object)) = (schema["properties"].as_object(), value.as_object()) {
        for (key, property) in properties {
            if let Some(inner) = object.get(key) {
                errors.extend(schema_errors(doc, property, inner, &format!("{path}.{key}")));
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            errors.extend(schema_errors(doc, items, item, &format!("{path}[{i}]")));
        }
    }
    errors
}

#[test]
fn responses_match_the_openapi_document() {
    let (_env, server) = seeded();
    let doc = get_json(&server, "/api/openapi.json");
    let story = get_json(&server, "/api/stories")["stories"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let http = client();
    let created = http
        .post(format!("{}/api/follows", server.base))
        .bearer_auth(TOKEN)
        .json(&serde_json::json!({"kind": "entity", "target": "nasser-bourita"}))
        .send()
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let created: serde_json::Value = created.json().unwrap();
    let mut checked = vec![("/api/follows", "post", 201, created)];
    for (route, path, status) in [
        ("/api/search", "/api/search?q=Blinken&entity_facets=1".to_string(), 200),
        ("/api/search", "/api/search?q=x&limit=0".to_string(), 400),
        ("/api/stories", "/api/stories".to_string(), 200),
        ("/api/stories/{id}", format!("/api/stories/{story}"), 200),
        ("/api/stories/{id}", "/api/stories/nope".to_string(), 404),
        ("/api/articles/{id}", "/api/articles/seed".to_string(), 200),
        ("/api/articles/{id}", "/api/articles/nope".to_string(), 404),
        ("/api/entities", "/api/entities".to_string(), 200),
        ("/api/entities/{id}", "/api/entities/nasser-bourita".to_string(), 200),
        ("/api/entities/{id}", "/api/entities/nope".to_string(), 404),
        ("/api/sources", "/api/sources".to_string(), 200),
        ("/api/follows", "/api/follows".to_string(), 200),
        ("/feeds/entities/{id}", "/feeds/entities/nope".to_string(), 404),
        ("/feeds/sources/{id}", "/feeds/sources/nope".to_string(), 404),
        ("/feeds/stories/{id}", "/feeds/stories/nope".to_string(), 404),
        ("/healthz", "/healthz".to_string(), 200),
    ] {
        let (code, body) = get(&server, &path);
        assert_eq!(code, status, "{path}: {body}");
        let value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
        checked.push((route, "get", status, value));
    }
    for (route, method, status, value) in checked {
        let response = &doc["paths"][route][method]["responses"][status.to_string()];
        let schema = &response["content"]["application/json"]["schema"];
        assert!(
            schema.is_object(),
            "{method} {route} {status}: no response schema documented"
        );
        let errors = schema_errors(&doc, schema, &value, "$");
        assert!(errors.is_empty(), "{method} {route} {status}: {errors:#?}\n{value}");
    }
    // Every documented response has a body schema or says what it is (Atom, text, none).
    for (route, methods) in doc["paths"].as_object().unwrap() {
        for (method, operation) in methods.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                assert!(
                    response.get("content").is_some() || status == "204",
                    "{method} {route} {status}: no content documented"
                );
            }
        }
    }
}

#[test]
fn control_and_bidi_characters_never_reach_a_page_feed_or_terminal() {
    let env = Env::new();
    let line = serde_json::json!({
        "id": "ctl",
        "source": "منفذ\u{7}خبيث",
        "date": "2022-07-13 10:00:00",
        "title": "\u{202E}عنوان\u{1b}[31m معكوس\u{2066}",
        "content": "نص فيه\u{0}صفر و\u{1}تحكم و\u{FFFE}حرف ممنوع و\u{85}سطر عن الرباط والرياض وبلينكن في جولة اليوم."
    });
    let path = env.write("ctl.jsonl", format!("{line}\n"));
    env.run_ok(&["ingest", path.to_str().unwrap()], 0);
    let shown = env.run_ok(&["show", "ctl"], 0);
    let bad = |text: &str| {
        text.chars().any(|c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FFFE}')
        })
    };
    assert!(!bad(&shown.stdout), "{:?}", shown.stdout);
    let server = start(&env);
    let (status, page) = get(&server, "/articles/ctl");
    assert_eq!(status, 200);
    assert!(!bad(&page), "the page");
    let name: String = "منفذ خبيث".bytes().map(|b| format!("%{b:02X}")).collect();
    let (status, feed) = get(&server, &format!("/feeds/sources/{name}"));
    assert_eq!(status, 200, "{feed}");
    assert!(!bad(&feed), "the feed");
    // A real parser reads the feed.
    let items = akhbar_fetch::parse_feed(feed.as_bytes()).unwrap_or_else(|e| panic!("{e}: {feed}"));
    assert_eq!(items.len(), 1);
    assert!(
        items[0].title.contains("عنوان") && items[0].title.contains("معكوس"),
        "{:?}",
        items[0].title
    );
}

#[test]
fn health_says_unavailable_when_the_store_cannot_answer() {
    let (env, server) = seeded();
    assert_eq!(get(&server, "/healthz").0, 200);
    // The database file overwritten under the running server: reads fail from now on.
    let database = env.data().join("akhbar.sqlite");
    std::fs::write(&database, vec![0xA5u8; 8192]).unwrap();
    for wal in ["akhbar.sqlite-wal", "akhbar.sqlite-shm"] {
        let _ = std::fs::remove_file(env.data().join(wal));
    }
    let (status, body) = get(&server, "/healthz");
    assert_eq!(status, 503, "{body}");
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["status"], "unavailable", "{body}");
    // The reason, without the server's paths.
    let (status, body) = get(&server, "/api/search?q=Blinken");
    assert_eq!(status, 500, "{body}");
    assert!(
        body.contains("could not be read") && !body.contains(env.data().to_str().unwrap()),
        "{body}"
    );
}

#[test]
fn guessing_the_admin_token_is_limited() {
    let (_env, server) = seeded();
    let http = client();
    let attempt = |token: &str| {
        let response = http
            .post(format!("{}/api/follows", server.base))
            .header("Authorization", format!("Bearer {token}"))
            .json(&serde_json::json!({"kind": "search", "target": "بلينكن"}))
            .send()
            .unwrap();
        let retry = response.headers().get("retry-after").is_some();
        (response.status().as_u16(), retry)
    };
    let statuses: Vec<u16> = (0..1000).map(|i| attempt(&format!("guess-{i}")).0).collect();
    let limit = statuses.iter().position(|s| *s == 429).expect("a limit");
    assert_eq!(limit, 10, "ten wrong tokens, then 429: {:?}", &statuses[..12]);
    assert!(statuses[..10].iter().all(|s| *s == 401) && statuses[10..].iter().all(|s| *s == 429));
    assert!(attempt("guess").1, "429 says when to retry");
    // Reading stays open to everyone.
    assert_eq!(get(&server, "/api/follows").0, 200);
}

#[test]
fn feed_links_use_the_configured_address_not_the_host_header() {
    let (env, _default) = seeded();
    let server = start_with(&env, &["--base-url", "https://news.example.org/"]);
    let feed = client()
        .get(format!("{}/feeds/entities/nasser-bourita", server.base))
        .header("Host", "evil.example")
        .send()
        .unwrap()
        .text()
        .unwrap()
        .replace("&#x2f;", "/");
    assert!(
        feed.contains("href=\"https://news.example.org/articles/seed\""),
        "{feed}"
    );
    assert!(!feed.contains("evil.example"), "{feed}");
}

/// Whether the server has closed `stream` (a read sees the end, or an error).
fn closed(stream: &mut std::net::TcpStream) -> bool {
    use std::io::Read;
    stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let mut buffer = [0u8; 512];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => continue, // a 408 or 503 first, then the end
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return false
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn idle_and_dripping_clients_are_closed_and_the_server_answers_meanwhile() {
    use std::io::Write;
    let (env, _default) = seeded();
    let server = start_with(&env, &["--header-timeout-secs", "1", "--request-timeout-secs", "2"]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let connect = || std::net::TcpStream::connect(&addr).unwrap();
    // Connections that send nothing, headers that never end, a body that never ends.
    let mut idle: Vec<_> = (0..200).map(|_| connect()).collect();
    let mut dripping: Vec<_> = (0..20)
        .map(|_| {
            let mut s = connect();
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").unwrap();
            s
        })
        .collect();
    let mut slow_bodies: Vec<_> = (0..20)
        .map(|_| {
            let mut s = connect();
            s.write_all(b"POST /api/follows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-admin-token\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{").unwrap();
            s
        })
        .collect();
    let started = Instant::now();
    while started.elapsed() < Duration::from_millis(1500) {
        assert_eq!(get(&server, "/healthz").0, 200, "health answers while they hang on");
        for s in &mut dripping {
            let _ = s.write_all(b"X-Drip: 1\r\n");
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    std::thread::sleep(Duration::from_millis(2000));
    assert!(
        idle.iter_mut().all(closed),
        "idle connections closed after the header timeout"
    );
    assert!(
        dripping.iter_mut().all(closed),
        "dripping headers closed after the header timeout"
    );
    assert!(
        slow_bodies.iter_mut().all(closed),
        "slow bodies closed after the request timeout"
    );
    assert_eq!(get(&server, "/healthz").0, 200);
}

#[test]
fn past_the_connection_limit_the_oldest_idle_connection_makes_room() {
    use std::io::{Read, Write};
    let (env, _default) = seeded();
    let server = start_with(&env, &["--max-connections", "10", "--header-timeout-secs", "30"]);
    let addr = server.base.trim_start_matches("http://").to_string();
    // Ten connections that send nothing hold every place: a new client still gets its
    // answer, and the oldest idle connection is closed for it.
    let mut idle: Vec<_> = (0..10).map(|_| std::net::TcpStream::connect(&addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(get(&server, "/healthz").0, 200);
    assert!(closed(&mut idle[0]), "the oldest idle connection made room");
    // Connections each in the middle of a request (headers in, body coming) take the places
    // one by one; once all ten are busy nothing can be closed, and the next is told 503.
    let mut busy = Vec::new();
    let mut refused = None;
    for _ in 0..40 {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        s.write_all(b"POST /api/follows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-admin-token\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{")
            .unwrap();
        s.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        let mut answer = [0u8; 64];
        let n = s.read(&mut answer).unwrap_or(0);
        if answer[..n].starts_with(b"HTTP/1.1 503") {
            refused = Some(busy.len());
            break;
        }
        busy.push(s);
    }
    let refused = refused.expect("a connection past ten busy ones is told 503");
    assert!(refused >= 10, "refused after {refused} busy connections");
}

/// This process's open-file limit, raised to `wanted` when the hard limit allows (with
/// util-linux's prlimit: the workspace forbids unsafe code), for tests that hold thousands
/// of connections.
fn allow_open_files(wanted: u64) -> u64 {
    let current = || {
        std::fs::read_to_string("/proc/self/limits")
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with("Max open files"))
            .and_then(|l| l.split_whitespace().nth(3).and_then(|n| n.parse::<u64>().ok()))
            .unwrap_or(0)
    };
    if current() < wanted {
        let _ = Command::new("prlimit")
            .args(["--pid", &std::process::id().to_string(), &format!("--nofile={wanted}:")])
            .status();
    }
    current()
}

/// The server's resident memory, from /proc.
fn resident_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn thousands_of_hostile_connections_under_a_1024_file_limit() {
    use std::io::Write;
    const EACH: usize = 2000;
    let files = allow_open_files(3 * EACH as u64 + 200);
    if files < 3 * EACH as u64 + 200 {
        eprintln!(
            "skipped: this process may open {files} files, the test needs {}",
            3 * EACH + 200
        );
        return;
    }
    let (env, _default) = seeded();
    // The server under the common limit of 1,024 open files, with the default connection
    // limit and short timeouts.
    let port = crate::util::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let child = Command::new("sh")
        .args(["-c", "ulimit -n 1024 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_akhbar"))
        .arg("--data")
        .arg(env.data())
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--admin-token", TOKEN])
        .args([
            "--poll-every",
            "0",
            "--header-timeout-secs",
            "3",
            "--request-timeout-secs",
            "5",
        ])
        .env_remove("AKHBAR_ADMIN_TOKEN")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, base };
    let started = Instant::now();
    while client().get(format!("{}/healthz", server.base)).send().is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", server.child.id())).unwrap_or_default();
    assert!(
        limits
            .lines()
            .any(|l| l.starts_with("Max open files") && l.contains(" 1024 ")),
        "{limits}"
    );
    let addr = format!("127.0.0.1:{port}");
    let connect = || std::net::TcpStream::connect(&addr).unwrap();
    let quick = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    // 2,000 connections that send nothing and 2,000 whose headers never end.
    let mut idle: Vec<_> = (0..EACH).map(|_| connect()).collect();
    let mut dripping: Vec<_> = (0..EACH)
        .map(|_| {
            let mut s = connect();
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n");
            s
        })
        .collect();
    let opened = Instant::now();
    let mut answered = 0;
    while opened.elapsed() < Duration::from_secs(3) {
        for path in ["/healthz", "/api/search?q=%D8%A8%D9%84%D9%8A%D9%86%D9%83%D9%86"] {
            let response = quick.get(format!("{}{path}", server.base)).send();
            let status = response.as_ref().map(|r| r.status().as_u16()).ok();
            assert_eq!(
                status,
                Some(200),
                "{path} answers while 4,000 connections hang on: {response:?}"
            );
            answered += 1;
        }
        for s in &mut dripping {
            let _ = s.write_all(b"X-Drip: 1\r\n");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(answered >= 4);
    // Every one of them is closed within the header timeout (3 s) and a margin.
    std::thread::sleep(Duration::from_secs(3));
    let still_open = idle
        .iter_mut()
        .chain(dripping.iter_mut())
        .map(|s| !closed(s))
        .filter(|open| *open)
        .count();
    assert_eq!(still_open, 0, "connections still open 6 s after they were made");
    drop(idle);
    drop(dripping);
    // 2,000 unauthenticated writes that send 1 KB of a 64 KB body and stall: refused before
    // their body is read, they cost the server little memory.
    let before = resident_kb(server.child.id());
    let stalled: Vec<_> = (0..EACH)
        .map(|_| {
            let mut s = connect();
            let mut request = b"POST /api/follows HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 65536\r\n\r\n".to_vec();
            request.extend(std::iter::repeat_n(b' ', 1024));
            let _ = s.write_all(&request);
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        quick
            .get(format!("{}/healthz", server.base))
            .send()
            .map(|r| r.status().as_u16())
            .ok(),
        Some(200)
    );
    let after = resident_kb(server.child.id());
    drop(stalled);
    assert!(
        after.saturating_sub(before) < 50 * 1024,
        "memory rose from {before} kB to {after} kB with {EACH} stalled bodies"
    );
    eprintln!("resident memory {before} kB → {after} kB with {EACH} stalled unauthenticated bodies");
}

#[test]
fn sigterm_does_not_wait_for_slow_clients() {
    use std::io::Write;
    let (env, _default) = seeded();
    let mut server = start_with(&env, &[]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let _half_sent: Vec<_> = (0..100)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            s.write_all(b"POST /api/follows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-admin-token\r\ncontent-length: 500\r\n\r\n{\"kind\"").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    // `kill` as the shell's builtin: a machine may have no kill program.
    let status = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", server.child.id())])
        .status()
        .unwrap();
    assert!(status.success());
    loop {
        if server.child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
