//! Reader apps: accounts (`akhbar users`), the Google Reader API at `/api/greader.php/` call by
//! call as FreshRSS answers it, one reader's state kept from another's, and Debian's newsboat
//! syncing with akhbar over loopback (its Google Reader source, driven in tmux).

use crate::util::Env;
use crate::web::{client, start, Server};
use reqwest::blocking::Client;
use serde_json::Value;
use std::process::Command;
use std::time::{Duration, Instant};

const API: &str = "/api/greader.php";
const READING_LIST: &str = "user/-/state/com.google/reading-list";

/// Four reports from three outlets: Blinken in Rabat (three outlets), and Riyadh's parks.
fn archive() -> String {
    let lines = [
        serde_json::json!({"id": "alpha-visit", "source": "alpha", "url": "https://alpha.example/visit", "date": "2015-08-08 10:00:00",
            "title": "بلينكن يصل إلى الرباط", "content": "وصل وزير الخارجية الأمريكي أنتوني بلينكن إلى الرباط في زيارة رسمية يلتقي خلالها ناصر بوريطة.\n\nوبحث الجانبان التعاون الأمني بين البلدين."}),
        serde_json::json!({"id": "beta-visit", "source": "beta", "date": "2015-08-08 11:00:00",
            "title": "بلينكن في الرباط", "content": "حل أنتوني بلينكن وزير الخارجية الأمريكي بالرباط اليوم في زيارة رسمية يبحث فيها مع ناصر بوريطة التعاون الأمني بين البلدين."}),
        serde_json::json!({"id": "gamma-visit", "source": "gamma", "date": "2015-08-08 12:00:00",
            "title": "زيارة بلينكن إلى الرباط", "content": "يبحث وزير الخارجية الأمريكي أنتوني بلينكن في الرباط مع نظيره ناصر بوريطة التعاون الأمني خلال زيارة رسمية بدأت اليوم."}),
        serde_json::json!({"id": "alpha-park", "source": "alpha", "date": "2015-08-09 09:00:00",
            "title": "أمانة الرياض تفتتح حديقة", "content": "افتتحت أمانة الرياض حديقة جديدة في حي النرجس <script>alert(1)</script> ضمن خطة لزيادة المساحات الخضراء."}),
    ];
    lines.iter().map(|l| l.to_string() + "\n").collect()
}

fn add_user(env: &Env, name: &str, password: &str) -> Value {
    env.run_with_stdin(
        &["users", "add", name, "--password-stdin", "--json"],
        &format!("{password}\n"),
    )
    .json()
}

/// A store of [`archive`] with these accounts (name, password), and its server.
fn archive_with_readers(readers: &[(&str, &str)]) -> (Env, Server) {
    let env = Env::new();
    let path = env.write("news.jsonl", archive());
    env.run_ok(&["ingest", path.to_str().unwrap()], 0);
    for (name, password) in readers {
        add_user(&env, name, password);
    }
    let server = start(&env);
    (env, server)
}

/// A logged-in reader app.
struct App {
    client: Client,
    base: String,
    auth: String,
}

impl App {
    fn login(server: &Server, name: &str, password: &str) -> App {
        let client = client();
        let reply = client
            .post(format!("{}{API}/accounts/ClientLogin", server.base))
            .form(&[("Email", name), ("Passwd", password)])
            .send()
            .unwrap();
        assert_eq!(reply.status().as_u16(), 200);
        let text = reply.text().unwrap();
        let auth = text
            .lines()
            .find_map(|l| l.strip_prefix("Auth="))
            .unwrap_or_else(|| panic!("{text}"))
            .to_string();
        assert!(
            text.contains(&format!("SID={auth}\n")) && text.contains("LSID=null\n"),
            "{text}"
        );
        App {
            client,
            base: server.base.clone(),
            auth,
        }
    }

    fn get(&self, path: &str) -> reqwest::blocking::Response {
        self.client
            .get(format!("{}{API}/{path}", self.base))
            .header("Authorization", format!("GoogleLogin auth={}", self.auth))
            .send()
            .unwrap()
    }

    fn json(&self, path: &str) -> Value {
        let reply = self.get(path);
        assert_eq!(reply.status().as_u16(), 200, "{path}");
        reply.json().unwrap()
    }

    fn token(&self) -> String {
        self.get("reader/api/0/token").text().unwrap().trim().to_string()
    }

    fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::blocking::Response {
        self.client
            .post(format!("{}{API}/{path}", self.base))
            .header("Authorization", format!("GoogleLogin auth={}", self.auth))
            .form(form)
            .send()
            .unwrap()
    }

    /// A write with the session's `T`, answered `OK`.
    fn write(&self, path: &str, form: &[(&str, &str)]) {
        let token = self.token();
        let mut form = form.to_vec();
        form.push(("T", &token));
        let reply = self.post(path, &form);
        assert_eq!(reply.status().as_u16(), 200, "{path} {form:?}");
        assert_eq!(reply.text().unwrap(), "OK\n", "{path}");
    }

