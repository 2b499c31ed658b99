//! `retrieval`: known-item search on the news corpus. Only `content` is indexed; for a
//! deterministic sample of articles whose title has at least four words, the title is the
//! query and that article the one relevant result. MRR@10 and Recall@10 per analyzer, all
//! indexed and queried in this one run.

use crate::{baselines, corpus};
use akhbar_arabic::{Analyzer, ArabicTokenizer, TermForm};
use anyhow::Result;
use std::path::Path;
use std::time::Instant;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{doc, Index, TantivyDocument, Term};

/// One configuration: field tokenizers and their boosts. A field whose name starts with
/// `lead` indexes only the content's lead, as the store does ([`akhbar_store::lead`]).
struct Variant {
    name: &'static str,
    fields: Vec<(&'static str, TextAnalyzer, f32)>,
    /// Words grouped across fields and scored as the store's any-word search does
    /// ([`akhbar_store::CoordQuery`]), instead of a plain sum of every field's terms.
    coord: bool,
}

/// The lead's boost for the baseline, relative to its body as the store's.
const LEAD_BOOST: f32 = akhbar_store::BOOST_LEAD_STEM / akhbar_store::BOOST_BODY_STEM;

fn variants() -> Vec<Variant> {
    let analyzer = Analyzer::default();
    let surface = || TextAnalyzer::from(ArabicTokenizer::new(analyzer.clone(), TermForm::Surface));
    let stem = || TextAnalyzer::from(ArabicTokenizer::new(analyzer.clone(), TermForm::Stem));
    vec![
        Variant {
            coord: false,
            name: "plain tokens (tantivy default)",
            fields: vec![("plain", baselines::plain(), 1.0)],
        },
        Variant {
            coord: false,
            name: "Lucene ArabicAnalyzer (light10, re-implemented)",
            fields: vec![("lucene", baselines::lucene(), 1.0)],
        },
        Variant {
            coord: false,
            name: "Snowball Arabic (rust-stemmers)",
            fields: vec![("snowball", baselines::snowball(), 1.0)],
        },
        Variant {
            coord: false,
            name: "akhbar surface only",
            fields: vec![("surface", surface(), 1.0)],
        },
        Variant {
            coord: false,
            name: "akhbar stem only",
            fields: vec![("stem", stem(), 1.0)],
        },
        Variant {
            coord: false,
            name: "akhbar (surface 1.0 + stem 0.5)",
            fields: vec![("surface", surface(), 1.0), ("stem", stem(), 0.5)],
        },
        Variant {
            coord: false,
            name: "akhbar (surface + stem, boosts as the store's body fields before the lead)",
            fields: vec![
                ("surface", surface(), akhbar_store::BOOST_BODY),
                ("stem", stem(), akhbar_store::BOOST_BODY_STEM),
            ],
        },
        Variant {
            coord: false,
            name: "akhbar (surface + stem + lead stems, boosts as the store's body fields)",
            fields: vec![
                ("surface", surface(), akhbar_store::BOOST_BODY),
                ("stem", stem(), akhbar_store::BOOST_BODY_STEM),
                ("lead_stem", stem(), akhbar_store::BOOST_LEAD_STEM),
            ],
        },
        Variant {
            coord: true,
            name: "akhbar (surface + stem + lead stems), any word as the store's fallback (coord)",
            fields: vec![
                ("surface", surface(), akhbar_store::BOOST_BODY),
                ("stem", stem(), akhbar_store::BOOST_BODY_STEM),
                ("lead_stem", stem(), akhbar_store::BOOST_LEAD_STEM),
            ],
        },
        Variant {
            coord: false,
            name: "Snowball Arabic + lead",
            fields: vec![
                ("snowball", baselines::snowball(), 1.0),
                ("lead_snowball", baselines::snowball(), LEAD_BOOST),
            ],
        },
    ]
}

/// A query's clauses.
type Clauses = Vec<(Occur, Box<dyn Query>)>;

/// A stable 64-bit hash (FNV-1a), so the sample is the same on every machine.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Which qualifying articles give the queries.
#[derive(Debug, Clone, Copy)]
pub enum Sample {
    /// The first `n` by a stable hash of their id: every outlet, in proportion.
    Hashed,
    /// The first `n` in file order (one outlet: the file is sorted by outlet).
    First,
    /// Every k-th in file order, evenly over the file (every outlet, in proportion).
    Stride,
}

impl Sample {
    /// The sample the command-line flags name (hashed unless one is given).
    pub fn pick(first: bool, stride: bool) -> Self {
        match (first, stride) {
            (true, _) => Self::First,
            (_, true) => Self::Stride,
            _ => Self::Hashed,
        }
    }
}

/// The articles whose titles are the queries: titles of at least four words, content not
/// empty, `n_queries` of them picked as `sample` says.
pub fn sample_queries(articles: &[corpus::CorpusArticle], n_queries: usize, sample: Sample) -> Vec<usize> {
    let mut candidates: Vec<usize> = (0..articles.len())
        .filter(|&i| articles[i].title.split_whitespace().count() >= 4 && !articles[i].content.trim().is_empty())
        .collect();
    match sample {
        Sample::Hashed => candidates.sort_by_key(|&i| fnv(&articles[i].id)),
        Sample::First => {}
        Sample::Stride => {
            let (total, n) = (candidates.len(), n_queries.min(candidates.len()));
            candidates = (0..n).map(|k| candidates[k * total / n]).collect();
        }
    }
    candidates.truncate(n_queries);
    candidates
}

pub fn run(shared: &Path, n_queries: usize, only: Option<&str>, sample: Sample) -> Result<()> {
    let articles = corpus::read(shared)?;
    let candidates = sample_queries(&articles, n_queries, sample);
    // The corpus holds identical copies of some articles (same content, other outlet); with
    // content-only indexing they tie with the target, so a second figure counts a copy with
    // exactly the target's content as the target.
    let content_of: std::collections::HashMap<&str, &str> =
        articles.iter().map(|a| (a.id.as_str(), a.content.trim())).collect();
    println!("| analyzer | MRR@10 | Recall@10 | MRR@10, identical copies count | index time | search time per query |");
    println!("|---|---|---|---|---|---|");
    for variant in variants()
        .into_iter()
        .filter(|v| only.is_none_or(|o| v.name.contains(o)))
    {
        let started = Instant::now();
        let mut builder = Schema::builder();
        let id_field = builder.add_text_field("id", STRING | STORED);
        let fields: Vec<(Field, f32)> = variant
            .fields
            .iter()
            .map(|(name, _, boost)| {
                let options = TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(name)
                        .set_index_option(IndexRecordOption::WithFreqs),
                );
                (builder.add_text_field(name, options), *boost)
            })
            .collect();
        let index = Index::create_in_ram(builder.build());
        for (name, analyzer, _) in &variant.fields {
            index.tokenizers().register(name, analyzer.clone());
        }
        // One indexing thread: the same segment layout on every run, so ties between identical
        // copies of an article break the same way and the figures are reproducible.
        let mut writer = index.writer_with_num_threads(1, 512 * 1024 * 1024)?;
        for article in &articles {
            let mut document = doc!(id_field => article.id.as_str());
            let lead = akhbar_store::lead(&article.content);
            for ((field, _), (name, _, _)) in fields.iter().zip(&variant.fields) {
                let text = if name.starts_with("lead") {
                    lead
                } else {
                    article.content.as_str()
                };
                document.add_text(*field, text);
            }
            writer.add_document(document)?;
        }
        writer.commit()?;
        let index_time = started.elapsed();
        let searcher = index.reader()?.searcher();
        let mut search_time = std::time::Duration::ZERO;
        let (mut reciprocal_ranks, mut found, mut reciprocal_ranks_copies) = (0.0, 0usize, 0.0);
        for &i in &candidates {
            // Each field's terms, by the position of the word they come from.
            let mut words: std::collections::BTreeMap<usize, Clauses> = Default::default();
            for ((field, boost), (_, analyzer, _)) in fields.iter().zip(&variant.fields) {
                let mut analyzer = analyzer.clone();
                let mut stream = analyzer.token_stream(&articles[i].title);
                while let Some(token) = stream.next() {
                    let term = TermQuery::new(Term::from_field_text(*field, &token.text), IndexRecordOption::WithFreqs);
                    let clause: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(term), *boost));
                    words.entry(token.position).or_default().push((Occur::Should, clause));
                }
            }
            let query: Box<dyn Query> = if variant.coord {
                let words = words
                    .into_values()
                    .map(|w| Box::new(BooleanQuery::new(w)) as Box<dyn Query>);
                Box::new(akhbar_store::CoordQuery::new(words.collect()))
            } else {
                Box::new(BooleanQuery::new(words.into_values().flatten().collect()))
            };
            let searched = Instant::now();
            let top = searcher.search(&*query, &TopDocs::with_limit(10).order_by_score())?;
            search_time += searched.elapsed();
            let target_content = articles[i].content.trim();
            let mut copy_counted = false;
            for (rank, (_, address)) in top.iter().enumerate() {
                let document: TantivyDocument = searcher.doc(*address)?;
                let id = document
                    .get_first(id_field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default();
                if !copy_counted && content_of.get(id) == Some(&target_content) {
                    reciprocal_ranks_copies += 1.0 / (rank + 1) as f64;
                    copy_counted = true;
                }
                if id == articles[i].id {
                    reciprocal_ranks += 1.0 / (rank + 1) as f64;
                    found += 1;
                    break;
                }
            }
        }
        let n = candidates.len().max(1) as f64;
        println!(
            "| {} | {:.4} | {:.4} | {:.4} | {:.1} s | {:.2} ms |",
            variant.name,
            reciprocal_ranks / n,
            found as f64 / n,
            reciprocal_ranks_copies / n,
            index_time.as_secs_f64(),
            search_time.as_secs_f64() * 1000.0 / n
        );
    }
    println!(
        "\n{} queries (titles of ≥ 4 words, {sample:?} sample), {} articles indexed (content only)",
        candidates.len(),
        articles.len()
    );
    Ok(())
}
