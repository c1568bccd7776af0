#!/usr/bin/env bash
# Sentence classifiers: `lexis classify train` with its DEFAULT settings (and, with VECTORS, the
# same defaults plus --embeddings VECTORS) against fastText's supervised classifier
# (fasttext-wheel, wordNgrams 2, epoch and lr chosen on dev from {5,25,50} x {0.1,0.5,1.0}) on
# the same splits, in the same run. Prints test accuracy for each and Lexis's time per epoch.
#
#   bench/classify.sh [DATA_DIR] [VECTORS]
#
# DATA_DIR holds {sst2,trec,mr}/{train,dev,test}.tsv (label<TAB>text). VECTORS: word vectors
# trained by Lexis, e.g.
#   lexis train ../shared/datasets/enwiki/enwiki-t8-lines.txt -o enwiki.bin --epochs 5 --sample 1e-4 --tokenizer whitespace
# DATASETS (default "trec sst2 mr") picks the sets; THREADS (default 2) the threads of both tools;
# RUNS (default "default enwiki bow") the Lexis runs, e.g. RUNS=bow:
#   default        the defaults, at each seed of SEEDS (default "1"; e.g. SEEDS="1 2 3" for the spread)
#   enwiki         the defaults with --embeddings VECTORS
#   bow, cnn       --model bow, --model cnn (CNN-rand)
#   cnn-static     --model cnn --embeddings VECTORS --freeze (Kim's CNN-static)
#   cnn-nonstatic  --model cnn --embeddings VECTORS (CNN-non-static)
#   knn            --model knn --embeddings VECTORS (k chosen on dev)
#   knn-cnn        --model knn --encoder (the cnn run's model): neighbours over CNN pooled vectors
#   knn-default    --model knn --encoder (the seed-1 default model): over each BiLSTM's pooled vectors
#   quantize       `lexis classify quantize` (int8, then pq) of the seed-1 default model: sizes, test accuracy of both
# (runs that need VECTORS are skipped without it). FASTTEXT=0 skips fastText.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/datasets/classify}
VECTORS=${2:-}
THREADS=${THREADS:-2}
OUT=bench/out
mkdir -p "$OUT"
swift build -c release --product lexis >/dev/null
LEXIS=.build/release/lexis

echo "machine: $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg), $(python3 -c 'import fasttext; print("fasttext-wheel", getattr(fasttext, "__version__", "0.9.x"))' 2>/dev/null)"
lexis_run() {  # name dataset extra-args...
  local name=$1 ds=$2; shift 2
  local log="$OUT/classify-$name-$ds.log" start end
  start=$(date +%s)
  $LEXIS classify train --train "$DATA/$ds/train.tsv" --dev "$DATA/$ds/dev.tsv" --test "$DATA/$ds/test.tsv" \
      --threads "$THREADS" -o "$OUT/classify-$name-$ds.lexis" "$@" >"$log" 2>&1
  end=$(date +%s)
  # An ensemble prints each model's epochs and its own dev accuracy; s/epoch is per model.
  printf '%-6s %-14s dev %s  test %s  %s s/epoch  (%s epochs, %s s total)\n' "$ds" "lexis-$name" \
      "$(sed -n 's/^\(best\|ensemble\) dev accuracy \([0-9.]*\).*/\2/p' "$log" | tail -1)" \
      "$(sed -n 's/^test accuracy \([0-9.]*\).*/\1/p' "$log")" \
      "$(sed -n 's/^seconds per epoch //p' "$log")" "$(grep -c '^epoch [0-9]*  ' "$log")" $((end - start))
}
quantize_run() {  # dataset: the seed-1 default model of this run, quantized
  local ds=$1 model="$OUT/classify-default-$ds.lexis"
  [ -s "$model" ] || { echo "$ds quantize: no default model (put default before quantize in RUNS)" >&2; return; }
  for method in int8 pq; do
    $LEXIS classify quantize --model "$model" --method "$method" -o "$OUT/classify-default-$ds.$method.lexis" \
        --test "$DATA/$ds/test.tsv" --threads "$THREADS" | paste -sd' ' | sed "s/^/$(printf '%-6s %-14s ' "$ds" "lexis-$method")/"
  done
}
for ds in ${DATASETS:-trec sst2 mr}; do
  for run in ${RUNS:-default enwiki bow}; do
    case $run in
      default)
        for seed in ${SEEDS:-1}; do
          if [ "$seed" = 1 ]; then lexis_run default "$ds"; else lexis_run "default-s$seed" "$ds" --seed "$seed"; fi
        done ;;
      enwiki) if [ -n "$VECTORS" ]; then lexis_run enwiki "$ds" --embeddings "$VECTORS"; fi ;;
      bow) lexis_run bow "$ds" --model bow ;;
      cnn) lexis_run cnn "$ds" --model cnn ;;
      cnn-static) if [ -n "$VECTORS" ]; then lexis_run cnn-static "$ds" --model cnn --embeddings "$VECTORS" --freeze; fi ;;
      cnn-nonstatic) if [ -n "$VECTORS" ]; then lexis_run cnn-nonstatic "$ds" --model cnn --embeddings "$VECTORS"; fi ;;
      knn) if [ -n "$VECTORS" ]; then lexis_run knn "$ds" --model knn --embeddings "$VECTORS"; fi ;;
      knn-cnn|knn-default)
        encoder="$OUT/classify-${run#knn-}-$ds.lexis"
        if [ -s "$encoder" ]; then lexis_run "$run" "$ds" --model knn --encoder "$encoder"
        else echo "$ds $run: no ${run#knn-} model (put ${run#knn-} before $run in RUNS)" >&2; fi ;;
      quantize) quantize_run "$ds" ;;
      *) echo "unknown run '$run' in RUNS (default, enwiki, bow, cnn, cnn-static, cnn-nonstatic, knn, knn-cnn, knn-default, quantize)" >&2; exit 2 ;;
    esac
  done
  if [ "${FASTTEXT:-1}" != 0 ]; then
    python3 bench/classify_fasttext.py "$DATA" "$ds" --threads "$THREADS" | \
        awk '{printf "%-6s %-14s dev %s  test %s  (epoch %s, lr %s; grid of 9 in %s s)\n", $2, "fasttext", $4, $6, $8, $10, $12}'
  fi
done