    fn unread(&self, stream: &str) -> u64 {
        let counts = self.json("reader/api/0/unread-count?output=json");
        counts["unreadcounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == stream)
            .map_or(0, |c| c["count"].as_u64().unwrap())
    }
}

#[test]
fn the_google_reader_api_call_by_call() {
    let env = Env::new();
    // The visit, then (a second later: apps sync by when akhbar stored an article) the park.
    let archive = archive();
    let (visit, park) = archive.trim_end().rsplit_once('\n').unwrap();
    let path = env.write("visit.jsonl", format!("{visit}\n"));
    env.run_ok(&["ingest", path.to_str().unwrap()], 0);
    std::thread::sleep(Duration::from_millis(1100));
    let path = env.write("park.jsonl", format!("{park}\n"));
    env.run_ok(&["ingest", path.to_str().unwrap()], 0);
    let server = start(&env);
    // A follow made before accounts is the first account's.
    let made = server.admin_post(
        "/api/follows",
        &serde_json::json!({"kind": "source", "target": "alpha"}),
    );
    assert_eq!(made.status().as_u16(), 201);
    let user = add_user(&env, "reader@example.org", "a long password");
    assert_eq!(user["id"], 1);
    assert_eq!(user["name"], "reader@example.org");
    let listed = env.run_ok(&["users", "list", "--json"], 0).json();
    assert_eq!(listed[0]["name"], "reader@example.org");
    // A taken name and a short password are refused.
    assert_eq!(
        env.run_with_stdin(
            &["users", "add", "reader@example.org", "--password-stdin"],
            "another password\n"
        )
        .code,
        2
    );
    assert_eq!(
        env.run_with_stdin(&["users", "add", "other", "--password-stdin"], "short\n")
            .code,
        2
    );

    // The admin token makes accounts through the API too.
    let made = server.admin_post(
        "/api/users",
        &serde_json::json!({"name": "second", "password": "second password"}),
    );
    assert_eq!(made.status().as_u16(), 201);
    assert_eq!(made.json::<Value>().unwrap()["id"], 2);
    let anonymous = client()
        .post(format!("{}/api/users", server.base))
        .json(&serde_json::json!({"name": "third", "password": "third password"}))
        .send()
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let short = server.admin_post("/api/users", &serde_json::json!({"name": "third", "password": "short"}));
    assert_eq!(short.status().as_u16(), 400);
    let wrong = client()
        .post(format!("{}{API}/accounts/ClientLogin", server.base))
        .form(&[("Email", "reader@example.org"), ("Passwd", "a wrong password")])
        .send()
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    assert_eq!(wrong.text().unwrap(), "Error=BadAuthentication\n");
    let app = App::login(&server, "reader@example.org", "a long password");
    let info = app.json("reader/api/0/user-info?output=json");
    assert_eq!(info["userId"], "1");
    assert_eq!(info["userName"], "reader@example.org");
    assert_eq!(info["userEmail"], "reader@example.org");

    // Subscriptions: the follow made before accounts, then an entity in a folder and a
    // search, added as apps add them.
    let subscriptions = app.json("reader/api/0/subscription/list?output=json");
    let first = &subscriptions["subscriptions"][0];
    assert_eq!(first["id"], "feed/1");
    assert_eq!(first["title"], "alpha");
    assert_eq!(first["url"], format!("{}/feeds/sources/alpha", server.base));
    let token = app.token();
    let added: Value = app
        .post(
            "reader/api/0/subscription/quickadd?output=json",
            &[
                ("quickadd", &format!("{}/entities/antony-blinken", server.base)),
                ("T", &token),
            ],
        )
        .json()
        .unwrap();
    assert_eq!(added["numResults"], 1);
    let blinken = added["streamId"].as_str().unwrap().to_string();
    assert_eq!(added["streamName"], "أنتوني بلينكن");
    app.write(
        "reader/api/0/subscription/edit",
        &[
            ("ac", "edit"),
            ("s", &blinken),
            ("a", "user/-/label/الناس"),
            ("t", "بلينكن"),
        ],
    );
    app.write(
        "reader/api/0/subscription/edit",
        &[
            ("ac", "subscribe"),
            ("s", "feed/search:حديقة"),
            ("a", "user/-/label/الرياض"),
        ],
    );
    let unknown = app.post(
        "reader/api/0/subscription/quickadd",
        &[("quickadd", "https://elsewhere.example/feed.xml")],
    );
    assert_eq!(unknown.status().as_u16(), 404);
    let subscriptions = app.json("reader/api/0/subscription/list?output=json");
    let list = subscriptions["subscriptions"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[1]["title"], "بلينكن");
    assert_eq!(list[1]["categories"][0]["id"], "user/-/label/الناس");
    assert_eq!(list[1]["categories"][0]["label"], "الناس");
    let tags = app.json("reader/api/0/tag/list?output=json");
    let tags: Vec<&str> = tags["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        tags,
        [
            "user/-/state/com.google/starred",
            "user/-/label/الرياض",
            "user/-/label/الناس"
        ]
    );

    // The subscriptions as OPML: each folder an outline holding its subscriptions.
    let export = app.get("reader/api/0/subscription/export");
    assert_eq!(export.status().as_u16(), 200);
    assert!(export.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/x-opml"));
    let opml = export.text().unwrap();
    assert!(
        opml.starts_with("<?xml") && opml.contains("<opml version=\"2.0\">"),
        "{opml}"
    );
    let folder = opml
        .find("<outline text=\"الناس\" title=\"الناس\">")
        .expect("the folder");
    let inside = &opml[folder..opml[folder..].find("</outline>").unwrap() + folder];
    assert!(inside.contains("title=\"بلينكن\""), "{opml}");
    assert_eq!(opml.matches("type=\"rss\"").count(), 3, "{opml}");
    for s in list {
        assert!(
            opml.contains(&format!(
                "xmlUrl=\"{}\"",
                s["url"].as_str().unwrap().replace('&', "&amp;")
            )),
            "{opml}"
        );
    }

    // Unread counts: every article once in the reading list, each in its follows and folders.
    assert_eq!(app.unread("user/-/state/com.google/reading-list"), 4);
    assert_eq!(app.unread("feed/1"), 2);
    assert_eq!(app.unread(&blinken), 3);
    assert_eq!(app.unread("user/-/label/الناس"), 3);
    assert_eq!(app.unread("user/-/label/الرياض"), 1);

    // A stream page by page, newest first, with continuation.
    let page = app.json("reader/api/0/stream/contents/user%2F-%2Fstate%2Fcom.google%2Freading-list?n=3&output=json");
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["title"], "أمانة الرياض تفتتح حديقة");
    let continuation = page["continuation"].as_str().unwrap();
    let rest = app.json(&format!(
        "reader/api/0/stream/contents/user/-/state/com.google/reading-list?n=3&c={continuation}"
    ));
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest.get("continuation").is_none());
    let item = &items[0];
    let id = item["id"].as_str().unwrap().to_string();
    assert!(
        id.starts_with("tag:google.com,2005:reader/item/") && id.len() == 48,
        "{id}"
    );
    // Published on its date; stored (what apps sync by) today.
    assert_eq!(item["published"], 1439110800);
    let stored: i64 = item["timestampUsec"].as_str().unwrap().parse().unwrap();
    assert!(stored > 1_700_000_000_000_000, "{item}");
    assert_eq!(item["crawlTimeMsec"], (stored / 1000).to_string());
    assert_eq!(item["origin"]["streamId"], "feed/1");
    assert!(item["categories"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("user/-/state/com.google/reading-list")));
    // The article's text is escaped HTML.
    let content = item["summary"]["content"].as_str().unwrap();
    assert!(
        content.contains("&lt;script&gt;") && !content.contains("<script>"),
        "{content}"
    );
    // A story's item lists its other outlets.
    let visit = app.json(&format!(
        "reader/api/0/stream/contents/{}?output=json",
        blinken.replace('/', "%2F")
    ));
    let visit_item = visit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["canonical"][0]["href"] == "https://alpha.example/visit")
        .unwrap_or_else(|| panic!("{visit}"));
    let content = visit_item["summary"]["content"].as_str().unwrap();
    assert!(
        content.contains("beta") && content.contains("gamma") && content.contains("/stories/"),
        "{content}"
    );

    // Item ids, then their contents by either form of id.
    let ids = app.json("reader/api/0/stream/items/ids?s=user/-/state/com.google/reading-list&n=10&output=json");
    let refs: Vec<String> = ids["itemRefs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(refs.len(), 4);
    assert_eq!(
        format!(
            "tag:google.com,2005:reader/item/{:016x}",
            refs[0].parse::<i64>().unwrap()
        ),
        id
    );
    let token = app.token();
    let contents: Value = app
        .post(
            "reader/api/0/stream/items/contents?output=json",
            &[("i", refs[1].as_str()), ("i", &id), ("T", &token)],
        )
        .json()
        .unwrap();
    assert_eq!(contents["items"].as_array().unwrap().len(), 2);

    // Read, starred, unread again; the unread stream leaves out what is read.
    app.write(
        "reader/api/0/edit-tag",
        &[
            ("i", &id),
            ("a", "user/-/state/com.google/read"),
            ("a", "user/-/state/com.google/starred"),
        ],
    );
    assert_eq!(app.unread("user/-/state/com.google/reading-list"), 3);
    assert_eq!(app.unread("feed/1"), 1);
    let starred = app.json("reader/api/0/stream/contents/user/-/state/com.google/starred?output=json");
    assert_eq!(starred["items"][0]["id"], id.as_str());
    let categories = starred["items"][0]["categories"].as_array().unwrap().clone();
    assert!(categories.contains(&serde_json::json!("user/-/state/com.google/read")));
    assert!(categories.contains(&serde_json::json!("user/-/state/com.google/starred")));
    let unread_only = app
        .json("reader/api/0/stream/items/ids?s=user/-/state/com.google/reading-list&xt=user/-/state/com.google/read");
    assert_eq!(unread_only["itemRefs"].as_array().unwrap().len(), 3);
    app.write(
        "reader/api/0/edit-tag",
        &[
            ("i", &refs[0]),
            ("r", "user/-/state/com.google/read"),
            ("a", "user/-/state/com.google/kept-unread"),
        ],
    );
    assert_eq!(app.unread("user/-/state/com.google/reading-list"), 4);

    // Mark all as read: a folder, then everything older than a time.
    app.write("reader/api/0/mark-all-as-read", &[("s", "user/-/label/الناس")]);
    assert_eq!(app.unread(&blinken), 0);
    assert_eq!(app.unread("user/-/state/com.google/reading-list"), 1);
    let mut all: Vec<(&str, &str)> = refs.iter().map(|r| ("i", r.as_str())).collect();
    all.push(("r", "user/-/state/com.google/read"));
    app.write("reader/api/0/edit-tag", &all);
    assert_eq!(app.unread("user/-/state/com.google/reading-list"), 4);
    // Up to when the visit was stored: its three reports, not the park stored a second after.
    let visit_stored = (stored - 1_000_000).to_string();
    app.write(
        "reader/api/0/mark-all-as-read",
        &[("s", "user/-/state/com.google/reading-list"), ("ts", &visit_stored)],
    );
    assert_eq!(app.unread("user/-/state/com.google/reading-list"), 1);
    assert_eq!(app.unread("feed/1"), 1);

    // Folders renamed and dropped, as apps do.
    app.write(
        "reader/api/0/rename-tag",
        &[("s", "user/-/label/الرياض"), ("dest", "user/-/label/مدن")],
    );
    let tags = app.json("reader/api/0/tag/list?output=json").to_string();
    assert!(
        tags.contains("user/-/label/مدن") && !tags.contains("user/-/label/الرياض"),
        "{tags}"
    );
    app.write("reader/api/0/disable-tag", &[("s", "user/-/label/مدن")]);
    assert!(!app
        .json("reader/api/0/tag/list?output=json")
        .to_string()
        .contains("مدن"));
    assert_eq!(
        app.post("reader/api/0/disable-tag", &[("s", "user/-/label/مدن")])
            .status()
            .as_u16(),
        404
    );

    // Unsubscribe; the follow is gone from the site's list too (it is the first account's).
    app.write(
        "reader/api/0/subscription/edit",
        &[("ac", "unsubscribe"), ("s", "feed/1")],
    );
    let follows: Value = client()
        .get(format!("{}/api/follows", server.base))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(
        !follows["follows"].as_array().unwrap().iter().any(|f| f["id"] == 1),
        "{follows}"
    );

    // Google Reader's Atom output of a stream, as newsboat reads it.
    let atom = app.get(&format!("reader/atom/{}?n=5", blinken.replace('/', "%2F")));
    assert!(atom
        .headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap().starts_with("application/atom+xml")));
    let atom = atom.text().unwrap();
    let feed = feed_rs::parser::parse(atom.as_bytes()).unwrap_or_else(|e| panic!("{e}: {atom}"));
    assert_eq!(feed.entries.len(), 3);
    assert!(
        atom.contains("scheme=\"http://www.google.com/reader/\" label=\"read\""),
        "{atom}"
    );
}

