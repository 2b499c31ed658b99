//! The cluster on a real NATS server (Debian's nats-server with JetStream, on loopback): two
//! shards, workers, the publisher, status, and kills.

use crate::util::Env;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A process killed when the test ends, its output in a file for the failure message.
struct Proc {
    child: Child,
    log: PathBuf,
}

impl Proc {
    fn start(program: &Path, args: &[&str], log: PathBuf) -> Proc {
        let file = std::fs::File::create(&log).unwrap();
        let child = Command::new(program)
            .args(args)
            .env_remove("AKHBAR_DATA")
            .env_remove("AKHBAR_NATS")
            .env("AKHBAR_LOG", "akhbar_cluster=info")
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", program.display()));
        Proc { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no clean-up of any kind.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Debian's nats-server, or None with the skip said (a failure where AKHBAR_REQUIRE_NATS is
/// set, as in CI).
fn nats_server() -> Option<PathBuf> {
    let found = ["nats-server", "/usr/sbin/nats-server", "/usr/bin/nats-server"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| {
            Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_none() {
        assert!(
            std::env::var_os("AKHBAR_REQUIRE_NATS").is_none(),
            "no nats-server on this machine, and AKHBAR_REQUIRE_NATS is set"
        );
        use std::io::Write;
        let _ = std::io::stderr()
            .write_all(b"\nSKIPPED cluster tests: no nats-server on this machine (apt-get install nats-server)\n");
    }
    found
}

/// One NATS server with JetStream on loopback, its storage in the test's folder.
fn start_nats(env: &Env, program: &Path) -> (Proc, String) {
    let port = crate::util::free_port();
    let store = env.path("nats");
    let port_arg = port.to_string();
    let proc = Proc::start(
        program,
        &[
            "-js",
            "-a",
            "127.0.0.1",
            "-p",
            &port_arg,
            "-sd",
            store.to_str().unwrap(),
        ],
        env.path("nats.log"),
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "nats-server did not start\n{}",
            proc.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (proc, format!("nats://127.0.0.1:{port}"))
}

fn akhbar() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_akhbar"))
}

/// `akhbar --data DATA node --nats URL --shard SHARD`, its output in the test's `log`.
fn start_node(env: &Env, url: &str, data: &Path, shard: &str, log: &str) -> Proc {
    Proc::start(
        akhbar(),
        &[
            "--data",
            data.to_str().unwrap(),
            "node",
            "--nats",
            url,
            "--shard",
            shard,
        ],
        env.path(log),
    )
}

/// `count` articles in JSON lines, each with its own words and names, ids `{prefix}-{i}`.
fn articles(prefix: &str, count: usize) -> String {
    let cities = ["الرياض", "جدة", "القاهرة", "الرباط", "عمان", "بيروت", "تونس", "الدوحة"];
    let topics = [
        "معرض الكتاب",
        "مؤتمر الطاقة",
        "مهرجان التراث",
        "قمة الاقتصاد",
        "بطولة الشطرنج",
    ];
    let mut out = String::new();
    for i in 0..count {
        let city = cities[i % cities.len()];
        let topic = topics[i % topics.len()];
        let source = ["الوطن", "عكاظ", "الرياض"][i % 3];
        let line = serde_json::json!({
            "id": format!("{prefix}-{i}"),
            "source": source,
            "date": format!("2024-03-{:02} 10:00:00", 1 + i % 28),
            "title": format!("افتتاح {topic} في {city} للمرة {i}"),
            "content": format!(
                "افتتح وزير الثقافة اليوم {topic} في مدينة {city} بمشاركة {} جهة.\n\nوقال المنظمون إن الدورة رقم {i} تستقبل الزوار حتى نهاية الشهر، وإن الرمز {prefix}{i}x يميزها.",
                10 + i
            ),
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// Every article id a node's store holds (read while the node runs, as the server reads).
fn ids(data: &Path) -> Vec<String> {
    let run = run_at(data, &["export"]);
    assert_eq!(run.code, 0, "{run}");
    run.json_lines()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect()
}

/// `akhbar ingest --nats URL --wait --json FILE`, expected to end well within three minutes
/// (a hang fails the test with the processes' logs, it does not hold the test run).
fn ingest_and_wait(env: &Env, url: &str, file: &Path) -> crate::util::Run {
    let (out, err) = (env.path("ingest-wait.out"), env.path("ingest-wait.err"));
    let mut child = Command::new(akhbar())
        .args(["ingest", "--nats", url, "--wait", "--json"])
        .arg(file)
        .env_remove("AKHBAR_DATA")
        .env_remove("AKHBAR_NATS")
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            panic!(
                "ingest --wait still waiting after 180 s\n{}\n{}",
                std::fs::read_to_string(&err).unwrap_or_default(),
                logs(env)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let run = crate::util::Run {
        code: status.code().unwrap_or(-1),
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
    };
    assert_eq!(run.code, 0, "{run}\n{}", logs(env));
    run
}

/// GET `path` of a server at `addr` as (status, JSON body), trying again while it starts.
fn http_get(env: &Env, addr: &str, path: &str) -> (u16, serde_json::Value) {
    let http = crate::web::client();
    let started = Instant::now();
    loop {
        match http.get(format!("http://{addr}{path}")).send() {
            Ok(response) => {
                let status = response.status().as_u16();
                return (status, response.json().unwrap_or(serde_json::Value::Null));
            }
            Err(error) => {
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "{path}: {error}\n{}",
                    logs(env)
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// `akhbar --data DATA ARGS`, waited for.
fn run_at(data: &Path, args: &[&str]) -> crate::util::Run {
    let output = Command::new(akhbar())
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("AKHBAR_DATA")
        .env_remove("AKHBAR_NATS")
        .output()
        .unwrap();
    crate::util::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn status(env: &Env, url: &str) -> serde_json::Value {
    env.run_ok(&["cluster", "status", "--nats", url, "--json"], 0).json()
}

/// Waits until `ready` holds for the cluster's status.
fn wait_status(env: &Env, url: &str, what: &str, ready: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let status = status(env, url);
        if ready(&status) {
            return status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{what}: {status}\n{}",
            logs(env)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Every log the test's processes wrote, for a failure message.
fn logs(env: &Env) -> String {
    let mut names: Vec<PathBuf> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with("applied:") && !l.starts_with("tagged:"))
                .collect();
            format!("--- {}\n{}", p.display(), kept.join("\n"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn alive_replicas(status: &serde_json::Value, shard: u64) -> usize {
    status["shards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["shard"] == shard)
        .flat_map(|s| s["replicas"].as_array().unwrap().iter())
        .filter(|r| r["alive"] == true)
        .count()
}

/// Two shards and a worker on one NATS server: every article published is stored once, on
/// one shard; a re-publish is dropped by the log; a worker and a replica killed with SIGKILL
/// in the middle of the work lose nothing and duplicate nothing; status says it all.
#[test]
fn articles_cross_the_cluster_once_each() {
    let Some(program) = nats_server() else { return };
    let env = Env::new();
    let (_nats, url) = start_nats(&env, &program);
    let node_args = |k: u32| {
        let data = env.path(&format!("node{k}"));
        let shard = format!("{k}/2");
        (data, shard)
    };
    let shard_node = |k: u32, log: &str| {
        let (data, shard) = node_args(k);
        start_node(&env, &url, &data, &shard, log)
    };
    let start_worker = |log: &str| Proc::start(akhbar(), &["worker", "--nats", &url], env.path(log));
    let _node1 = shard_node(1, "node1.log");
    let mut node2 = shard_node(2, "node2.log");
    let mut worker = start_worker("worker1.log");
    wait_status(&env, &url, "both shards alive", |s| {
        alive_replicas(s, 1) == 1 && alive_replicas(s, 2) == 1
    });

    // 40 articles, published and applied.
    let first = env.write("first.jsonl", articles("a", 40));
    let run = ingest_and_wait(&env, &url, &first);
    let report = run.json();
    assert_eq!(
        (report["published"].as_u64(), report["duplicates"].as_u64()),
        (Some(40), Some(0)),
        "{run}"
    );
    assert_eq!(report["missing_shards"], serde_json::json!([]), "{run}");
    let (one, two) = (ids(&node_args(1).0), ids(&node_args(2).0));
    assert!(
        !one.is_empty() && !two.is_empty(),
        "both shards hold articles: {one:?} {two:?}"
    );
    let all: BTreeSet<&String> = one.iter().chain(&two).collect();
    assert_eq!(
        (all.len(), one.len() + two.len()),
        (40, 40),
        "each article on one shard, once"
    );
    // A replica's store is an ordinary store: `akhbar check` reads it while the node runs.
    for k in [1, 2] {
        let check = run_at(&node_args(k).0, &["check", "--json"]);
        assert_eq!(check.code, 0, "{check}");
        assert_eq!(check.json()["ok"], true, "{check}");
    }
    // Searchable on its shard, with its entities tagged by the worker.
    let holder = if one.contains(&"a-7".to_string()) {
        node_args(1).0
    } else {
        node_args(2).0
    };
    let found = run_at(&holder, &["search", "a7x", "--json"]);
    assert!(found.stdout.contains("\"a-7\""), "{found}");
    let shown = run_at(&holder, &["show", "a-7", "--json"]).json();
    let entities = shown["entities"].to_string();
    // Article 7 is set in the eighth city, Doha.
    assert!(entities.contains("\"doha\""), "{shown}");

    // The same articles in one store: a search over the cluster ranks as that store does
    // (every match listed, so ties at a cut do not matter).
    env.run_ok(&["ingest", first.to_str().unwrap()], 0);
    let ranked = |run: crate::util::Run| {
        let mut hits: Vec<(String, f64)> = run
            .json_lines()
            .iter()
            .map(|h| (h["id"].as_str().unwrap().to_string(), h["score"].as_f64().unwrap()))
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hits
    };
    for query in [
        "الرياض",
        "معرض الكتاب",
        "\"مؤتمر الطاقة\"",
        "a7x",
        "الدوحة التراث",
        "طوكيو بيروت",
    ] {
        let one = ranked(env.run_ok(&["search", query, "--json", "--limit", "100"], 0));
        let run = env.run_ok(&["search", query, "--json", "--limit", "100", "--nats", &url], 0);
        assert!(!one.is_empty(), "{query}");
        assert_eq!(ranked(run), one, "{query}");
    }

    // The same through `akhbar serve --nats`: /api/search answers from every shard,
    // /api/cluster and /healthz say the cluster's state, other routes say they are not there.
    let port = crate::util::free_port();
    let addr = format!("127.0.0.1:{port}");
    let _server = Proc::start(
        akhbar(),
        &["serve", "--nats", &url, "--addr", &addr],
        env.path("serve.log"),
    );
    let get = |path: &str| http_get(&env, &addr, path);
    let (code, health) = get("/healthz");
    assert_eq!(
        (code, health["missing_shards"].clone()),
        (200, serde_json::json!([])),
        "{health}"
    );
    let (code, page) = get("/api/search?q=%D8%A7%D9%84%D8%B1%D9%8A%D8%A7%D8%B6&limit=100");
    assert_eq!(code, 200, "{page}");
    assert_eq!(
        (page["partial"].clone(), page["missing_shards"].clone()),
        (serde_json::json!(false), serde_json::json!([]))
    );
    let mut served: Vec<(String, f64)> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["id"].as_str().unwrap().to_string(), h["score"].as_f64().unwrap()))
        .collect();
    served.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    // The API writes an f32 score with all its f64 digits, the command line as an f32.
    let as_f32 = |v: Vec<(String, f64)>| v.into_iter().map(|(i, s)| (i, s as f32)).collect::<Vec<_>>();
    assert_eq!(
        as_f32(served.clone()),
        as_f32(ranked(env.run_ok(&["search", "الرياض", "--json", "--limit", "100"], 0)))
    );
    assert_eq!(page["total"].as_u64(), Some(served.len() as u64), "{page}");
    let (code, cluster) = get("/api/cluster");
    assert_eq!(
        (code, cluster["shards"].as_array().map(Vec::len)),
        (200, Some(2)),
        "{cluster}"
    );
    let (code, missing) = get("/api/stories");
    assert_eq!(code, 501, "{missing}");
    assert!(
        missing["error"]
            .as_str()
            .is_some_and(|e| e.contains("not served by a cluster")),
        "{missing}"
    );

    // The same file again: the log drops every copy.
    let again = ingest_and_wait(&env, &url, &first).json();
    assert_eq!(
        (again["published"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(40))
    );

    // A worker killed while it works, and a replica killed while it applies: restarted, the
    // cluster ends with every article once.
    let second = env.write("second.jsonl", articles("b", 300));
    let published = env
        .run_ok(&["ingest", "--nats", &url, "--json", second.to_str().unwrap()], 0)
        .json();
    assert_eq!(published["published"].as_u64(), Some(300));
    std::thread::sleep(Duration::from_millis(300));
    worker.kill();
    node2.kill();
    // Shard 2 has no live replica: a search answers at once with shard 1's articles and
    // says which shard is missing.
    let started = Instant::now();
    let partial = env.run(&["search", "الرياض", "--json", "--limit", "100", "--nats", &url]);
    assert_eq!(partial.code, 1, "{partial}");
    assert!(partial.stderr.contains("shards [2] did not answer"), "{partial}");
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    let shard1 = ids(&node_args(1).0);
    let found = partial.json_lines();
    assert!(!found.is_empty(), "{partial}");
    assert!(
        found
            .iter()
            .all(|h| shard1.contains(&h["id"].as_str().unwrap().to_string())),
        "{partial}"
    );
    let (code, page) = get("/api/search?q=%D8%A7%D9%84%D8%B1%D9%8A%D8%A7%D8%B6&limit=100");
    assert_eq!(code, 200, "{page}");
    assert_eq!(
        (page["partial"].clone(), page["missing_shards"].clone()),
        (serde_json::json!(true), serde_json::json!([2]))
    );
    let (code, health) = get("/healthz");
    assert_eq!(
        (code, health["missing_shards"].clone()),
        (503, serde_json::json!([2])),
        "{health}"
    );
    let _worker2 = start_worker("worker2.log");
    let _node2 = shard_node(2, "node2-again.log");
    wait_status(&env, &url, "shard 2 back", |s| alive_replicas(s, 2) >= 1);
    let run = ingest_and_wait(&env, &url, &second);
    assert_eq!(run.json()["duplicates"].as_u64(), Some(300), "{run}");
    let (one, two) = (ids(&node_args(1).0), ids(&node_args(2).0));
    let all: BTreeSet<&String> = one.iter().chain(&two).collect();
    assert_eq!(
        (all.len(), one.len() + two.len()),
        (340, 340),
        "every article once after the kills\n{}\n{}",
        worker.log(),
        node2.log()
    );

    let status = status(&env, &url);
    let shards = status["shards"].as_array().unwrap();
    assert_eq!(shards.len(), 2, "{status}");
    let articles: u64 = shards
        .iter()
        .flat_map(|s| s["replicas"].as_array().unwrap())
        .filter(|r| r["alive"] == true)
        .map(|r| r["articles"].as_u64().unwrap())
        .sum();
    assert_eq!(articles, 340, "{status}");
    for replica in shards.iter().flat_map(|s| s["replicas"].as_array().unwrap()) {
        assert!(replica["id"].as_str().is_some_and(|id| !id.is_empty()), "{status}");
        // Which folder on which machine: a reader of the status can find the replica.
        assert!(replica["host"].as_str().is_some_and(|h| !h.is_empty()), "{status}");
        let folder = replica["data"].as_str().unwrap_or_default();
        assert!(folder.ends_with("node1") || folder.ends_with("node2"), "{status}");
        if replica["alive"] == true {
            assert_eq!(replica["lag"], 0, "{status}");
        }
    }
    assert!(
        status["workers"].as_array().unwrap().iter().any(|w| w["alive"] == true),
        "{status}"
    );
    let stream = |name: &str| {
        status["streams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no stream {name}: {status}"))
    };
    assert_eq!(stream("AKHBAR_IN")["messages"], 0, "{status}");
    assert_eq!(stream("AKHBAR_SHARDS")["messages"], 340, "{status}");
    assert_eq!(stream("AKHBAR_SHARDS")["replicas"], 1, "one server: one copy");
}

/// A store holds one shard: starting it as another is refused, and so is a shard count the
/// cluster does not have.
#[test]
fn a_node_keeps_its_shard() {
    let Some(program) = nats_server() else { return };
    let env = Env::new();
    let (_nats, url) = start_nats(&env, &program);
    let data = env.path("node");
    let mut node = start_node(&env, &url, &data, "1/2", "node.log");
    wait_status(&env, &url, "the node alive", |s| alive_replicas(s, 1) == 1);
    node.kill();
    let other = run_at(&data, &["node", "--nats", &url, "--shard", "2/2"]);
    assert_eq!(other.code, 2, "{other}");
    assert!(other.stderr.contains("holds shard 1/2"), "{other}");
    let fresh = env.path("fresh");
    let count = run_at(&fresh, &["node", "--nats", &url, "--shard", "1/3"]);
    assert_eq!(count.code, 2, "{count}");
    assert!(count.stderr.contains("has 2 shards"), "{count}");
    // The refused start left the folder free for the right shard.
    let mut again = start_node(&env, &url, &fresh, "2/2", "fresh.log");
    wait_status(&env, &url, "the fresh node alive", |s| alive_replicas(s, 2) == 1);
    again.kill();
    // With no worker, `ingest --wait` waits; Ctrl-C ends it at once, saying so.
    let file = env.write("few.jsonl", articles("d", 3));
    let mut waiting = Command::new(akhbar())
        .args(["ingest", "--nats", &url, "--wait", "--json"])
        .arg(&file)
        .env_remove("AKHBAR_NATS")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert!(waiting.try_wait().unwrap().is_none(), "still waiting: no worker runs");
    let sent = Command::new("kill")
        .args(["-INT", &waiting.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = Instant::now();
    let output = loop {
        if waiting.try_wait().unwrap().is_some() {
            break waiting.wait_with_output().unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "Ctrl-C did not end the wait"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(output.status.code(), Some(130));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (report["interrupted"].clone(), report["published"].clone()),
        (serde_json::json!(true), serde_json::json!(3))
    );
    let bad = env.run(&["node", "--nats", &url, "--shard", "3/2"]);
    assert_eq!(bad.code, 2, "{bad}");
}

/// Three NATS servers clustered on loopback, each with its own storage; returns them (by
/// server name `s1`..`s3`) and the comma-separated client addresses.
fn start_nats_cluster(env: &Env, program: &Path) -> (Vec<(String, Proc)>, String) {
    let ports: Vec<(u16, u16)> = (0..3)
        .map(|_| (crate::util::free_port(), crate::util::free_port()))
        .collect();
    let routes: Vec<String> = ports.iter().map(|(_, r)| format!("nats://127.0.0.1:{r}")).collect();
    let routes = routes.join(",");
    let mut servers = Vec::new();
    for (i, (client, route)) in ports.iter().enumerate() {
        let name = format!("s{}", i + 1);
        let store = env.path(&format!("nats-{name}"));
        let (client, cluster) = (client.to_string(), format!("nats://127.0.0.1:{route}"));
        let args = [
            "-js",
            "-a",
            "127.0.0.1",
            "-p",
            &client,
            "-sd",
            store.to_str().unwrap(),
            "-n",
            &name,
            "--cluster_name",
            "akhbar",
            "--cluster",
            &cluster,
            "--routes",
            &routes,
        ];
        servers.push((
            name.clone(),
            Proc::start(program, &args, env.path(&format!("{name}.log"))),
        ));
    }
    for (client, _) in &ports {
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", *client)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "a nats-server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let urls: Vec<String> = ports.iter().map(|(c, _)| format!("nats://127.0.0.1:{c}")).collect();
    (servers, urls.join(","))
}

/// The cluster on loopback: three NATS servers, streams with three replicas, two
/// shards of two replicas each and two workers. While 300 articles go through, the shard
/// stream's leader server, a worker and a replica are killed with SIGKILL; the killed
/// replica is started again. In the end every replica of each shard holds the same articles,
/// every article is on exactly one shard, once.
#[test]
fn a_three_server_cluster_survives_kills() {
    let Some(program) = nats_server() else { return };
    let env = Env::new();
    let (mut servers, url) = start_nats_cluster(&env, &program);
    let data = |k: u32, r: &str| env.path(&format!("node{k}{r}"));
    let replica = |k: u32, r: &str, log: &str| start_node(&env, &url, &data(k, r), &format!("{k}/2"), log);
    let _n1a = replica(1, "a", "n1a.log");
    let _n1b = replica(1, "b", "n1b.log");
    let _n2a = replica(2, "a", "n2a.log");
    let mut n2b = replica(2, "b", "n2b.log");
    let mut worker1 = Proc::start(akhbar(), &["worker", "--nats", &url], env.path("w1.log"));
    let _worker2 = Proc::start(akhbar(), &["worker", "--nats", &url], env.path("w2.log"));
    let ready = wait_status(&env, &url, "two replicas of each shard", |s| {
        alive_replicas(s, 1) == 2 && alive_replicas(s, 2) == 2
    });
    for stream in ready["streams"].as_array().unwrap() {
        assert_eq!(stream["replicas"], 3, "{ready}");
    }
    let file = env.write("articles.jsonl", articles("c", 300));
    let published = env
        .run_ok(&["ingest", "--nats", &url, "--json", file.to_str().unwrap()], 0)
        .json();
    assert_eq!(published["published"].as_u64(), Some(300), "{published}");
    // Kill the shard stream's leader, a worker and a replica while the work goes on.
    let now = status(&env, &url);
    let leader = now["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "AKHBAR_SHARDS")
        .and_then(|s| s["leader"].as_str())
        .unwrap_or_else(|| panic!("no leader: {now}"))
        .to_string();
    // A server in front of the cluster, searching while the servers elect new leaders.
    let addr = format!("127.0.0.1:{}", crate::util::free_port());
    let _server = Proc::start(
        akhbar(),
        &["serve", "--nats", &url, "--addr", &addr],
        env.path("serve.log"),
    );
    let search = "/api/search?q=%D8%A7%D9%81%D8%AA%D8%AA%D8%A7%D8%AD&limit=5";
    assert_eq!(http_get(&env, &addr, search).0, 200);
    servers.iter_mut().find(|(name, _)| *name == leader).unwrap().1.kill();
    worker1.kill();
    n2b.kill();
    for _ in 0..5 {
        let started = Instant::now();
        let (code, page) = http_get(&env, &addr, search);
        assert_eq!(code, 200, "{page}");
        // Answered at once (with what is applied so far), not held up by the election.
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
        std::thread::sleep(Duration::from_millis(300));
    }
    let _n2b = replica(2, "b", "n2b-again.log");
    let run = ingest_and_wait(&env, &url, &file);
    let again = run.json();
    assert_eq!(
        again["published"].as_u64().unwrap() + again["duplicates"].as_u64().unwrap(),
        300,
        "{run}"
    );
    // A replica that spent the election retrying may have missed a heartbeat or two (the
    // wait above counts live replicas only): wait for all four, caught up.
    wait_status(&env, &url, "all four replicas alive and applied", |s| {
        s["shards"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["replicas"].as_array().unwrap())
            .filter(|r| r["alive"] == true)
            .all(|r| r["lag"] == 0)
            && alive_replicas(s, 1) == 2
            && alive_replicas(s, 2) == 2
    });
    let (code, page) = http_get(&env, &addr, search);
    assert_eq!(
        (code, page["partial"].clone()),
        (200, serde_json::json!(false)),
        "{page}"
    );
    assert_eq!(page["total"], 300, "every article is found once: {page}");
    let (a1, b1, a2, b2) = (
        ids(&data(1, "a")),
        ids(&data(1, "b")),
        ids(&data(2, "a")),
        ids(&data(2, "b")),
    );
    let set = |v: &Vec<String>| v.iter().cloned().collect::<BTreeSet<String>>();
    assert_eq!(
        set(&a1),
        set(&b1),
        "the replicas of shard 1 agree\n{}\n{}",
        status(&env, &url),
        logs(&env)
    );
    assert_eq!(
        set(&a2),
        set(&b2),
        "the replicas of shard 2 agree, the killed one caught up\n{}\n{}",
        status(&env, &url),
        logs(&env)
    );
    for replica in [&a1, &b1, &a2, &b2] {
        assert_eq!(replica.len(), set(replica).len(), "no article twice in a store");
    }
    let all: BTreeSet<String> = set(&a1).union(&set(&a2)).cloned().collect();
    assert_eq!(
        (all.len(), a1.len() + a2.len()),
        (300, 300),
        "every article once, on one shard"
    );
}
