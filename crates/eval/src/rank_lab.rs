//! `rank-lab`: the known-item task of [`crate::retrieval`] (same queries, same terms from
//! akhbar's analyzer) scored by a small in-memory index built here, so that ranking functions
//! can be compared in about a second each instead of a tantivy index per variant. It is for
//! deciding what is worth building into the store's search, and for the record of what was
//! tried; the store's figures come from `retrieval`.
//!
//! A configuration is words separated by spaces (`--config`, repeatable):
//! - `bm25` (k1=1.2, b=0.75 unless given) or `lm` (query likelihood, Dirichlet `mu`);
//! - `delta=D`: BM25+ (a matching term adds at least D·idf, whatever the body's length);
//! - field weights: `surface=` normalized words, `stem=` stems, `lead=` stems of the lead
//!   (the store's first words, or with `lead_stems=N` the body's first N stems);
//! - `pair=W`: BM25 of each pair of adjacent query stems found adjacent in the body;
//! - `coord=E`: scores times (share of the query's distinct stems the body holds)^E;
//!   `conjunctive`: bodies holding all of them first, as the store's search does; `min=F`:
//!   bodies holding at least that share of them first (minimum should match);
//! - `window=W/N`: the top 50 times 1 + W·(largest share of the query's stems within N words);
//! - `expand=W`: each query stem adds up to 5 stems learned to go with it, title to lead, from
//!   the articles that are not queries;
//! - `nisba=W`: a field of stems with a final ي or ا dropped (هولندي and هولندا meet);
//! - baselines: `plain=W` (tantivy's default tokens), `lucene=W` (Lucene's Arabic chain,
//!   re-implemented), `snowball=W` (Snowball Arabic).

use crate::baselines;
use crate::corpus::{self, CorpusArticle};
use crate::retrieval::{sample_queries, Sample};
use akhbar_arabic::{Analyzer, ArabicTokenizer, TermForm};
use anyhow::{bail, Context, Result};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;
use tantivy::tokenizer::TextAnalyzer;

/// The configurations run when none is given: the store's body fields, then each idea alone.
pub const DEFAULT_CONFIGS: &[&str] = &[
    "bm25 plain=1",
    "bm25 lucene=1",
    "bm25 snowball=1",
    "bm25 surface=0.3 stem=1 lead=0.5",
    "bm25 k1=0.9 b=0.4 surface=0.3 stem=1 lead=0.5",
    "bm25 k1=1.6 surface=0.3 stem=1 lead=0.5",
    "bm25 b=0.3 surface=0.3 stem=1 lead=0.5",
    "bm25 b=0.9 surface=0.3 stem=1 lead=0.5",
    "bm25 delta=1 surface=0.3 stem=1 lead=0.5",
    "bm25 surface=0.3 stem=1 lead=0.5 lead_stems=15",
    "bm25 surface=0.3 stem=1 lead=0.5 lead_stems=50",
    "lm mu=300 surface=0.3 stem=1 lead=0.5",
    "lm mu=1000 surface=0.3 stem=1 lead=0.5",
    "bm25 surface=0.3 stem=1 lead=0.5 conjunctive",
    "bm25 surface=0.3 stem=1 lead=0.5 min=0.75",
    "bm25 surface=0.3 stem=1 lead=0.5 min=0.5",
    "bm25 surface=0.3 stem=1 lead=0.5 pair=0.2",
    "bm25 surface=0.3 stem=1 lead=0.5 coord=0.5",
    "bm25 surface=0.3 stem=1 lead=0.5 pair=0.2 coord=0.5",
    "bm25 surface=0.3 stem=1 lead=0.5 pair=0.2 coord=0.5 window=0.5/40",
    "bm25 surface=0.3 stem=1 lead=0.5 pair=0.2 coord=0.5 expand=0.3",
    "bm25 surface=0.3 stem=1 lead=0.5 pair=0.2 coord=0.5 nisba=0.2",
];

