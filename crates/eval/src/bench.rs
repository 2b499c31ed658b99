//! `bench`: the benchmark report. On one archive (the shared corpus, or a generated one),
//! each figure next to a baseline measured in the same run on the same articles: bare
//! tantivy with its default tokenizer (`ingest-baseline`).
//!
//! - analysis MB/s and tokens/s on one core (akhbar's analyzer against tantivy's default);
//! - ingest articles/s end to end (`akhbar ingest`: extraction, entities, stories, store);
//! - index size per MB of text;
//! - query p50/p99 in process and through HTTP (`akhbar serve`; the baseline's index behind
//!   a minimal HTTP server);
//! - peak memory of each process.
//!
//! `generate` writes the scale archive: paragraphs (lines of 40 to 1,200 characters) of the
//! shared corpus shuffled into new articles of two to four, with new ids, dated over ten years.

use crate::baselines;
use anyhow::{bail, Context, Result};
use flate2::read::GzDecoder;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(serde::Deserialize)]
struct Line {
    #[serde(default)]
    title: String,
    #[serde(default)]
    content: String,
}

/// Opens a JSON Lines archive, gzip-compressed or not.
pub fn open_lines(path: &Path) -> Result<Box<dyn BufRead>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    Ok(if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(GzDecoder::new(file)))
    } else {
        Box::new(BufReader::with_capacity(1 << 20, file))
    })
}

/// What one pass over the archive gives: text for the analysis figure (up to a cap),
/// queries, and the archive's size.
struct Sample {
    texts: Vec<String>,
    queries: Vec<String>,
    articles: u64,
    text_bytes: u64,
}

const ANALYSIS_CAP_BYTES: usize = 120_000_000;

fn sample(archive: &Path, queries: usize) -> Result<Sample> {
    let mut sample = Sample {
        texts: Vec::new(),
        queries: Vec::new(),
        articles: 0,
        text_bytes: 0,
    };
    let mut analysis_bytes = 0;
    let mut titles = Vec::new();
    for (n, line) in open_lines(archive)?.lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", archive.display(), n + 1))?;
        let Ok(article) = serde_json::from_str::<Line>(&line) else {
            continue;
        };
        sample.articles += 1;
        sample.text_bytes += (article.title.len() + article.content.len()) as u64;
        if titles.len() < 200_000 {
            titles.push(article.title.clone());
        }
        if analysis_bytes < ANALYSIS_CAP_BYTES {
            analysis_bytes += article.title.len() + article.content.len();
            sample.texts.push(article.title);
            sample.texts.push(article.content);
        }
    }
    // Two- and three-word queries from titles spread over the archive (as `http-load`).
    let step = (titles.len() / queries.max(1)).max(1);
    sample.queries = titles
        .iter()
        .step_by(step)
        .filter_map(|title| {
            let words: Vec<&str> = title.split_whitespace().filter(|w| w.chars().count() > 2).collect();
            (words.len() >= 3).then(|| words[..2 + words.len() % 2].join(" "))
        })
        .take(queries)
        .collect();
    Ok(sample)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// p50 and p99 in milliseconds of `f` over the queries, after one warm-up pass.
fn latencies(queries: &[String], mut f: impl FnMut(&str) -> Result<()>) -> Result<(f64, f64)> {
    for query in queries {
        f(query)?;
    }
    let mut times = Vec::with_capacity(queries.len());
    for query in queries {
        let started = Instant::now();
        f(query)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((percentile(&times, 0.5), percentile(&times, 0.99)))
}

fn binary(name: &str) -> Result<PathBuf> {
    let path = std::env::current_exe()?.with_file_name(name);
    if !path.is_file() {
        bail!(
            "{} not found: build it first (cargo build --release -p akhbar)",
            path.display()
        );
    }
    Ok(path)
}

fn run_json(command: &mut Command) -> Result<serde_json::Value> {
    let output = command.stderr(Stdio::inherit()).output()?;
    // `akhbar ingest` exits 1 when some items failed (counted in its report).
    if !matches!(output.status.code(), Some(0 | 1)) {
        bail!("{command:?} failed: {}", output.status);
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let last = text.lines().last().unwrap_or_default();
    serde_json::from_str(last).with_context(|| format!("{command:?} printed {last:?}"))
}

fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024)
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn client() -> Result<reqwest::blocking::Client> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Ok(reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?)
}

