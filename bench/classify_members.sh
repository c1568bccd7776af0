#!/usr/bin/env bash
# Single classifier models whose class probabilities on dev and test are kept, so that ensembles
# (of one architecture or mixed) can be scored by averaging them (bench/classify_combine.py)
# without training each ensemble again: the member k of `lexis classify train --seed s` is the
# single model of its kind trained with `--seed s+k` (same initialisation, batches and dropout).
#
#   bench/classify_members.sh DATA_DIR OUT_DIR KIND:SEED... [-- extra train flags]
#
# KIND is recurrent, cnn or bow. Writes OUT_DIR/DATASET-KIND-SEED.{log,dev,test} (predict --top
# output for every dev and test line) for each data set in DATASETS (default "trec sst2 mr").
# THREADS (default 1) BLAS threads; LEXIS (default .build/release/lexis) the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$1 OUT=$2
shift 2
RUNS=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do RUNS+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
LEXIS=${LEXIS:-.build/release/lexis}
mkdir -p "$OUT"
for ds in ${DATASETS:-trec sst2 mr}; do
  for run in "${RUNS[@]}"; do
    kind=${run%%:*} seed=${run##*:}
    name="$OUT/$ds-$kind-$seed"
    [ -s "$name.test" ] && continue   # already done
    "$LEXIS" classify train --train "$DATA/$ds/train.tsv" --dev "$DATA/$ds/dev.tsv" --model "$kind" --ensemble 1 \
        --seed "$seed" --threads "${THREADS:-1}" -o "$name.lexis" "$@" >"$name.log" 2>&1
    for split in dev test; do
      cut -f2- "$DATA/$ds/$split.tsv" | "$LEXIS" classify predict --model "$name.lexis" --top 1000 -q >"$name.$split"
    done
    printf '%-5s %-9s seed %-2s dev %s  %s s/epoch\n' "$ds" "$kind" "$seed" \
        "$(sed -n 's/^best dev accuracy \([0-9.]*\).*/\1/p' "$name.log")" "$(sed -n 's/^seconds per epoch \([0-9.]*\).*/\1/p' "$name.log")"
    rm -f "$name.lexis"
  done
done
