#!/usr/bin/env bash
# Huge inputs: clear errors or correct results within a stated memory bound, never an
# out-of-memory kill. Makes the inputs (about 3.2 GB in a temporary folder), runs lexis on each
# with /usr/bin/time, and prints a table (case, expected, exit, peak memory, seconds, first line of
# stderr). Exits 1 when a case breaks its bound or its expectation.
#
#   bash scripts/huge-inputs.sh [--lexis BINARY]
#
# About 2 minutes on 2 cores.
set -uo pipefail
cd "$(dirname "$0")/.."
LEXIS=.build/release/lexis
[ "${1:-}" = --lexis ] && LEXIS=${2:?}
[ -x "$LEXIS" ] || { echo "no lexis binary at $LEXIS: build it with swift build -c release --product lexis" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/lexis-huge.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

echo "making inputs in $WORK" >&2
# 2 GB of words on one line (no newline at all).
yes "the quick brown fox jumps over the lazy dog" | tr -d '\n' | head -c 2147483648 > "$WORK/one-line.txt"
# 1 GB "word": letters with no separator.
tr -dc 'a-z' < /dev/urandom | head -c 1073741824 > "$WORK/one-word.txt"
# A vocabulary of 10 million entries.
{ printf '# lexis vocabulary 1\n# tokens: 10000000\n'; seq 1 10000000 | awk '{ printf "w%d\t%d\n", $1, 20000000 - $1 }'; } > "$WORK/vocab.tsv"
# Vector files whose headers claim 10^12 rows.
printf '1000000000000 100\nthe ' > "$WORK/claims.bin"; head -c 400 /dev/zero >> "$WORK/claims.bin"
printf '1000000000000 3\nthe 1 2 3\n' > "$WORK/claims.txt"
# A corpus line of 2 GB for the language model and the labelled reader is the same stream as
# one-line.txt; a label and a tab make it labelled data.
{ printf 'x\t'; head -c 1073741824 "$WORK/one-line.txt"; printf '\ny\tshort\n'; } > "$WORK/labels.tsv"

ROWS=() FAILED=0
# check NAME EXPECT_STATUS BOUND_MB NEEDLE COMMAND...
check() {
  local name=$1 want=$2 bound=$3 needle=$4; shift 4
  /usr/bin/time -f "%M %e" -o "$WORK/time" "$@" > "$WORK/out" 2> "$WORK/err"
  local status=$? kb seconds
  read -r kb seconds < <(tail -1 "$WORK/time")
  local mb=$((kb / 1024)) first
  # The last message (progress lines come first).
  first=$(tr '\r' '\n' < "$WORK/err" | grep -v '^Command exited' | grep . | tail -1 | cut -c1-90)
  local ok=OK
  [ "$status" = "$want" ] || ok=FAIL
  [ "$mb" -le "$bound" ] || ok=FAIL
  [ -z "$needle" ] || grep -q -- "$needle" "$WORK/err" "$WORK/out" || ok=FAIL
  ROWS+=("$(printf '%-30s %-6s %6s %8s %7s  %-4s %s' "$name" "exit $want" "$status" "${mb}/${bound}" "$seconds" "$ok" "$first")")
  [ $ok = OK ] || FAILED=1
}

check "2 GB line: vocab build" 0 600 "" "$LEXIS" vocab build "$WORK/one-line.txt" -o "$WORK/v1.tsv" --min-count 1
check "2 GB line: tokenize" 0 200 "" "$LEXIS" tokenize "$WORK/one-line.txt"
check "1 GB word: vocab build" 1 600 "has no tokens" "$LEXIS" vocab build "$WORK/one-word.txt" -o "$WORK/v2.tsv" --min-count 1
check "1 GB word: train" 1 600 "has no tokens" "$LEXIS" train "$WORK/one-word.txt" -o "$WORK/v.bin" --min-count 1
check "10M-entry vocabulary: show" 0 1200 "10000000" "$LEXIS" vocab show "$WORK/vocab.tsv"
check "header claims 10^12 rows (bin)" 1 100 "claims.bin" "$LEXIS" neighbors "$WORK/claims.bin" the
check "header claims 10^12 rows (txt)" 1 100 "claims.txt" "$LEXIS" neighbors "$WORK/claims.txt" the
check "1 GB labelled line: classify" 0 1000 "cut after" "$LEXIS" classify train --train "$WORK/labels.tsv" -o "$WORK/c.lexis" --epochs 1 --ensemble 1

printf '%-30s %-6s %6s %8s %7s  %-4s %s\n' case expect exit "MB/bound" seconds ok "last line of stderr"
printf '%s\n' "${ROWS[@]}"
[ $FAILED = 0 ] && echo "all cases hold" || echo "SOME CASES FAILED"
exit $FAILED