#[test]
fn one_reader_cannot_read_or_change_anothers_state() {
    let (_env, server) = archive_with_readers(&[("first", "first password"), ("second", "second password")]);
    let first = App::login(&server, "first", "first password");
    let second = App::login(&server, "second", "second password");
    let token = first.token();
    let added: Value = first
        .post(
            "reader/api/0/subscription/quickadd",
            &[("quickadd", "source:alpha"), ("T", &token)],
        )
        .json()
        .unwrap();
    let feed = added["streamId"].as_str().unwrap().to_string();
    let ids = first.json("reader/api/0/stream/items/ids?s=user/-/state/com.google/reading-list");
    let item = ids["itemRefs"][0]["id"].as_str().unwrap().to_string();

    // The second reader sees none of it, and cannot change it.
    assert!(
        second.json("reader/api/0/subscription/list?output=json")["subscriptions"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        second
            .get(&format!("reader/api/0/stream/contents/{feed}"))
            .status()
            .as_u16(),
        404
    );
    assert_eq!(second.get(&format!("reader/atom/{feed}")).status().as_u16(), 404);
    assert_eq!(
        second
            .get(&format!("reader/api/0/stream/items/ids?s={feed}"))
            .status()
            .as_u16(),
        404
    );
    let second_token = second.token();
    for (path, form) in [
        (
            "reader/api/0/subscription/edit",
            vec![("ac", "unsubscribe"), ("s", feed.as_str())],
        ),
        (
            "reader/api/0/subscription/edit",
            vec![("ac", "edit"), ("s", feed.as_str()), ("t", "x")],
        ),
        ("reader/api/0/mark-all-as-read", vec![("s", feed.as_str())]),
    ] {
        let mut form = form.clone();
        form.push(("T", &second_token));
        assert_eq!(second.post(path, &form).status().as_u16(), 404, "{path} {form:?}");
    }
    // Marking the same article changes only the second reader's state.
    second.write(
        "reader/api/0/edit-tag",
        &[("i", &item), ("a", "user/-/state/com.google/read")],
    );
    assert_eq!(first.unread("user/-/state/com.google/reading-list"), 2);
    assert_eq!(first.unread(&feed), 2);
    // The first reader's T is not the second's; no login, a wrong login: refused.
    let wrong_t = second.post(
        "reader/api/0/edit-tag",
        &[("i", &item), ("a", "user/-/state/com.google/starred"), ("T", &token)],
    );
    assert_eq!(wrong_t.status().as_u16(), 401);
    let anonymous = client()
        .get(format!(
            "{}{API}/reader/api/0/subscription/list?output=json",
            server.base
        ))
        .send()
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let forged = client()
        .get(format!("{}{API}/reader/api/0/subscription/list", server.base))
        .header("Authorization", format!("GoogleLogin auth={}x", first.auth))
        .send()
        .unwrap();
    assert_eq!(forged.status().as_u16(), 401);
}

#[test]
fn logins_are_rate_limited_and_passwords_never_kept() {
    let (env, server) = archive_with_readers(&[("reader", "the right password")]);
    let client = client();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let reply = client
            .post(format!("{}{API}/accounts/ClientLogin", server.base))
            .form(&[("Email", "reader"), ("Passwd", "a guess")])
            .send()
            .unwrap();
        statuses.push(reply.status().as_u16());
    }
    assert_eq!(statuses[..10], [401; 10]);
    assert_eq!(statuses[10..], [429, 429]);
    // Over the limit, even the right password waits.
    let right = client
        .post(format!("{}{API}/accounts/ClientLogin", server.base))
        .form(&[("Email", "reader"), ("Passwd", "the right password")])
        .send()
        .unwrap();
    assert_eq!(right.status().as_u16(), 429);
    assert!(right.headers().get("retry-after").is_some());
    drop(server);
    let database = std::fs::read(env.data().join("akhbar.sqlite")).unwrap();
    assert!(!String::from_utf8_lossy(&database).contains("the right password"));
}