fn encode(query: &str) -> String {
    url::form_urlencoded::byte_serialize(query.as_bytes()).collect()
}

/// The bare baseline's index behind a minimal HTTP server (one thread, like a small
/// deployment): `GET /search?q=` → the top ten ids as JSON.
fn serve_baseline(
    index_dir: &Path,
) -> Result<(String, std::thread::JoinHandle<()>, std::sync::Arc<tiny_http::Server>)> {
    let index = tantivy::Index::open_in_dir(index_dir)?;
    let schema = index.schema();
    let (id, title, content) = (
        schema.get_field("id")?,
        schema.get_field("title")?,
        schema.get_field("content")?,
    );
    let reader = index.reader()?;
    let parser = tantivy::query::QueryParser::for_index(&index, vec![title, content]);
    let port = free_port()?;
    let server = std::sync::Arc::new(
        tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| anyhow::anyhow!("baseline server: {e}"))?,
    );
    let serving = std::sync::Arc::clone(&server);
    let handle = std::thread::spawn(move || {
        for request in serving.incoming_requests() {
            let query = url::Url::parse(&format!("http://x{}", request.url()))
                .ok()
                .and_then(|u| u.query_pairs().find(|(k, _)| k == "q").map(|(_, v)| v.into_owned()))
                .unwrap_or_default();
            let searcher = reader.searcher();
            let (parsed, _) = parser.parse_query_lenient(&query);
            let ids: Vec<String> = searcher
                .search(&parsed, &tantivy::collector::TopDocs::with_limit(10).order_by_score())
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(_, address)| {
                    let doc: tantivy::TantivyDocument = searcher.doc(address).ok()?;
                    use tantivy::schema::Value;
                    doc.get_first(id).and_then(|v| v.as_str()).map(str::to_string)
                })
                .collect();
            let body = serde_json::json!({ "results": ids }).to_string();
            let _ = request.respond(tiny_http::Response::from_string(body));
        }
    });
    Ok((format!("http://127.0.0.1:{port}"), handle, server))
}

struct Row {
    measure: String,
    baseline: String,
    akhbar: String,
    ratio: String,
}

fn row(measure: &str, baseline: f64, akhbar: f64, digits: usize, unit: &str) -> Row {
    Row {
        measure: measure.to_string(),
        baseline: format!("{baseline:.digits$}{unit}"),
        akhbar: format!("{akhbar:.digits$}{unit}"),
        ratio: format!("{:.2}×", akhbar / baseline),
    }
}

