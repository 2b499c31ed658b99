//! `extraction`: main-text extraction scored the way the Scrapinghub article-extraction
//! benchmark scores it (`../shared/extraction/scrapinghub/README.md`), on two sets:
//! the Arabic pages written for the project (`crates/extract/testdata/pages`, always there)
//! and the benchmark's 181 pages (when the shared data is there).
//!
//! Per page, both bodies are split into `\w+` words and then into runs of four words
//! ("shingles", with multiplicity); shared shingles are true positives, extracted-only false
//! positives, expected-only false negatives. Precision and recall are means over pages (a page
//! with nothing on the relevant side is left out), F1 their harmonic mean; accuracy is the
//! share of pages whose extracted word sequence equals the expected one. The benchmark's own
//! script pools the page-normalised counts instead; both are printed.

use anyhow::{Context, Result};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One page's score.
struct Scored {
    name: String,
    url: String,
    /// Page-normalised (tp, fp, fn).
    counts: (f64, f64, f64),
    exact: bool,
    elapsed: Duration,
    warnings: Vec<String>,
    extracted: String,
    extracted_words: usize,
    expected_words: usize,
}

impl Scored {
    fn precision(&self) -> Option<f64> {
        let (tp, fp, _) = self.counts;
        (tp + fp > 0.0).then(|| tp / (tp + fp))
    }

    fn recall(&self) -> Option<f64> {
        let (tp, _, fn_) = self.counts;
        (tp + fn_ > 0.0).then(|| tp / (tp + fn_))
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision().unwrap_or(0.0), self.recall().unwrap_or(0.0));
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// The benchmark's tokenizer: Python's `\w+` (letters, digits, underscore).
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

fn shingles(words: &[&str]) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    if words.is_empty() {
        return out;
    }
    let n = words.len().saturating_sub(3).max(1);
    for i in 0..n {
        let end = (i + 4).min(words.len());
        *out.entry(words[i..end].join(" ")).or_insert(0) += 1;
    }
    out
}

/// Page-normalised (tp, fp, fn) of `extracted` against `expected`.
fn shingle_match(expected: &str, extracted: &str) -> (f64, f64, f64) {
    let (want, got) = (shingles(&words(expected)), shingles(&words(extracted)));
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (key, &n) in &got {
        let m = want.get(key).copied().unwrap_or(0);
        tp += n.min(m);
        fp += n.saturating_sub(m);
    }
    for (key, &m) in &want {
        fn_ += m.saturating_sub(got.get(key).copied().unwrap_or(0));
    }
    let sum = (tp + fp + fn_) as f64;
    if sum == 0.0 {
        return (0.0, 0.0, 0.0);
    }
    (tp as f64 / sum, fp as f64 / sum, fn_ as f64 / sum)
}

fn score(name: String, url: String, html: &[u8], expected: &str) -> Scored {
    let started = Instant::now();
    let (page, warnings) = akhbar_extract::extract_page(html, None);
    let elapsed = started.elapsed();
    let body = &page.article.body;
    Scored {
        name,
        url,
        counts: shingle_match(expected, body),
        exact: words(expected) == words(body),
        elapsed,
        warnings: warnings.iter().map(ToString::to_string).collect(),
        extracted_words: words(body).len(),
        extracted: body.clone(),
        expected_words: words(expected).len(),
    }
}

/// The project's Arabic pages: `NAME.html` beside `NAME.expected.json`.
fn arabic_pages(dir: &Path) -> Result<Vec<Scored>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let expected_path = path.with_extension("expected.json");
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&expected_path).with_context(|| format!("reading {}", expected_path.display()))?,
        )
        .with_context(|| format!("parsing {}", expected_path.display()))?;
        let html = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let url = expected["url"].as_str().unwrap_or("").to_string();
        out.push(score(name, url, &html, expected["text"].as_str().unwrap_or("")));
    }
    Ok(out)
}

/// The Scrapinghub benchmark's pages (`html/KEY.html.gz`, `ground-truth.json`).
fn benchmark_pages(dir: &Path) -> Result<Vec<Scored>> {
    let truth_path = dir.join("ground-truth.json");
    let truth: HashMap<String, serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(&truth_path).with_context(|| format!("reading {}", truth_path.display()))?,
    )?;
    let mut keys: Vec<&String> = truth.keys().collect();
    keys.sort();
    let mut out = Vec::new();
    for key in keys {
        let path = dir.join("html").join(format!("{key}.html.gz"));
        let mut html = Vec::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?,
        )
        .read_to_end(&mut html)
        .with_context(|| format!("reading {}", path.display()))?;
        let entry = &truth[key];
        out.push(score(
            key.chars().take(12).collect(),
            entry["url"].as_str().unwrap_or("").to_string(),
            &html,
            entry["articleBody"].as_str().unwrap_or(""),
        ));
    }
    Ok(out)
}

