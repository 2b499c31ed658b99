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

/// Options of `train-ner`.
pub struct TrainOptions<'a> {
    pub out: &'a Path,
    pub document_out: &'a Path,
    pub epochs: usize,
    pub dev: bool,
    /// With `dev`, the tenth held out (0–9).
    pub dev_block: usize,
    pub errors: bool,
    pub min_weight: f32,
    pub dropout: f64,
    pub folds: usize,
    pub outside_penalty: f32,
}

/// Trains both passes. The second pass learns from first-pass tags that are as wrong as they
/// will be on new text: each block of the training sentences is tagged by a first-pass model
/// trained on the other blocks (jackknifing); the shipped first pass is trained on all.
pub fn train(shared: &Path, options: &TrainOptions) -> Result<()> {
    let (train, _) = split(anercorp(shared)?);
    let (train, held_out) = if options.dev {
        let block = options.dev_block;
        let held_range = train.len() * block / 10..train.len() * (block + 1) / 10;
        let (held, kept): (Vec<_>, Vec<_>) = train.into_iter().enumerate().partition(|(i, _)| held_range.contains(i));
        let unnumbered = |part: Vec<(usize, Sentence)>| part.into_iter().map(|(_, s)| s).collect::<Vec<_>>();
        (unnumbered(kept), unnumbered(held))
    } else {
        (train, Vec::new())
    };
    let featurizer = Recognizer::with_model(Model::default());
    let started = Instant::now();
    let tokens: Vec<Vec<&str>> = train.iter().map(refs).collect();
    let gold: Vec<&[Tag]> = train.iter().map(|s| s.tags.as_slice()).collect();
    let first_features: Vec<Vec<Vec<u64>>> = tokens.iter().map(|t| featurizer.features(t)).collect();
    let held_tokens: Vec<Vec<&str>> = held_out.iter().map(refs).collect();
    let held_features: Vec<Vec<Vec<u64>>> = held_tokens.iter().map(|t| featurizer.features(t)).collect();
    eprintln!(
        "features of {} training sentences in {:.1} s",
        tokens.len(),
        started.elapsed().as_secs_f64()
    );
    let all: Vec<usize> = (0..tokens.len()).collect();
    let dev_first = |model: &Model| held_out_f1(model, &held_features, &held_out);
    eprintln!("first pass:");
    let first = learn(
        &first_features,
        &gold,
        &all,
        options,
        (!held_out.is_empty()).then_some(&dev_first),
    );
    let folds = options.folds.max(2);
    let mut predicted: Vec<Vec<Tag>> = vec![Vec::new(); tokens.len()];
    for fold in 0..folds {
        let block = fold * tokens.len() / folds..(fold + 1) * tokens.len() / folds;
        let rest: Vec<usize> = all.iter().copied().filter(|i| !block.contains(i)).collect();
        let model = learn(&first_features, &gold, &rest, options, None);
        for i in block {
            predicted[i] = model.decode(&first_features[i]);
        }
    }
    let mut jackknifed = Scores::default();
    for (gold, predicted) in gold.iter().zip(&predicted) {
        jackknifed.add(gold, predicted, false);
    }
    eprintln!(
        "first pass, jackknifed over {folds} blocks of the training part: F1 {:.4}",
        jackknifed.micro().2
    );
    let second_features = featurizer.document_features(&tokens, &predicted);
    let held_first: Vec<Vec<Tag>> = held_features.iter().map(|f| first.decode(f)).collect();
    let held_second = featurizer.document_features(&held_tokens, &held_first);
    let dev_second = |model: &Model| held_out_f1(model, &held_second, &held_out);
    eprintln!("second pass:");
    let mut second = learn(
        &second_features,
        &gold,
        &all,
        options,
        (!held_out.is_empty()).then_some(&dev_second),
    );
    if !held_out.is_empty() {
        for penalty in [0.0, 2.0, 5.0, 10.0, 20.0, 40.0] {
            let mut model = second.clone();
            model.penalize_outside(penalty);
            eprintln!("  outside penalty {penalty}: dev F1 {:.4}", dev_second(&model));
        }
    }
    if options.errors {
        for (features, sentence) in held_second.iter().zip(&held_out) {
            print_errors(sentence, &second.decode(features));
        }
    }
    second.penalize_outside(options.outside_penalty);
    for (model, path) in [(&first, options.out), (&second, options.document_out)] {
        let bytes = model.to_bytes();
        std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        println!(
            "wrote {} ({} features, {} bytes)",
            path.display(),
            model.len(),
            bytes.len()
        );
    }
    println!("trained in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Micro F1 of `model` on held-out `sentences`, given their features.
fn held_out_f1(model: &Model, features: &[Vec<Vec<u64>>], sentences: &[Sentence]) -> f64 {
    let mut scores = Scores::default();
    for (features, sentence) in features.iter().zip(sentences) {
        scores.add(&sentence.tags, &model.decode(features), false);
    }
    scores.micro().2
}

/// Averaged-perceptron training over the sentences `subset`, in a deterministic shuffled
/// order each epoch; `dev` scores the averaged model after each epoch.
fn learn(
    features: &[Vec<Vec<u64>>],
    gold: &[&[Tag]],
    subset: &[usize],
    options: &TrainOptions,
    dev: Option<&dyn Fn(&Model) -> f64>,
) -> Model {
    let mut trainer = Trainer::new();
    let mut order = subset.to_vec();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for epoch in 1..=options.epochs {
        // Deterministic shuffle (xorshift) so that training is reproducible.
        for i in (1..order.len()).rev() {
            order.swap(i, (next() % (i as u64 + 1)) as usize);
        }
        let (mut right, mut total) = (0, 0);
        for &i in &order {
            // Word-identity dropout: for some tokens, hide the word itself (the first features:
            // its normalized form, name form and stem) so that the model also learns from
            // context, shape and word classes, which is all it has on names it never saw.
            let mut dropped;
            let sentence = if options.dropout > 0.0 {
                dropped = features[i].clone();
                for token in dropped.iter_mut() {
                    if (next() % 10_000) as f64 / 10_000.0 < options.dropout {
                        token.drain(1..4.min(token.len()));
                    }
                }
                &dropped
            } else {
                &features[i]
            };
            right += trainer.learn(sentence, gold[i]);
            total += gold[i].len();
        }
        if let Some(dev) = dev {
            eprintln!(
                "  epoch {epoch}: train token accuracy {:.4}, dev F1 {:.4}",
                right as f64 / total.max(1) as f64,
                dev(&trainer.snapshot())
            );
        }
    }
    trainer.finish(options.min_weight)
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

pub fn evaluate(shared: &Path, models: Option<(&Path, Option<&Path>)>, fill: bool, errors: bool) -> Result<()> {
    let read = |path: &Path| -> Result<Model> {
        Ok(Model::from_bytes(
            &std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
        )?)
    };
    let mut recognizer = match models {
        Some((first, document)) => Recognizer::with_models(read(first)?, document.map(read).transpose()?),
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
        // Each corpus is one stream of sentences, tagged as a document (the second pass reads
        // the first's tags within its window).
        let words: Vec<Vec<&str>> = sentences.iter().map(refs).collect();
        let tagged = recognizer.tag_document(&words);
        for (sentence, predicted) in sentences.iter().zip(tagged) {
            tokens += predicted.len();
            scores.add(&sentence.tags, &predicted, without_misc);
            if errors && !without_misc {
                print_errors(sentence, &predicted);
            }
        }
        scores.print(title, tokens, started.elapsed().as_secs_f64());
    }
    Ok(())
}

/// Prints, for one sentence, the gold spans the tagger missed (`-`) and the spans it found
/// that are not gold (`+`), each with the words around it.
fn print_errors(sentence: &Sentence, predicted: &[Tag]) {
    let gold = spans(&sentence.tags);
    let found = spans(predicted);
    let show = |(start, end, kind): (usize, usize, Kind)| {
        let before = sentence.tokens[start.saturating_sub(3)..start].join(" ");
        let after = sentence.tokens[end..(end + 3).min(sentence.tokens.len())].join(" ");
        format!(
            "{} | {} [{}] | {after}",
            kind.code(),
            before,
            sentence.tokens[start..end].join(" ")
        )
    };
    for span in gold.iter().filter(|s| !found.contains(s)) {
        println!("- {}", show(*span));
    }
    for span in found.iter().filter(|s| !gold.contains(s)) {
        println!("+ {}", show(*span));
    }
}
