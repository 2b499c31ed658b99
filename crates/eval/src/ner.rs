//! `train-ner` and `ner`: the entity tagger on ANERcorp (first 5/6 of the sentences to train,
//! last 1/6 to test, never trained on) and on AQMAR (Wikipedia, out of domain).

use akhbar_entities::{spans, Kind, Model, Recognizer, Tag, Trainer};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::Instant;

/// A gold sentence: tokens and tags.
pub struct Sentence {
    pub tokens: Vec<String>,
    pub tags: Vec<Tag>,
}

/// ANERcorp split into sentences after `. ! ? ؟`; malformed tags (about 20) read as `O`.
pub fn anercorp(shared: &Path) -> Result<Vec<Sentence>> {
    let path = shared.join("gold/ner/anercorp/ANERCorp.txt.gz");
    let reader = BufReader::new(flate2::read::GzDecoder::new(
        std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?,
    ));
    let mut sentences = Vec::new();
    let mut current = Sentence {
        tokens: Vec::new(),
        tags: Vec::new(),
    };
    for line in reader.lines() {
        let line = line?;
        let mut fields = line.split_whitespace();
        let (Some(token), Some(tag)) = (fields.next(), fields.next()) else {
            continue;
        };
        current.tokens.push(token.to_string());
        current.tags.push(Tag::parse_conll(tag).unwrap_or(Tag::O));
        if matches!(token, "." | "!" | "?" | "؟") {
            sentences.push(std::mem::replace(
                &mut current,
                Sentence {
                    tokens: Vec::new(),
                    tags: Vec::new(),
                },
            ));
        }
    }
    if !current.tokens.is_empty() {
        sentences.push(current);
    }
    Ok(sentences)
}

/// The train/dev part and the test part (last 1/6 of the sentences).
pub fn split(sentences: Vec<Sentence>) -> (Vec<Sentence>, Vec<Sentence>) {
    let train = sentences.len() * 5 / 6;
    let mut sentences = sentences;
    let test = sentences.split_off(train);
    (sentences, test)
}

/// AQMAR: blank lines between sentences; MIS0–MIS3 are MISC.
fn aqmar(shared: &Path) -> Result<Vec<Sentence>> {
    let dir = shared.join("gold/ner/aqmar/articles");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut sentences = Vec::new();
    for file in files {
        let reader = BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(&file)?));
        let mut current = Sentence {
            tokens: Vec::new(),
            tags: Vec::new(),
        };
        for line in reader.lines() {
            let line = line?;
            let mut fields = line.split_whitespace();
            match (fields.next(), fields.next()) {
                (Some(token), Some(tag)) => {
                    current.tokens.push(token.to_string());
                    current.tags.push(Tag::parse_conll(tag).unwrap_or(Tag::O));
                }
                _ if !current.tokens.is_empty() => sentences.push(std::mem::replace(
                    &mut current,
                    Sentence {
                        tokens: Vec::new(),
                        tags: Vec::new(),
                    },
                )),
                _ => {}
            }
        }
        if !current.tokens.is_empty() {
            sentences.push(current);
        }
    }
    Ok(sentences)
}

fn refs(sentence: &Sentence) -> Vec<&str> {
    sentence.tokens.iter().map(String::as_str).collect()
}