/// Words of the lead that title stems are paired with when learning expansions.
const EXPANSION_LEAD: usize = 60;
/// A pair must be seen this often to be learned.
const EXPANSION_MIN_PAIRS: u32 = 3;
/// Stems each query stem may add.
const EXPANSION_TOP: usize = 5;
/// Two bodies whose stem sets have at least this Jaccard similarity are near-copies.
const NEAR_COPY: f64 = 0.6;

#[derive(Clone, Copy, Debug)]
enum Scoring {
    Bm25 { k1: f64, b: f64, delta: f64 },
    Dirichlet { mu: f64 },
}

#[derive(Debug)]
struct Config {
    scoring: Scoring,
    surface: f64,
    stem: f64,
    lead: f64,
    pair: f64,
    coord: f64,
    min_share: f64,
    lead_stems: Option<usize>,
    window: Option<(f64, usize)>,
    expand: f64,
    nisba: f64,
    plain: f64,
    lucene: f64,
    snowball: f64,
}

fn parse(text: &str) -> Result<Config> {
    let mut words = text.split_whitespace();
    let mut scoring = match words.next() {
        Some("bm25") => Scoring::Bm25 {
            k1: 1.2,
            b: 0.75,
            delta: 0.0,
        },
        Some("lm") => Scoring::Dirichlet { mu: 1000.0 },
        _ => bail!("configuration {text:?}: begins with bm25 or lm"),
    };
    let mut config = Config {
        scoring,
        surface: 0.0,
        stem: 0.0,
        lead: 0.0,
        pair: 0.0,
        coord: 0.0,
        min_share: 0.0,
        lead_stems: None,
        window: None,
        expand: 0.0,
        nisba: 0.0,
        plain: 0.0,
        lucene: 0.0,
        snowball: 0.0,
    };
    for word in words {
        if word == "conjunctive" {
            config.min_share = 1.0;
            continue;
        }
        let (key, value) = word
            .split_once('=')
            .with_context(|| format!("configuration {text:?}: {word:?} is not key=value"))?;
        let number = |v: &str| {
            v.parse::<f64>()
                .with_context(|| format!("configuration {text:?}: {word:?}"))
        };
        match (key, &mut scoring) {
            ("k1", Scoring::Bm25 { k1, .. }) => *k1 = number(value)?,
            ("b", Scoring::Bm25 { b, .. }) => *b = number(value)?,
            ("delta", Scoring::Bm25 { delta, .. }) => *delta = number(value)?,
            ("lead_stems", _) => config.lead_stems = Some(number(value)? as usize),
            ("mu", Scoring::Dirichlet { mu }) => *mu = number(value)?,
            ("surface", _) => config.surface = number(value)?,
            ("stem", _) => config.stem = number(value)?,
            ("lead", _) => config.lead = number(value)?,
            ("pair", _) => config.pair = number(value)?,
            ("coord", _) => config.coord = number(value)?,
            ("min", _) => config.min_share = number(value)?,
            ("expand", _) => config.expand = number(value)?,
            ("nisba", _) => config.nisba = number(value)?,
            ("plain", _) => config.plain = number(value)?,
            ("lucene", _) => config.lucene = number(value)?,
            ("snowball", _) => config.snowball = number(value)?,
            ("window", _) => {
                let (weight, size) = value
                    .split_once('/')
                    .with_context(|| format!("configuration {text:?}: window=WEIGHT/WORDS"))?;
                config.window = Some((number(weight)?, number(size)? as usize));
            }
            _ => bail!("configuration {text:?}: unknown {key:?}"),
        }
    }
    config.scoring = scoring;
    Ok(config)
}

/// One field: each document's term ids in order, and each term's postings (document, count).
struct Field {
    docs: Vec<Vec<u32>>,
    postings: Vec<Vec<(u32, u32)>>,
    avg_len: f64,
    total: f64,
}

