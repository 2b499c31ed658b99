//! What a newcomer meets on the command line: boolean environment variables as people write
//! them, an interrupted ingest that says so and leaves nothing half-done, a busy port, an
//! empty archive.

use crate::util::Env;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn boolean_environment_variables_take_what_people_write() {
    let env = Env::new();
    for value in ["1", "true", "yes", "on", "0", "false", "no", "off", "TRUE"] {
        let run = env.run_env(&["poll"], &[("AKHBAR_ALLOW_PRIVATE", value)]);
        assert_eq!(run.code, 0, "AKHBAR_ALLOW_PRIVATE={value}\n{run}");
    }
    let run = env.run_env(&["poll"], &[("AKHBAR_ALLOW_PRIVATE", "maybe")]);
    assert_eq!(run.code, 2, "{run}");
}

#[test]
fn an_interrupted_ingest_says_so_and_leaves_no_article_without_a_story() {
    let env = Env::new();
    let mut archive = String::new();
    for i in 0..30_000 {
        archive.push_str(&format!(
            "{{\"id\":\"a-{i}\",\"source\":\"s{}\",\"date\":\"2022-07-{:02} 10:00:00\",\"title\":\"خبر رقم {i} عن الاقتصاد\",\"content\":\"قالت الوزارة إن المؤشر {i} ارتفع في الجلسة الأخيرة بعد صدور البيانات الشهرية.\"}}\n",
            i % 7,
            i % 28 + 1
        ));
    }
    let path = env.write("big.jsonl", archive);
    let mut child = Command::new(env!("CARGO_BIN_EXE_akhbar"))
        .arg("--data")
        .arg(env.data())
        .args(["ingest", "--batch-size", "500", path.to_str().unwrap()])
        .env_remove("AKHBAR_DATA")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut lines = Vec::new();
    let mut line = String::new();
    let started = Instant::now();
    // The first commit, then Ctrl-C.
    while stderr.read_line(&mut line).unwrap() > 0 {
        lines.push(std::mem::take(&mut line));
        if lines.last().unwrap().starts_with("committed:") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "{lines:?}");
    }
    let pid = child.id().to_string();
    // `kill` as the shell's builtin: a machine may have no kill program.
    assert!(Command::new("sh")
        .args(["-c", &format!("kill -INT {pid}")])
        .status()
        .unwrap()
        .success());
    for rest in stderr.lines() {
        lines.push(rest.unwrap() + "\n");
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(130), "{stdout}{lines:?}");
    assert!(stdout.starts_with("interrupted: "), "{stdout}");
    let committed: Vec<&String> = lines.iter().filter(|l| l.starts_with("committed:")).collect();
    let mut unique = committed.clone();
    unique.dedup();
    assert_eq!(unique.len(), committed.len(), "a commit reported twice: {committed:?}");
    let check = env.run_ok(&["check", "--json"], 0).json();
    let articles = check["articles"].as_u64().unwrap();
    assert!((500..30_000).contains(&articles), "{check}");
    assert_eq!(
        check["stories_pending"], 0,
        "the stopped ingest placed what it committed: {check}"
    );
    assert_eq!(env.run_ok(&["stats", "--json"], 0).json()["stories_pending"], 0);
}

#[test]
fn a_busy_port_fails_before_saying_it_serves() {
    let env = Env::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let run = env.run_ok(&["serve", "--addr", &addr, "--poll-every", "0"], 2);
    assert!(!run.stderr.contains("serving http"), "{run}");
    assert!(run.stderr.contains(&addr), "{run}");
}

#[test]
fn an_empty_archive_is_reported() {
    let env = Env::new();
    let empty = env.write("empty.jsonl", "\n\n");
    let run = env.run_ok(&["ingest", empty.to_str().unwrap()], 1);
    assert!(run.stderr.contains("no articles in the file"), "{run}");
}

