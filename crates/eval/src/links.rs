//! `links`: are the archive's entity links right? The way a reader meets them: the store's
//! most-mentioned entities (`akhbar entities`), a few sampled mentions of each, read in
//! context and judged (`data/links.tsv`, format in `data/links.md`): right, another entity,
//! or not a name. Prints precision per type and overall, the worst entities, how many links
//! judged right earlier are still there, and writes what the sample needs judged to
//! `--packets FILE`.

use akhbar_entities::{EntityMention, Gazetteer, Kind, Part};
use anyhow::{bail, Context, Result};
use rustc_hash::FxHashMap;
use std::fmt::Write as _;
use std::path::Path;

const LABELS: &str = include_str!("../data/links.tsv");

/// What a judge said of one link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// The mention names this entity.
    Right,
    /// It names another entity.
    Other,
    /// It is not a name at all (a common word, a fragment).
    None,
}

/// (article id, part, start, end, entity id).
type Key = (String, Part, usize, usize, String);

fn parse_labels(text: &str) -> Result<FxHashMap<Key, Verdict>> {
    let mut labels = FxHashMap::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let bad = || {
            anyhow::anyhow!(
                "links.tsv:{}: expected article, part, start, end, entity, verdict",
                n + 1
            )
        };
        if f.len() < 6 {
            return Err(bad());
        }
        let part = match f[1] {
            "title" => Part::Title,
            "body" => Part::Body,
            _ => return Err(bad()),
        };
        let verdict = match f[5] {
            "right" => Verdict::Right,
            "other" => Verdict::Other,
            "none" => Verdict::None,
            v => bail!("links.tsv:{}: verdict {v:?} is not right, other or none", n + 1),
        };
        let key = (
            f[0].to_string(),
            part,
            f[2].parse().map_err(|_| bad())?,
            f[3].parse().map_err(|_| bad())?,
            f[4].to_string(),
        );
        if let Some(old) = labels.insert(key, verdict) {
            if old != verdict {
                bail!("links.tsv:{}: judged twice, differently", n + 1);
            }
        }
    }
    Ok(labels)
}

fn hash(seed: u64, text: &str, start: usize) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(format!("{text}:{start}").as_bytes(), seed)
}

pub struct LinkOptions<'a> {
    pub data: &'a Path,
    pub seed: u64,
    pub top: usize,
    pub per_entity: usize,
    pub packets: Option<&'a Path>,
    pub list_wrong: bool,
}

