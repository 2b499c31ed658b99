//! `akhbar-eval`: evaluations and benchmarks over the data in `../shared` (see DATA.md).
//!
//! Each command prints its figures as a small markdown table. When the shared data is not
//! there (a user's machine), commands print `skipped: … not found` and exit 0.

mod baselines;
mod bench;
mod cluster_search;
mod clusters;
mod corpus;
mod extraction;
mod http_load;
mod ingest_baseline;
mod links;
mod ner;
mod rank_lab;
mod retrieval;
mod rising;
mod segmentation;
mod speed;
mod stories;
mod stories_pairs;
mod stories_real;
mod tagging;
mod train;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "akhbar-eval", about = "Evaluate akhbar on the shared data")]
struct Cli {
    /// The shared data folder (DATA.md describes it).
    #[arg(long, env = "AKHBAR_SHARED", default_value = "../shared", global = true)]
    shared: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Learn the clitic segmenter's model from the news corpus and write it.
    TrainSegmenter {
        /// Where to write the model.
        #[arg(long, default_value = "crates/arabic/data/segmenter.tsv")]
        out: PathBuf,
        /// Train on words seen at least this often.
        #[arg(long, default_value_t = 1)]
        min_word_count: u64,
        /// Sharpening rounds (re-count each word under its chosen stem).
        #[arg(long, default_value_t = 2)]
        rounds: usize,
        /// Evidence added to every stem (smoothing).
        #[arg(long, default_value_t = 0.5)]
        smoothing: f32,
    },
    /// Clitic segmentation against UD Arabic-PUD: token-exact accuracy and boundary F1.
    Segmentation {
        /// Print the first N errors.
        #[arg(long, default_value_t = 0)]
        errors: usize,
        /// Read the model from this file instead of the embedded one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Override the model's smoothing.
        #[arg(long)]
        smoothing: Option<f32>,
    },
    /// Known-item retrieval on the news corpus: MRR@10 and Recall@10 per analyzer.
    Retrieval {
        /// Number of title queries.
        #[arg(long, default_value_t = 2000)]
        queries: usize,
        /// Only the analyzers whose name contains this text.
        #[arg(long)]
        only: Option<String>,
        /// Take the first qualifying articles in file order instead of a hashed sample (the
        /// file is sorted by outlet: these are all Asharq Al-Awsat's).
        #[arg(long, conflicts_with = "stride")]
        first: bool,
        /// Take every k-th qualifying article in file order instead of a hashed sample (a
        /// second mixed-outlet sample).
        #[arg(long)]
        stride: bool,
    },
    /// The retrieval task scored by an in-memory index, to compare ranking functions in about
    /// a second each (configurations: crates/eval/src/rank_lab.rs).
    RankLab {
        /// Number of title queries.
        #[arg(long, default_value_t = 2000)]
        queries: usize,
        /// A configuration, e.g. "bm25 k1=1.2 b=0.75 surface=0.3 stem=1 lead=0.5 coord=0.5";
        /// repeatable. Without any, a set comparing each idea with the store's fields.
        #[arg(long)]
        config: Vec<String>,
        /// The first qualifying articles in file order (one outlet).
        #[arg(long, conflicts_with = "stride")]
        first: bool,
        /// Every k-th qualifying article in file order.
        #[arg(long)]
        stride: bool,
    },
    /// Whole-corpus analysis throughput on one core.
    Speed {
        /// Time only akhbar's analyzer (for profiling).
        #[arg(long)]
        akhbar_only: bool,
        /// Passes over the corpus; the median is reported.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// The entity tagger's speed on one core (tokens/s) over corpus articles, next to the plain
    /// way of decoding the same models, with a check that both give the same tags
    Tagging {
        /// Corpus articles to tag (title and text), from the first.
        #[arg(long, default_value_t = 3000)]
        articles: usize,
        /// Passes over the articles; the median is reported.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// How long what is rising takes to answer on a store (`Store::rising`, which the page
    /// and `/api/rising` run), at hours spread across its archive.
    Rising {
        /// The store.
        #[arg(long)]
        data: PathBuf,
        /// Hours to time.
        #[arg(long, default_value_t = 100)]
        hours: usize,
    },
    /// A search over a cluster's shards against one store holding the same articles: the
    /// top 10 ids and scores of title queries, and the time of each (bench/cluster.sh).
    ClusterSearch {
        /// The one store.
        #[arg(long)]
        data: PathBuf,
        /// The cluster's NATS servers.
        #[arg(long)]
        nats: String,
        /// Title queries (every k-th article's, so every outlet).
        #[arg(long, default_value_t = 300)]
        queries: usize,
    },
    /// Train the entity tagger on ANERcorp's first 5/6 and write the model.
    TrainNer {
        /// Where to write the first-pass model.
        #[arg(long, default_value = "crates/entities/data/ner.model.gz")]
        out: PathBuf,
        /// Where to write the second-pass (document) model.
        #[arg(long, default_value = "crates/entities/data/ner-document.model.gz")]
        document_out: PathBuf,
        /// Blocks of the training part for the jackknifed first-pass tags the second pass
        /// learns from.
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Added cost of an `O` tag in the second pass (more recall, less precision).
        #[arg(long, default_value_t = 0.0)]
        outside_penalty: f32,
        /// Passes over the training sentences.
        #[arg(long, default_value_t = 10)]
        epochs: usize,
        /// Hold out the last tenth of the training part and report its F1 after each epoch.
        #[arg(long)]
        dev: bool,
        /// With `--dev`, which tenth of the training part to hold out (0–9; 9 is the last),
        /// for cross-validating a change on the training part alone.
        #[arg(long, default_value_t = 9, requires = "dev", value_parser = clap::value_parser!(u8).range(0..=9))]
        dev_block: u8,
        /// With `--dev`, list the held-out part's missed (`-`) and spurious (`+`) spans.
        #[arg(long, requires = "dev")]
        errors: bool,
        /// Drop features whose averaged weights are all smaller than this.
        #[arg(long, default_value_t = 0.05)]
        min_weight: f32,
        /// Share of tokens whose word-identity features are hidden in each pass.
        #[arg(long, default_value_t = 0.3)]
        dropout: f64,
    },
    /// Learn word classes from the news corpus for the entity tagger and write them.
    TrainClusters {
        /// Where to write the classes.
        #[arg(long, default_value = "crates/entities/data/clusters.tsv.gz")]
        out: PathBuf,
        /// Number of fine classes.
        #[arg(long, default_value_t = 300)]
        fine: usize,
        /// Number of coarse classes.
        #[arg(long, default_value_t = 50)]
        coarse: usize,
        /// k-means iterations.
        #[arg(long, default_value_t = 15)]
        iterations: usize,
    },
    /// Entity tagging on ANERcorp's test part and on AQMAR: exact-span F1 per type.
    Ner {
        /// Read the first-pass model from this file instead of the embedded ones.
        #[arg(long)]
        model: Option<PathBuf>,
        /// With --model: the second-pass model (without it, the first pass's tags are final).
        #[arg(long, requires = "model")]
        document_model: Option<PathBuf>,
        /// Also tag gazetteer names the tagger missed.
        #[arg(long)]
        fill: bool,
        /// Print every missed (`-`) and spurious (`+`) span of the ANERcorp test part.
        #[arg(long)]
        errors: bool,
    },
    /// Document frequencies of stems in the news corpus, for story similarity.
    TrainIdf {
        /// Where to write them.
        #[arg(long, default_value = "crates/stories/data/idf.tsv.gz")]
        out: PathBuf,
        /// Stems kept (most frequent first).
        #[arg(long, default_value_t = 80_000)]
        keep: usize,
    },
    /// Copies and story clusters against the labeled set, and whole-corpus clustering time.
    Stories {
        /// Shingle containment from which two articles are copies.
        #[arg(long)]
        copy_containment: Option<f32>,
        /// Weights of the story score over the defaults, e.g. "text=5 bias=-5"
        /// (crates/stories/src/assign.rs).
        #[arg(long)]
        weights: Option<String>,
        /// Title similarity that lets a lower containment count as a copy (1.1 turns it off).
        #[arg(long)]
        reworded_title: Option<f32>,
        /// Print the scores for a range of thresholds too.
        #[arg(long)]
        sweep: bool,
        /// Print the copy pairs predicted and gold disagree on.
        #[arg(long)]
        errors: bool,
        /// Score the stories of a store holding the whole corpus against the events judged
        /// by reading (crates/eval/data/stories-real.md) instead.
        #[arg(long)]
        real: bool,
        /// With --real: the store (`akhbar --data DIR ingest ../shared/corpus/saudinewsnet.jsonl.gz`).
        #[arg(long, requires = "real", default_value = "akhbar-data")]
        data: PathBuf,
        /// With --real: cluster the store's stories again first, with these options
        /// (changes the store).
        #[arg(long, requires = "real")]
        recompute: bool,
        /// With --real: the sample's seed.
        #[arg(long, requires = "real", default_value_t = 1)]
        seed: u64,
        /// With --real: write the sampled members and anchors not judged yet to this folder.
        #[arg(long, requires = "real")]
        packets: Option<PathBuf>,
        /// With --real: write what the clustering could compare for judged pairs to this
        /// file instead (a table for choosing rules).
        #[arg(long, requires = "real")]
        pairs: Option<PathBuf>,
    },
    /// Entity links as a reader meets them: sampled mentions of a store's most-mentioned
    /// entities against judgments made by reading (crates/eval/data/links.md).
    Links {
        /// The store (`akhbar --data DIR ingest ../shared/corpus/saudinewsnet.jsonl.gz`).
        #[arg(long, default_value = "akhbar-data")]
        data: PathBuf,
        /// The sample's seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How many of the most-mentioned entities.
        #[arg(long, default_value_t = 150)]
        top: usize,
        /// Mentions sampled per entity.
        #[arg(long, default_value_t = 4)]
        per_entity: usize,
        /// Write the sampled links not judged yet to this file.
        #[arg(long)]
        packets: Option<PathBuf>,
        /// List the links judged wrong in this sample, then every link judged wrong in any
        /// sample that the store still makes.
        #[arg(long)]
        list_wrong: bool,
    },
    /// Main-text extraction scored as the Scrapinghub benchmark scores it: the Arabic test
    /// pages and the benchmark's 181 pages (precision, recall, F1, the worst pages, pages/s).
    Extraction {
        /// The Arabic pages written for the project.
        #[arg(long, default_value = "crates/extract/testdata/pages")]
        pages: PathBuf,
        /// How many of the worst pages to list.
        #[arg(long, default_value_t = 10)]
        worst: usize,
        /// Write each benchmark page's extracted text here (`KEY.txt`, scores on line one).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Search requests per second and latency through HTTP against a running `akhbar serve`.
    HttpLoad {
        /// The server.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
        /// How long to run.
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Connections in parallel.
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
    },
    /// The benchmark report: analysis, ingest, index size, queries in process and through
    /// HTTP, peak memory, each next to bare tantivy measured in the same run.
    Bench {
        /// The archive (.jsonl or .jsonl.gz); the shared corpus by default.
        #[arg(long)]
        corpus: Option<PathBuf>,
        /// Where to write the markdown report.
        #[arg(long, default_value = "bench/REPORT.md")]
        report: PathBuf,
        /// Title queries to time.
        #[arg(long, default_value_t = 500)]
        queries: usize,
        /// Folder for the stores (a temporary one by default).
        #[arg(long)]
        work: Option<PathBuf>,
    },
    /// Write a scale archive: the corpus's paragraphs shuffled into new articles.
    Generate {
        /// How many articles.
        #[arg(long, default_value_t = 1_000_000)]
        articles: u64,
        /// Days they spread over from 2016-01-01, evenly (ten years by default; fewer make a
        /// denser archive, as a desk following hundreds of outlets keeps).
        #[arg(long, default_value_t = 3650)]
        days: u32,
        /// Where to write them (.jsonl).
        #[arg(long)]
        out: PathBuf,
    },
    /// Bare-tantivy ingest of a JSON Lines archive (the baseline of bench/ingest.sh).
    IngestBaseline {
        /// The archive (.jsonl.gz).
        #[arg(long)]
        corpus: PathBuf,
        /// Where to build the index (a new folder).
        #[arg(long)]
        index: PathBuf,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let needs_shared = !matches!(
        cli.command,
        Command::IngestBaseline { .. }
            | Command::Bench { corpus: Some(_), .. }
            | Command::Extraction { .. }
            | Command::Rising { .. }
    );
    if needs_shared && !cli.shared.is_dir() {
        println!(
            "skipped: {} not found (the evaluations need the shared data)",
            cli.shared.display()
        );
        return Ok(());
    }
    match cli.command {
        Command::TrainSegmenter {
            out,
            min_word_count,
            smoothing,
            rounds,
        } => train::run(&cli.shared, &out, min_word_count, smoothing, rounds),
        Command::Segmentation {
            errors,
            model,
            smoothing,
        } => segmentation::run(&cli.shared, errors, smoothing, model.as_deref()),
        Command::Retrieval {
            queries,
            only,
            first,
            stride,
        } => retrieval::run(
            &cli.shared,
            queries,
            only.as_deref(),
            retrieval::Sample::pick(first, stride),
        ),
        Command::RankLab {
            queries,
            config,
            first,
            stride,
        } => rank_lab::run(&cli.shared, queries, retrieval::Sample::pick(first, stride), &config),
        Command::Speed { akhbar_only, rounds } => speed::run(&cli.shared, akhbar_only, rounds),
        Command::Tagging { articles, rounds } => tagging::run(&cli.shared, articles, rounds),
        Command::Rising { data, hours } => rising::run(&data, hours),
        Command::ClusterSearch { data, nats, queries } => cluster_search::run(&data, &nats, queries),
        Command::IngestBaseline { corpus, index } => ingest_baseline::run(&corpus, &index),
        Command::Bench {
            corpus,
            report,
            queries,
            work,
        } => {
            let corpus = corpus.unwrap_or_else(|| cli.shared.join("corpus/saudinewsnet.jsonl.gz"));
            bench::run(&corpus, &report, queries, work.as_deref())
        }
        Command::Generate { articles, days, out } => bench::generate(&cli.shared, articles, days, &out),
        Command::TrainNer {
            out,
            document_out,
            folds,
            outside_penalty,
            epochs,
            dev,
            dev_block,
            errors,
            min_weight,
            dropout,
        } => ner::train(
            &cli.shared,
            &ner::TrainOptions {
                out: &out,
                document_out: &document_out,
                epochs,
                dev,
                dev_block: usize::from(dev_block),
                errors,
                min_weight,
                dropout,
                folds,
                outside_penalty,
            },
        ),
        Command::HttpLoad {
            url,
            seconds,
            concurrency,
        } => http_load::run(&cli.shared, &url, seconds, concurrency.max(1)),
        Command::TrainIdf { out, keep } => stories::train_idf(&cli.shared, &out, keep),
        Command::Stories {
            copy_containment,
            weights,
            reworded_title,
            sweep,
            errors,
            real,
            data,
            seed,
            packets,
            pairs,
            recompute,
        } => {
            if let Some(out) = pairs {
                return stories_pairs::pairs(&data, &out);
            }
            let defaults = akhbar_stories::Options::default();
            let options = akhbar_stories::Options {
                copy_containment: copy_containment.unwrap_or(defaults.copy_containment),
                weights: match weights {
                    Some(w) => akhbar_stories::Weights::parse(&w).map_err(anyhow::Error::msg)?,
                    None => defaults.weights,
                },
                reworded_title: reworded_title.unwrap_or(defaults.reworded_title),
                ..defaults
            };
            if real {
                return stories_real::run(
                    &cli.shared,
                    &stories_real::RealOptions {
                        data: &data,
                        seed,
                        packets: packets.as_deref(),
                        recompute: recompute.then_some(&options),
                    },
                );
            }
            if errors {
                stories::copy_errors(&cli.shared, &options)
            } else {
                stories::run(&cli.shared, &options, sweep)
            }
        }
        Command::Extraction { pages, worst, out } => extraction::run(&cli.shared, &pages, worst, out.as_deref()),
        Command::Links {
            data,
            seed,
            top,
            per_entity,
            packets,
            list_wrong,
        } => links::run(&links::LinkOptions {
            data: &data,
            seed,
            top,
            per_entity,
            packets: packets.as_deref(),
            list_wrong,
        }),
        Command::TrainClusters {
            out,
            fine,
            coarse,
            iterations,
        } => clusters::run(&cli.shared, &out, fine, coarse, iterations),
        Command::Ner {
            model,
            document_model,
            fill,
            errors,
        } => ner::evaluate(
            &cli.shared,
            model.as_deref().map(|m| (m, document_model.as_deref())),
            fill,
            errors,
        ),
    }
}
