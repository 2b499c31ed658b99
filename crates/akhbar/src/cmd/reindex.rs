//! `akhbar reindex`: recompute entities and rebuild the index from the stored articles.

use crate::Outcome;
use anyhow::Context;
use indicatif::ProgressBar;
use std::io::IsTerminal;
use std::path::Path;

pub fn run(data: &Path) -> anyhow::Result<Outcome> {
    let mut store =
        akhbar_store::Store::open(data).with_context(|| format!("opening the store in {}", data.display()))?;
    let started = std::time::Instant::now();
    let bar = std::io::stderr().is_terminal().then(|| ProgressBar::new(0));
    let n = akhbar_pipeline::reindex(&mut store, &mut |step, done, total| {
        if let Some(bar) = &bar {
            bar.set_message(step.to_string());
            bar.set_length(total);
            bar.set_position(done);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    super::close(store)?;
    println!(
        "re-annotated and re-indexed {n} articles with analyzer version {} in {:.1} s",
        akhbar_arabic::version_id(),
        started.elapsed().as_secs_f64()
    );
    Ok(Outcome::Ok)
}
