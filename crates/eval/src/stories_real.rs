//! `stories --real`: stories as a reader meets them, judged on the whole corpus.
//!
//! The labelled set (`stories-2015-08-10.tsv`) covers two days of four outlets. This reads
//! the stories an akhbar store made of the whole corpus and scores them against events
//! judged by reading (`data/stories-real.tsv`, format in `data/stories-real.md`):
//!
//! - **purity**: a seeded sample of multi-outlet stories and the largest stories; up to
//!   [`JUDGED_PER_STORY`] members of each are judged, and a member is right when it reports
//!   its story's main event (the event most of its judged members report);
//! - **completeness**: seeded anchor articles whose same-event reports were searched for by
//!   hand; each pair (anchor, report) is right when both are in one story (at most
//!   [`REPORTS_PER_ANCHOR`] reports per anchor, a hashed sample). Pairs whose texts
//!   share under [`INDEPENDENT_CONTAINMENT`] of their shingles are independently written.
//! - **copy links**: how many link articles that share little text, or lie days apart.
//!
//! Members and anchors the file does not judge yet are written, with their text, to
//! `--packets DIR` for judging; the figures say how many of the sample were judged.

use crate::corpus;
use akhbar_stories::{containment, Fingerprint, Fingerprinter, Idf};
use anyhow::{bail, Context, Result};
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt::Write as _;
use std::path::Path;

pub(crate) const LABELS: &str = include_str!("../data/stories-real.tsv");
const GOLD: &str = include_str!("../data/stories-2015-08-10.tsv");

/// Multi-outlet stories sampled for purity.
const SAMPLED_STORIES: usize = 40;
/// The largest stories, judged too.
const LARGEST: usize = 10;
/// Members judged per story.
pub const JUDGED_PER_STORY: usize = 10;
/// Anchor articles for completeness.
const ANCHORS: usize = 40;
/// Same-event reports counted per anchor at most (a hashed sample), so that one big event
/// does not outweigh the others.
const REPORTS_PER_ANCHOR: usize = 20;
/// Shingle containment under which two reports are independently written.
pub const INDEPENDENT_CONTAINMENT: f32 = 0.3;

/// The judgments: events per article, the anchors searched, event aliases.
#[derive(Default)]
pub(crate) struct Labels {
    pub(crate) events: FxHashMap<String, Vec<String>>,
    pub(crate) anchors: FxHashSet<String>,
}

pub(crate) fn parse_labels(text: &str) -> Result<Labels> {
    let mut labels = Labels::default();
    let mut alias: FxHashMap<String, String> = FxHashMap::default();
    let mut rows: Vec<(usize, String, String)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["same", a, b] => {
                alias.insert(b.to_string(), a.to_string());
            }
            ["anchor", id] => {
                labels.anchors.insert(id.to_string());
            }
            [id, event, ..] if !event.is_empty() => rows.push((n + 1, id.to_string(), event.to_string())),
            _ => bail!(
                "stories-real.tsv:{}: expected `id<TAB>event`, `anchor<TAB>id` or `same<TAB>event<TAB>event`",
                n + 1
            ),
        }
    }
    let resolve = |e: &str| {
        let mut e = e.to_string();
        let mut hops = 0;
        while let Some(next) = alias.get(&e) {
            e = next.clone();
            hops += 1;
            if hops > 20 {
                break;
            }
        }
        e
    };
    for (line, id, event) in rows {
        let events: Vec<String> = event.split('+').map(resolve).collect();
        if let Some(old) = labels.events.insert(id.clone(), events.clone()) {
            if old != events {
                bail!("stories-real.tsv:{line}: {id} judged twice, as {old:?} and {events:?}");
            }
        }
    }
    Ok(labels)
}

fn hash(seed: u64, text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(text.as_bytes(), seed)
}

/// One story of the store.
struct StoryRow {
    id: String,
    title: String,
    articles: Vec<String>,
    sources: Vec<String>,
    first: String,
    last: String,
    related: Vec<String>,
}

pub struct RealOptions<'a> {
    pub data: &'a Path,
    pub seed: u64,
    pub packets: Option<&'a Path>,
    /// Cluster the store's stories again first, with these options.
    pub recompute: Option<&'a akhbar_stories::Options>,
}

