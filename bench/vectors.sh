#!/usr/bin/env bash
# Word-vector benchmark: Lexis against gensim 4.4 on the same files, in the same run.
#   bench/vectors.sh            (from the repository root; writes data under bench/out/, ignored by git)
# Steps:
#   1. data: synthetic 100k x 300 and 100k x 100 matrices (word2vec binary; text and .lexis made by
#      `lexis convert`), and real vectors trained by gensim on enwiki-t8-lines.txt (100-d, 3 epochs).
#   2. load times: .lexis, word2vec binary, word2vec text (Lexis: in-process time printed by --timing;
#      gensim: load_word2vec_format in-process), best of 3.
#   3. query: top-10 neighbours of 2000 random words over 100k x 100, one BLAS thread, both tools.
#   4. interchange: gensim reads what `lexis convert` writes (binary and text) back bit for bit.
#   5. evaluation on the real vectors: questions-words.txt (restrict 30000) and WS-353, numbers and
#      times side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out
mkdir -p "$OUT"
EVAL=../shared/datasets/eval
[ -d "$EVAL" ] || EVAL=/work/shared/datasets/eval
CORPUS=${CORPUS:-/work/shared/datasets/enwiki/enwiki-t8-lines.txt}
swift build -c release --product lexis >/dev/null
LEXIS=.build/release/lexis
PY=bench/vectors_gensim.py

echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), gensim $(python3 -c 'import gensim; print(gensim.__version__)')"

# --- 1. data ---
for spec in 100000x300 100000x100; do
    n=${spec%x*}; d=${spec#*x}; base=$OUT/synth-$((n / 1000))k-$d
    [ -f $base.bin ] || python3 $PY synth $n $d $base.bin
done
[ -f $OUT/synth-100k-300.lexis ] || $LEXIS convert $OUT/synth-100k-300.bin $OUT/synth-100k-300.lexis --quiet
[ -f $OUT/synth-100k-300.txt ] || $LEXIS convert $OUT/synth-100k-300.bin $OUT/synth-100k-300.txt --quiet
REAL=$OUT/w2v-enwiki-100-3ep.bin
[ -f $REAL ] || python3 $PY train "$CORPUS" $REAL 100 3

best_of_3() {  # prints the smallest number among three runs of a command that prints "... in X ms"
    for i in 1 2 3; do "$@" 2>&1 | sed -n 's/.* in \([0-9.]*\) ms.*/\1/p' | head -1; done | sort -g | head -1
}
gensim_best_of_3() {
    for i in 1 2 3; do python3 $PY load "$1" "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"] * 1000)'; done | sort -g | head -1
}