/// Term ids of `text`; terms missing from `vocab` are added when `grow`, else dropped.
fn terms(
    text: &str,
    analyzer: &TextAnalyzer,
    map: fn(&str) -> String,
    vocab: &mut FxHashMap<String, u32>,
    grow: bool,
) -> Vec<u32> {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut ids = Vec::new();
    while let Some(token) = stream.next() {
        let key = map(&token.text);
        let next = vocab.len() as u32;
        match vocab.get(&key) {
            Some(&id) => ids.push(id),
            None if grow => {
                vocab.insert(key, next);
                ids.push(next);
            }
            None => {}
        }
    }
    ids
}

fn field(
    texts: &[&str],
    analyzer: &TextAnalyzer,
    map: fn(&str) -> String,
    vocab: &mut FxHashMap<String, u32>,
) -> Field {
    let docs: Vec<Vec<u32>> = texts.iter().map(|t| terms(t, analyzer, map, vocab, true)).collect();
    Field::new(docs, vocab.len())
}

impl Field {
    /// The field of these documents' term ids, of a vocabulary of `terms` ids.
    fn new(docs: Vec<Vec<u32>>, terms: usize) -> Self {
        let mut postings: Vec<Vec<(u32, u32)>> = vec![Vec::new(); terms];
        let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
        for (d, ids) in docs.iter().enumerate() {
            counts.clear();
            for &t in ids {
                *counts.entry(t).or_default() += 1;
            }
            let mut sorted: Vec<(u32, u32)> = counts.iter().map(|(&t, &c)| (t, c)).collect();
            sorted.sort_unstable();
            for (t, c) in sorted {
                postings[t as usize].push((d as u32, c));
            }
        }
        let total: f64 = docs.iter().map(|d| d.len() as f64).sum();
        let avg_len = total / docs.len().max(1) as f64;
        Field {
            docs,
            postings,
            avg_len,
            total,
        }
    }
}

fn bm25_idf(n_docs: usize, df: usize) -> f64 {
    let (n, df) = (n_docs as f64, df as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Adds `weight` times the field's score of each query term (repeated terms count again, as
/// in the tantivy query of one clause per word).
fn score_field(field: &Field, query: &[u32], scoring: Scoring, weight: f64, scores: &mut [f64]) {
    let n_docs = scores.len();
    let mut matched_terms = 0.0;
    for &t in query {
        let Some(postings) = field.postings.get(t as usize).filter(|p| !p.is_empty()) else {
            continue;
        };
        matched_terms += 1.0;
        match scoring {
            Scoring::Bm25 { k1, b, delta } => {
                let idf = bm25_idf(n_docs, postings.len());
                for &(d, tf) in postings {
                    let (tf, len) = (f64::from(tf), field.docs[d as usize].len() as f64);
                    let saturated = tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * len / field.avg_len));
                    scores[d as usize] += weight * idf * (saturated + delta);
                }
            }
            Scoring::Dirichlet { mu } => {
                let collection: f64 = postings.iter().map(|&(_, tf)| f64::from(tf)).sum();
                let p = collection / field.total;
                for &(d, tf) in postings {
                    scores[d as usize] += weight * (1.0 + f64::from(tf) / (mu * p)).ln();
                }
            }
        }
    }
    // Query likelihood's share that does not depend on the term: log(mu / (len + mu)) for
    // each query term, in every document.
    if let Scoring::Dirichlet { mu } = scoring {
        for (d, score) in scores.iter_mut().enumerate() {
            *score += weight * matched_terms * (mu / (field.docs[d].len() as f64 + mu)).ln();
        }
    }
}

/// BM25 of each pair of adjacent query stems, counted where the body has them adjacent.
fn pair_bonus(field: &Field, query: &[u32], weight: f64, scores: &mut [f64]) {
    for pair in query.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a == b {
            continue;
        }
        let (pa, pb) = (&field.postings[a as usize], &field.postings[b as usize]);
        let rarer = if pa.len() < pb.len() { pa } else { pb };
        let hits: Vec<(u32, u32)> = rarer
            .iter()
            .filter_map(|&(d, _)| {
                let count = field.docs[d as usize]
                    .windows(2)
                    .filter(|w| w[0] == a && w[1] == b)
                    .count();
                (count > 0).then_some((d, count as u32))
            })
            .collect();
        let idf = bm25_idf(scores.len(), hits.len());
        for (d, count) in hits {
            let tf = f64::from(count);
            scores[d as usize] += weight * idf * tf * 2.2 / (tf + 1.2);
        }
    }
}