pub fn run(shared: &Path, options: &RealOptions) -> Result<()> {
    let labels = parse_labels(LABELS)?;
    let mut store = akhbar_store::Store::open_existing(options.data)
        .with_context(|| format!("opening the store {}", options.data.display()))?;
    if let Some(clustering) = options.recompute {
        let report = akhbar_pipeline::update_stories_with(&mut store, true, clustering)?;
        println!(
            "recomputed: {} stories, {} copies in {:.1} s",
            report.stories, report.copies, report.seconds
        );
    }
    let mut stories: Vec<StoryRow> = store
        .stories(None, usize::MAX >> 1, 0)?
        .into_iter()
        .map(|s| StoryRow {
            id: s.id,
            title: s.title,
            articles: s.articles,
            sources: s.sources,
            first: s.first_seen,
            last: s.last_seen,
            related: s.related,
        })
        .collect();
    stories.sort_by(|a, b| b.articles.len().cmp(&a.articles.len()).then(a.id.cmp(&b.id)));
    let mut story_of: FxHashMap<&str, usize> = FxHashMap::default();
    for (k, story) in stories.iter().enumerate() {
        for a in &story.articles {
            story_of.insert(a.as_str(), k);
        }
    }
    let articles = corpus::read_full(shared)?;
    let by_id: FxHashMap<&str, &corpus::FullArticle> = articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut fingerprinter = Fingerprinter::default();
    let mut prints: FxHashMap<String, Fingerprint> = FxHashMap::default();
    let mut print = |id: &str| -> Option<Fingerprint> {
        if let Some(p) = prints.get(id) {
            return Some(p.clone());
        }
        let a = by_id.get(id)?;
        let p = fingerprinter.fingerprint(&a.title, &a.content);
        prints.insert(id.to_string(), p.clone());
        Some(p)
    };
    let multi = stories.iter().filter(|s| s.sources.len() > 1).count();
    println!(
        "store {}: {} articles in {} stories ({} with more than one outlet); seed {}\n",
        options.data.display(),
        story_of.len(),
        stories.len(),
        multi,
        options.seed
    );

    // The sample: the largest stories, then multi-outlet stories in hashed order.
    let largest: Vec<usize> = (0..stories.len().min(LARGEST)).collect();
    let mut sampled: Vec<usize> = (0..stories.len())
        .filter(|&k| stories[k].sources.len() > 1 && !largest.contains(&k))
        .collect();
    sampled.sort_by_key(|&k| hash(options.seed, &stories[k].id));
    sampled.truncate(SAMPLED_STORIES);
    let judged_members = |k: usize| -> Vec<&str> {
        let mut members: Vec<&str> = stories[k].articles.iter().map(String::as_str).collect();
        members.sort_by_key(|id| hash(options.seed, id));
        members.truncate(JUDGED_PER_STORY);
        members
    };
    let mut packet = String::new();
    let mut purity_rows = Vec::new();
    for (group, ks) in [
        ("sampled multi-outlet stories", &sampled),
        ("largest stories", &largest),
    ] {
        let (mut right, mut judged, mut unjudged, mut pure) = (0usize, 0usize, 0usize, 0usize);
        for &k in ks.iter() {
            let members = judged_members(k);
            let events: Vec<&Vec<String>> = members.iter().filter_map(|m| labels.events.get(*m)).collect();
            unjudged += members.len() - events.len();
            let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
            for e in &events {
                for one in e.iter() {
                    *counts.entry(one.as_str()).or_default() += 1;
                }
            }
            let main = counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(e, _)| e.to_string());
            let on = events
                .iter()
                .filter(|e| main.as_ref().is_some_and(|m| e.contains(m)))
                .count();
            right += on;
            judged += events.len();
            if !events.is_empty() && on == events.len() && events.len() == members.len() {
                pure += 1;
            }
            if members.len() > events.len() {
                write_story_packet(&mut packet, &stories[k], &members, &labels, &by_id);
            }
        }
        purity_rows.push((group, ks.len(), right, judged, unjudged, pure));
    }
    println!("| purity | stories | members judged | on the story's main event | fully pure stories | members not judged yet |");
    println!("|---|---|---|---|---|---|");
    for (group, n, right, judged, unjudged, pure) in &purity_rows {
        println!(
            "| {group} | {n} | {judged} | {right} (**{:.1} %**) | {pure} of {n} | {unjudged} |",
            100.0 * *right as f64 / (*judged).max(1) as f64
        );
    }

    // Completeness over the anchors.
    let mut anchors: Vec<&corpus::FullArticle> = articles
        .iter()
        .filter(|a| !a.title.trim().is_empty() && a.content.chars().count() >= 300)
        .collect();
    anchors.sort_by_key(|a| hash(options.seed ^ 0xA5C0, &a.id));
    anchors.truncate(ANCHORS);
    let mut by_event: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
    for (id, events) in &labels.events {
        for e in events {
            by_event.entry(e.as_str()).or_default().push(id.as_str());
        }
    }
    let story_index: FxHashMap<&str, usize> = stories.iter().enumerate().map(|(k, s)| (s.id.as_str(), k)).collect();
    let related = |a: usize, b: usize| {
        let listed = |x: usize, y: usize| {
            stories[x]
                .related
                .iter()
                .any(|r| story_index.get(r.as_str()) == Some(&y))
        };
        listed(a, b) || listed(b, a)
    };
    let (mut pairs, mut together, mut independent, mut independent_together) = (0usize, 0usize, 0usize, 0usize);
    let (mut near, mut independent_near) = (0usize, 0usize);
    let mut anchor_packet = String::new();
    let mut searched = 0;
    let mut apart: Vec<String> = Vec::new();
    for anchor in &anchors {
        if !labels.anchors.contains(&anchor.id) {
            write_anchor_packet(&mut anchor_packet, anchor, &articles, &labels);
            continue;
        }
        searched += 1;
        let Some(events) = labels.events.get(&anchor.id) else {
            continue;
        };
        let mut others: Vec<&str> = events
            .iter()
            .flat_map(|e| by_event.get(e.as_str()).into_iter().flatten().copied())
            .filter(|o| *o != anchor.id)
            .collect();
        others.sort_unstable();
        others.dedup();
        others.sort_by_key(|o| hash(options.seed, o));
        others.truncate(REPORTS_PER_ANCHOR);
        let anchor_print = print(&anchor.id);
        for other in others {
            let (ka, ko) = (story_of.get(anchor.id.as_str()).copied(), story_of.get(other).copied());
            let same = ka.is_some() && ka == ko;
            let linked = same || matches!((ka, ko), (Some(a), Some(o)) if related(a, o));
            pairs += 1;
            together += usize::from(same);
            near += usize::from(linked);
            let c = match (&anchor_print, print(other)) {
                (Some(a), Some(b)) => containment(&a.shingles, &b.shingles),
                _ => 1.0,
            };
            if c < INDEPENDENT_CONTAINMENT {
                independent += 1;
                independent_together += usize::from(same);
                independent_near += usize::from(linked);
                if !same {
                    apart.push(format!(
                        "{} | {}",
                        title_of(&by_id, &anchor.id),
                        title_of(&by_id, other)
                    ));
                }
            }
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!("\n| completeness | anchors searched | same-event pairs | in one story | in one story or a related one |");
    println!("|---|---|---|---|---|");
    println!(
        "| all reports | {searched} of {} | {pairs} | {together} (**{:.1} %**) | {near} ({:.1} %) |",
        anchors.len(),
        pct(together, pairs),
        pct(near, pairs)
    );
    println!(
        "| independently written (containment < {INDEPENDENT_CONTAINMENT}) | | {independent} | {independent_together} (**{:.1} %**) | {independent_near} ({:.1} %) |",
        pct(independent_together, independent),
        pct(independent_near, independent)
    );
    if !apart.is_empty() {
        println!("\nindependent same-event reports in different stories:");
        for line in apart.iter().take(15) {
            println!("- {line}");
        }
    }

    // Every judged article, whichever sample it came from: how often the judged articles
    // that share its story share its event (a figure for comparing settings without judging
    // a new sample; the sample above is the measure).
    let mut judged_by_story: FxHashMap<usize, Vec<&Vec<String>>> = FxHashMap::default();
    for (id, events) in &labels.events {
        if let Some(&k) = story_of.get(id.as_str()) {
            judged_by_story.entry(k).or_default().push(events);
        }
    }
    let (mut precision, mut items) = (0.0f64, 0usize);
    for members in judged_by_story.values().filter(|m| m.len() > 1) {
        for (x, a) in members.iter().enumerate() {
            let agree = members
                .iter()
                .enumerate()
                .filter(|(y, b)| *y != x && a.iter().any(|e| b.contains(e)))
                .count();
            precision += agree as f64 / (members.len() - 1) as f64;
            items += 1;
        }
    }
    // Related stories: how often judged articles on both sides report one event.
    let (mut judged_links, mut agreeing_links) = (0usize, 0usize);
    for (k, story) in stories.iter().enumerate() {
        for r in &story.related {
            let Some(&o) = story_index.get(r.as_str()) else {
                continue;
            };
            if o < k {
                continue;
            }
            if let (Some(a), Some(b)) = (judged_by_story.get(&k), judged_by_story.get(&o)) {
                judged_links += 1;
                agreeing_links += usize::from(a.iter().any(|x| b.iter().any(|y| x.iter().any(|e| y.contains(e)))));
            }
        }
    }
    println!(
        "\nrelated stories: {} links; {judged_links} with judged articles on both sides, of which {agreeing_links} ({:.1} %) share an event",
        stories.iter().map(|s| s.related.len()).sum::<usize>() / 2,
        pct(agreeing_links, judged_links)
    );
    println!(
        "all judged articles: {items} share their story with another judged article; on average {:.1} % of those share its event",
        100.0 * precision / items.max(1) as f64
    );

    // Copy links.
    let (mut links, mut under_10, mut under_30, mut days_apart) = (0usize, 0usize, 0usize, 0usize);
    for story in &stories {
        for id in &story.articles {
            let Some((_, Some(origin))) = store.story_of(id)? else {
                continue;
            };
            links += 1;
            if let (Some(a), Some(b)) = (print(id), print(&origin)) {
                let c = containment(&a.shingles, &b.shingles);
                under_10 += usize::from(c < 0.1);
                under_30 += usize::from(c < 0.3);
            }
            if let (Some(a), Some(b)) = (by_id.get(id.as_str()), by_id.get(origin.as_str())) {
                let t = |d: &str| akhbar_model::parse_date(d).map(|d| d.timestamp()).unwrap_or(0);
                days_apart += usize::from((t(&a.date) - t(&b.date)).abs() > 3 * 24 * 3600);
            }
        }
    }
    println!(
        "\ncopy links: {links}; sharing under 10 % of the text with their origin: {under_10}, under 30 %: {under_30}; more than 3 days apart: {days_apart}"
    );

    // The labelled set, as the store grouped it.
    let (gold_story, _) = gold_labels();
    let labelled: Vec<&str> = gold_story
        .keys()
        .map(String::as_str)
        .filter(|id| story_of.contains_key(id))
        .collect();
    let predicted: Vec<usize> = labelled.iter().map(|id| story_of[id]).collect();
    let mut numbers: FxHashMap<&str, usize> = FxHashMap::default();
    let gold: Vec<usize> = labelled
        .iter()
        .map(|id| {
            let next = numbers.len();
            *numbers.entry(gold_story[*id].as_str()).or_insert(next)
        })
        .collect();
    let (p, r, f) = crate::stories::bcubed(&predicted, &gold);
    println!(
        "labelled set (2015-08-10/11, {} articles) as this store grouped it: B-cubed P {p:.4} R {r:.4} F1 **{f:.4}**",
        labelled.len()
    );

    println!("\nthe {LARGEST} largest stories:\n");
    println!("| articles | outlets | first | last | title |");
    println!("|---|---|---|---|---|");
    for story in stories.iter().take(LARGEST) {
        println!(
            "| {} | {} | {} | {} | {} |",
            story.articles.len(),
            story.sources.len(),
            &story.first.get(..10).unwrap_or(&story.first),
            &story.last.get(..10).unwrap_or(&story.last),
            story.title.replace('|', "/")
        );
    }

    if let Some(dir) = options.packets {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        std::fs::write(dir.join("members.md"), &packet)?;
        std::fs::write(dir.join("anchors.md"), &anchor_packet)?;
        println!(
            "\nwrote {} and {} (what is not judged yet)",
            dir.join("members.md").display(),
            dir.join("anchors.md").display()
        );
    }
    Ok(())
}

fn title_of(by_id: &FxHashMap<&str, &corpus::FullArticle>, id: &str) -> String {
    by_id
        .get(id)
        .map(|a| format!("{id} {}", a.title.chars().take(70).collect::<String>()))
        .unwrap_or_else(|| id.to_string())
}

fn excerpt(text: &str, chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.chars().take(chars).collect()
}

fn write_story_packet(
    out: &mut String,
    story: &StoryRow,
    members: &[&str],
    labels: &Labels,
    by_id: &FxHashMap<&str, &corpus::FullArticle>,
) {
    let _ = writeln!(
        out,
        "\n## story {} — {} articles, {} outlets, {} … {}\n### {}\n",
        story.id,
        story.articles.len(),
        story.sources.len(),
        story.first,
        story.last,
        story.title
    );
    for id in members {
        let Some(a) = by_id.get(id) else { continue };
        let judged = labels.events.get(*id).map(|e| e.join("+"));
        let _ = writeln!(
            out,
            "- `{id}` [{}] {} — **{}**{}\n  {}\n",
            a.source,
            a.date,
            a.title.trim(),
            judged.map(|e| format!(" (judged: `{e}`)")).unwrap_or_default(),
            excerpt(&a.content, 600)
        );
    }
}

fn write_anchor_packet(
    out: &mut String,
    anchor: &corpus::FullArticle,
    articles: &[corpus::FullArticle],
    labels: &Labels,
) {
    // Candidates by TF-IDF cosine within four days, whatever the clustering says.
    let idf = Idf::embedded();
    let mut f = Fingerprinter::default();
    let vector = |f: &mut Fingerprinter, a: &corpus::FullArticle| -> FxHashMap<u64, f32> {
        let p = f.fingerprint(&a.title, &a.content);
        let mut v: FxHashMap<u64, f32> = p
            .terms()
            .into_iter()
            .map(|(t, tf)| (t, (1.0 + tf.ln()) * idf.of(t)))
            .collect();
        let norm = v.values().map(|w| w * w).sum::<f32>().sqrt().max(1e-9);
        v.values_mut().for_each(|w| *w /= norm);
        v
    };
    let t = |d: &str| akhbar_model::parse_date(d).map(|d| d.timestamp()).unwrap_or(0);
    let at = t(&anchor.date);
    let a = vector(&mut f, anchor);
    let mut scored: Vec<(f32, &corpus::FullArticle)> = articles
        .iter()
        .filter(|o| o.id != anchor.id && (t(&o.date) - at).abs() <= 4 * 24 * 3600)
        .map(|o| {
            let v = vector(&mut f, o);
            let (small, large) = if a.len() <= v.len() { (&a, &v) } else { (&v, &a) };
            let cos: f32 = small.iter().filter_map(|(k, w)| large.get(k).map(|x| x * w)).sum();
            (cos, o)
        })
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0));
    let _ = writeln!(
        out,
        "\n## anchor `{}` [{}] {}\n### {}\n\n{}\n\ncandidates (TF-IDF cosine within 4 days):\n",
        anchor.id,
        anchor.source,
        anchor.date,
        anchor.title.trim(),
        excerpt(&anchor.content, 1200)
    );
    for (cos, o) in scored.iter().take(25) {
        let judged = labels.events.get(&o.id).map(|e| e.join("+"));
        let _ = writeln!(
            out,
            "- `{}` {cos:.2} [{}] {} — **{}**{}\n  {}\n",
            o.id,
            o.source,
            o.date,
            o.title.trim(),
            judged.map(|e| format!(" (judged: `{e}`)")).unwrap_or_default(),
            excerpt(&o.content, 300)
        );
    }
}

/// The labelled set's story of each article.
fn gold_labels() -> (FxHashMap<String, String>, FxHashMap<String, String>) {
    let mut story = FxHashMap::default();
    let mut copy_of = FxHashMap::default();
    for line in GOLD.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        story.insert(fields[0].to_string(), fields[1].to_string());
        if let Some(origin) = fields.get(2).filter(|o| !o.is_empty()) {
            copy_of.insert(fields[0].to_string(), origin.to_string());
        }
    }
    (story, copy_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_resolve_aliases_and_refuse_conflicts() {
        let labels = parse_labels("# c\na-1\tev-x\nsame\tev-y\tev-x\nb-2\tev-y+ev-z\nanchor\ta-1\n").unwrap();
        assert_eq!(labels.events["a-1"], ["ev-y"]);
        assert_eq!(labels.events["b-2"], ["ev-y", "ev-z"]);
        assert!(labels.anchors.contains("a-1"));
        assert!(parse_labels("a-1\tev-x\na-1\tev-y\n").is_err());
        assert!(parse_labels("a-1\n").is_err());
        assert!(parse_labels(LABELS).is_ok());
    }
}