#[test]
fn extract_reads_a_page_nested_past_the_limit_and_says_so() {
    let env = Env::new();
    let page = format!(
        "<html><head><title>صفحة</title></head><body>{}<p>{}</p></body></html>",
        "<div>".repeat(20_000),
        "نص المقال في صفحة متداخلة جدا يظهر في المتصفح ويجب أن يقرأه المستخرج كاملا. ".repeat(3)
    );
    let path = env.write("deep.html", page);
    let run = env.run_ok(&["extract", path.to_str().unwrap(), "--json"], 0);
    assert!(run.json()["text"].as_str().unwrap().contains("يقرأه المستخرج"), "{run}");
    assert!(run.stderr.contains("nested more than 1000"), "{run}");
}

#[test]
fn a_day_given_as_the_end_of_a_range_is_in_it() {
    let env = Env::new();
    let lines: String = (11..=13)
        .map(|day| {
            format!(
                "{{\"id\":\"d{day}\",\"date\":\"2022-07-{day} 18:00:00\",\"title\":\"خبر يوم {day} عن السدود\",\"content\":\"قالت الوزارة إن منسوب السدود ارتفع في اليوم {day} من يوليو بعد الأمطار الغزيرة التي شهدتها المنطقة.\"}}\n"
            )
        })
        .collect();
    let path = env.write("days.jsonl", lines);
    env.run_ok(&["ingest", path.to_str().unwrap()], 0);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["search", "السدود", "--json"];
        all.extend_from_slice(args);
        sorted_ids(&env, &all)
    };
    assert_eq!(ids(&["--until", "2022-07-12"]), ["d11", "d12"]);
    assert_eq!(ids(&["--since", "2022-07-12", "--until", "2022-07-12"]), ["d12"]);
    assert_eq!(ids(&["--until", "2022-07-12T12:00:00Z"]), ["d11"]);
    let exported = env.run_ok(&["export", "--until", "2022-07-12"], 0).json_lines();
    assert_eq!(exported.len(), 2);
}

#[test]
fn search_meets_the_spellings_and_languages_the_linker_knows() {
    let env = Env::new();
    let path = env.write(
        "names.jsonl",
        "{\"id\":\"t1\",\"title\":\"ترامب يلتقي ماكرون في باريس\",\"content\":\"التقى الرئيس دونالد ترامب نظيره إيمانويل ماكرون في باريس اليوم لبحث التجارة.\"}\n\
         {\"id\":\"t2\",\"title\":\"الولايات المتحدة ترفع الرسوم\",\"content\":\"أعلنت الولايات المتحدة رفع الرسوم الجمركية على واردات الصلب من ألمانيا.\"}\n",
    );
    env.run_ok(&["ingest", path.to_str().unwrap()], 0);
    let ids = |query: &str| sorted_ids(&env, &["search", query, "--json"]);
    // ترمب and ترامب are one person to the linker, so to search.
    assert_eq!(ids("ترمب"), ["t1"]);
    assert_eq!(ids("ترامب"), ["t1"]);
    // French names, with or without accents, as Maghreb readers write them.
    assert!(ids("États-Unis").contains(&"t2".to_string()));
    assert!(ids("Etats-Unis").contains(&"t2".to_string()));
    assert_eq!(ids("Allemagne"), ["t2"]);
    // A quoted phrase is matched as written.
    assert!(ids("\"ترمب يلتقي\"").is_empty());
}

#[test]
fn a_title_alone_is_kept_only_as_a_headline() {
    let env = Env::new();
    let path = env.write(
        "titles.jsonl",
        "{\"id\":\"bare\",\"title\":\"x\"}\n{\"id\":\"flash\",\"title\":\"عاجل: زلزال بقوة خمس درجات في الحسيمة\",\"headline\":true}\n",
    );
    let run = env.run(&["ingest", path.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 1, "{run}");
    let report = run.json();
    assert_eq!(report["new"], 1, "{report}");
    let reason = report["failed"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("a title and no text") && reason.contains("headline"),
        "{reason}"
    );
    assert_ne!(env.run(&["show", "bare"]).code, 0, "not stored");
    env.run_ok(&["show", "flash", "--json"], 0);
    // Exported, it says it is a headline, so it comes back.
    let exported = env.run_ok(&["export"], 0).json_lines();
    assert_eq!(exported[0]["headline"], true, "{exported:?}");
}

/// The ids of the JSON lines a command prints, sorted.
fn sorted_ids(env: &Env, args: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = env
        .run_ok(args, 0)
        .json_lines()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}