/// A browser's side of the reading pages: its session cookie, sent by hand (no redirects
/// followed, so each answer is seen as it is).
struct Browser {
    client: Client,
    base: String,
    cookie: Option<String>,
}

impl Browser {
    fn new(server: &Server) -> Browser {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Browser {
            client: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap(),
            base: server.base.clone(),
            cookie: None,
        }
    }

    fn with_cookie(&self, request: reqwest::blocking::RequestBuilder) -> reqwest::blocking::RequestBuilder {
        match &self.cookie {
            Some(cookie) => request.header("Cookie", format!("akhbar_session={cookie}")),
            None => request,
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        let reply = self
            .with_cookie(self.client.get(format!("{}{path}", self.base)))
            .send()
            .unwrap();
        (reply.status().as_u16(), reply.text().unwrap())
    }

    /// A form posted: the status and where it sends the browser next.
    fn post(&self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let reply = self
            .with_cookie(self.client.post(format!("{}{path}", self.base)))
            .form(form)
            .send()
            .unwrap();
        let location = reply
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (reply.status().as_u16(), location)
    }

    fn sign_in(&mut self, name: &str, password: &str) {
        let reply = self
            .client
            .post(format!("{}/login", self.base))
            .form(&[("name", name), ("password", password), ("next", "/reading")])
            .send()
            .unwrap();
        assert_eq!(reply.status().as_u16(), 303);
        assert_eq!(reply.headers()["location"], "/reading");
        let cookie = reply.headers()["set-cookie"].to_str().unwrap().to_string();
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        let value = cookie
            .strip_prefix("akhbar_session=")
            .and_then(|c| c.split(';').next())
            .unwrap();
        self.cookie = Some(value.to_string());
    }

    /// The write token in the forms of a page.
    fn csrf(&self) -> String {
        let (status, page) = self.get("/reading");
        assert_eq!(status, 200, "{page}");
        field(&page, "csrf")
    }

    /// The unread count the reading page shows in its heading.
    fn unread(&self) -> u64 {
        let (status, page) = self.get("/reading");
        assert_eq!(status, 200, "{page}");
        page.split("unread-total\">(")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .unwrap()
            .parse()
            .unwrap()
    }
}

/// The value of the first form field `name` of a page.
fn field(page: &str, name: &str) -> String {
    page.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no {name} field\n{page}"))
        .to_string()
}

/// The seq of an article as the reading page's buttons name it.
fn seq_on_page(page: &str, article: &str) -> String {
    let at = page
        .find(&format!("/articles/{article}?"))
        .unwrap_or_else(|| panic!("{article} not listed\n{page}"));
    let before = &page[..at];
    let start = before.rfind("data-seq=\"").unwrap() + "data-seq=\"".len();
    before[start..].split('"').next().unwrap().to_string()
}

/// The web pages with an account: signing in (a wrong password refused and counted), the
/// reader's follows with unread counts, opening an article marks it read, buttons for read,
/// unread, starred and all read, one state shared with the reader apps, another reader's
/// state untouched, forms without the page's token refused, and signing out ends the session.
#[test]
fn web_pages_sign_in_count_unread_and_mark_read() {
    let (_env, server) = archive_with_readers(&[("first", "first password"), ("second", "second password")]);

    // Anonymous: the pages as before, a sign-in link, no reading list.
    let anonymous = Browser::new(&server);
    let (status, home) = anonymous.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("href=\"/login?lang=ar\"") && !home.contains("action=\"/logout\""));
    assert_eq!(
        anonymous
            .post("/reading/mark", &[("csrf", "x"), ("seq", "1"), ("read", "1")])
            .0,
        403
    );
    let (status, login) = anonymous.get("/reading");
    assert_eq!(status, 303, "{login}");
    let (status, form) = anonymous.get("/login");
    assert_eq!(status, 200);
    assert!(form.contains("type=\"password\"") && form.contains("action=\"/login\""));

    // A wrong password: the form again, said, no cookie.
    let reply = anonymous
        .client
        .post(format!("{}/login", server.base))
        .form(&[("name", "first"), ("password", "wrong password")])
        .send()
        .unwrap();
    assert_eq!(reply.status().as_u16(), 401);
    assert!(reply.headers().get("set-cookie").is_none());
    assert!(reply.text().unwrap().contains("اسم المستخدم أو كلمة المرور غير صحيحين"));

