#!/usr/bin/env bash
# Ingest benchmark on the shared news corpus: bare tantivy (default tokenizer) and akhbar,
# measured in the same run on the same file. Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/saudinewsnet.jsonl.gz}
if [ ! -f "$corpus" ]; then
    echo "skipped: $corpus not found"
    exit 0
fi
cargo build --release -q -p akhbar -p akhbar-eval
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/akhbar-eval ingest-baseline --corpus "$corpus" --index "$work/baseline" > "$work/baseline.json"
# Exit code 1 means some items failed (they are counted in the table); 2 is a real error.
status=0
./target/release/akhbar --data "$work/akhbar" ingest --json "$corpus" > "$work/akhbar.json" || status=$?
[ "$status" -le 1 ] || exit "$status"
./target/release/akhbar --data "$work/akhbar" stats --json > "$work/stats.json"
python3 - "$work" <<'PY'
import json, sys, os
work = sys.argv[1]
base = json.load(open(f"{work}/baseline.json"))
run = json.load(open(f"{work}/akhbar.json"))
stats = json.load(open(f"{work}/stats.json"))
n = run["new"] + run["existing"]
rows = [
    ("articles", base["articles"], n),
    ("articles/s", f'{base["articles_per_second"]:.0f}', f'{run["articles_per_second"]:.0f}'),
    ("input MB/s (compressed)", f'{base["megabytes_per_second"]:.2f}', f'{run["megabytes_per_second"]:.2f}'),
    ("index size (MB)", f'{base["index_bytes"]/1e6:.1f}', f'{stats["index_bytes"]/1e6:.1f}'),
    ("database size (MB)", "-", f'{stats["database_bytes"]/1e6:.1f}'),
    ("peak memory (MB)", f'{base["peak_rss_bytes"]/1e6:.0f}', f'{run["peak_rss_bytes"]/1e6:.0f}'),
    ("failed items", 0, len(run["failed"])),
]
print("| ingest of the shared corpus | bare tantivy (default tokenizer) | akhbar |")
print("|---|---|---|")
for name, a, b in rows:
    print(f"| {name} | {a} | {b} |")
print(f'\nakhbar / baseline speed: {run["articles_per_second"]/base["articles_per_second"]:.2f}×')
PY
