#!/bin/sh
# Real Lucene's ArabicAnalyzer against akhbar's analyzer on the same texts, run at the same
# time, one per core, swapping cores between pairs: a slow spell of this shared machine then
# falls on both, and a faster core favours neither. Prints each pair's medians (MB/s) and
# their ratio. Needs what run.sh needs, taskset, and a release build of akhbar-eval
# (cargo build --release -p akhbar-eval). Usage: bench/lucene/pairs.sh [PAIRS] (default 4).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
shared=${AKHBAR_SHARED:-$root/../shared}
eval_bin=$root/target/release/akhbar-eval
[ -x "$eval_bin" ] || { echo "skipped: $eval_bin not built"; exit 0; }
command -v taskset >/dev/null || { echo "skipped: no taskset"; exit 0; }
pairs=${1:-4}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
i=0
while [ "$i" -lt "$pairs" ]; do
    i=$((i + 1))
    if [ $((i % 2)) = 1 ]; then lucene_core=0; akhbar_core=1; else lucene_core=1; akhbar_core=0; fi
    taskset -c $lucene_core "$here/run.sh" > "$out/lucene" 2>&1 &
    # akhbar reads the corpus while Lucene's script prepares and compiles; 8 rounds then
    # overlap Lucene's timed rounds.
    taskset -c $akhbar_core "$eval_bin" --shared "$shared" speed --akhbar-only --rounds 8 > "$out/akhbar" 2>/dev/null &
    wait
    if grep -q skipped "$out/lucene"; then cat "$out/lucene"; exit 0; fi
    lucene=$(grep '^| Lucene' "$out/lucene" | cut -d'|' -f3 | tr -d ' ')
    akhbar=$(grep '^| akhbar' "$out/akhbar" | cut -d'|' -f3 | tr -d ' ')
    echo "pair $i: Lucene on core $lucene_core $lucene MB/s, akhbar on core $akhbar_core $akhbar MB/s, ratio $(echo "$akhbar $lucene" | awk '{printf "%.2f", $1 / $2}')"
done
