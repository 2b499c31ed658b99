#!/usr/bin/env bash
# Screenshots of each page type for the README: the shipped samples in `akhbar serve`,
# photographed by headless Chromium (Debian package `chromium`).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p akhbar
work=$(mktemp -d)
port=18089
./target/release/akhbar --data "$work/data" serve --ingest samples/ --addr 127.0.0.1:$port --admin-token docs --poll-every 0 2>/dev/null &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
until curl -sf http://127.0.0.1:$port/healthz >/dev/null; do sleep 0.2; done
story=$(curl -s "http://127.0.0.1:$port/api/search?q=Blinken" | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["story"])')
shoot() {
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
        --no-first-run --hide-scrollbars --user-data-dir="$work/profile" --window-size=1000,1250 \
        --screenshot="docs/screenshots/$1.png" "http://127.0.0.1:$port$2" 2>/dev/null
}
shoot home /
shoot search "/search?q=%D8%A8%D9%84%D9%8A%D9%86%D9%83%D9%86"
shoot story "/stories/$story"
shoot article /articles/telexpress-blinken-security
shoot entity /entities/nasser-bourita
shoot sources /sources
echo "wrote docs/screenshots/*.png"