    let mut first = Browser::new(&server);
    first.sign_in("first", "first password");
    let (_, page) = first.get("/reading");
    assert!(page.contains("<bdi>first</bdi>"), "the reader's name in the header");
    assert_eq!(first.unread(), 0, "nothing followed yet");
    let (_, login) = first.get("/login");
    assert!(login.contains("أنت داخل باسم <bdi>first</bdi>"), "{login}");
    let csrf = first.csrf();

    // Following from a page needs the page's token, not the admin token.
    assert_eq!(
        first
            .post(
                "/reading/follow",
                &[("csrf", "wrong"), ("kind", "source"), ("target", "alpha")]
            )
            .0,
        403
    );
    let (status, to) = first.post(
        "/reading/follow",
        &[("csrf", &csrf), ("kind", "source"), ("target", "alpha")],
    );
    assert_eq!(status, 303);
    assert!(to.starts_with("/reading?show=all&follow="), "{to}");
    let (_, entity) = first.get("/entities/nasser-bourita");
    assert!(entity.contains("action=\"/reading/follow\"") && !entity.contains("name=\"token\""));
    let (status, _) = first.post(
        "/reading/follow",
        &[("csrf", &csrf), ("kind", "entity"), ("target", "nasser-bourita")],
    );
    assert_eq!(status, 303);
    // alpha's two articles, and Bourita's three (one of them alpha's): four unread.
    assert_eq!(first.unread(), 4);
    // The visit's story: its three reports are already in the list.
    let story = anonymous.get("/api/articles/beta-visit").1;
    let story: Value = serde_json::from_str(&story).unwrap();
    let story = story["story"].as_str().unwrap();
    let (status, to_story) = first.post(
        "/reading/follow",
        &[("csrf", &csrf), ("kind", "story"), ("target", story)],
    );
    assert_eq!(status, 303);
    assert_eq!(first.unread(), 4);
    let story_follow = to_story.rsplit('=').next().unwrap();
    let (_, page) = first.get("/reading");
    assert!(
        page.contains(&format!("data-follow=\"{story_follow}\">3<")),
        "the story's count\n{page}"
    );
    let (status, _) = first.post("/reading/unfollow", &[("csrf", &csrf), ("id", story_follow)]);
    assert_eq!(status, 303);
    let (_, page) = first.get("/reading");
    let follow = to.rsplit('=').next().unwrap();
    assert!(
        page.contains(&format!("data-follow=\"{follow}\">2<")),
        "alpha's count\n{page}"
    );
    assert!(!page.contains("<script>alert(1)"), "article text is escaped");

    let (_, english) = first.get("/reading?lang=en");
    assert!(english.contains("Mark all as read") && english.contains("dir=\"ltr\""));
    // Opening an article marks it read; the anonymous page of it has no buttons.
    let (_, article) = first.get("/articles/alpha-park");
    assert!(article.contains("✓") && article.contains("action=\"/reading/mark\""));
    assert_eq!(first.unread(), 3);
    let (_, article) = anonymous.get("/articles/alpha-park");
    assert!(!article.contains("/reading/mark"));

    // Star it, then mark it unread again, from the list's buttons.
    let (_, page) = first.get("/reading?show=all");
    let park = seq_on_page(&page, "alpha-park");
    let back = "/reading?show=all";
    assert_eq!(
        first.post(
            "/reading/mark",
            &[("csrf", &csrf), ("seq", &park), ("star", "1"), ("back", back)]
        ),
        (303, back.to_string())
    );
    let (_, starred) = first.get("/reading?show=starred");
    assert!(starred.contains("/articles/alpha-park?"), "{starred}");
    assert!(!starred.contains("/articles/beta-visit?"));
    assert_eq!(
        first.post(
            "/reading/mark",
            &[
                ("csrf", &csrf),
                ("seq", &park),
                ("read", "0"),
                ("back", "//evil.example/")
            ]
        ),
        (303, "/reading".to_string())
    );
    assert_eq!(first.unread(), 4);

    // The reader apps see the same state.
    let app = App::login(&server, "first", "first password");
    assert_eq!(app.unread(READING_LIST), 4);
    let starred = app.json("reader/api/0/stream/items/ids?s=user/-/state/com.google/starred");
    assert_eq!(starred["itemRefs"].as_array().unwrap().len(), 1);

    // Another reader: their own empty list, their forms cannot touch the first reader's.
    let mut second = Browser::new(&server);
    second.sign_in("second", "second password");
    assert_eq!(second.unread(), 0);
    let (_, page) = second.get("/reading");
    assert!(!page.contains("alpha-park"));
    assert_eq!(
        second
            .post("/reading/mark-all", &[("csrf", &csrf), ("until", "999999")])
            .0,
        403
    );
    let second_csrf = second.csrf();
    assert_eq!(
        second
            .post("/reading/unfollow", &[("csrf", &second_csrf), ("id", follow)])
            .0,
        404,
        "not theirs"
    );
    assert_eq!(first.unread(), 4);

    // Mark all as read: up to the newest article the page showed.
    let (_, page) = first.get("/reading");
    let until = field(&page, "until");
    let (status, _) = first.post("/reading/mark-all", &[("csrf", &csrf), ("until", &until)]);
    assert_eq!(status, 303);
    assert_eq!(first.unread(), 0);
    assert_eq!(app.unread(READING_LIST), 0);
    let (_, page) = first.get("/reading");
    assert!(page.contains("لا شيء غير مقروء"));