fn distinct(query: &[u32]) -> Vec<u32> {
    let mut terms = query.to_vec();
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// How many of the query's distinct stems each body holds.
fn coverage(field: &Field, query: &[u32], matched: &mut [u32]) -> usize {
    matched.iter_mut().for_each(|m| *m = 0);
    let terms = distinct(query);
    for &t in &terms {
        for &(d, _) in &field.postings[t as usize] {
            matched[d as usize] += 1;
        }
    }
    terms.len()
}

/// The top 50, each times `1 + weight * c`, c the largest share of the query's distinct stems
/// within `size` words of each other.
fn rerank_window(field: &Field, query: &[u32], (weight, size): (f64, usize), scores: &mut [f64]) {
    let terms = distinct(query);
    if terms.is_empty() || size == 0 {
        return;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let k = 50.min(order.len());
    order.select_nth_unstable_by(k - 1, |&a, &b| scores[b].total_cmp(&scores[a]));
    let mut counts = vec![0u32; terms.len()];
    for &d in &order[..k] {
        let body = &field.docs[d];
        counts.iter_mut().for_each(|c| *c = 0);
        let (mut present, mut best) = (0u32, 0u32);
        for (i, t) in body.iter().enumerate() {
            if let Ok(q) = terms.binary_search(t) {
                counts[q] += 1;
                present += u32::from(counts[q] == 1);
            }
            if i >= size {
                if let Ok(q) = terms.binary_search(&body[i - size]) {
                    counts[q] -= 1;
                    present -= u32::from(counts[q] == 0);
                }
            }
            best = best.max(present);
        }
        scores[d] *= 1.0 + weight * f64::from(best) / terms.len() as f64;
    }
}

/// Stems that go with each title stem in the lead of the same article, learned from the
/// articles that are not queries: at most [`EXPANSION_TOP`] per stem, weighted by
/// P(lead stem | title stem) · log(lift), for lifts above 2.
fn learn_expansions(
    titles: &[Vec<u32>],
    stems: &Field,
    excluded: &FxHashSet<usize>,
) -> FxHashMap<u32, Vec<(u32, f64)>> {
    let (mut title_count, mut lead_count) = (FxHashMap::<u32, u32>::default(), FxHashMap::<u32, u32>::default());
    let mut pairs: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut trained = 0u32;
    for (d, title) in titles.iter().enumerate() {
        if excluded.contains(&d) || title.is_empty() {
            continue;
        }
        trained += 1;
        let lead = distinct(&stems.docs[d][..stems.docs[d].len().min(EXPANSION_LEAD)]);
        for &v in &lead {
            *lead_count.entry(v).or_default() += 1;
        }
        for &t in &distinct(title) {
            *title_count.entry(t).or_default() += 1;
            for &v in lead.iter().filter(|&&v| v != t) {
                *pairs.entry((t, v)).or_default() += 1;
            }
        }
    }
    let mut expansions: FxHashMap<u32, Vec<(u32, f64)>> = FxHashMap::default();
    for (&(t, v), &count) in pairs.iter().filter(|(_, &c)| c >= EXPANSION_MIN_PAIRS) {
        let given = f64::from(count) / f64::from(title_count[&t]);
        let lift = given / (f64::from(lead_count[&v]) / f64::from(trained));
        if lift > 2.0 {
            expansions.entry(t).or_default().push((v, given * lift.ln()));
        }
    }
    for list in expansions.values_mut() {
        list.sort_by(|a, b| b.1.total_cmp(&a.1));
        list.truncate(EXPANSION_TOP);
    }
    expansions
}

fn nisba_key(stem: &str) -> String {
    let chars: Vec<char> = stem.chars().collect();
    match chars.last() {
        Some('ي' | 'ا') if chars.len() >= 4 => chars[..chars.len() - 1].iter().collect(),
        _ => stem.to_string(),
    }
}

fn same(text: &str) -> String {
    text.to_string()
}

/// Everything the configurations score with, built once.
/// One query: the target article, and the title's term ids in each field's vocabulary.
struct Query {
    target: usize,
    surface: Vec<u32>,
    stem: Vec<u32>,
    nisba: Vec<u32>,
    plain: Vec<u32>,
    lucene: Vec<u32>,
    snowball: Vec<u32>,
}

struct Lab<'a> {
    articles: &'a [CorpusArticle],
    surface: Field,
    stem: Field,
    lead: Field,
    nisba: Field,
    plain: Field,
    lucene: Field,
    snowball: Field,
    queries: Vec<Query>,
    expansions: FxHashMap<u32, Vec<(u32, f64)>>,
    stem_sets: Vec<FxHashSet<u32>>,
}

impl Lab<'_> {
    /// A field of each body's first `n` stems.
    fn prefix_field(&self, n: usize) -> Field {
        let docs = self.stem.docs.iter().map(|d| d[..d.len().min(n)].to_vec()).collect();
        Field::new(docs, self.stem.postings.len())
    }

    fn scores(&self, config: &Config, lead: &Field, query: &Query, scores: &mut [f64], matched: &mut [u32]) {
        let stem = &query.stem;
        scores.iter_mut().for_each(|s| *s = 0.0);
        for (field, terms, weight) in [
            (&self.surface, &query.surface, config.surface),
            (&self.stem, stem, config.stem),
            (lead, stem, config.lead),
            (&self.nisba, &query.nisba, config.nisba),
            (&self.plain, &query.plain, config.plain),
            (&self.lucene, &query.lucene, config.lucene),
            (&self.snowball, &query.snowball, config.snowball),
        ] {
            if weight != 0.0 {
                score_field(field, terms, config.scoring, weight, scores);
            }
        }
        if config.pair != 0.0 {
            pair_bonus(&self.stem, stem, config.pair, scores);
        }
        if config.expand != 0.0 {
            let mut added: FxHashMap<u32, f64> = FxHashMap::default();
            for t in stem {
                for &(v, w) in self.expansions.get(t).map(Vec::as_slice).unwrap_or_default() {
                    if !stem.contains(&v) {
                        let best = added.entry(v).or_default();
                        *best = best.max(w);
                    }
                }
            }
            for (v, w) in added {
                score_field(&self.stem, &[v], config.scoring, config.expand * w.min(1.0), scores);
            }
        }
        if config.coord != 0.0 || config.min_share > 0.0 {
            let total = coverage(&self.stem, stem, matched).max(1) as f64;
            for (score, &m) in scores.iter_mut().zip(matched.iter()) {
                let share = f64::from(m) / total;
                if config.min_share > 0.0 && share >= config.min_share - 1e-9 {
                    *score += 1e6;
                }
                if config.coord != 0.0 {
                    *score *= share.powf(config.coord);
                }
            }
        }
        if let Some(window) = config.window {
            rerank_window(&self.stem, stem, window, scores);
        }
    }

    fn jaccard(&self, a: usize, b: usize) -> f64 {
        let (x, y) = (&self.stem_sets[a], &self.stem_sets[b]);
        let shared = x.intersection(y).count();
        shared as f64 / (x.len() + y.len() - shared).max(1) as f64
    }

    /// MRR@10, Recall@10, and MRR@10 where near-copies of the target (bodies of stem-set
    /// Jaccard ≥ [`NEAR_COPY`]) ranked above it are not counted against it.
    fn evaluate(&self, config: &Config) -> (f64, f64, f64) {
        let n = self.articles.len();
        let (mut scores, mut matched) = (vec![0.0; n], vec![0u32; n]);
        let (mut rr, mut found, mut rr_copies) = (0.0, 0usize, 0.0);
        let custom = config.lead_stems.map(|n| self.prefix_field(n));
        let lead = custom.as_ref().unwrap_or(&self.lead);
        for query in &self.queries {
            let target = query.target;
            self.scores(config, lead, query, &mut scores, &mut matched);
            let own = scores[target];
            // A tie ranks the lower document id first, as tantivy's top-k does.
            let mut above: Vec<usize> = (0..n)
                .filter(|&d| scores[d] > own || (scores[d] == own && d < target))
                .collect();
            if above.len() < 10 {
                rr += 1.0 / (above.len() + 1) as f64;
                found += 1;
            }
            let by_score = |a: &usize, b: &usize| scores[*b].total_cmp(&scores[*a]);
            if above.len() > 100 {
                // Only the best matter unless near-copies fill them: sort those first.
                above.select_nth_unstable_by(99, by_score);
                above[..100].sort_by(by_score);
                if above[..100]
                    .iter()
                    .filter(|&&d| self.jaccard(target, d) < NEAR_COPY)
                    .count()
                    < 10
                {
                    above.sort_by(by_score);
                }
            } else {
                above.sort_by(by_score);
            }
            let others = above
                .iter()
                .filter(|&&d| self.jaccard(target, d) < NEAR_COPY)
                .take(10)
                .count();
            if others < 10 {
                rr_copies += 1.0 / (others + 1) as f64;
            }
        }
        let q = self.queries.len().max(1) as f64;
        (rr / q, found as f64 / q, rr_copies / q)
    }
}

