#!/usr/bin/env bash
# Cluster benchmark on this machine (bench/CLUSTER.md): N corpus articles ingested by one
# embedded store, then through a cluster (one local NATS server with JetStream, two shards)
# with 1 and with 2 workers; 300 title queries on the cluster against the one store (same
# top 10?, p50/p99), and searches through HTTP (one machine's server against a server in
# front of the cluster); the time a new replica takes to build itself from the stream.
# Needs nats-server (Debian: apt-get install nats-server).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpus/saudinewsnet.jsonl.gz}
articles=${ARTICLES:-5000}
if [ ! -f "$corpus" ]; then
    echo "skipped: $corpus not found"
    exit 0
fi
nats_server=$(command -v nats-server || echo /usr/sbin/nats-server)
[ -x "$nats_server" ] || { echo "skipped: no nats-server (apt-get install nats-server)"; exit 0; }
cargo build --release -q -p akhbar -p akhbar-eval
akhbar=$PWD/target/release/akhbar
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
    wait 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
python3 - "$corpus" "$articles" "$work/articles.jsonl" <<'PY'
import gzip, sys
corpus, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
# Every k-th line, so every outlet is in the sample.
lines = gzip.open(corpus, "rt").read().splitlines()
step = max(1, len(lines) // n)
open(out, "w").write("\n".join(lines[::step][:n]) + "\n")
PY
seconds() { python3 -c "import sys,time; print(f'{time.time():.3f}')"; }
port=$((20000 + RANDOM % 20000))
url=nats://127.0.0.1:$port

start_cluster() {  # $1: workers
    "$nats_server" -js -a 127.0.0.1 -p "$port" -sd "$work/js-$1" > "$work/nats-$1.log" 2>&1 &
    pids+=($!)
    sleep 1
    for k in 1 2; do
        "$akhbar" --data "$work/c$1-node$k" node --nats "$url" --shard "$k/2" 2> "$work/c$1-node$k.log" &
        pids+=($!)
    done
    for w in $(seq "$1"); do
        "$akhbar" worker --nats "$url" 2> "$work/c$1-worker$w.log" &
        pids+=($!)
    done
    until "$akhbar" cluster status --nats "$url" --json 2> /dev/null | python3 -c "
import json, sys
s = json.load(sys.stdin)
sys.exit(0 if len(s['shards']) == 2 and all(any(r['alive'] for r in x['replicas']) for x in s['shards']) else 1)"; do
        sleep 0.5
    done
}
stop_cluster() {
    for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
    wait 2> /dev/null || true
    pids=()
}

status=0
t0=$(seconds)
"$akhbar" --data "$work/one" ingest --json "$work/articles.jsonl" > "$work/one.json" || status=$?
t1=$(seconds)
[ "$status" -le 1 ] || exit "$status"
echo "one store: $(python3 -c "print(f'{$t1 - $t0:.1f}')") s"

for workers in 1 2; do
    start_cluster "$workers"
    t0=$(seconds)
    "$akhbar" ingest --nats "$url" --wait --json "$work/articles.jsonl" > "$work/cluster-$workers.json" || true
    t1=$(seconds)
    echo "cluster, $workers worker(s): $(python3 -c "print(f'{$t1 - $t0:.1f}')") s ($(python3 -c "import json; r=json.load(open('$work/cluster-$workers.json')); print(r['published'], 'published,', len(r['failed']), 'failed')"))"
    if [ "$workers" = 2 ]; then
        ./target/release/akhbar-eval cluster-search --data "$work/one" --nats "$url" --queries 300
        # Searches through HTTP: one machine's server against a server in front of the
        # cluster, 10 s each, 4 connections.
        port_one=$((port + 1)); port_cluster=$((port + 2))
        "$akhbar" --data "$work/one" serve --addr "127.0.0.1:$port_one" --poll-every 0 --admin-token bench 2> "$work/serve-one.log" &
        pids+=($!)
        "$akhbar" serve --nats "$url" --addr "127.0.0.1:$port_cluster" 2> "$work/serve-cluster.log" &
        pids+=($!)
        sleep 2
        echo "through HTTP, one machine's server:"
        ./target/release/akhbar-eval http-load --url "http://127.0.0.1:$port_one" --seconds 10 --concurrency 4
        echo "through HTTP, a server in front of the cluster:"
        ./target/release/akhbar-eval http-load --url "http://127.0.0.1:$port_cluster" --seconds 10 --concurrency 4
        # A new replica of shard 1 builds itself from the stream.
        t0=$(seconds)
        "$akhbar" --data "$work/new-replica" node --nats "$url" --shard 1/2 2> "$work/new-replica.log" &
        pids+=($!)
        target=$("$akhbar" --data "$work/c2-node1" stats --json | python3 -c "import json,sys; print(json.load(sys.stdin)['articles'])")
        until [ "$("$akhbar" --data "$work/new-replica" stats --json 2> /dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['articles'])" 2> /dev/null || echo 0)" -ge "$target" ]; do
            sleep 0.2
        done
        t1=$(seconds)
        echo "a new replica of shard 1 built from the stream: $target articles in $(python3 -c "print(f'{$t1 - $t0:.1f}')") s"
    fi
    stop_cluster
done
