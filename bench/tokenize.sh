#!/usr/bin/env bash
# Tokenizer and vocabulary benchmark (issue: foundation). Needs ../shared/datasets (not in the repo).
#   bash bench/tokenize.sh            # prints MB/s per tokenizer path and the vocab-build ratio to wc -w
# One thread for the tokenizer figures (in-memory text, tokens mapped to vocabulary ids);
# the vocabulary build uses all cores and reads from disk (page cache warm), like word2vec.c.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
[ -d "$DATA/enwiki" ] || { echo "needs $DATA (see ../shared/datasets/README.md)"; exit 1; }
swift build -c release --product lexis --product lexis-bench >/dev/null
BIN=.build/release
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
head -c 30000000 "$DATA/enwiki/enwiki-t8-lines.txt" > "$TMP/text8-30MB.txt"
cat "$DATA"/zh/*.txt > "$TMP/zh.txt"
cat "$DATA"/ja/*.txt > "$TMP/ja.txt"

echo "== tokenizer throughput, one thread (best of 3)"
$BIN/lexis-bench tokenize "$DATA/enwiki/enwiki-raw-2M.txt" "English, raw Wikipedia (enwiki-raw-2M)"
$BIN/lexis-bench tokenize "$TMP/text8-30MB.txt" "English, text8-style (first 30 MB of enwiki-t8-lines)"
$BIN/lexis-bench tokenize "$TMP/zh.txt" "Chinese (four classical novels)"
$BIN/lexis-bench tokenize "$TMP/ja.txt" "Japanese (two Soseki novels)"

echo "== vocabulary of enwiki-t8-lines.txt (100 MB), default ICU tokenizer, all cores, vs wc -w"
F="$DATA/enwiki/enwiki-t8-lines.txt"
cat "$F" > /dev/null  # warm the page cache for both
best() { local b=999; for _ in 1 2 3; do local s=$(date +%s.%N); "$@" >/dev/null 2>&1; local e=$(date +%s.%N);
         b=$(python3 -c "print(min($b, $e - $s))"); done; echo "$b"; }
WC=$(best wc -w "$F")
LX=$(best $BIN/lexis vocab build "$F" -o "$TMP/t8.tsv" --quiet)
python3 - "$WC" "$LX" <<'PY'
import sys
wc, lx = map(float, sys.argv[1:])
print(f"  wc -w:               {wc:.3f} s")
print(f"  lexis vocab build:   {lx:.3f} s   ratio {lx/wc:.2f}x wc -w (target < 3.3x; word2vec.c's pass measured 3.3x)")
PY