pub fn run(options: &LinkOptions) -> Result<()> {
    let labels = parse_labels(LABELS)?;
    let store = akhbar_store::Store::open_existing(options.data)
        .with_context(|| format!("opening the store {}", options.data.display()))?;
    let gazetteer = Gazetteer::embedded();
    let entities = store.entities(None, options.top)?;
    // Per type: (right, judged); per entity: (right, judged, name).
    let mut by_type: FxHashMap<Kind, (usize, usize)> = FxHashMap::default();
    let mut by_entity: Vec<(String, String, Kind, usize, usize, u64)> = Vec::new();
    let (mut unjudged, mut other, mut none) = (0usize, 0usize, 0usize);
    let mut packet = String::new();
    let mut texts: FxHashMap<String, (String, String, Option<String>)> = FxHashMap::default();
    let mut sampled_wrong = Vec::new();
    for entity in &entities {
        let mut mentions = store.entity_mentions(&entity.id)?;
        mentions.sort_by_key(|(article, m)| hash(options.seed, article, m.start));
        mentions.truncate(options.per_entity);
        let (mut right, mut judged) = (0, 0);
        let mut waiting = Vec::new();
        for (article, mention) in mentions {
            let key = (
                article.clone(),
                mention.part,
                mention.start,
                mention.end,
                entity.id.clone(),
            );
            match labels.get(&key) {
                Some(verdict) => {
                    judged += 1;
                    match verdict {
                        Verdict::Right => right += 1,
                        Verdict::Other => other += 1,
                        Verdict::None => none += 1,
                    }
                    if *verdict != Verdict::Right {
                        sampled_wrong.push(format!(
                            "{article} {} {}..{} {}",
                            mention.part.as_str(),
                            mention.start,
                            mention.end,
                            entity.id
                        ));
                    }
                }
                None => {
                    unjudged += 1;
                    waiting.push((article, mention));
                }
            }
        }
        let t = by_type.entry(entity.kind).or_default();
        t.0 += right;
        t.1 += judged;
        by_entity.push((
            entity.id.clone(),
            entity.name.clone(),
            entity.kind,
            right,
            judged,
            entity.articles,
        ));
        if !waiting.is_empty() {
            let entry = gazetteer.by_id(&entity.id);
            let _ = writeln!(
                packet,
                "\n## entity `{}` — {} ({}){}{}\n",
                entity.id,
                entity.name,
                entity.kind.code(),
                entry
                    .map(|e| format!(": {} — {}", e.english, e.note))
                    .unwrap_or_else(|| " (not in the gazetteer: made from the text)".into()),
                entry
                    .map(|e| format!("; written {}", e.arabic.join(" / ")))
                    .unwrap_or_default()
            );
            for (article, mention) in waiting {
                if !texts.contains_key(&article) {
                    if let Some(stored) = store.get(&article)? {
                        texts.insert(
                            article.clone(),
                            (stored.article.title, stored.article.body, stored.article.source),
                        );
                    }
                }
                let Some((title, body, source)) = texts.get(&article) else {
                    continue;
                };
                let text = if mention.part == Part::Title { title } else { body };
                let _ = writeln!(
                    packet,
                    "- `{article}\t{}\t{}\t{}\t{}` [{}] {}\n",
                    mention.part.as_str(),
                    mention.start,
                    mention.end,
                    entity.id,
                    source.as_deref().unwrap_or(""),
                    context(text, &mention)
                );
            }
        }
    }
    let judged: usize = by_type.values().map(|t| t.1).sum();
    let right: usize = by_type.values().map(|t| t.0).sum();
    println!(
        "store {}: the {} most-mentioned entities, {} sampled mentions each (seed {})\n",
        options.data.display(),
        entities.len(),
        options.per_entity,
        options.seed
    );
    println!("| type | links judged | right | precision |");
    println!("|---|---|---|---|");
    for kind in [Kind::Person, Kind::Location, Kind::Organization, Kind::Misc] {
        let (r, j) = by_type.get(&kind).copied().unwrap_or_default();
        println!("| {} | {j} | {r} | {:.3} |", kind.code(), r as f64 / j.max(1) as f64);
    }
    println!(
        "| all | {judged} | {right} | **{:.3}** |\n\nwrong: {other} name another entity, {none} are no name; {unjudged} sampled links not judged yet",
        right as f64 / judged.max(1) as f64
    );
    by_entity.sort_by(|a, b| {
        let p = |x: &(String, String, Kind, usize, usize, u64)| x.3 as f64 / x.4.max(1) as f64;
        p(a).total_cmp(&p(b)).then(b.5.cmp(&a.5))
    });
    println!("\nthe worst entities:\n\n| entity | name | type | right of judged | articles |\n|---|---|---|---|---|");
    for (id, name, kind, r, j, articles) in by_entity.iter().filter(|e| e.4 > 0 && e.3 < e.4).take(10) {
        println!("| {id} | {name} | {} | {r} of {j} | {articles} |", kind.code());
    }
    // The links judged right in any earlier sample: are they still there? And the links
    // judged wrong: which are still made?
    let mut still = 0;
    let mut right_labels = 0;
    let mut gone: Vec<String> = Vec::new();
    let (mut wrong_labels, mut wrong_still) = (0usize, Vec::new());
    let mut cache: FxHashMap<String, Vec<akhbar_entities::Entity>> = FxHashMap::default();
    for ((article, part, start, end, entity), verdict) in &labels {
        if !cache.contains_key(article) {
            cache.insert(article.clone(), store.article_entities(article)?);
        }
        if *verdict != Verdict::Right {
            wrong_labels += 1;
            let linked = cache[article].iter().any(|e| {
                e.id == *entity
                    && e.mentions
                        .iter()
                        .any(|m| m.part == *part && m.start < *end && *start < m.end)
            });
            if linked {
                wrong_still.push(format!("{article} {} {start}..{end} {entity}", part.as_str()));
            }
            continue;
        }
        right_labels += 1;
        // The same entity at that place; for an entity made from the text (whose id follows
        // the linker's scheme), any entity there: the name is still linked, perhaps to the
        // curated entry that now knows it.
        let made_from_text = ["per-", "loc-", "org-", "misc-", "n-"]
            .iter()
            .any(|p| entity.starts_with(p));
        let linked = cache[article].iter().any(|e| {
            (e.id == *entity || made_from_text)
                && e.mentions
                    .iter()
                    .any(|m| m.part == *part && m.start < *end && *start < m.end)
        });
        if linked {
            still += 1;
        } else if gone.len() < 10 {
            gone.push(format!("{article} {entity} {start}..{end}"));
        }
    }
    println!(
        "\nlinks judged right in any sample that are still linked: {still} of {right_labels} ({:.1} %)",
        100.0 * still as f64 / right_labels.max(1) as f64
    );
    for g in &gone {
        println!("- gone: {g}");
    }
    wrong_still.sort();
    println!(
        "links judged wrong in any sample that are still made: {} of {wrong_labels}",
        wrong_still.len()
    );
    if options.list_wrong {
        for w in &sampled_wrong {
            println!("- wrong in this sample: {w}");
        }
        for w in &wrong_still {
            println!("- wrong: {w}");
        }
    }
    if let Some(path) = options.packets {
        std::fs::write(path, &packet).with_context(|| format!("writing {}", path.display()))?;
        println!("\nwrote {} (the sampled links not judged yet)", path.display());
    }
    Ok(())
}

/// The mention in its sentence: up to 160 characters each side, the mention in [[ ]].
fn context(text: &str, mention: &EntityMention) -> String {
    let (Some(before), Some(inside), Some(after)) = (
        text.get(..mention.start),
        text.get(mention.start..mention.end),
        text.get(mention.end..),
    ) else {
        return mention.text.clone();
    };
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let before: String = {
        let chars: Vec<char> = flat(before).chars().collect();
        chars[chars.len().saturating_sub(160)..].iter().collect()
    };
    let after: String = flat(after).chars().take(160).collect();
    format!("…{before} [[{inside}]] {after}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_and_refuse_bad_lines() {
        let labels = parse_labels("# c\nokaz-1\tbody\t10\t20\tyemen\tright\tnote\n").unwrap();
        assert_eq!(
            labels[&("okaz-1".into(), Part::Body, 10, 20, "yemen".into())],
            Verdict::Right
        );
        assert!(parse_labels("okaz-1\tbody\t10\t20\tyemen\tmaybe\n").is_err());
        assert!(parse_labels("okaz-1\tbody\tx\t20\tyemen\tright\n").is_err());
        assert!(parse_labels(LABELS).is_ok());
    }
}
