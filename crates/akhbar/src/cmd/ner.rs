//! `akhbar ner`: named entities in standard input.

use crate::output::json_line;
use crate::Outcome;
use anyhow::Context;
use std::io::{Read, Write};

#[derive(clap::Args)]
pub struct Args {
    /// CoNLL in and out: one token per line (first column), a blank line between sentences;
    /// prints `TOKEN TAG` per line with ANERcorp's tags (B-PERS, I-LOC, ..., O).
    #[arg(long)]
    conll: bool,
    /// Plain text in; one JSON object per entity: {"id","name","type","english","romanized","mentions"}.
    #[arg(long, conflicts_with = "conll")]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("reading standard input")?;
    let text = String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("standard input: invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()))?;
    let recognizer = akhbar_entities::Recognizer::embedded()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.conll {
        // The input is one document: the second pass reads how the first tagged the same
        // names in nearby sentences.
        let mut sentences: Vec<Vec<&str>> = vec![Vec::new()];
        for line in text.lines() {
            match (line.split_whitespace().next(), sentences.last_mut()) {
                (Some(token), Some(sentence)) => sentence.push(token),
                _ => sentences.push(Vec::new()),
            }
        }
        let tags = recognizer.tag_document(&sentences);
        let last = sentences.len() - 1;
        for (k, (sentence, tags)) in sentences.iter().zip(&tags).enumerate() {
            for (token, tag) in sentence.iter().zip(tags) {
                writeln!(out, "{token} {}", tag.conll())?;
            }
            if k < last {
                writeln!(out)?;
            }
        }
        out.flush()?;
        return Ok(Outcome::Ok);
    }
    let mentions = recognizer.mentions(&text);
    let entities = akhbar_entities::link(&text, &mentions, recognizer.forms());
    for entity in &entities {
        if args.json {
            json_line(&mut out, entity)?;
        } else {
            let texts: Vec<&str> = entity.mentions.iter().map(|m| m.text.as_str()).collect();
            writeln!(
                out,
                "{:<5} {:<28} {:<24} {}",
                entity.kind.code(),
                entity.name,
                entity.english.as_deref().unwrap_or(&entity.romanized),
                texts.join(" · ")
            )?;
        }
    }
    out.flush()?;
    Ok(Outcome::Ok)
}
