//! `akhbar rising`: the names far above their usual attention in the last 24 hours, and the
//! stories that gained the most outlets.

use std::io::Write;
use std::path::Path;

use crate::Outcome;

#[derive(clap::Args)]
pub struct Args {
    /// The end of the 24 hours (RFC 3339, `2015-08-07T00:00:00Z`, or a day: its midnight);
    /// by default the hour of the latest article.
    #[arg(long, value_parser = super::search::parse_time)]
    at: Option<chrono::DateTime<chrono::Utc>>,
    /// One JSON object, as `/api/rising` answers:
    /// {"at","entities":[{"id","name","type","count","baseline","score"}],"stories":[{"id","title","sources","new_sources"}]}.
    #[arg(long)]
    json: bool,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<Outcome> {
    let store = akhbar_store::Store::open_existing(data)?;
    let rising = store.rising(args.at)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &rising)?;
        writeln!(out)?;
        return Ok(Outcome::Ok);
    }
    writeln!(out, "rising in the 24 hours to {}", rising.at)?;
    if rising.entities.is_empty() {
        writeln!(out, "  no name far above its usual attention")?;
    }
    for e in &rising.entities {
        writeln!(
            out,
            "{:>7.1}  {:>4} articles (usually {:.1})  {:<4} {}  {}",
            e.score,
            e.count,
            e.baseline,
            e.kind.code(),
            e.name,
            e.id
        )?;
    }
    writeln!(out, "\nstories that outlets joined")?;
    if rising.stories.is_empty() {
        writeln!(out, "  none joined by two outlets or more")?;
    }
    for s in &rising.stories {
        writeln!(
            out,
            "  +{} outlets ({} in all)  {}  {}",
            s.new_sources, s.sources, s.title, s.id
        )?;
    }
    Ok(Outcome::Ok)
}
