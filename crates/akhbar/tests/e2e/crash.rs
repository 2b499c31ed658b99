//! Crash safety: `akhbar ingest` and `akhbar serve` (polling) are killed with SIGKILL at
//! random points, several times, and restarted. Every article acknowledged before a kill is
//! there exactly once afterwards, the search index and the database agree document by
//! document (`akhbar check`), and the finished store holds every article once.
//!
//! The points are random per run; the seed is printed and `AKHBAR_CRASH_SEED` replays one.
//! The ingest test reads the shared corpus when `../shared` is present (the first
//! `AKHBAR_CRASH_ARTICLES` articles, 2,000 by default, `all` for the whole corpus), and
//! generated articles otherwise.

use crate::util::Env;
use akhbar_testserver::{Reply, TestServer};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// xorshift64*: enough randomness for kill points, reproducible from a printed seed.
struct Rng(u64);

impl Rng {
    fn from_env(test: &str) -> Rng {
        let seed = std::env::var("AKHBAR_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("{test}: AKHBAR_CRASH_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// The articles of the test archive, as JSON lines with their ids, in file order.
fn archive() -> Vec<(String, String)> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/saudinewsnet.jsonl.gz");
    let wanted = match std::env::var("AKHBAR_CRASH_ARTICLES").as_deref() {
        Ok("all") => usize::MAX,
        Ok(n) => n.parse().expect("AKHBAR_CRASH_ARTICLES: a number or `all`"),
        Err(_) => 2000,
    };
    if let Ok(file) = std::fs::File::open(&shared) {
        let mut out = Vec::new();
        for line in BufReader::new(flate2::read::GzDecoder::new(file)).lines() {
            let line = line.unwrap();
            let value: serde_json::Value = serde_json::from_str(&line).unwrap();
            // Articles without text are refused by ingest: keep only those that land, so
            // that the n-th acknowledged article is the n-th line.
            if value["content"].as_str().unwrap_or("").trim().chars().count() < 50 {
                continue;
            }
            out.push((value["id"].as_str().unwrap().to_string(), line));
            if out.len() == wanted {
                break;
            }
        }
        return out;
    }
    eprintln!("../shared is absent: crashing an ingest of generated articles");
    let words = [
        "الحكومة",
        "وزير",
        "الرياض",
        "المملكة",
        "الاقتصاد",
        "مجلس",
        "الأمن",
        "المغرب",
        "بلينكن",
        "الرباط",
        "اجتماع",
        "التعاون",
        "مشروع",
        "الطاقة",
        "النفط",
        "الأسواق",
        "الرياضة",
        "المنتخب",
        "الصحة",
        "التعليم",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..wanted.min(6000))
        .map(|i| {
            let id = format!("gen-{i:05}");
            let mut body = String::new();
            for p in 0..4 {
                for _ in 0..40 {
                    body.push_str(words[rng.below(words.len() as u64) as usize]);
                    body.push(' ');
                }
                body.push_str(&format!("رقم {i} فقرة {p}.\n\n"));
            }
            let line = serde_json::json!({
                "id": id, "source": format!("outlet{}", i % 7), "title": format!("خبر مولد رقم {i}"),
                "date": format!("2020-03-{:02} 10:00:00", 1 + i % 28), "content": body,
            });
            (id, line.to_string())
        })
        .collect()
}

/// `akhbar export`: the stored ids, in ingest order.
fn exported_ids(env: &Env) -> Vec<String> {
    env.run_ok(&["export"], 0)
        .json_lines()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

/// No id twice, and `akhbar check`: the index and the database agree.
#[track_caller]
fn assert_consistent(env: &Env, ids: &[String]) -> serde_json::Value {
    let mut seen = HashSet::new();
    for id in ids {
        assert!(seen.insert(id), "{id} stored twice");
    }
    let check = env.run(&["check", "--json"]);
    assert_eq!(check.code, 0, "the index and the database disagree\n{check}");
    let check = check.json();
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(check["articles"].as_u64(), Some(ids.len() as u64), "{check}");
    check
}

/// The running total on the last `committed:` line (articles durable so far in this run).
fn committed_count(line: &str) -> Option<usize> {
    let counts = line.strip_prefix("committed: ")?;
    let numbers: Vec<usize> = counts
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse().ok())
        .collect();
    Some(numbers[0] + numbers[1])
}

#[test]
fn sigkill_mid_ingest_loses_and_duplicates_nothing() {
    let mut rng = Rng::from_env("ingest");
    let env = Env::new();
    let articles = archive();
    let n = articles.len();
    let text: String = articles.iter().map(|(_, line)| format!("{line}\n")).collect();
    let path = env.write("archive.jsonl", text);
    let mut kills = 0;
    for round in 0..4 {
        let batch = 50 + rng.below(250);
        let mut child = Command::new(env!("CARGO_BIN_EXE_akhbar"))
            .arg("--data")
            .arg(env.data())
            .args(["ingest", "--batch-size", &batch.to_string()])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Kill once a random share of the archive is acknowledged, after a random delay:
        // sometimes right after a commit, sometimes in the middle of the next batch, of its
        // entity step or of its index commit.
        let target = 1 + rng.below(n as u64 * 9 / 10) as usize;
        let delay = Duration::from_millis(rng.below(600));
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut acknowledged = 0;
        let mut commits = 0;
        let mut finished = true;
        for line in lines.by_ref() {
            if let Some(count) = committed_count(&line.unwrap()) {
                acknowledged = count;
                commits += 1;
                if count >= target {
                    finished = false;
                    break;
                }
            }
        }
        if !finished {
            std::thread::sleep(delay);
            child.kill().unwrap(); // SIGKILL
            kills += 1;
        }
        child.wait().unwrap();
        // Lines written before the kill count as acknowledged too.
        for line in lines {
            if let Some(count) = committed_count(&line.unwrap()) {
                acknowledged = acknowledged.max(count);
            }
        }
        let ids = exported_ids(&env);
        let stored: HashSet<&String> = ids.iter().collect();
        for (id, _) in &articles[..acknowledged.min(n)] {
            assert!(
                stored.contains(id),
                "round {round}: {id} was acknowledged, then lost ({acknowledged} acknowledged, {} stored)",
                ids.len()
            );
        }
        assert_consistent(&env, &ids);
        eprintln!(
            "round {round}: batch {batch}, killed {} after {commits} commits + {delay:?}: {acknowledged} acknowledged, {} stored",
            !finished,
            ids.len()
        );
    }
    assert!(kills >= 3, "the archive is too small to be killed mid-way");
    let finish = env.run_ok(&["ingest", "--json", path.to_str().unwrap()], 0).json();
    assert_eq!(
        finish["new"].as_u64().unwrap() + finish["existing"].as_u64().unwrap(),
        n as u64
    );
    let ids = exported_ids(&env);
    let check = assert_consistent(&env, &ids);
    assert_eq!(check["pending"], 0, "{check}");
    assert_eq!(check["index_documents"].as_u64(), Some(n as u64), "{check}");
    let mut expected: Vec<&String> = articles.iter().map(|(id, _)| id).collect();
    let mut got: Vec<&String> = ids.iter().collect();
    expected.sort();
    got.sort();
    assert!(got == expected, "the finished store holds exactly the archive");
    // Every article is searchable once: its own title finds it, and only once.
    let (id, line) = &articles[n - 1];
    let title = serde_json::from_str::<serde_json::Value>(line).unwrap()["title"]
        .as_str()
        .unwrap()
        .to_string();
    let hits = env
        .run_ok(&["search", &title, "--json", "--limit", "50"], 0)
        .json_lines();
    assert_eq!(
        hits.iter().filter(|h| h["id"] == id.as_str()).count(),
        1,
        "{title}: {hits:?}"
    );
}

struct Serving {
    child: Child,
    base: String,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(env: &Env) -> Serving {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_akhbar"))
        .arg("--data")
        .arg(env.data())
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--admin-token", "t"])
        .args([
            "--poll-every",
            "1",
            "--allow-private",
            "--host-delay-ms",
            "0",
            "--retries",
            "0",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Serving {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

/// The ids the server shows for `query`, page by page (the archive stays under the API's
/// 1,000-result cap); `None` when the server does not answer.
fn visible(base: &str, query: &str) -> Option<HashSet<String>> {
    let mut ids = HashSet::new();
    for page in 1..=10 {
        let url = format!("{base}/api/search?q={query}&limit=100&collapse=0&page={page}");
        let mut body = String::new();
        get(&url)?.take(64 << 20).read_to_string(&mut body).ok()?;
        let value: serde_json::Value = serde_json::from_str(&body).ok()?;
        for hit in value["results"].as_array()? {
            ids.insert(hit["id"].as_str()?.to_string());
        }
        if value["has_more"] != true {
            break;
        }
    }
    Some(ids)
}

/// A GET with a short timeout; `None` while the server is not up.
fn get(url: &str) -> Option<impl Read> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .ok()?;
    let response = client.get(url).send().ok()?;
    response.status().is_success().then_some(response)
}

#[test]
fn sigkill_while_serving_and_polling_loses_and_duplicates_nothing() {
    let mut rng = Rng::from_env("serve");
    let server = TestServer::start();
    // Six feeds: four Atom feeds with full text, two RSS feeds of summaries whose pages are
    // fetched. 4 × 120 + 2 × 25 = 530 articles, each with the word "مراسلنا".
    let mut expected = 0;
    let mut feeds = Vec::new();
    for f in 0..6 {
        let full = f < 4;
        let count = if full { 120 } else { 25 };
        let mut xml = if full {
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>وكالة {f}</title><id>urn:feed:{f}</id><updated>2024-05-01T10:00:00Z</updated>")
        } else {
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>صحيفة {f}</title><link>{}</link>", server.url("/"))
        };
        for i in 0..count {
            let link = server.url(&format!("/f{f}/{i}"));
            let body: String = (0..4)
                .map(|p| format!("<p>قال مراسلنا في الخبر {i} من المصدر {f} إن الفقرة {p} تتناول اجتماعات الحكومة والبرلمان حول الميزانية والطاقة والتعليم في العاصمة.</p>"))
                .collect();
            if full {
                xml.push_str(&format!(
                    "<entry><title>خبر {i} من الوكالة {f}</title><id>{link}</id><link href=\"{link}\"/><updated>2024-05-01T{:02}:{:02}:00Z</updated><content type=\"html\">{}</content></entry>",
                    i / 60, i % 60,
                    body.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
                ));
            } else {
                xml.push_str(&format!(
                    "<item><title>خبر {i} من الصحيفة {f}</title><link>{link}</link><guid>{link}</guid><pubDate>Wed, 01 May 2024 10:{:02}:00 GMT</pubDate><description>ملخص قصير</description></item>",
                    i % 60
                ));
                server.set(
                    &format!("/f{f}/{i}"),
                    Reply::ok(
                        "text/html; charset=utf-8",
                        format!("<html><head><title>خبر {i} من الصحيفة {f}</title></head><body><article><h1>خبر {i} من الصحيفة {f}</h1>{body}</article></body></html>"),
                    ),
                );
            }
            expected += 1;
        }
        xml.push_str(if full { "</feed>" } else { "</channel></rss>" });
        let path = format!("/feed{f}.xml");
        server.set(
            &path,
            Reply::Conditional {
                etag: format!("\"v{f}\""),
                reply: Box::new(Reply::ok(
                    if full {
                        "application/atom+xml"
                    } else {
                        "application/rss+xml"
                    },
                    xml,
                )),
            },
        );
        feeds.push(path);
    }
    let env = Env::new();
    for path in &feeds {
        env.run_ok(&["sources", "add", &server.url(path), "--allow-private"], 0);
    }
    let mut kills = 0;
    let mut acknowledged: HashSet<String> = HashSet::new();
    for round in 0..4 {
        let serving = serve(&env);
        let started = Instant::now();
        while get(&format!("{}/healthz", serving.base)).is_none() {
            assert!(started.elapsed() < Duration::from_secs(30), "the server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(200 + rng.below(2500)));
        // What the server shows right before the kill has been acknowledged.
        let shown = visible(&serving.base, "مراسلنا").unwrap_or_default();
        let mut serving = serving;
        serving.child.kill().unwrap(); // SIGKILL
        serving.child.wait().unwrap();
        kills += 1;
        acknowledged.extend(shown.iter().cloned());
        let ids = exported_ids(&env);
        let stored: HashSet<&String> = ids.iter().collect();
        for id in &acknowledged {
            assert!(stored.contains(id), "round {round}: {id} was shown, then lost");
        }
        assert_consistent(&env, &ids);
        eprintln!(
            "round {round}: {} shown before the kill, {} stored after it",
            shown.len(),
            ids.len()
        );
        if ids.len() == expected {
            break;
        }
    }
    assert!(kills >= 1);
    // A last run finishes the polling: every feed entry is there, once.
    let serving = serve(&env);
    let started = Instant::now();
    let mut last = 0;
    while started.elapsed() < Duration::from_secs(240) {
        last = visible(&serving.base, "مراسلنا").map_or(last, |s| s.len());
        if last == expected {
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    drop(serving);
    let ids = exported_ids(&env);
    assert_eq!(last, expected, "the restarted server caught up with every feed entry");
    assert_eq!(ids.len(), expected);
    let check = assert_consistent(&env, &ids);
    assert_eq!(check["pending"], 0, "{check}");
    // Each entry once: per-source counts match the feeds.
    let exported = env.run_ok(&["export"], 0).json_lines();
    let mut per_url: HashMap<String, usize> = HashMap::new();
    for article in &exported {
        *per_url
            .entry(article["url"].as_str().unwrap_or("").to_string())
            .or_default() += 1;
    }
    assert_eq!(per_url.len(), expected, "one article per entry URL");
}
