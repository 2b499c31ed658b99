#!/usr/bin/env bash
# Screenshots of each page type for the README: the shipped samples in `akhbar serve`,
# photographed by headless Chromium (Debian package `chromium`). The rising page needs weeks of
# news: give a store of the shared corpus as RISING_DATA (`akhbar --data DIR ingest
# ../shared/corpus/saudinewsnet.jsonl.gz`) to photograph the day the bombing in Asir was news;
# without it, the samples' (nothing rising).
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
if [ -n "${RISING_DATA:-}" ]; then
    ./target/release/akhbar --data "$RISING_DATA" serve --addr 127.0.0.1:$((port + 1)) --admin-token docs --poll-every 0 2>/dev/null &
    corpus=$!
    until curl -sf http://127.0.0.1:$((port + 1))/healthz >/dev/null; do sleep 0.2; done
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
        --no-first-run --hide-scrollbars --user-data-dir="$work/profile-corpus" --window-size=1000,1250 \
        --screenshot=docs/screenshots/rising.png "http://127.0.0.1:$((port + 1))/rising?at=2015-08-06T23:00:00Z" 2>/dev/null
    kill $corpus
else
    shoot rising /rising
fi
# The reading page of an account that follows Nasser Bourita, signed in through the form.
curl -sf -H 'Authorization: Bearer docs' -H 'Content-Type: application/json' \
    -d '{"name":"reader","password":"a long password"}' "http://127.0.0.1:$port/api/users" >/dev/null
curl -sf -H 'Authorization: Bearer docs' -H 'Content-Type: application/json' \
    -d '{"kind":"entity","target":"nasser-bourita"}' "http://127.0.0.1:$port/api/follows" >/dev/null
cat > "$work/sign-in.html" <<HTML
<form method=post action="http://127.0.0.1:$port/login"><input name=name value=reader><input name=password value="a long password"></form><script>document.forms[0].submit()</script>
HTML
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --no-first-run --user-data-dir="$work/profile" --virtual-time-budget=5000 --dump-dom "file://$work/sign-in.html" >/dev/null 2>&1
shoot reading "/reading?show=all"
echo "wrote docs/screenshots/*.png"