# --- 2. loading ---
echo
echo "## load 100k x 300 (best of 3, ms)"
printf "%-8s %10s %10s %8s\n" format lexis gensim speedup
lx=$(best_of_3 sh -c "echo | $LEXIS neighbors $OUT/synth-100k-300.lexis --timing")
printf "%-8s %10.1f %10s %8s\n" lexis "$lx" - -
for format in bin txt; do
    kind=$([ $format = bin ] && echo bin || echo text)
    lx=$(best_of_3 sh -c "echo | $LEXIS neighbors $OUT/synth-100k-300.$format --timing")
    if [ $format = txt ]; then gs=$(python3 $PY load $OUT/synth-100k-300.$format $kind | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"] * 1000)')
    else gs=$(gensim_best_of_3 $OUT/synth-100k-300.$format $kind); fi
    printf "%-8s %10.1f %10.1f %7.1fx\n" $format "$lx" "$gs" "$(python3 -c "print($gs / $lx)")"
done
echo "(gensim text: one run, it takes ~20 s)"

# --- 3. queries ---
echo
echo "## top-10 neighbours over 100k x 100, 2000 random words, one thread (ms per query)"
python3 -c "
import random; random.seed(1); print('\n'.join('w%d' % random.randrange(100000) for _ in range(2000)))" > $OUT/queries.txt
lx=$(OPENBLAS_NUM_THREADS=1 $LEXIS neighbors $OUT/synth-100k-100.bin --timing < $OUT/queries.txt 2>&1 >/dev/null \
     | sed -n 's/.*(\([0-9.]*\) ms per query.*/\1/p')
gs=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 $PY query $OUT/synth-100k-100.bin 2000 | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds_per_query"] * 1000)')
printf "lexis %.3f   gensim most_similar %.3f\n" "$lx" "$gs"

# --- 4. interchange ---
echo
echo "## gensim reads lexis-written files"
$LEXIS convert $REAL $OUT/roundtrip.txt --quiet
$LEXIS convert $OUT/roundtrip.txt $OUT/roundtrip.lexis --quiet
$LEXIS convert $OUT/roundtrip.lexis $OUT/roundtrip.bin --quiet
echo "bin -> text: $(python3 $PY same $REAL $OUT/roundtrip.txt text)"
echo "bin -> text -> lexis -> bin: $(python3 $PY same $REAL $OUT/roundtrip.bin bin)"

# --- 5. evaluation ---
echo
echo "## evaluation on $REAL (gensim-trained, 100-d)"
$LEXIS eval analogy $REAL $EVAL/questions-words.txt --restrict 30000 --json > $OUT/lexis-analogy.json
OPENBLAS_NUM_THREADS=1 $LEXIS eval analogy $REAL $EVAL/questions-words.txt --restrict 30000 --json > $OUT/lexis-analogy-1t.json
$LEXIS eval similarity $REAL $EVAL/wordsim353.tsv --json > $OUT/lexis-ws353.json
python3 $PY eval $REAL $EVAL/questions-words.txt $EVAL/wordsim353.tsv 30000 > $OUT/gensim-eval.json
# OpenBLAS threads spin when the machine is oversubscribed, which can slow gensim's default run 10x; show both.
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 $PY eval $REAL $EVAL/questions-words.txt $EVAL/wordsim353.tsv 30000 > $OUT/gensim-eval-1t.json
python3 - "$OUT" <<'PYEOF'
import json, sys
out = sys.argv[1]
la = json.load(open(f"{out}/lexis-analogy.json")); l1 = json.load(open(f"{out}/lexis-analogy-1t.json"))
ls = json.load(open(f"{out}/lexis-ws353.json")); g = json.load(open(f"{out}/gensim-eval.json"))
g1 = json.load(open(f"{out}/gensim-eval-1t.json"))
print("%-30s %10s %10s" % ("", "lexis", "gensim"))
for s in la["sections"]:
    print("%-30s %9.2f%% %9.2f%%" % (s["section"], 100 * s["accuracy"], 100 * g["sections"][s["section"]]))
print("%-30s %9.2f%% %9.2f%%" % ("analogy total", 100 * la["accuracy"], 100 * g["accuracy"]))
print("%-30s %10d %10d" % ("questions answered", la["answered"], g["answered"]))
print("%-30s %10.4f %10.4f" % ("WS-353 spearman", ls["spearman"], g["spearman"]))
print("%-30s %10.4f %10.4f" % ("WS-353 pearson", ls["pearson"], g["pearson"]))
print("%-30s %9.2f%% %9.2f%%" % ("WS-353 pairs skipped (OOV)", ls["oov_ratio"], g["oov_ratio"]))
print("%-30s %10.2f %10.2f" % ("analogy eval seconds", la["seconds"], g["seconds"]))
print("%-30s %10.2f %10.2f" % ("  same, one BLAS thread", l1["seconds"], g1["seconds"]))
assert abs(la["accuracy"] - g["accuracy"]) * 100 <= 0.1, "analogy accuracy differs from gensim by more than 0.1 points"
assert abs(ls["spearman"] - g["spearman"]) <= 0.001, "spearman differs from gensim by more than 0.001"
print("agreement with gensim: within 0.1 points (analogy) and 0.001 (spearman)")
PYEOF

echo
echo "## analogy evaluation time at 300-d (the real vocabulary with random 300-d vectors; one BLAS thread)"
[ -f $OUT/realwords-300.bin ] || python3 $PY reshape $REAL 300 $OUT/realwords-300.bin
lx=$(OPENBLAS_NUM_THREADS=1 $LEXIS eval analogy $OUT/realwords-300.bin $EVAL/questions-words.txt --restrict 30000 --json \
     | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')
gs=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 $PY eval $OUT/realwords-300.bin $EVAL/questions-words.txt $EVAL/wordsim353.tsv 30000 analogy-only \
     | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')
printf "lexis %.2f s   gensim %.2f s\n" "$lx" "$gs"
