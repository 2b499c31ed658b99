//! `akhbar`: the command line. Parses flags into a typed config, runs one command, maps the
//! outcome to an exit code (0 ok, 1 some items failed, 2 error, 130 interrupted). Everything else is in the
//! library crates; each command is a screen-long file under `cmd/`.

mod cmd;
mod output;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// akhbar — Arabic news aggregator and search engine.
#[derive(Parser)]
#[command(name = "akhbar", version, about, long_about = None)]
struct Cli {
    /// Data folder (the store). Every command that reads or writes the store uses it.
    #[arg(long, env = "AKHBAR_DATA", default_value = "./akhbar-data", global = true)]
    data: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest article files or folders: .txt, .html, .jsonl(.gz), saved feeds.
    Ingest(cmd::ingest::Args),
    /// Full-text search over titles and bodies.
    Search(cmd::search::Args),
    /// Print one stored article.
    Show(cmd::show::Args),
    /// Stories: one entry per story with every outlet that reported it, newest first.
    Stories(cmd::stories::Args),
    /// People, places and organizations named in the store, most mentioned first.
    Entities(cmd::entities::Args),
    /// What is rising: names far above their usual attention in the last 24 hours, and the
    /// stories that gained the most outlets.
    Rising(cmd::rising::Args),
    /// Counts and sizes of the store.
    Stats(cmd::stats::Args),
    /// Follow feeds: add (a feed, or a page whose feed is discovered), list, remove, OPML
    /// import and export.
    #[command(subcommand)]
    Sources(cmd::sources::Command),
    /// Fetch every due source once and ingest its new articles.
    Poll(cmd::poll::Args),
    /// Extract the article from an HTML page (file or URL): title, author, date, main text.
    Extract(cmd::extract::Args),
    /// Analyze Arabic text from standard input: tokens, segments, stems.
    Analyze(cmd::analyze::Args),
    /// Named entities in text from standard input (people, places, organizations).
    Ner(cmd::ner::Args),
    /// Readers' accounts (for reader apps through the Google Reader API): add, list.
    #[command(subcommand)]
    Users(cmd::users::Command),
    /// Serve the web reader and the JSON API, polling sources in the background.
    Serve(cmd::serve::Args),
    /// Write every stored article (or those of a source or period) as JSON lines, in ingest
    /// order: a backup or a dataset that `akhbar ingest` reads back.
    Export(cmd::export::Args),
    /// Check that the search index and the database agree, document by document.
    Check(cmd::check::Args),
    /// Rebuild the search index from the stored articles (after an analyzer upgrade).
    Reindex,
    /// Run a shard replica of a cluster: apply the shard's articles from NATS JetStream to
    /// the store in --data (ARCHITECTURE.md, "Across machines").
    Node(cmd::cluster::NodeArgs),
    /// Run a cluster worker: tag articles from the work queue and send them to their shard.
    Worker(cmd::cluster::WorkerArgs),
    /// The cluster as its members report it.
    #[command(subcommand)]
    Cluster(cmd::cluster::Command),
}

/// What a command reports back to `main`.
pub enum Outcome {
    /// Everything worked.
    Ok,
    /// Some items failed; the rest worked.
    Partial,
    /// Stopped by Ctrl-C or SIGTERM before the end; what was done is kept.
    Interrupted,
}

impl Outcome {
    /// What a batch command reports: stopped, some items failed, or everything worked.
    pub fn of_batch(interrupted: bool, failed: usize) -> Outcome {
        if interrupted {
            Outcome::Interrupted
        } else if failed == 0 {
            Outcome::Ok
        } else {
            Outcome::Partial
        }
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("AKHBAR_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest(args) => cmd::ingest::run(&cli.data, args),
        Command::Search(args) => cmd::search::run(&cli.data, args),
        Command::Show(args) => cmd::show::run(&cli.data, args),
        Command::Stats(args) => cmd::stats::run(&cli.data, args),
        Command::Entities(args) => cmd::entities::run(&cli.data, args),
        Command::Stories(args) => cmd::stories::run(&cli.data, args),
        Command::Rising(args) => cmd::rising::run(&cli.data, args),
        Command::Sources(command) => cmd::sources::run(&cli.data, command),
        Command::Poll(args) => cmd::poll::run(&cli.data, args),
        Command::Extract(args) => cmd::extract::run(args),
        Command::Analyze(args) => cmd::analyze::run(args),
        Command::Ner(args) => cmd::ner::run(args),
        Command::Users(command) => cmd::users::run(&cli.data, command),
        Command::Serve(args) => cmd::serve::run(&cli.data, args),
        Command::Export(args) => cmd::export::run(&cli.data, args),
        Command::Check(args) => cmd::check::run(&cli.data, args),
        Command::Reindex => cmd::reindex::run(&cli.data),
        Command::Node(args) => cmd::cluster::node(&cli.data, args),
        Command::Worker(args) => cmd::cluster::worker(args),
        Command::Cluster(command) => cmd::cluster::run(command),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::from(1),
        // 128 + SIGINT, as shells report an interrupted command.
        Ok(Outcome::Interrupted) => ExitCode::from(130),
        Err(error) if output::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("akhbar: {error:#}");
            ExitCode::from(2)
        }
    }
}
