//! `akhbar analyze`: the analyzer on standard input.

use crate::output::json_line;
use crate::Outcome;
use anyhow::Context;
use std::io::{Read, Write};

#[derive(clap::Args)]
pub struct Args {
    /// One JSON object per token: {"text","start","end","norm","segments","stem","stop"}.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("reading standard input")?;
    let text = String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("standard input: invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()))?;
    let analyzer = akhbar_arabic::Analyzer::default();
    let mut out = std::io::stdout().lock();
    let tokens = analyzer.analyze(&text);
    if args.json {
        for token in &tokens {
            json_line(&mut out, token)?;
        }
        return Ok(Outcome::Ok);
    }
    writeln!(
        out,
        "{:<18} {:>6} {:>6}  {:<18} {:<24} {:<14} stop",
        "text", "start", "end", "norm", "segments", "stem"
    )?;
    for token in &tokens {
        writeln!(
            out,
            "{:<18} {:>6} {:>6}  {:<18} {:<24} {:<14} {}",
            token.text,
            token.start,
            token.end,
            token.norm,
            token.segments.join("+"),
            token.stem,
            if token.stop { "yes" } else { "" }
        )?;
    }
    Ok(Outcome::Ok)
}
