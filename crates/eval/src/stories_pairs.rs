//! `stories --real --pairs FILE`: for judged articles within four days of each other, what
//! the clustering could compare (text cosine with and without stock words, entity cosine,
//! title entities, containment, time, numbers), and whether they report one event: the table
//! the story score's weights were fitted on (`crates/stories/src/assign.rs`).

use crate::stories_real::{parse_labels, LABELS};
use akhbar_stories::{containment, Fingerprint, Fingerprinter, Idf};
use anyhow::Result;
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt::Write as _;
use std::path::Path;

/// Writes the table.
pub fn pairs(data: &Path, out: &Path) -> Result<()> {
    use akhbar_stories::{Doc, Templates};
    let labels = parse_labels(LABELS)?;
    let store = akhbar_store::Store::open_existing(data)?;
    let inputs = store.story_window(None, None)?;
    let mut f = Fingerprinter::default();
    let prints: Vec<Fingerprint> = inputs.iter().map(|i| f.fingerprint(&i.title, &i.body)).collect();
    let docs: Vec<Doc> = inputs
        .iter()
        .zip(&prints)
        .map(|(i, p)| Doc {
            id: i.id.as_str(),
            source: i.source.as_deref(),
            time: i.time,
            entities: &i.entities,
            title_entities: &i.title_entities,
            fingerprint: p,
        })
        .collect();
    let templates = Templates::learn(&docs);
    let idf = Idf::embedded();
    let mut entity_df: FxHashMap<&str, f32> = FxHashMap::default();
    for i in &inputs {
        for e in &i.entities {
            *entity_df.entry(e.as_str()).or_default() += 1.0;
        }
    }
    let n = inputs.len() as f32;
    let normalize = |v: &mut FxHashMap<u64, f32>| {
        let norm = v.values().map(|w| w * w).sum::<f32>().sqrt().max(1e-9);
        v.values_mut().for_each(|w| *w /= norm);
    };
    let text_vector = |p: &Fingerprint, stock: bool| {
        let covered = if stock {
            templates.covered(p)
        } else {
            vec![true; p.body_stems.len()]
        };
        let mut counts: FxHashMap<u64, f32> = FxHashMap::default();
        for s in &p.title {
            *counts.entry(*s).or_default() += 3.0;
        }
        for (k, s) in p.body_stems.iter().enumerate() {
            let w = if k < p.lead_stems { 1.5 } else { 1.0 };
            *counts.entry(*s).or_default() += w * if covered[k] {
                1.0
            } else {
                akhbar_stories::STOCK_WORD_WEIGHT
            };
        }
        let mut v: FxHashMap<u64, f32> = counts
            .into_iter()
            .map(|(t, c)| (t, (1.0 + c.ln()) * idf.of(t)))
            .collect();
        normalize(&mut v);
        v
    };
    let cos = |a: &FxHashMap<u64, f32>, b: &FxHashMap<u64, f32>| -> f32 {
        a.iter().filter_map(|(k, w)| b.get(k).map(|x| x * w)).sum()
    };
    let judged: Vec<usize> = (0..inputs.len())
        .filter(|&i| labels.events.contains_key(inputs[i].id.as_str()))
        .collect();
    let mut rows = String::from("a\tb\tsame\thours\tsame_source\tcos_text\tcos_inf\tcos_ent\ttitle_ent_shared\ttitle_ent_a\ttitle_ent_b\tcontain\tcontain_inf\tinf_share_a\tinf_share_b\tcos_title\tcos_lead\tmax_shared_idf\trare_shared\tnumbers\n");
    let title_vector = |p: &Fingerprint| {
        let mut v: FxHashMap<u64, f32> = p.title.iter().map(|t| (*t, idf.of(*t))).collect();
        normalize(&mut v);
        v
    };
    let lead_vector = |p: &Fingerprint| {
        let covered = templates.covered(p);
        let mut v: FxHashMap<u64, f32> = FxHashMap::default();
        for (k, s) in p.body_stems.iter().enumerate().take(p.lead_stems.max(30)) {
            *v.entry(*s).or_default() += if covered[k] { 1.0 } else { 0.15 };
        }
        let mut v: FxHashMap<u64, f32> = v.into_iter().map(|(t, c)| (t, (1.0 + c.ln()) * idf.of(t))).collect();
        normalize(&mut v);
        v
    };
    let numbers = |i: usize| -> FxHashSet<String> {
        let text = format!(
            "{} {}",
            inputs[i].title,
            inputs[i].body.chars().take(400).collect::<String>()
        );
        text.split(|c: char| !c.is_ascii_digit() && !('٠'..='٩').contains(&c))
            .filter(|d| d.chars().count() >= 2)
            .map(str::to_string)
            .collect()
    };
    // Per judged article: text vector, the same without stock words, entity vector, title
    // entities, informative shingles.
    type Views = (
        FxHashMap<u64, f32>,
        FxHashMap<u64, f32>,
        FxHashMap<u64, f32>,
        Vec<String>,
        Vec<u64>,
    );
    let mut vectors: FxHashMap<usize, Views> = FxHashMap::default();
    for &i in &judged {
        let p = &prints[i];
        let mut ent: FxHashMap<u64, f32> = inputs[i]
            .entities
            .iter()
            .map(|e| {
                (
                    xxhash_rust::xxh3::xxh3_64(e.as_bytes()),
                    ((n + 1.0) / (entity_df[e.as_str()] + 1.0)).ln() + 1.0,
                )
            })
            .collect();
        normalize(&mut ent);
        let title_entities: Vec<String> = store
            .article_entities(inputs[i].id.as_str())?
            .into_iter()
            .filter(|e| e.mentions.iter().any(|m| m.part == akhbar_entities::Part::Title))
            .map(|e| e.id)
            .collect();
        vectors.insert(
            i,
            (
                text_vector(p, false),
                text_vector(p, true),
                ent,
                title_entities,
                templates.informative(p),
            ),
        );
    }
    for (x, &i) in judged.iter().enumerate() {
        for &j in &judged[x + 1..] {
            let hours = (inputs[i].time - inputs[j].time).abs() as f32 / 3600.0;
            if hours > 96.0 {
                continue;
            }
            let (ei, ej) = (
                &labels.events[inputs[i].id.as_str()],
                &labels.events[inputs[j].id.as_str()],
            );
            let same = ei.iter().any(|e| ej.contains(e));
            let (vi, vj) = (&vectors[&i], &vectors[&j]);
            let cos_text = cos(&vi.0, &vj.0);
            if !same && cos_text < 0.1 {
                continue;
            }
            let shared = vi.3.iter().filter(|e| inputs[j].entities.contains(e)).count()
                + vj.3.iter().filter(|e| inputs[i].entities.contains(e)).count();
            let share = |k: usize, inf: &Vec<u64>| inf.len() as f32 / prints[k].shingles.len().max(1) as f32;
            let shared_idfs: Vec<f32> = inputs[i]
                .entities
                .iter()
                .filter(|e| inputs[j].entities.contains(e))
                .map(|e| ((n + 1.0) / (entity_df[e.as_str()] + 1.0)).ln() + 1.0)
                .collect();
            let max_shared_idf = shared_idfs.iter().copied().fold(0.0f32, f32::max);
            let rare_shared = shared_idfs.iter().filter(|x| **x >= 7.0).count();
            let (ni, nj) = (numbers(i), numbers(j));
            let number_overlap = if ni.is_empty() || nj.is_empty() {
                -1.0
            } else {
                ni.intersection(&nj).count() as f32 / ni.len().min(nj.len()) as f32
            };
            let _ = writeln!(
                rows,
                "{}\t{}\t{}\t{hours:.1}\t{}\t{cos_text:.3}\t{:.3}\t{:.3}\t{shared}\t{}\t{}\t{:.3}\t{:.3}\t{:.2}\t{:.2}\t{:.3}\t{:.3}\t{max_shared_idf:.2}\t{rare_shared}\t{number_overlap:.2}",
                inputs[i].id.as_str(),
                inputs[j].id.as_str(),
                u8::from(same),
                u8::from(inputs[i].source == inputs[j].source),
                cos(&vi.1, &vj.1),
                cos(&vi.2, &vj.2),
                vi.3.len(),
                vj.3.len(),
                containment(&prints[i].shingles, &prints[j].shingles),
                containment(&vi.4, &vj.4),
                share(i, &vi.4),
                share(j, &vj.4),
                cos(&title_vector(&prints[i]), &title_vector(&prints[j])),
                cos(&lead_vector(&prints[i]), &lead_vector(&prints[j])),
            );
        }
    }
    std::fs::write(out, rows)?;
    println!(
        "wrote {} ({} judged articles, {} stock shingles)",
        out.display(),
        judged.len(),
        templates.len()
    );
    Ok(())
}
