//! `stories`: copies and story clusters against the hand-labeled set
//! (`crates/eval/data/stories-2015-08-10.tsv`, 712 articles of 2015-08-10/11), and the time
//! to cluster the whole corpus.

use crate::corpus;
use akhbar_entities::Recognizer;
use akhbar_stories::{cluster, Doc, Fingerprint, Fingerprinter, Options};
use anyhow::{Context, Result};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;
use std::time::Instant;

const LABELS: &str = include_str!("../data/stories-2015-08-10.tsv");

struct Gold {
    story: FxHashMap<String, String>,
    copy_of: FxHashMap<String, String>,
}

fn gold() -> Gold {
    let mut g = Gold {
        story: FxHashMap::default(),
        copy_of: FxHashMap::default(),
    };
    for line in LABELS.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        g.story.insert(fields[0].to_string(), fields[1].to_string());
        if let Some(origin) = fields.get(2).filter(|o| !o.is_empty()) {
            g.copy_of.insert(fields[0].to_string(), origin.to_string());
        }
    }
    g
}

fn time_of(date: &str) -> i64 {
    akhbar_model::parse_date(date).map(|d| d.timestamp()).unwrap_or(0)
}

/// Pairwise precision, recall, F1 of "same group" between two labelings.
fn pairwise(predicted: &[usize], gold: &[usize]) -> (f64, f64, f64) {
    let (mut both, mut p, mut g) = (0u64, 0u64, 0u64);
    for i in 0..predicted.len() {
        for j in i + 1..predicted.len() {
            let (a, b) = (predicted[i] == predicted[j], gold[i] == gold[j]);
            both += u64::from(a && b);
            p += u64::from(a);
            g += u64::from(b);
        }
    }
    prf(both as f64, p as f64, g as f64)
}