/// (precision, recall, F1, accuracy, pooled F1) over pages.
fn summary(pages: &[Scored]) -> (f64, f64, f64, f64, f64) {
    let mean = |values: Vec<f64>| values.iter().sum::<f64>() / values.len().max(1) as f64;
    let precision = mean(pages.iter().filter_map(Scored::precision).collect());
    let recall = mean(pages.iter().filter_map(Scored::recall).collect());
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let accuracy = pages.iter().filter(|p| p.exact).count() as f64 / pages.len().max(1) as f64;
    let (tp, fp, fn_) = pages.iter().fold((0.0, 0.0, 0.0), |(a, b, c), p| {
        (a + p.counts.0, b + p.counts.1, c + p.counts.2)
    });
    let pooled = if tp > 0.0 {
        2.0 * tp / (2.0 * tp + fp + fn_)
    } else {
        0.0
    };
    (precision, recall, f1, accuracy, pooled)
}

fn report(title: &str, pages: &[Scored], worst: usize) {
    let (precision, recall, f1, accuracy, pooled) = summary(pages);
    let seconds: f64 = pages.iter().map(|p| p.elapsed.as_secs_f64()).sum();
    let slowest = pages.iter().max_by_key(|p| p.elapsed);
    println!("\n## {title}\n");
    println!("| pages | precision | recall | F1 | accuracy | F1 (pooled counts) | pages/s | slowest |");
    println!("|---|---|---|---|---|---|---|---|");
    println!(
        "| {} | {precision:.4} | {recall:.4} | {f1:.4} | {accuracy:.3} | {pooled:.4} | {:.0} | {} ms ({}) |",
        pages.len(),
        pages.len() as f64 / seconds.max(1e-9),
        slowest.map_or(0, |p| p.elapsed.as_millis()),
        slowest.map_or("", |p| p.name.as_str()),
    );
    let empty = pages
        .iter()
        .filter(|p| p.extracted_words == 0 && p.expected_words > 0)
        .count();
    if empty > 0 {
        println!("\n{empty} pages gave no text.");
    }
    let mut ranked: Vec<&Scored> = pages.iter().collect();
    ranked.sort_by(|a, b| a.f1().total_cmp(&b.f1()));
    if worst > 0 {
        println!("\nworst pages:\n");
        println!("| page | precision | recall | F1 | words out/expected | warnings | url |");
        println!("|---|---|---|---|---|---|---|");
        for page in ranked.iter().take(worst) {
            let fmt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.3}"));
            println!(
                "| {} | {} | {} | {:.3} | {}/{} | {} | {} |",
                page.name,
                fmt(page.precision()),
                fmt(page.recall()),
                page.f1(),
                page.extracted_words,
                page.expected_words,
                page.warnings.join("; "),
                page.url
            );
        }
    }
}

/// Scores both sets and prints the tables; `worst` pages of each are listed.
pub fn run(shared: &Path, pages_dir: &Path, worst: usize, out: Option<&Path>) -> Result<()> {
    let arabic = arabic_pages(pages_dir)?;
    report(
        &format!("Arabic pages written for the project ({})", pages_dir.display()),
        &arabic,
        worst.min(5),
    );
    let bench = shared.join("extraction/scrapinghub");
    if bench.is_dir() {
        let pages = benchmark_pages(&bench)?;
        if let Some(out) = out {
            std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
            for page in &pages {
                let line = format!(
                    "{:.3}\t{:.3}\t{}\n",
                    page.precision().unwrap_or(0.0),
                    page.recall().unwrap_or(0.0),
                    page.url
                );
                std::fs::write(out.join(format!("{}.txt", page.name)), line + &page.extracted)?;
            }
        }
        report("Scrapinghub article-extraction benchmark", &pages, worst);
    } else {
        println!(
            "\nskipped: {} not found (the benchmark pages are in the shared data)",
            bench.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_as_the_benchmark_counts_them() {
        assert_eq!(words("Hello, world_1 — ça va?"), ["Hello", "world_1", "ça", "va"]);
        let (tp, fp, fn_) = shingle_match("a b c d e", "a b c d x");
        // Expected: "a b c d", "b c d e"; extracted: "a b c d", "b c d x".
        assert_eq!((tp, fp, fn_), (1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0));
        assert_eq!(shingle_match("", ""), (0.0, 0.0, 0.0));
        // Fewer than four words make one shingle.
        assert_eq!(shingle_match("a b", "a b"), (1.0, 0.0, 0.0));
        assert_eq!(shingle_match("a b c d", "").2, 1.0);
    }
}