pub fn run(archive: &Path, report: &Path, queries: usize, work: Option<&Path>) -> Result<()> {
    let akhbar = binary("akhbar")?;
    let me = std::env::current_exe()?;
    let scratch;
    let work = match work {
        Some(dir) => dir.to_path_buf(),
        None => {
            scratch = tempfile::tempdir()?;
            scratch.path().to_path_buf()
        }
    };
    eprintln!("bench: reading {}", archive.display());
    let sample = sample(archive, queries)?;
    let mut rows = Vec::new();

    // 1. Analysis, one core, same text.
    let analysis_bytes: usize = sample.texts.iter().map(String::len).sum();
    eprintln!("bench: analysis over {:.0} MB", analysis_bytes as f64 / 1e6);
    let mut tantivy_default = baselines::plain();
    let started = Instant::now();
    let mut base_tokens = 0usize;
    for text in &sample.texts {
        let mut stream = tantivy_default.token_stream(text);
        while stream.advance() {
            base_tokens += 1;
        }
    }
    let base_seconds = started.elapsed().as_secs_f64();
    let analyzer = akhbar_arabic::Analyzer::default();
    let mut cache = akhbar_arabic::Cache::default();
    let started = Instant::now();
    let mut tokens = 0usize;
    for text in &sample.texts {
        analyzer.for_each(text, &mut cache, |_| tokens += 1);
    }
    let seconds = started.elapsed().as_secs_f64();
    let mb = analysis_bytes as f64 / 1e6;
    rows.push(row("analysis, MB/s (one core)", mb / base_seconds, mb / seconds, 1, ""));
    rows.push(row(
        "analysis, million tokens/s",
        base_tokens as f64 / base_seconds / 1e6,
        tokens as f64 / seconds / 1e6,
        2,
        "",
    ));
    drop(cache);

    // 2. Ingest, end to end, each in its own process.
    let base_index = work.join("baseline-index");
    let data = work.join("akhbar-data");
    let _ = std::fs::remove_dir_all(&base_index);
    let _ = std::fs::remove_dir_all(&data);
    eprintln!("bench: bare tantivy ingest");
    let base = run_json(
        Command::new(&me)
            .arg("ingest-baseline")
            .arg("--corpus")
            .arg(archive)
            .arg("--index")
            .arg(&base_index),
    )?;
    eprintln!("bench: akhbar ingest");
    let ingest = run_json(
        Command::new(&akhbar)
            .arg("--data")
            .arg(&data)
            .args(["ingest", "--json"])
            .arg(archive),
    )?;
    let stats = run_json(Command::new(&akhbar).arg("--data").arg(&data).args(["stats", "--json"]))?;
    let number = |v: &serde_json::Value, key: &str| v[key].as_f64().unwrap_or(f64::NAN);
    rows.push(row(
        "ingest, articles/s (end to end)",
        number(&base, "articles_per_second"),
        number(&ingest, "articles_per_second"),
        0,
        "",
    ));
    let text_mb = sample.text_bytes as f64 / 1e6;
    rows.push(row(
        "index size per MB of text, MB",
        number(&base, "index_bytes") / 1e6 / text_mb,
        number(&stats, "index_bytes") / 1e6 / text_mb,
        2,
        "",
    ));
    rows.push(Row {
        measure: "database size per MB of text, MB".into(),
        baseline: "–".into(),
        akhbar: format!("{:.2}", number(&stats, "database_bytes") / 1e6 / text_mb),
        ratio: String::new(),
    });
    rows.push(row(
        "ingest peak memory, MB",
        number(&base, "peak_rss_bytes") / 1e6,
        number(&ingest, "peak_rss_bytes") / 1e6,
        0,
        "",
    ));

    // 3. Queries in process.
    eprintln!("bench: {} queries in process", sample.queries.len());
    let index = tantivy::Index::open_in_dir(&base_index)?;
    let schema = index.schema();
    let reader = index.reader()?;
    let parser =
        tantivy::query::QueryParser::for_index(&index, vec![schema.get_field("title")?, schema.get_field("content")?]);
    let id_field = schema.get_field("id")?;
    let (base_p50, base_p99) = latencies(&sample.queries, |q| {
        let searcher = reader.searcher();
        let (query, _) = parser.parse_query_lenient(q);
        for (_, address) in searcher.search(&query, &tantivy::collector::TopDocs::with_limit(10).order_by_score())? {
            let doc: tantivy::TantivyDocument = searcher.doc(address)?;
            use tantivy::schema::Value;
            std::hint::black_box(doc.get_first(id_field).and_then(|v| v.as_str()));
        }
        Ok(())
    })?;
    let store = akhbar_store::Store::open_existing(&data)?;
    let filters = akhbar_store::Filters::default();
    let (p50, p99) = latencies(&sample.queries, |q| {
        std::hint::black_box(store.search_page(q, &filters, 1, 10, false)?);
        Ok(())
    })?;
    drop(store);
    rows.push(row("query p50 in process, ms", base_p50, p50, 2, ""));
    rows.push(row("query p99 in process, ms", base_p99, p99, 2, ""));

    // 4. Queries through HTTP, one connection.
    eprintln!("bench: queries through HTTP");
    let client = client()?;
    let (base_url, handle, server) = serve_baseline(&base_index)?;
    let (base_http50, base_http99) = latencies(&sample.queries, |q| {
        client
            .get(format!("{base_url}/search?q={}", encode(q)))
            .send()?
            .error_for_status()?
            .bytes()?;
        Ok(())
    })?;
    server.unblock();
    let _ = handle.join();
    let port = free_port()?;
    let mut serve = Command::new(&akhbar)
        .arg("--data")
        .arg(&data)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(["--admin-token", "bench", "--poll-every", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while client.get(format!("{url}/healthz")).send().is_err() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = serve.kill();
            bail!("akhbar serve did not start");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let measured = latencies(&sample.queries, |q| {
        client
            .get(format!("{url}/api/search?limit=10&collapse=0&q={}", encode(q)))
            .send()?
            .error_for_status()?
            .bytes()?;
        Ok(())
    });
    let serve_peak = vm_hwm(serve.id());
    let _ = serve.kill();
    let _ = serve.wait();
    let (http50, http99) = measured?;
    rows.push(row("query p50 through HTTP, ms", base_http50, http50, 2, ""));
    rows.push(row("query p99 through HTTP, ms", base_http99, http99, 2, ""));
    rows.push(Row {
        measure: "server peak memory, MB".into(),
        baseline: "–".into(),
        akhbar: serve_peak.map_or("–".into(), |b| format!("{:.0}", b as f64 / 1e6)),
        ratio: String::new(),
    });

    // The report.
    let mut out = String::new();
    out.push_str(&format!(
        "# akhbar benchmark report\n\nArchive: `{}`: {} articles, {:.1} MB of title and body text. \
         Baseline: bare tantivy {} with its default tokenizer (simple + lowercase) on the same \
         articles, measured in the same run (`akhbar-eval ingest-baseline`). Machine: {} cores. \
         Analysis over the first {:.0} MB of text; {} two- and three-word title queries, top 10, \
         after one warm-up pass, one at a time.\n\n",
        archive.display(),
        sample.articles,
        text_mb,
        "0.27",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        mb,
        sample.queries.len(),
    ));
    out.push_str("| measure | bare tantivy | akhbar | akhbar / baseline |\n|---|---|---|---|\n");
    for r in &rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.measure, r.baseline, r.akhbar, r.ratio
        ));
    }
    out.push_str(&format!(
        "\nakhbar's ingest includes what the baseline does not: per-source boilerplate removal, \
         entity tagging and linking, copy and story clustering ({} stories, {:.1} s of the run), \
         and a SQLite record of every article. Its queries return titles, snippets highlighted on \
         the original text and story ids; the baseline's return stored ids.\n",
        ingest["stories"]["stories"],
        number(&ingest["stories"], "seconds"),
    ));
    if let Some(parent) = report.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::File::create(report)
        .and_then(|mut f| f.write_all(out.as_bytes()))
        .with_context(|| format!("writing {}", report.display()))?;
    print!("{out}");
    Ok(())
}