fn prf(both: f64, predicted: f64, gold: f64) -> (f64, f64, f64) {
    let p = if predicted > 0.0 { both / predicted } else { 1.0 };
    let r = if gold > 0.0 { both / gold } else { 1.0 };
    (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
}

/// B-cubed precision, recall, F1.
pub(crate) fn bcubed(predicted: &[usize], gold: &[usize]) -> (f64, f64, f64) {
    let n = predicted.len();
    let (mut p, mut r) = (0.0, 0.0);
    for i in 0..n {
        let same_pred = (0..n).filter(|&j| predicted[j] == predicted[i]).count() as f64;
        let same_gold = (0..n).filter(|&j| gold[j] == gold[i]).count() as f64;
        let both = (0..n)
            .filter(|&j| predicted[j] == predicted[i] && gold[j] == gold[i])
            .count() as f64;
        p += both / same_pred;
        r += both / same_gold;
    }
    let (p, r) = (p / n as f64, r / n as f64);
    (p, r, 2.0 * p * r / (p + r))
}

/// Copy groups as labels: an article's group is its origin (itself when original).
fn copy_groups(copy_of: &[Option<usize>]) -> Vec<usize> {
    copy_of.iter().enumerate().map(|(i, o)| o.unwrap_or(i)).collect()
}

fn simhash(f: &Fingerprint) -> u64 {
    let mut counts = [0i32; 64];
    for s in &f.shingles {
        for (bit, count) in counts.iter_mut().enumerate() {
            *count += if s >> bit & 1 == 1 { 1 } else { -1 };
        }
    }
    counts
        .iter()
        .enumerate()
        .fold(0, |h, (bit, c)| if *c > 0 { h | 1 << bit } else { h })
}

pub fn run(shared: &Path, options: &Options, sweep: bool) -> Result<()> {
    let gold = gold();
    let articles = corpus::read_full(shared)?;
    let labeled: Vec<&corpus::FullArticle> = articles.iter().filter(|a| gold.story.contains_key(&a.id)).collect();
    anyhow::ensure!(
        labeled.len() == gold.story.len(),
        "{} of {} labeled articles found",
        labeled.len(),
        gold.story.len()
    );
    let recognizer = Recognizer::embedded().context("loading the entity model")?;
    let found: Vec<Vec<akhbar_entities::Entity>> = labeled
        .iter()
        .map(|a| akhbar_entities::article_entities(&a.title, &a.content, &recognizer))
        .collect();
    let entities: Vec<Vec<String>> = found.iter().map(|f| f.iter().map(|e| e.id.clone()).collect()).collect();
    let title_entities: Vec<Vec<String>> = found
        .iter()
        .map(|f| {
            f.iter()
                .filter(|e| e.mentions.iter().any(|m| m.part == akhbar_entities::Part::Title))
                .map(|e| e.id.clone())
                .collect()
        })
        .collect();
    let mut fingerprinter = Fingerprinter::default();
    let prints: Vec<Fingerprint> = labeled
        .iter()
        .map(|a| fingerprinter.fingerprint(&a.title, &a.content))
        .collect();
    let docs: Vec<Doc> = labeled
        .iter()
        .zip(&prints)
        .zip(entities.iter().zip(&title_entities))
        .map(|((a, fingerprint), (entities, title_entities))| Doc {
            id: &a.id,
            source: Some(&a.source),
            time: time_of(&a.date),
            entities,
            title_entities,
            fingerprint,
        })
        .collect();
    let index: FxHashMap<&str, usize> = labeled.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
    let gold_copy: Vec<usize> = labeled
        .iter()
        .enumerate()
        .map(|(i, a)| gold.copy_of.get(&a.id).map_or(i, |o| index[o.as_str()]))
        .collect();
    let mut story_numbers: FxHashMap<&str, usize> = FxHashMap::default();
    let gold_story: Vec<usize> = labeled
        .iter()
        .map(|a| {
            let next = story_numbers.len();
            *story_numbers.entry(gold.story[&a.id].as_str()).or_insert(next)
        })
        .collect();

    let evaluate = |options: &Options| {
        let result = cluster(&docs, options);
        let copies = pairwise(&copy_groups(&result.copy_of), &gold_copy);
        let stories = bcubed(&result.story, &gold_story);
        let origins_right = (0..docs.len())
            .filter(|&i| gold.copy_of.contains_key(&labeled[i].id) && result.copy_of[i].is_some())
            .filter(|&i| result.copy_of[i] == Some(gold_copy[i]))
            .count();
        let predicted_copies = result.copy_of.iter().filter(|c| c.is_some()).count();
        (result, copies, stories, origins_right, predicted_copies)
    };
    println!(
        "labeled set: {} articles, {} gold stories, {} gold copies\n",
        docs.len(),
        story_numbers.len(),
        gold.copy_of.len()
    );
    if sweep {
        println!("| copy containment | copies P | R | F1 |");
        println!("|---|---|---|---|");
        for c in [0.3, 0.4, 0.5, 0.6, 0.7, 0.8] {
            let (_, (p, r, f), ..) = evaluate(&Options {
                copy_containment: c,
                ..*options
            });
            println!("| {c:.1} | {p:.4} | {r:.4} | {f:.4} |");
        }
        println!("\n| bias of the story score | B³ P | R | F1 |");
        println!("|---|---|---|---|");
        for delta in [-1.0, -0.5, 0.0, 0.5, 1.0] {
            let mut weights = options.weights;
            weights.bias += delta;
            let (_, _, (p, r, f), ..) = evaluate(&Options { weights, ..*options });
            println!("| {:.2} | {p:.4} | {r:.4} | {f:.4} |", weights.bias);
        }
        println!();
    }
    let (result, (cp, cr, cf), (sp, sr, sf), origins_right, predicted_copies) = evaluate(options);
    println!("| measure | precision | recall | F1 |");
    println!("|---|---|---|---|");
    println!(
        "| copies, pairwise (MinHash LSH + containment ≥ {}) | {cp:.4} | {cr:.4} | **{cf:.4}** |",
        options.copy_containment
    );
    // SimHash for comparison: 64-bit SimHash of the same shingles, copies within a Hamming
    // distance, all pairs compared.
    for distance in [3, 6, 10] {
        let hashes: Vec<u64> = prints.iter().map(simhash).collect();
        let mut parent: Vec<usize> = (0..docs.len()).collect();
        fn find(p: &mut [usize], mut i: usize) -> usize {
            while p[i] != i {
                p[i] = p[p[i]];
                i = p[i];
            }
            i
        }
        for i in 0..docs.len() {
            for j in i + 1..docs.len() {
                if prints[i].shingles.len() >= 8
                    && prints[j].shingles.len() >= 8
                    && (hashes[i] ^ hashes[j]).count_ones() <= distance
                {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    parent[a] = b;
                }
            }
        }
        let groups: Vec<usize> = (0..docs.len()).map(|i| find(&mut parent, i)).collect();
        let (p, r, f) = pairwise(&groups, &gold_copy);
        println!("| copies, pairwise (SimHash, Hamming ≤ {distance}) | {p:.4} | {r:.4} | {f:.4} |");
    }
    println!("| stories, B-cubed | {sp:.4} | {sr:.4} | **{sf:.4}** |");
    // The thresholds were chosen on this set: the two days apart show how stable they are.
    for day in ["2015-08-10", "2015-08-11"] {
        let members: Vec<usize> = (0..labeled.len())
            .filter(|&i| labeled[i].date.starts_with(day))
            .collect();
        let pick = |labels: &[usize]| members.iter().map(|&i| labels[i]).collect::<Vec<_>>();
        let (_, _, cf) = pairwise(&pick(&copy_groups(&result.copy_of)), &pick(&gold_copy));
        let (_, _, sf) = bcubed(&pick(&result.story), &pick(&gold_story));
        println!(
            "| {day} only ({} articles): copies F1 {cf:.4}, stories B-cubed F1 {sf:.4} | | | |",
            members.len()
        );
    }
    println!(
        "\norigins: {origins_right} of {predicted_copies} predicted copies point at the gold origin; {} stories predicted ({} gold)",
        result.stories.len(),
        story_numbers.len()
    );

    // Speed: the whole corpus, fingerprints and clustering (entities come from the store in
    // akhbar; here they are left out of the timing and of the vectors).
    let started = Instant::now();
    let mut fingerprinter = Fingerprinter::default();
    let all: Vec<Fingerprint> = articles
        .iter()
        .map(|a| fingerprinter.fingerprint(&a.title, &a.content))
        .collect();
    let fingerprint_seconds = started.elapsed().as_secs_f64();
    let docs: Vec<Doc> = articles
        .iter()
        .zip(&all)
        .map(|(a, fingerprint)| Doc {
            id: &a.id,
            source: Some(&a.source),
            time: time_of(&a.date),
            entities: &[],
            title_entities: &[],
            fingerprint,
        })
        .collect();
    let clustered = Instant::now();
    let result = cluster(&docs, options);
    let cluster_seconds = clustered.elapsed().as_secs_f64();
    let copies = result.copy_of.iter().filter(|c| c.is_some()).count();
    let multi = result.stories.iter().filter(|s| s.len() > 1).count();
    println!(
        "\nwhole corpus: {} articles, fingerprints {fingerprint_seconds:.1} s + clustering {cluster_seconds:.1} s (one core) = {:.1} s; {copies} copies, {} stories ({multi} with more than one article)",
        docs.len(),
        fingerprint_seconds + cluster_seconds,
        result.stories.len()
    );
    let _ = FxHashSet::<u8>::default();
    Ok(())
}

/// Prints the copy pairs the clustering and the gold disagree on, with their containment.
pub fn copy_errors(shared: &Path, options: &Options) -> Result<()> {
    let gold = gold();
    let articles = corpus::read_full(shared)?;
    let labeled: Vec<&corpus::FullArticle> = articles.iter().filter(|a| gold.story.contains_key(&a.id)).collect();
    let mut fingerprinter = Fingerprinter::default();
    let prints: Vec<Fingerprint> = labeled
        .iter()
        .map(|a| fingerprinter.fingerprint(&a.title, &a.content))
        .collect();
    let docs: Vec<Doc> = labeled
        .iter()
        .zip(&prints)
        .map(|(a, fingerprint)| Doc {
            id: &a.id,
            source: Some(&a.source),
            time: time_of(&a.date),
            entities: &[],
            title_entities: &[],
            fingerprint,
        })
        .collect();
    let result = cluster(&docs, options);
    let index: FxHashMap<&str, usize> = labeled.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
    let group = |i: usize| result.copy_of[i].unwrap_or(i);
    let gold_group = |i: usize| gold.copy_of.get(&labeled[i].id).map_or(i, |o| index[o.as_str()]);
    for i in 0..docs.len() {
        for j in i + 1..docs.len() {
            let (p, g) = (group(i) == group(j), gold_group(i) == gold_group(j));
            if p != g {
                let c = akhbar_stories::containment(&prints[i].shingles, &prints[j].shingles);
                println!(
                    "{} {} {} containment {c:.2} shingles {}/{} | {} | {}",
                    if p { "FALSE COPY" } else { "MISSED" },
                    labeled[i].id,
                    labeled[j].id,
                    prints[i].shingles.len(),
                    prints[j].shingles.len(),
                    labeled[i].title.chars().take(50).collect::<String>(),
                    labeled[j].title.chars().take(50).collect::<String>()
                );
            }
        }
    }
    Ok(())
}

/// `train-idf`: document frequencies of content stems in the news corpus, for story
/// similarity that does not depend on how many articles are clustered at once.
pub fn train_idf(shared: &Path, out: &Path, keep: usize) -> Result<()> {
    use std::io::Write;
    let articles = corpus::read(shared)?;
    let analyzer = akhbar_arabic::Analyzer::default();
    let mut cache = akhbar_arabic::Cache::default();
    let mut df: FxHashMap<String, u32> = FxHashMap::default();
    let mut seen: FxHashSet<String> = FxHashSet::default();
    for article in &articles {
        seen.clear();
        for text in [&article.title, &article.content] {
            analyzer.for_each(text, &mut cache, |token| {
                if !token.stop && !token.stem.is_empty() && !seen.contains(token.stem) {
                    seen.insert(token.stem.to_string());
                }
            });
        }
        for stem in seen.drain() {
            *df.entry(stem).or_default() += 1;
        }
    }
    let mut rows: Vec<(String, u32)> = df.into_iter().filter(|(_, n)| *n >= 2).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows.truncate(keep);
    let mut text = format!(
        "# akhbar document frequencies of content stems (akhbar-eval train-idf): stem, articles.\n# documents\t{}\n",
        articles.len()
    );
    for (stem, n) in &rows {
        text.push_str(&format!("{stem}\t{n}\n"));
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(text.as_bytes())?;
    let bytes = encoder.finish()?;
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!("wrote {} ({} stems, {} bytes)", out.display(), rows.len(), bytes.len());
    Ok(())
}
