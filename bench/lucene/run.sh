#!/bin/sh
# Times real Lucene's ArabicAnalyzer on the corpus texts that `akhbar-eval speed` times.
# Needs a JDK and Debian's liblucene4.10-java (apt-get install default-jdk-headless
# liblucene4.10-java) and ../shared; prints `skipped` otherwise. Not part of the tests.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared=${AKHBAR_SHARED:-$here/../../../shared}
jars=/usr/share/java/lucene-core-4.10.4.jar:/usr/share/java/lucene-analyzers-common-4.10.4.jar
corpus=$shared/corpus/saudinewsnet.jsonl.gz
for need in "$corpus" /usr/share/java/lucene-core-4.10.4.jar; do
    [ -e "$need" ] || { echo "skipped: $need not found"; exit 0; }
done
command -v javac >/dev/null || { echo "skipped: no javac"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Titles and bodies, as akhbar-eval speed reads them, separated by NUL.
python3 - "$corpus" "$work/texts" <<'PY'
import gzip, json, sys
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    first = True
    for line in f:
        a = json.loads(line)
        for t in (a.get("title") or "", a.get("content") or ""):
            if not first:
                out.write("\0")
            out.write(t.replace("\0", ""))
            first = False
PY
javac -d "$work" -cp "$jars" "$here/LuceneArabicSpeed.java"
java -Xmx2g -cp "$work:$jars" LuceneArabicSpeed "$work/texts" "${WARMUP:-2}" "${ROUNDS:-5}"
