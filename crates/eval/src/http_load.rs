//! `http-load`: search requests per second and latency through HTTP against a running
//! `akhbar serve`, with queries taken from the corpus's titles.

use crate::corpus;
use anyhow::Result;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn run(shared: &Path, base: &str, seconds: u64, concurrency: usize) -> Result<()> {
    let articles = corpus::read(shared)?;
    // Two- and three-word queries from every 60th title: real words, a realistic mix of
    // frequent and rare ones.
    let queries: Arc<Vec<String>> = Arc::new(
        articles
            .iter()
            .step_by(60)
            .filter_map(|a| {
                let words: Vec<&str> = a.title.split_whitespace().filter(|w| w.chars().count() > 2).collect();
                (words.len() >= 3).then(|| words[..2 + words.len() % 2].join(" "))
            })
            .collect(),
    );
    let _ = rustls::crypto::ring::default_provider().install_default();
    let latencies = Arc::new(Mutex::new(Vec::<f64>::new()));
    let errors = Arc::new(Mutex::new(0usize));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let threads: Vec<_> = (0..concurrency)
        .map(|t| {
            let (queries, latencies, errors, base) = (
                Arc::clone(&queries),
                Arc::clone(&latencies),
                Arc::clone(&errors),
                base.to_string(),
            );
            std::thread::spawn(move || -> Result<()> {
                let client = reqwest::blocking::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()?;
                let mut mine = Vec::new();
                let mut i = t;
                while Instant::now() < deadline {
                    let query = &queries[i % queries.len()];
                    i += concurrency;
                    let sent = Instant::now();
                    let response = client
                        .get(format!(
                            "{base}/api/search?limit=10&q={}",
                            url::form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
                        ))
                        .send();
                    let response = response.map_err(|e| e.to_string()).and_then(|r| {
                        let status = r.status();
                        let body = r.text().map_err(|e| e.to_string())?;
                        if status.is_success() {
                            Ok(())
                        } else {
                            Err(format!("HTTP {status} {body}"))
                        }
                    });
                    match response {
                        Ok(()) => mine.push(sent.elapsed().as_secs_f64() * 1000.0),
                        Err(what) => {
                            if let Ok(mut errors) = errors.lock() {
                                if *errors == 0 {
                                    eprintln!("first error: {query}: {what}");
                                }
                                *errors += 1;
                            }
                        }
                    }
                }
                if let Ok(mut all) = latencies.lock() {
                    all.extend(mine);
                }
                Ok(())
            })
        })
        .collect();
    for thread in threads {
        thread.join().map_err(|_| anyhow::anyhow!("a load thread panicked"))??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut all = latencies.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.clone();
    all.sort_by(f64::total_cmp);
    anyhow::ensure!(!all.is_empty(), "no request succeeded against {base}");
    let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    println!(
        "| {} requests, {concurrency} connections, {elapsed:.1} s | {:.0} req/s | p50 {:.2} ms | p99 {:.2} ms | max {:.1} ms | errors {} |",
        all.len(),
        all.len() as f64 / elapsed,
        at(0.50),
        at(0.99),
        all[all.len() - 1],
        errors.lock().map(|e| *e).unwrap_or(0)
    );
    Ok(())
}
