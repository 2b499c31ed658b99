#!/usr/bin/env bash
# Search through HTTP over the shared corpus: requests/s and p50/p99 latency from a load
# generator on loopback, without and then with an ingest running into the same store.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/saudinewsnet.jsonl.gz
if [ ! -f "$corpus" ]; then echo "skipped: $corpus not found"; exit 0; fi
cargo build --release -q -p akhbar -p akhbar-eval
work=$(mktemp -d)
port=18090
zcat "$corpus" > "$work/all.jsonl"
head -n 20000 "$work/all.jsonl" > "$work/first.jsonl"
tail -n +20001 "$work/all.jsonl" > "$work/rest.jsonl"
./target/release/akhbar --data "$work/data" ingest "$work/first.jsonl" > /dev/null 2>&1 || true
./target/release/akhbar --data "$work/data" ingest "$work/rest.jsonl" > /dev/null 2>&1 || true
./target/release/akhbar --data "$work/data" serve --addr 127.0.0.1:$port --admin-token bench --poll-every 0 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
until curl -sf http://127.0.0.1:$port/healthz > /dev/null; do sleep 0.2; done
echo "without ingest (31,030 articles):"
for connections in 1 4; do
    ./target/release/akhbar-eval http-load --url http://127.0.0.1:$port --seconds "${SECONDS_PER_RUN:-20}" --concurrency $connections
done
# The same store, re-built from half the corpus, while the other half is ingested.
kill $server; wait $server 2>/dev/null || true
rm -rf "$work/data"
./target/release/akhbar --data "$work/data" ingest "$work/first.jsonl" > /dev/null 2>&1 || true
./target/release/akhbar --data "$work/data" serve --addr 127.0.0.1:$port --admin-token bench --poll-every 0 2>/dev/null &
server=$!
until curl -sf http://127.0.0.1:$port/healthz > /dev/null; do sleep 0.2; done
./target/release/akhbar --data "$work/data" ingest "$work/rest.jsonl" > /dev/null 2>&1 &
ingest=$!
echo "with an ingest of 11,030 more articles running:"
./target/release/akhbar-eval http-load --url http://127.0.0.1:$port --seconds "${SECONDS_PER_RUN:-20}" --concurrency 1
wait $ingest || true