/// Writes `articles` new articles built from the corpus's paragraphs, shuffled: new ids,
/// titles from other articles, sources kept, dates spread over 2016–2025.
pub fn generate(shared: &Path, articles: u64, days: u32, out: &Path) -> Result<()> {
    let corpus = crate::corpus::read_full(shared)?;
    let mut paragraphs: Vec<&str> = Vec::new();
    for article in &corpus {
        paragraphs.extend(
            article
                .content
                .split('\n')
                .map(str::trim)
                .filter(|p| (40..=1200).contains(&p.chars().count())),
        );
    }
    if paragraphs.is_empty() {
        bail!("no paragraphs in the corpus");
    }
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = |n: usize| {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
    };
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
    let start = chrono::NaiveDate::from_ymd_opt(2016, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp())
        .unwrap_or_default();
    let span = i64::from(days.max(1)) * 86_400;
    for n in 0..articles {
        let model = &corpus[next(corpus.len())];
        let count = 2 + next(3);
        let body: Vec<&str> = (0..count).map(|_| paragraphs[next(paragraphs.len())]).collect();
        let time = start + (n as i64 * span) / articles.max(1) as i64;
        let date = chrono::DateTime::from_timestamp(time, 0)
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        let line = serde_json::json!({
            "id": format!("gen-{n:08}"),
            "source": model.source,
            "date": date,
            "title": corpus[next(corpus.len())].title,
            "content": body.join("\n\n"),
        });
        writeln!(writer, "{line}")?;
    }
    writer.flush()?;
    eprintln!("wrote {articles} articles to {}", out.display());
    Ok(())
}
