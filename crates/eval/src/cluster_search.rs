//! `cluster-search`: a search over a cluster's shards against one store holding the same
//! articles, query by query: the top 10 ids and scores, and the time each takes
//! (`bench/cluster.sh` starts the cluster and fills both).

use akhbar_store::{Filters, Store};
use anyhow::{Context, Result};
use std::path::Path;
use std::time::Instant;

/// Results compared per query.
const TOP: usize = 10;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Runs the first `queries` titles of the store (every k-th article, so all outlets) as
/// queries on the store and on the cluster at `nats`, and prints how many agree.
pub fn run(data: &Path, nats: &str, queries: usize) -> Result<()> {
    let store = Store::open_existing(data).with_context(|| format!("opening {}", data.display()))?;
    let titles: Vec<String> = {
        let mut all: Vec<String> = Vec::new();
        let mut after = 0;
        loop {
            let page = store.articles_after(after, 1000)?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            all.extend(
                page.into_iter()
                    .map(|a| a.stored.article.title)
                    .filter(|t| t.split_whitespace().count() >= 3),
            );
        }
        let step = (all.len() / queries.max(1)).max(1);
        all.into_iter().step_by(step).take(queries).collect()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let cluster = runtime.block_on(akhbar_cluster::Cluster::connect(nats, None))?;
    let filters = Filters::default();
    let (mut same, mut same_ids, mut ties, mut partial) = (0usize, 0usize, 0usize, 0usize);
    let mut largest_gap = 0f32;
    let (mut one_ms, mut cluster_ms) = (Vec::new(), Vec::new());
    let mut differing = Vec::new();
    for title in &titles {
        let started = Instant::now();
        let one = store.search_filtered(title, TOP, &filters)?;
        one_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        let found = runtime.block_on(akhbar_cluster::search(&cluster, title, &filters, TOP))?;
        cluster_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        partial += usize::from(found.partial);
        let ranked = |hits: Vec<(String, f32)>| {
            let mut hits = hits;
            hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            hits
        };
        let one: Vec<(String, f32)> = ranked(one.iter().map(|h| (h.id.to_string(), h.score)).collect());
        let many: Vec<(String, f32)> = ranked(found.hits.iter().map(|(h, _)| (h.id.to_string(), h.score)).collect());
        let scores = |v: &[(String, f32)]| v.iter().map(|(_, s)| *s).collect::<Vec<f32>>();
        if one == many {
            same += 1;
            same_ids += 1;
        } else if scores(&one) == scores(&many) {
            // The same scores, and a tie at the cut took different articles of equal score.
            ties += 1;
        } else {
            if one.iter().map(|(i, _)| i).eq(many.iter().map(|(i, _)| i)) {
                same_ids += 1;
                for ((_, a), (_, b)) in one.iter().zip(&many) {
                    largest_gap = largest_gap.max((a - b).abs() / a.abs().max(1e-9));
                }
            }
            if differing.len() < 5 {
                differing.push(format!("{title}\n  one store: {one:?}\n  cluster:   {many:?}"));
            }
        }
    }
    one_ms.sort_by(f64::total_cmp);
    cluster_ms.sort_by(f64::total_cmp);
    let n = titles.len();
    println!(
        "{n} title queries, top {TOP}, store {} against the cluster at {nats}",
        data.display()
    );
    println!(
        "- same ids and scores in the same order: {same} ({:.1} %)",
        100.0 * same as f64 / n.max(1) as f64
    );
    println!("- same scores, a tie at the cut broken differently: {ties}");
    println!("- same ids in the same order (scores aside): {same_ids}; the largest relative score difference among those: {largest_gap:.2e}");
    println!("- partial answers: {partial}");
    println!(
        "- one store in process: p50 {:.2} ms, p99 {:.2} ms; cluster (a new search each, two rounds over NATS): p50 {:.2} ms, p99 {:.2} ms",
        percentile(&one_ms, 0.5),
        percentile(&one_ms, 0.99),
        percentile(&cluster_ms, 0.5),
        percentile(&cluster_ms, 0.99)
    );
    for d in differing {
        println!("{d}");
    }
    Ok(())
}