    // Unfollow, then sign out: the old cookie opens nothing.
    let (status, _) = first.post("/reading/unfollow", &[("csrf", &csrf), ("id", follow)]);
    assert_eq!(status, 303);
    let reply = first
        .with_cookie(first.client.post(format!("{}/logout", server.base)))
        .form(&[("csrf", &csrf)])
        .send()
        .unwrap();
    assert_eq!(reply.status().as_u16(), 303);
    assert!(reply.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(first.get("/reading").0, 303);
    assert_eq!(
        first
            .post("/reading/mark", &[("csrf", &csrf), ("seq", &park), ("read", "1")])
            .0,
        403
    );

    // Wrong passwords on the form count against the same limit as the reader apps' logins.
    let statuses: Vec<u16> = (0..11)
        .map(|_| {
            anonymous
                .client
                .post(format!("{}/login", server.base))
                .form(&[("name", "second"), ("password", "a guess")])
                .send()
                .unwrap()
                .status()
                .as_u16()
        })
        .collect();
    assert_eq!(statuses[..9], [401; 9], "{statuses:?}");
    assert_eq!(statuses[9..], [429, 429], "{statuses:?}");
}

/// The same in headless Chromium: signed in through the form, the reading page shows the
/// reader's unread articles, opening one marks it read, and a form posted from another site
/// (no cookie goes with it) changes nothing.
#[test]
fn reading_pages_in_headless_chromium() {
    let Some(chromium) = crate::web::chromium("reading_pages_in_headless_chromium") else {
        return;
    };
    let (env, server) = archive_with_readers(&[("reader", "the right password")]);
    // The account follows alpha (through the reader apps' API).
    let app = App::login(&server, "reader", "the right password");
    let token = app.token();
    let added = app.post(
        "reader/api/0/subscription/quickadd",
        &[("quickadd", "source:alpha"), ("T", &token)],
    );
    assert_eq!(added.status().as_u16(), 200);
    let profile = env.path("chromium-profile");
    let run = |args: &[&str]| crate::web::headless(chromium, &profile, args);
    // A local page fills in a form and sends it, as a person (or another site) would.
    let send = |name: &str, action: &str, fields: &str| {
        let form = env.write(
            name,
            format!(
                "<form method=post action=\"{}{action}\">{fields}</form><script>document.forms[0].submit()</script>",
                server.base
            ),
        );
        run(&[
            "--virtual-time-budget=5000",
            "--dump-dom",
            &format!("file://{}", form.display()),
        ])
    };
    let page = send(
        "sign-in.html",
        "/login",
        "<input name=name value=reader><input name=password value=\"the right password\"><input name=next value=/reading>",
    );
    assert!(page.contains("<bdi>reader</bdi>"), "signed in\n{page}");
    assert!(page.contains("unread-total\">(2)"), "{page}");
    assert!(page.contains("dir=\"rtl\""));
    let dom = run(&["--dump-dom", &format!("{}/articles/alpha-park", server.base)]);
    assert!(dom.contains("✓"), "opened, read\n{dom}");
    let page = run(&["--dump-dom", &format!("{}/reading", server.base)]);
    assert!(page.contains("unread-total\">(1)"), "{page}");
    // Another site's form, even with the page's token guessed right, goes without the cookie.
    let csrf = field(&page, "csrf");
    let answer = send(
        "forged.html",
        "/reading/mark-all",
        &format!("<input name=csrf value=\"{csrf}\"><input name=until value=999999>"),
    );
    assert!(answer.contains("403"), "{answer}");
    assert_eq!(app.unread(READING_LIST), 1);
    let shot = crate::web::screenshots(&env).join("reading.png");
    run(&[
        &format!("--screenshot={}", shot.display()),
        "--window-size=1000,900",
        &format!("{}/reading?show=all", server.base),
    ]);
    assert!(std::fs::read(&shot).unwrap_or_default().starts_with(b"\x89PNG"));
}

/// `akhbar users passwd` ends the account's sessions and only the new password opens a new
/// one; `akhbar users remove` takes the account, its logins and its own follows away, and the
/// first account's follows (the site's) pass to the next account with their ids.
#[test]
fn accounts_are_removed_and_passwords_changed() {
    let (env, server) = archive_with_readers(&[("first", "first password"), ("second", "second password")]);
    let site_follow = server.admin_post(
        "/api/follows",
        &serde_json::json!({"kind": "source", "target": "alpha"}),
    );
    assert_eq!(site_follow.status().as_u16(), 201);
    let site_follow: Value = site_follow.json().unwrap();
    let first = App::login(&server, "first", "first password");
    assert_eq!(first.unread(READING_LIST), 2);
    let second = App::login(&server, "second", "second password");
    let token = second.token();
    second.post(
        "reader/api/0/subscription/quickadd",
        &[("quickadd", "entity:nasser-bourita"), ("T", &token)],
    );
    let login = |name: &str, password: &str| {
        client()
            .post(format!("{}{API}/accounts/ClientLogin", server.base))
            .form(&[("Email", name), ("Passwd", password)])
            .send()
            .unwrap()
            .status()
            .as_u16()
    };

    let run = env.run_with_stdin(&["users", "passwd", "first", "--password-stdin"], "a new password\n");
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        first.get("reader/api/0/user-info").status().as_u16(),
        401,
        "session ended"
    );
    assert_eq!(login("first", "first password"), 401);
    assert_eq!(login("first", "a new password"), 200);
    let run = env.run_with_stdin(&["users", "passwd", "first", "--password-stdin"], "short\n");
    assert_ne!(run.code, 0, "{run}");
    assert!(run.stderr.contains("characters at least"), "{run}");

