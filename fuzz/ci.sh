#!/usr/bin/env bash
# A short fuzz run of every target (FUZZ_SECONDS each, 20 by default), from the seeds, with
# AddressSanitizer. Used by .ci/run, which builds without optimizations (FUZZ_BUILD=--dev,
# quicker to compile); long runs use FUZZ_BUILD=-O. Installs cargo-fuzz when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
build=${FUZZ_BUILD:---dev}
command -v cargo-fuzz > /dev/null || cargo install cargo-fuzz --locked --quiet
# cargo-fuzz passes -Z flags (the sanitizer): the stable toolchain takes them this way.
export RUSTC_BOOTSTRAP=1
cargo fuzz build "$build"
for target in analyzer html feed dates query; do
    corpus=target/fuzz-corpus/$target
    mkdir -p "$corpus"
    status=0
    cargo fuzz run "$build" "$target" "$corpus" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
        > "target/fuzz-$target.log" 2>&1 || status=$?
    grep -E "^stat::(number_of_executed_units|peak_rss_mb)" "target/fuzz-$target.log" | sed "s/^/$target: /"
    if [ "$status" -ne 0 ]; then
        tail -n 60 "target/fuzz-$target.log"
        echo "fuzz: $target failed (exit $status); the input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
done