pub fn train(shared: &Path, out: &Path, epochs: usize, dev: bool, min_weight: f32, dropout: f64) -> Result<()> {
    let (train, _) = split(anercorp(shared)?);
    let (train, held_out) = if dev {
        let mut train = train;
        let cut = train.len() * 9 / 10;
        let held = train.split_off(cut);
        (train, held)
    } else {
        (train, Vec::new())
    };
    let featurizer = Recognizer::with_model(Model::default());
    let started = Instant::now();
    let prepared: Vec<(Vec<Vec<u64>>, &[Tag])> = train
        .iter()
        .map(|s| (featurizer.features(&refs(s)), s.tags.as_slice()))
        .collect();
    let held: Vec<(Vec<Vec<u64>>, &Sentence)> = held_out.iter().map(|s| (featurizer.features(&refs(s)), s)).collect();
    eprintln!(
        "features of {} training sentences in {:.1} s",
        prepared.len(),
        started.elapsed().as_secs_f64()
    );
    let mut trainer = Trainer::new();
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for epoch in 1..=epochs {
        // Deterministic shuffle (xorshift) so that training is reproducible.
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let mut right = 0;
        let mut total = 0;
        for &i in &order {
            let (features, gold) = &prepared[i];
            // Word-identity dropout: for some tokens, hide the word itself (the first features:
            // its normalized form, name form and stem) so that the model also learns from
            // context, shape and word classes, which is all it has on names it never saw.
            let mut dropped;
            let features = if dropout > 0.0 {
                dropped = features.clone();
                for token in dropped.iter_mut() {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    if (seed % 10_000) as f64 / 10_000.0 < dropout {
                        token.drain(1..4.min(token.len()));
                    }
                }
                &dropped
            } else {
                features
            };
            right += trainer.learn(features, gold);
            total += gold.len();
        }
        let mut line = format!("epoch {epoch}: train token accuracy {:.4}", right as f64 / total as f64);
        if !held.is_empty() {
            let model = trainer.snapshot();
            let mut scores = Scores::default();
            for (features, sentence) in &held {
                scores.add(&sentence.tags, &model.decode(features), false);
            }
            line.push_str(&format!(", dev F1 {:.4}", scores.micro().2));
        }
        eprintln!("{line}");
    }
    let model = trainer.finish(min_weight);
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "wrote {} ({} features, {} bytes) in {:.1} s",
        out.display(),
        model.len(),
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Exact-span counts per type, conlleval style.
#[derive(Default)]
struct Scores {
    per_type: BTreeMap<&'static str, (usize, usize, usize)>, // (correct, predicted, gold)
}

impl Scores {
    fn add(&mut self, gold: &[Tag], predicted: &[Tag], without_misc: bool) {
        let keep = |s: &(usize, usize, Kind)| !(without_misc && s.2 == Kind::Misc);
        let gold: Vec<_> = spans(gold).into_iter().filter(keep).collect();
        let predicted: Vec<_> = spans(predicted).into_iter().filter(keep).collect();
        for span in &gold {
            self.per_type.entry(span.2.code()).or_default().2 += 1;
        }
        for span in &predicted {
            let entry = self.per_type.entry(span.2.code()).or_default();
            entry.1 += 1;
            if gold.contains(span) {
                entry.0 += 1;
            }
        }
    }

    fn prf((correct, predicted, gold): (usize, usize, usize)) -> (f64, f64, f64) {
        let p = correct as f64 / predicted.max(1) as f64;
        let r = correct as f64 / gold.max(1) as f64;
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }

    fn micro(&self) -> (f64, f64, f64) {
        let sum = self
            .per_type
            .values()
            .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
        Scores::prf(sum)
    }

    fn print(&self, title: &str, tokens: usize, seconds: f64) {
        println!(
            "\n{title}: {tokens} tokens, {:.0} tokens/s (one core, features + decoding)\n",
            tokens as f64 / seconds
        );
        println!("| type | precision | recall | F1 | gold |");
        println!("|---|---|---|---|---|");
        for (kind, counts) in &self.per_type {
            let (p, r, f) = Scores::prf(*counts);
            println!("| {kind} | {p:.4} | {r:.4} | {f:.4} | {} |", counts.2);
        }
        let (p, r, f) = self.micro();
        let gold: usize = self.per_type.values().map(|c| c.2).sum();
        println!("| **all (micro)** | {p:.4} | {r:.4} | **{f:.4}** | {gold} |");
    }
}

pub fn evaluate(shared: &Path, model: Option<&Path>, fill: bool) -> Result<()> {
    let mut recognizer = match model {
        Some(path) => Recognizer::with_model(Model::from_bytes(&std::fs::read(path)?)?),
        None => Recognizer::embedded()?,
    };
    recognizer.fill_from_gazetteer = fill;
    let (_, test) = split(anercorp(shared)?);
    for (title, sentences, without_misc) in [
        ("ANERcorp test (last 1/6 of the sentences)", test, false),
        ("AQMAR (Wikipedia, out of domain; PER/LOC/ORG)", aqmar(shared)?, true),
    ] {
        let started = Instant::now();
        let mut scores = Scores::default();
        let mut tokens = 0;
        for sentence in &sentences {
            let predicted = recognizer.tag(&refs(sentence));
            tokens += predicted.len();
            scores.add(&sentence.tags, &predicted, without_misc);
        }
        scores.print(title, tokens, started.elapsed().as_secs_f64());
    }
    Ok(())
}
