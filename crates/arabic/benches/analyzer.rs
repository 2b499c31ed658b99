//! Analyzer throughput on the seed article (an included text), tokens counted so the work is real.

use akhbar_arabic::{Analyzer, Cache, Spans};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const SEED: &str = include_str!("../../../testdata/articles/seed-article.txt");

fn analyze(c: &mut Criterion) {
    let analyzer = Analyzer::default();
    let mut group = c.benchmark_group("analyzer");
    group.throughput(Throughput::Bytes(SEED.len() as u64));
    group.bench_function("for_each_cached", |b| {
        let mut cache = Cache::default();
        b.iter(|| {
            let mut n = 0usize;
            analyzer.for_each(SEED, &mut cache, |_| n += 1);
            assert!(n > 400);
            n
        })
    });
    group.bench_function("for_each_cold", |b| {
        b.iter(|| {
            let mut cache = Cache::default();
            let mut n = 0usize;
            analyzer.for_each(SEED, &mut cache, |_| n += 1);
            assert!(n > 400);
            n
        })
    });
    group.bench_function("tokenize", |b| b.iter(|| Spans::new(SEED).count()));
    group.bench_function("analyze_owned", |b| b.iter(|| analyzer.analyze(SEED).len()));
    group.finish();
}

criterion_group!(benches, analyze);
criterion_main!(benches);
