//! `akhbar entities`: the people, places and organizations of the store.

use crate::output::json_line;
use crate::Outcome;
use std::io::Write;
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// Only this type: PER, LOC, ORG or MISC.
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_kind)]
    kind: Option<akhbar_entities::Kind>,
    /// Number of entities (most mentioned first).
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// One JSON object per entity: {"id","name","type","english","romanized","mentions","articles"}.
    #[arg(long)]
    json: bool,
}

fn parse_kind(text: &str) -> Result<akhbar_entities::Kind, String> {
    akhbar_entities::Kind::parse(text).ok_or_else(|| format!("{text:?}: expected PER, LOC, ORG or MISC"))
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<Outcome> {
    let store = akhbar_store::Store::open_existing(data)?;
    let entities = store.entities(args.kind, args.limit.clamp(1, 100_000))?;
    let mut out = std::io::stdout().lock();
    for entity in &entities {
        if args.json {
            json_line(&mut out, entity)?;
        } else {
            writeln!(
                out,
                "{:>6} articles {:>7} mentions  {:<4} {:<30} {:<28} {}",
                entity.articles,
                entity.mentions,
                entity.kind.code(),
                entity.name,
                entity.english.as_deref().unwrap_or(&entity.romanized),
                entity.id
            )?;
        }
    }
    Ok(Outcome::Ok)
}