    env.run_ok(&["users", "remove", "first"], 0);
    assert_eq!(login("first", "a new password"), 401);
    let users = env.run_ok(&["users", "list", "--json"], 0).json();
    assert_eq!(users.as_array().unwrap().len(), 1);
    assert_eq!(users[0]["name"], "second");
    // The site's follow is the second account's now, with its id: its feed still answers.
    let follows: Value = client()
        .get(format!("{}/api/follows", server.base))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let ids: Vec<&Value> = follows["follows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["id"])
        .collect();
    assert!(ids.contains(&&site_follow["id"]), "{follows}");
    let subscriptions = second.json("reader/api/0/subscription/list?output=json");
    assert_eq!(
        subscriptions["subscriptions"].as_array().unwrap().len(),
        2,
        "{subscriptions}"
    );
    let run = env.run(&["users", "remove", "first"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("no user \"first\""), "{run}");
}

/// newsboat and tmux, or None with the skip said (a failure where AKHBAR_REQUIRE_NEWSBOAT is set).
fn newsboat() -> Option<()> {
    // `tmux -V` prints its version (`-v` would write debug logs into the folder).
    let found = |program: &str, flag: &str| {
        Command::new(program)
            .arg(flag)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if found("newsboat", "-v") && found("tmux", "-V") {
        return Some(());
    }
    assert!(
        std::env::var_os("AKHBAR_REQUIRE_NEWSBOAT").is_none(),
        "no newsboat or tmux on this machine, and AKHBAR_REQUIRE_NEWSBOAT is set"
    );
    eprintln!("skipped: newsboat or tmux is not installed (apt-get install newsboat tmux)");
    None
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(30), "waited 30 s for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn newsboat_syncs_with_akhbar() {
    if newsboat().is_none() {
        return;
    }
    let (env, server) = archive_with_readers(&[("reader", "newsboat password")]);
    let app = App::login(&server, "reader", "newsboat password");
    let token = app.token();
    for asked in ["source:alpha", "entity:antony-blinken"] {
        let reply = app.post(
            "reader/api/0/subscription/quickadd",
            &[("quickadd", asked), ("T", &token)],
        );
        assert_eq!(reply.status().as_u16(), 200);
    }
    // newsboat 2.21 (Debian) reads the Google Reader API through its FeedHQ source.
    let config = env.write(
        "newsboat.conf",
        format!(
            "urls-source \"feedhq\"\nfeedhq-url \"{}{API}\"\nfeedhq-login \"reader\"\nfeedhq-password \"newsboat password\"\nfeedhq-min-items 20\nfeedhq-show-special-feeds no\n",
            server.base
        ),
    );
    let urls = env.write("urls", "");
    let cache = env.path("cache.db");
    let newsboat = |extra: &[&str]| {
        Command::new("newsboat")
            .arg("-C")
            .arg(&config)
            .arg("-u")
            .arg(&urls)
            .arg("-c")
            .arg(&cache)
            .args(extra)
            .env("HOME", env.path(""))
            .output()
            .unwrap()
    };
    let reload = newsboat(&["-x", "reload", "print-unread"]);
    let printed = String::from_utf8_lossy(&reload.stdout).to_string();
    assert!(
        reload.status.success(),
        "{printed} {}",
        String::from_utf8_lossy(&reload.stderr)
    );
    // Four articles, one of them in both follows: newsboat keeps it once.
    assert_eq!(printed.trim(), "4 unread articles", "{printed}");

    // In newsboat as a reader: open the first feed and its first article, then mark the
    // other feed read.
    let session = format!("akhbar-test-{}", std::process::id());
    let tmux = |args: &[&str]| Command::new("tmux").args(["-L", &session]).args(args).output().unwrap();
    let screen = || String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", &session]).stdout).to_string();
    let command = format!(
        "HOME={} newsboat -C {} -u {} -c {}",
        env.path("").display(),
        config.display(),
        urls.display(),
        cache.display()
    );
    tmux(&["new-session", "-d", "-s", &session, "-x", "160", "-y", "40", &command]);
    struct Kill<'a>(&'a dyn Fn(&[&str]) -> std::process::Output);
    impl Drop for Kill<'_> {
        fn drop(&mut self) {
            (self.0)(&["kill-server"]);
        }
    }
    let _kill = Kill(&tmux);
    wait_for("newsboat's feed list", || screen().contains("Your feeds"));
    let feeds = screen();
    assert!(feeds.contains("alpha") && feeds.contains("أنتوني بلينكن"), "{feeds}");
    tmux(&["send-keys", "-t", &session, "Enter"]);
    wait_for("the feed's articles", || screen().contains("Articles in feed"));
    tmux(&["send-keys", "-t", &session, "Enter"]);
    wait_for("the article", || screen().contains("Title:"));
    // newsboat tells the server an article is read at the first key pressed in it: leave it.
    tmux(&["send-keys", "-t", &session, "q"]);
    wait_for("akhbar to hear the article was read", || {
        app.unread("user/-/state/com.google/reading-list") == 3
    });
    wait_for("the feed's articles", || screen().contains("Articles in feed"));
    tmux(&["send-keys", "-t", &session, "q"]);
    wait_for("newsboat's feed list", || screen().contains("Your feeds"));
    tmux(&["send-keys", "-t", &session, "j", "A"]);
    wait_for("akhbar to hear the feed was marked read", || {
        app.unread("user/-/state/com.google/reading-list") < 3
    });
    tmux(&["send-keys", "-t", &session, "q"]);
    // What newsboat marked read is read in akhbar: the article read, and every article of the
    // feed marked read.
    let left = app
        .json("reader/api/0/stream/items/ids?s=user/-/state/com.google/reading-list&xt=user/-/state/com.google/read");
    let read = app.json("reader/api/0/stream/items/ids?s=user/-/state/com.google/read");
    assert_eq!(
        left["itemRefs"].as_array().unwrap().len() + read["itemRefs"].as_array().unwrap().len(),
        4
    );
    assert!(read["itemRefs"].as_array().unwrap().len() >= 2, "{read}");
}

/// One Blinken report (and, with `copy`, its reprint by another outlet an hour later).
fn report(id: &str, outlet: &str, hour: u32, title: &str, body: &str) -> String {
    serde_json::json!({"id": id, "source": outlet, "date": format!("2015-08-10 {hour:02}:00:00"), "title": title, "content": body})
        .to_string()
        + "\n"
}

#[test]
fn a_webhook_is_told_of_new_articles_once_signed_and_after_two_failures() {
    use hmac::Mac;
    let env = Env::new();
    let path = env.write("news.jsonl", archive());
    env.run_ok(&["ingest", path.to_str().unwrap()], 0);
    let receiver = akhbar_testserver::TestServer::start();
    // The receiver fails twice, then takes the alert.
    receiver.set(
        "/hook",
        akhbar_testserver::Reply::FirstThen {
            n: 2,
            first: Box::new(akhbar_testserver::Reply::status(503)),
            then: Box::new(akhbar_testserver::Reply::ok("text/plain", "ok")),
        },
    );
    let server = crate::web::start_with(&env, &["--alert-every", "1"]);
    let made: Value = server
        .admin_post(
            "/api/follows",
            &serde_json::json!({"kind": "entity", "target": "antony-blinken", "webhook": receiver.url("/hook")}),
        )
        .json()
        .unwrap();
    let secret = made["webhook_secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{made}"))
        .to_string();
    let follow = made["id"].as_i64().unwrap();
    // Articles stored before the webhook was set are not told of.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(receiver.hits("/hook"), 0);

