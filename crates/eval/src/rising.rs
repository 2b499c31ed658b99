//! `akhbar-eval rising`: how long what is rising takes to answer on a store, over hours spread
//! across its archive (the page and `/api/rising` run this one query).

use anyhow::{Context, Result};
use std::path::Path;
use std::time::Instant;

/// Times `Store::rising` at `hours` times spread evenly from four weeks after the store's
/// first article (its second day, when it holds less) to its last, after one untimed run at
/// the latest hour, and prints the percentiles.
pub fn run(data: &Path, hours: usize) -> Result<()> {
    let store = akhbar_store::Store::open_existing(data).context("opening the store")?;
    let stats = store.stats()?;
    let parse = |t: Option<&str>| {
        t.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    let (Some(first), Some(last)) = (parse(stats.first_date.as_deref()), parse(stats.last_date.as_deref())) else {
        anyhow::bail!("{}: no dated articles", data.display());
    };
    // Four weeks in, where a name has its whole baseline; a shorter archive from its second day.
    let start = if first + chrono::Duration::days(28) < last {
        first + chrono::Duration::days(28)
    } else {
        (first + chrono::Duration::days(1)).min(last)
    };
    let span = (last - start).num_seconds().max(0);
    let warm = Instant::now();
    store.rising(None)?;
    println!(
        "store {}: {} articles from {} to {}; first (untimed) answer {:.1} ms",
        data.display(),
        stats.articles,
        first.format("%Y-%m-%d"),
        last.format("%Y-%m-%d"),
        warm.elapsed().as_secs_f64() * 1000.0
    );
    let mut times = Vec::with_capacity(hours);
    let (mut names, mut stories) = (0usize, 0usize);
    for k in 0..hours.max(1) {
        let at = start + chrono::Duration::seconds(span * k as i64 / hours.max(2).saturating_sub(1) as i64);
        let began = Instant::now();
        let rising = store.rising(Some(at))?;
        times.push(began.elapsed().as_secs_f64() * 1000.0);
        names += rising.entities.len();
        stories += rising.stories.len();
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{} hours: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {:.1} names and {:.1} stories listed on average",
        times.len(),
        at(0.5),
        at(0.9),
        at(0.99),
        times[times.len() - 1],
        names as f64 / times.len() as f64,
        stories as f64 / times.len() as f64
    );
    Ok(())
}