pub fn run(shared: &Path, n_queries: usize, sample: Sample, configs: &[String]) -> Result<()> {
    let parsed: Vec<(String, Config)> = if configs.is_empty() {
        DEFAULT_CONFIGS
            .iter()
            .map(|c| Ok((c.to_string(), parse(c)?)))
            .collect::<Result<_>>()?
    } else {
        configs
            .iter()
            .map(|c| Ok((c.clone(), parse(c)?)))
            .collect::<Result<_>>()?
    };
    let articles = corpus::read(shared)?;
    let targets = sample_queries(&articles, n_queries, sample);
    let started = std::time::Instant::now();
    let analyzer = Analyzer::default();
    let surface = TextAnalyzer::from(ArabicTokenizer::new(analyzer.clone(), TermForm::Surface));
    let stem = TextAnalyzer::from(ArabicTokenizer::new(analyzer, TermForm::Stem));
    let bodies: Vec<&str> = articles.iter().map(|a| a.content.as_str()).collect();
    let leads: Vec<&str> = articles.iter().map(|a| akhbar_store::lead(&a.content)).collect();
    let (mut surface_vocab, mut stem_vocab, mut nisba_vocab) = Default::default();
    let surface_field = field(&bodies, &surface, same, &mut surface_vocab);
    let stem_field = field(&bodies, &stem, same, &mut stem_vocab);
    // The lead's words are the body's first words: it shares the body's vocabulary.
    let mut lead_vocab = stem_vocab.clone();
    let lead_field = field(&leads, &stem, same, &mut lead_vocab);
    let nisba_field = field(&bodies, &stem, nisba_key, &mut nisba_vocab);
    let (plain, lucene, snowball) = (baselines::plain(), baselines::lucene(), baselines::snowball());
    let (mut plain_vocab, mut lucene_vocab, mut snowball_vocab) = Default::default();
    let plain_field = field(&bodies, &plain, same, &mut plain_vocab);
    let lucene_field = field(&bodies, &lucene, same, &mut lucene_vocab);
    let snowball_field = field(&bodies, &snowball, same, &mut snowball_vocab);
    let queries = targets
        .iter()
        .map(|&target| {
            let title = &articles[target].title;
            Query {
                target,
                surface: terms(title, &surface, same, &mut surface_vocab, false),
                stem: terms(title, &stem, same, &mut stem_vocab, false),
                nisba: terms(title, &stem, nisba_key, &mut nisba_vocab, false),
                plain: terms(title, &plain, same, &mut plain_vocab, false),
                lucene: terms(title, &lucene, same, &mut lucene_vocab, false),
                snowball: terms(title, &snowball, same, &mut snowball_vocab, false),
            }
        })
        .collect();
    let titles: Vec<Vec<u32>> = articles
        .iter()
        .map(|a| terms(&a.title, &stem, same, &mut stem_vocab, false))
        .collect();
    let excluded: FxHashSet<usize> = targets.iter().copied().collect();
    let expansions = learn_expansions(&titles, &stem_field, &excluded);
    let stem_sets = stem_field.docs.iter().map(|d| d.iter().copied().collect()).collect();
    let lab = Lab {
        articles: &articles,
        surface: surface_field,
        stem: stem_field,
        lead: lead_field,
        nisba: nisba_field,
        plain: plain_field,
        lucene: lucene_field,
        snowball: snowball_field,
        queries,
        expansions,
        stem_sets,
    };
    println!("| configuration | MRR@10 | Recall@10 | MRR@10, near-copies not counted |");
    println!("|---|---|---|---|");
    for (text, config) in &parsed {
        let (mrr, recall, mrr_copies) = lab.evaluate(config);
        println!("| {text} | {mrr:.4} | {recall:.4} | {mrr_copies:.4} |");
    }
    println!(
        "\n{} queries ({sample:?} sample), {} articles, {:.1} s in all",
        lab.queries.len(),
        articles.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configurations_parse_and_bad_ones_are_named() {
        for text in DEFAULT_CONFIGS {
            assert!(parse(text).is_ok(), "{text}");
        }
        let config = parse("lm mu=300 stem=1 window=0.5/40 conjunctive lead_stems=9").expect("parses");
        assert_eq!(config.lead_stems, Some(9));
        assert!(matches!(config.scoring, Scoring::Dirichlet { mu } if mu == 300.0));
        assert_eq!(config.window, Some((0.5, 40)));
        assert_eq!(config.min_share, 1.0);
        for (bad, says) in [
            ("tfidf stem=1", "begins with"),
            ("bm25 stem", "key=value"),
            ("bm25 mu=3", "unknown"),
            ("bm25 stem=x", "stem=x"),
            ("bm25 window=3", "WEIGHT/WORDS"),
        ] {
            let error = format!("{:#}", parse(bad).expect_err(bad));
            assert!(error.contains(says), "{bad}: {error}");
        }
    }

    #[test]
    fn bm25_ranks_the_rarer_and_denser_match_first() {
        let mut vocab = FxHashMap::default();
        let plain = tantivy::tokenizer::TextAnalyzer::from(tantivy::tokenizer::SimpleTokenizer::default());
        let bodies = ["a b c d", "a a x y", "x y z w", "b q r s"];
        let f = field(&bodies, &plain, same, &mut vocab);
        let query = terms("a b", &plain, same, &mut vocab, false);
        let mut scores = vec![0.0; bodies.len()];
        score_field(
            &f,
            &query,
            Scoring::Bm25 {
                k1: 1.2,
                b: 0.75,
                delta: 0.0,
            },
            1.0,
            &mut scores,
        );
        assert!(
            scores[0] > scores[1] && scores[1] > scores[3] && scores[3] > scores[2],
            "{scores:?}"
        );
        assert_eq!(scores[2], 0.0);
        let mut matched = vec![0; bodies.len()];
        assert_eq!(coverage(&f, &query, &mut matched), 2);
        assert_eq!(matched, [2, 1, 0, 1]);
    }

    #[test]
    fn nisba_keys_meet_and_short_stems_stay() {
        assert_eq!(nisba_key("هولندي"), nisba_key("هولندا"));
        assert_eq!(nisba_key("مصر"), "مصر");
        assert_eq!(nisba_key("علي"), "علي");
    }
}