    // A new report, its reprint by another outlet, and news of something else.
    let report_text = "أكد وزير الخارجية الأمريكي أنتوني بلينكن في ختام زيارته إلى الرباط أن الشراكة الاستراتيجية مع المغرب تشمل التعاون الأمني ومكافحة الإرهاب والتبادل التجاري، وأن واشنطن تقدر دور المملكة في استقرار المنطقة.";
    let new = env.write(
        "new.jsonl",
        report("delta-visit", "delta", 9, "بلينكن يختتم زيارته إلى الرباط", report_text)
            + &report(
                "epsilon-visit",
                "epsilon",
                10,
                "بلينكن يختتم زيارته إلى الرباط",
                report_text,
            )
            + &report(
                "delta-rain",
                "delta",
                11,
                "أمطار على جدة",
                "هطلت أمطار غزيرة على محافظة جدة صباح اليوم وسط تحذيرات من الدفاع المدني.",
            ),
    );
    env.run_ok(&["ingest", new.to_str().unwrap()], 0);
    wait_for("the third try", || receiver.hits("/hook") == 3);
    let tries = receiver.requests("/hook");
    assert!(
        tries[2].at - tries[1].at >= Duration::from_millis(1500),
        "the waits double"
    );
    let body = &tries[2].body;
    let alert: Value = serde_json::from_slice(body).unwrap();
    let told: Vec<&str> = alert["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        told,
        ["delta-visit"],
        "the reprint and the other news are not told: {alert}"
    );
    assert_eq!(alert["follow"]["id"], follow);
    assert_eq!(alert["follow"]["target"], "antony-blinken");
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        tries[2].header("x-akhbar-signature"),
        Some(format!("sha256={expected}").as_str())
    );

    // Later: another reprint of it is not told again; a new report is, alone.
    let later = env.write(
        "later.jsonl",
        report("zeta-visit", "zeta", 14, "بلينكن يختتم زيارته إلى الرباط", report_text)
            + &report(
                "delta-next",
                "delta",
                15,
                "بلينكن يصل إلى تونس",
                "وصل وزير الخارجية الأمريكي أنتوني بلينكن إلى تونس قادما من الرباط في جولة مغاربية يبحث خلالها ملفات الهجرة والطاقة.",
            ),
    );
    env.run_ok(&["ingest", later.to_str().unwrap()], 0);
    wait_for("the next alert", || receiver.hits("/hook") == 4);
    let alert: Value = serde_json::from_slice(&receiver.requests("/hook")[3].body).unwrap();
    assert_eq!(alert["articles"].as_array().unwrap().len(), 1, "{alert}");
    assert_eq!(alert["articles"][0]["id"], "delta-next");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(receiver.hits("/hook"), 4, "nothing is told twice");

    // The delivery log, newest first.
    let log: Value = server.admin_get_json(&format!("/api/follows/{follow}/deliveries"));
    let deliveries = log["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 2, "{log}");
    assert_eq!(deliveries[1]["attempts"], 3);
    assert_eq!(deliveries[1]["delivered"], true);
    assert_eq!(deliveries[1]["status"], 200);
    assert_eq!(deliveries[1]["articles"][0], "delta-visit");
    assert_eq!(deliveries[0]["attempts"], 1);
    assert_eq!(log["webhook"], receiver.url("/hook"));
    let anonymous = client()
        .get(format!("{}/api/follows/{follow}/deliveries", server.base))
        .send()
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
}

/// An SMTP server that takes every message (the test's mail sink): enough of RFC 5321 for a
/// client without TLS or login.
fn smtp_sink() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let messages = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = std::sync::Arc::clone(&messages);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let kept = std::sync::Arc::clone(&kept);
            std::thread::spawn(move || {
                let mut out = stream.try_clone().unwrap();
                let mut lines = std::io::BufReader::new(stream);
                let _ = out.write_all(b"220 sink ESMTP\r\n");
                let mut line = String::new();
                while lines.read_line(&mut line).is_ok_and(|n| n > 0) {
                    let command = line.trim_end().to_ascii_uppercase();
                    let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if command == "DATA" {
                        let _ = out.write_all(b"354 go on\r\n");
                        let mut message = String::new();
                        let mut data = String::new();
                        while lines.read_line(&mut data).is_ok_and(|n| n > 0) && data.trim_end() != "." {
                            message.push_str(&data);
                            data.clear();
                        }
                        kept.lock().unwrap().push(message);
                        b"250 kept\r\n"
                    } else if command == "QUIT" {
                        let _ = out.write_all(b"221 bye\r\n");
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = out.write_all(reply);
                    line.clear();
                }
            });
        }
    });
    (port, messages)
}

#[test]
fn e_mail_digests_at_most_every_n_minutes() {
    use base64::Engine;
    let env = Env::new();
    let path = env.write("news.jsonl", archive());
    env.run_ok(&["ingest", path.to_str().unwrap()], 0);
    let (port, messages) = smtp_sink();
    let smtp = format!("smtp://127.0.0.1:{port}");
    let server = crate::web::start_with(
        &env,
        &[
            "--alert-every",
            "1",
            "--smtp-url",
            &smtp,
            "--smtp-from",
            "akhbar <news@example.org>",
            "--base-url",
            "https://news.example.org",
        ],
    );
    let follow = |body: Value| server.admin_post("/api/follows", &body);
    let bad = follow(serde_json::json!({"kind": "entity", "target": "antony-blinken", "email": "not an address"}));
    assert_eq!(bad.status().as_u16(), 400);
    let made: Value = follow(serde_json::json!({"kind": "entity", "target": "antony-blinken", "email": "analyst@example.org", "email_every": 60}))
        .json()
        .unwrap();
    let id = made["id"].as_i64().unwrap();

    let report_text = "أكد وزير الخارجية الأمريكي أنتوني بلينكن في ختام زيارته إلى الرباط أن الشراكة الاستراتيجية مع المغرب تشمل التعاون الأمني ومكافحة الإرهاب والتبادل التجاري.";
    let new = env.write(
        "new.jsonl",
        report("delta-visit", "delta", 9, "بلينكن يختتم زيارته إلى الرباط", report_text)
            + &report(
                "epsilon-visit",
                "epsilon",
                10,
                "بلينكن يختتم زيارته إلى الرباط",
                report_text,
            ),
    );
    env.run_ok(&["ingest", new.to_str().unwrap()], 0);
    wait_for("the digest", || messages.lock().unwrap().len() == 1);
    let message = messages.lock().unwrap()[0].clone();
    assert!(message.contains("To: analyst@example.org"), "{message}");
    assert!(message.contains("From: akhbar <news@example.org>"), "{message}");
    assert!(
        message.contains("Subject: akhbar: 1 new for antony-blinken"),
        "{message}"
    );
    // The body, as the client encoded it (base64 for Arabic text).
    let (_, body) = message.split_once("\r\n\r\n").unwrap();
    let text = match base64::engine::general_purpose::STANDARD.decode(body.replace("\r\n", "")) {
        Ok(bytes) => String::from_utf8(bytes).unwrap(),
        Err(_) => body.to_string(),
    };
    assert!(text.contains("بلينكن يختتم زيارته إلى الرباط"), "{text}");
    assert!(text.contains("https://news.example.org/articles/delta-visit"), "{text}");
    assert!(!text.contains("epsilon-visit"), "the reprint is left out: {text}");

    // Within the hour, another article waits for the next digest.
    let later = env.write(
        "later.jsonl",
        report(
            "delta-next",
            "delta",
            15,
            "بلينكن يصل إلى تونس",
            "وصل وزير الخارجية الأمريكي أنتوني بلينكن إلى تونس قادما من الرباط في جولة مغاربية.",
        ),
    );
    env.run_ok(&["ingest", later.to_str().unwrap()], 0);
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(messages.lock().unwrap().len(), 1, "one digest an hour at most");
    let log: Value = server.admin_get_json(&format!("/api/follows/{id}/deliveries"));
    assert_eq!(log["email"], "analyst@example.org");
    let deliveries = log["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 1, "{log}");
    assert_eq!(deliveries[0]["channel"], "email");
    assert_eq!(deliveries[0]["delivered"], true);
    assert_eq!(deliveries[0]["articles"], serde_json::json!(["delta-visit"]));
}
