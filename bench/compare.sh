#!/usr/bin/env bash
# Same outputs, same speed? Runs an OLD and a NEW `lexis` release binary on the same data in
# the same run (for a refactor: build the commit before it and the one after):
#
#   bash bench/compare.sh --old OLD_BINARY --new NEW_BINARY [--quick] [--expect-pair-change]
#                         [--corpus FILE] [--classify-data DIR] [--threads N] [--no-speed] [--keep]
#
# Equality (1 thread, fixed seeds; these decide the exit status):
#   word2vec   skip-gram, CBOW and skip-gram --negatives per-pair on corpora/en/gutenberg.txt:
#              the .bin vector files must be byte-identical (cmp). With --expect-pair-change the
#              per-pair vectors may differ (a refactor that drops wasted random draws changes them).
#   lm         `lm train` (LSTM and RNN, small, on lines cut from gutenberg.txt): per-epoch
#              train/valid and test perplexities printed, and the full-precision history the
#              model file records, equal to 1e-5 relative; `lm eval` and `lm generate` likewise.
#   classify   `classify train` (BiLSTM ensemble of 2, and bow) on author-labelled gutenberg lines
#              (or --classify-data DIR with train/dev/test.tsv): per-epoch losses, dev and test
#              accuracies; `classify test --json` and `classify predict --top 3` likewise.
# Reported but never a failure: whether the model files are byte-identical once the wall-clock
# times they record are blanked (the format may change in a refactor), and whether NEW reads
# the model files OLD wrote.
# Speed (threads 2, runs alternate old/new, best of 3, of 1 with --quick): word2vec words/s on
# --corpus (default: gutenberg.txt three times over), LM tokens/s, classifier seconds per epoch;
# --no-speed skips them. --keep keeps the temporary directory with every log.
# About 2 minutes with --quick and 4.5 without on 2 busy cores (most of it the speed runs).
set -euo pipefail

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

OLD="" NEW="" QUICK=0 EXPECT_PAIR_CHANGE=0 CORPUS="" CLASSIFY_DATA="" THREADS=2 SPEED=1 KEEP=0
while [ $# -gt 0 ]; do
  case $1 in
    --old) OLD=${2:?--old needs a binary}; shift 2 ;;
    --new) NEW=${2:?--new needs a binary}; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --expect-pair-change) EXPECT_PAIR_CHANGE=1; shift ;;
    --corpus) CORPUS=${2:?--corpus needs a file}; shift 2 ;;
    --classify-data) CLASSIFY_DATA=${2:?--classify-data needs a directory}; shift 2 ;;
    --threads) THREADS=${2:?--threads needs a number}; shift 2 ;;
    --no-speed) SPEED=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage ;;
    *) echo "unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$OLD" ] && [ -n "$NEW" ] || usage
for b in "$OLD" "$NEW"; do
  [ -x "$b" ] || { echo "not an executable: $b" >&2; exit 2; }
done
[ -z "$CORPUS" ] || [ -f "$CORPUS" ] || { echo "no such corpus: $CORPUS" >&2; exit 2; }
if [ -n "$CLASSIFY_DATA" ]; then
  for s in train dev test; do
    [ -f "$CLASSIFY_DATA/$s.tsv" ] || { echo "missing $CLASSIFY_DATA/$s.tsv" >&2; exit 2; }
  done
fi
# Paths are the caller's; the script then works from the repository root.
declare -A BIN=([old]=$(realpath "$OLD") [new]=$(realpath "$NEW"))
[ -z "$CORPUS" ] || CORPUS=$(realpath "$CORPUS")
[ -z "$CLASSIFY_DATA" ] || CLASSIFY_DATA=$(realpath "$CLASSIFY_DATA")
cd "$(dirname "$0")/.."
REPS=$((QUICK ? 1 : 3))
GUTENBERG=corpora/en/gutenberg.txt
TOL=1e-5

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lexis-compare.XXXXXX")
cleanup() { if [ "$KEEP" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

# MARK: - Results

CASES=() EXPECTED=() SEEN=() STATUS=() FAILED=0
# record CASE EXPECTED SEEN STATUS: one row of the final table; STATUS is OK, FAIL or info.
record() {
  CASES+=("$1") EXPECTED+=("$2") SEEN+=("$3") STATUS+=("$4")
  [ "$4" != FAIL ] || FAILED=1
  printf '  %-36s %-5s %s\n' "$1" "$4" "$3"
}

# MARK: - Running the binaries

# run NAME SIDE ARGS...: runs the old or new binary with stdout in $WORK/NAME-SIDE.out and
# stderr in .err; on failure prints the end of stderr, sets FAILURE and returns 1 (the caller
# records a FAIL instead of the whole script stopping).
FAILURE=""
run() {
  local name=$1 side=$2 rc=0; shift 2
  "${BIN[$side]}" "$@" >"$WORK/$name-$side.out" 2>"$WORK/$name-$side.err" || rc=$?
  if [ "$rc" != 0 ]; then
    FAILURE="$side binary failed (exit $rc) on lexis $1 $2"
    echo "  $side binary failed (exit $rc): lexis $*" >&2
    tr '\r' '\n' <"$WORK/$name-$side.err" | tail -5 | sed 's/^/    /' >&2
    return 1
  fi
}

# run_both NAME ARGS...: the same command with both binaries; output paths may contain the
# placeholder SIDE, replaced by old or new.
run_both() {
  local name=$1 side; shift
  for side in old new; do
    run "$name" "$side" "${@//SIDE/$side}" || return 1
  done
}

# MARK: - Comparing outputs

# metrics FILE: a log's result lines without its timing fields ("36k tokens/s", "2.1 s",
# "seconds per epoch ...", "train tokens/s N"), which differ between any two runs.
metrics() {
  tr '\r' '\n' <"$1" | sed -E -e '/^seconds per epoch/d' -e '/\/s [0-9.]+$/d' \
    -e 's/ +[0-9.]+[kMG]? [a-z]+\/s//g' -e 's/ +[0-9.]+ s$//'
}

# compare_numbers FILE_A FILE_B: the files must have the same lines, word for word, except that
# numbers may differ by $TOL relative. Prints what it saw; returns 1 on a difference.
compare_numbers() {
  awk -v tol="$TOL" '
    function words(s, out) { gsub(/[][(){},:;"=]/, " ", s); return split(s, out, " ") }
    function isnum(x) { return x ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?%?$/ }
    function abs(x) { return x < 0 ? -x : x }
    function clip(s) { return length(s) > 70 ? substr(s, 1, 67) "..." : s }
    FILENAME == ARGV[1] { a[++na] = $0; next }
    { b[++nb] = $0 }
    END {
      if (na == 0 || nb == 0) { print "no results parsed (" na " vs " nb " lines)"; exit 1 }
      if (na != nb) { print "line counts differ: " na " vs " nb; exit 1 }
      maxrel = 0; same = 1
      for (i = 1; i <= na; i++) {
        if (a[i] == b[i]) continue
        same = 0; bad = words(a[i], x) != words(b[i], y)
        for (j = 1; !bad && j in x; j++) {
          if (x[j] == y[j]) continue
          if (!isnum(x[j]) || !isnum(y[j])) { bad = 1; break }
          scale = abs(x[j]) > abs(y[j]) ? abs(x[j]) : abs(y[j])
          rel = abs(x[j] - y[j]) / scale
          if (rel > tol) bad = 1; else if (rel > maxrel) maxrel = rel
        }
        if (bad) { printf "line %d: \"%s\" vs \"%s\"\n", i, clip(a[i]), clip(b[i]); exit 1 }
      }
      lines = na == 1 ? "1 line" : na " lines"
      if (same) printf "identical (%s)\n", lines
      else printf "equal within %s (%s, max rel diff %.1e)\n", tol, lines, maxrel
    }' "$1" "$2"
}

# check_numbers CASE FILE_A FILE_B: compare_numbers as a required row of the table.
check_numbers() {
  local seen
  if seen=$(compare_numbers "$2" "$3"); then record "$1" "equal" "$seen" OK
  else record "$1" "equal" "$seen" FAIL; fi
}

# mask_times FILE: model files record wall-clock times (LM "history.N=lr train valid SECONDS",
# classifier "train.seconds_per_epoch="); blank them so that equal training gives equal text.
mask_times() {
  LC_ALL=C sed -E -e 's/^(history\.[0-9]+=[^ ]+ [^ ]+ [^ ]+) [0-9.eE+-]+$/\1 T/' \
    -e 's/^([a-z_.]*seconds[a-z_.]*)=.*/\1=T/' "$1"
}

# same_apart_from_times FILE_A FILE_B: equal once the times are blanked, except where the
# framing depends on them: the header's length (within the first 24 bytes: magic, version,
# section tag, length) and the 8-byte FNV-1a checksum at the end.
same_apart_from_times() {
  local a=$WORK/masked-a b=$WORK/masked-b size
  mask_times "$1" >"$a"
  mask_times "$2" >"$b"
  size=$(stat -c %s "$a")
  [ "$size" = "$(stat -c %s "$b")" ] || return 1
  { cmp -l "$a" "$b" || true; } | awk -v size="$size" '$1 > 24 && $1 <= size - 8 { bad = 1 } END { exit bad }'
}

# check_model_files CASE FILE_A FILE_B: reported only; a refactor may change the format.
check_model_files() {
  if cmp -s "$2" "$3"; then
    record "$1" "info" "byte-identical" info
  elif same_apart_from_times "$2" "$3"; then
    record "$1" "info" "identical apart from the recorded training times (and the length and checksum fields they change)" info
  else
    record "$1" "info" "differ ($(cmp "$2" "$3" 2>&1 | sed 's/.* differ: //'); sizes $(stat -c %s "$2") and $(stat -c %s "$3")): format change?" info
  fi
}

# MARK: - Data, made in $WORK from files in the repository

# The LM reads whitespace-separated lines; contiguous non-empty lines from the start of Emma.
# (awk reads to the end: an early exit would kill grep with SIGPIPE, a failure under pipefail.)
make_lm_data() {
  grep -v '^[[:space:]]*$' "$GUTENBERG" | awk -v d="$WORK" '
    NR <= 6000 { print > (d "/lm.train"); next }
    NR <= 6600 { print > (d "/lm.valid"); next }
    NR <= 7200 { print > (d "/lm.test") }'
}

# The classifier gets label<TAB>line, the label being the author of the book the line is in
# (the "[Title by Author Year]" headers; the King James Bible starts without one). Every 10th
# line of an author goes to test, the next to dev; 300 train and 40 dev/test lines per author.
make_classify_data() {
  if [ -n "$CLASSIFY_DATA" ]; then
    cp "$CLASSIFY_DATA"/{train,dev,test}.tsv "$WORK/"
    return
  fi
  awk -v d="$WORK" '
    /^\[[^]]* [Bb]y [^]]*[0-9][0-9][0-9][0-9]\] *$/ { n = split($0, w, " "); label = tolower(w[n - 1]); next }
    /^In the beginning God created the heaven and the earth\.$/ { label = "bible" }
    label == "" || NF < 6 { next }
    {
      i = seen[label]++
      part = i % 10 == 0 ? "test" : i % 10 == 1 ? "dev" : "train"
      if (kept[label, part]++ < (part == "train" ? 300 : 40)) {
        gsub(/\t/, " "); print label "\t" $0 > (d "/" part ".tsv")
      }
    }' "$GUTENBERG"
}

# Speed corpus: --corpus, or gutenberg.txt three times over (about 5.4M words, a few seconds
# per run on 2 threads, long enough for a stable words/s).
make_speed_corpus() {
  if [ -n "$CORPUS" ]; then SPEED_CORPUS=$CORPUS SPEED_CORPUS_NAME=$CORPUS; return; fi
  SPEED_CORPUS=$WORK/speed-corpus.txt SPEED_CORPUS_NAME="$GUTENBERG x3"
  cat "$GUTENBERG" "$GUTENBERG" "$GUTENBERG" >"$SPEED_CORPUS"
}

# MARK: - 1. word2vec vectors

# final_loss NAME SIDE: the last epoch's loss from a `lexis train` log, for the table.
final_loss() { tr '\r' '\n' <"$WORK/$1-$2.err" | sed -nE 's/^epoch [0-9]+\/[0-9]+: loss ([0-9.]+).*/\1/p' | tail -1; }

# w2v_case CASE NAME ARGS...: trains with both binaries and compares the vector files.
w2v_case() {
  local case=$1 name=$2 expected="byte-identical" may_differ=0; shift 2
  if [ "$name" = w2v-pair ] && [ "$EXPECT_PAIR_CHANGE" = 1 ]; then
    expected="may differ"; may_differ=1
  fi
  if ! run_both "$name" train "$GUTENBERG" -o "$WORK/$name-SIDE.bin" --threads 1 --seed 1 \
      --epochs 2 "$@"; then
    record "$case" "$expected" "$FAILURE" FAIL; return
  fi
  local losses="loss $(final_loss "$name" old) vs $(final_loss "$name" new)"
  if cmp -s "$WORK/$name-old.bin" "$WORK/$name-new.bin"; then
    if [ "$may_differ" = 1 ]; then
      record "$case" "$expected" "identical (a change was allowed, none seen)" OK
    else
      record "$case" "$expected" "identical ($losses)" OK
    fi
  elif [ "$may_differ" = 1 ]; then
    record "$case" "$expected" "differs (expected: per-pair negatives no longer make wasted draws; $losses)" OK
  else
    record "$case" "$expected" "differ: $(cmp "$WORK/$name-old.bin" "$WORK/$name-new.bin" 2>&1 | sed 's/.* differ: //'); $losses" FAIL
  fi
}

# has_flag SIDE SUBCOMMAND FLAG: whether that binary's subcommand takes the flag. (grep reads
# all of the help: grep -q could quit early and fail the pipe with SIGPIPE under pipefail.)
has_flag() { "${BIN[$1]}" "$2" --help 2>/dev/null | grep -- "$3" >/dev/null; }

word2vec_checks() {
  echo "== word2vec: 1 thread, seed 1, 2 epochs on $GUTENBERG"
  w2v_case "word2vec skip-gram" w2v-sg --model skipgram
  w2v_case "word2vec CBOW" w2v-cbow --model cbow
  if has_flag old train --negatives && has_flag new train --negatives; then
    w2v_case "word2vec skip-gram per-pair" w2v-pair --model skipgram --negatives per-pair
  else
    record "word2vec skip-gram per-pair" "n/a" "no --negatives flag in both binaries" info
  fi
}

# MARK: - 2. Language models

# history_lines MODEL: the full-precision perplexities a model file records, times blanked.
history_lines() { mask_times "$1" | LC_ALL=C grep -a -E '^(history\.[0-9]+|best_valid_ppl)=' || true; }

# lm_case CASE NAME ARGS...: trains with both binaries, then compares the perplexities printed
# and recorded, the model files, `lm eval` and `lm generate`, and NEW evaluating OLD's model.
lm_case() {
  local case=$1 name=$2; shift 2
  if ! run_both "$name" lm train --train "$WORK/lm.train" --valid "$WORK/lm.valid" \
      --test "$WORK/lm.test" -o "$WORK/$name-SIDE.model" --tokenizer icu --min-count 2 \
      --threads 1 --seed 1 --epochs 2 --decay-after 1 "$@"; then
    record "$case perplexities" "equal" "$FAILURE" FAIL; return
  fi
  local side
  for side in old new; do metrics "$WORK/$name-$side.out" >"$WORK/$name-$side.metrics"; done
  check_numbers "$case perplexities" "$WORK/$name-old.metrics" "$WORK/$name-new.metrics"
  for side in old new; do history_lines "$WORK/$name-$side.model" >"$WORK/$name-$side.history"; done
  if [ -s "$WORK/$name-old.history" ] && [ -s "$WORK/$name-new.history" ]; then
    check_numbers "$case model history" "$WORK/$name-old.history" "$WORK/$name-new.history"
  else
    record "$case model history" "n/a" "no history lines in both model files" info
  fi
  check_model_files "$case model file" "$WORK/$name-old.model" "$WORK/$name-new.model"

  if run_both "$name-eval" lm eval --model "$WORK/$name-SIDE.model" "$WORK/lm.test" --threads 1 &&
     run_both "$name-gen" lm generate --model "$WORK/$name-SIDE.model" --words 60 --seed 3; then
    for side in old new; do
      cat "$WORK/$name-eval-$side.out" "$WORK/$name-gen-$side.out" >"$WORK/$name-use-$side.out"
    done
    check_numbers "$case eval+generate" "$WORK/$name-use-old.out" "$WORK/$name-use-new.out"
  else
    record "$case eval+generate" "equal" "$FAILURE" FAIL
  fi
  # Can NEW still read what OLD wrote? Reported only: a format change may drop old files.
  if run "$name-cross" new lm eval --model "$WORK/$name-old.model" "$WORK/lm.test" --threads 1 2>/dev/null &&
     compare_numbers "$WORK/$name-eval-old.out" "$WORK/$name-cross-new.out" >/dev/null; then
    record "$case new reads old model" "info" "yes, same test perplexity" info
  else
    record "$case new reads old model" "info" "no (or a different perplexity)" info
  fi
}

lm_checks() {
  echo "== lm train: 1 thread, seed 1, 2 epochs, 6000/600/600 lines of $GUTENBERG"
  make_lm_data
  lm_case "lm lstm" lm-lstm --cell lstm --layers 2 --hidden 48 --dropout 0.2
  lm_case "lm rnn" lm-rnn --cell rnn --layers 1 --hidden 32 --lr 0.3
}

# MARK: - 3. Classifiers

# classify_case CASE NAME ARGS...: trains with both binaries, then compares the losses and
# accuracies printed, the model files, `classify test --json` and `classify predict`.
classify_case() {
  local case=$1 name=$2 side; shift 2
  if ! run_both "$name" classify train --train "$WORK/train.tsv" --dev "$WORK/dev.tsv" \
      --test "$WORK/test.tsv" -o "$WORK/$name-SIDE.model" --threads 1 --seed 1 "$@"; then
    record "$case training" "equal" "$FAILURE" FAIL; return
  fi
  for side in old new; do metrics "$WORK/$name-$side.out" >"$WORK/$name-$side.metrics"; done
  check_numbers "$case training" "$WORK/$name-old.metrics" "$WORK/$name-new.metrics"
  check_model_files "$case model file" "$WORK/$name-old.model" "$WORK/$name-new.model"

  cut -f2 "$WORK/test.tsv" >"$WORK/test.txt"
  if run_both "$name-test" classify test --model "$WORK/$name-SIDE.model" "$WORK/test.tsv" --json &&
     run_both "$name-predict" classify predict --model "$WORK/$name-SIDE.model" "$WORK/test.txt" --top 3; then
    check_numbers "$case test --json" "$WORK/$name-test-old.out" "$WORK/$name-test-new.out"
    check_numbers "$case predict" "$WORK/$name-predict-old.out" "$WORK/$name-predict-new.out"
  else
    record "$case test/predict" "equal" "$FAILURE" FAIL
  fi
  if run "$name-cross" new classify test --model "$WORK/$name-old.model" "$WORK/test.tsv" --json 2>/dev/null &&
     compare_numbers "$WORK/$name-test-old.out" "$WORK/$name-cross-new.out" >/dev/null; then
    record "$case new reads old model" "info" "yes, same test results" info
  else
    record "$case new reads old model" "info" "no (or different results)" info
  fi
}

classify_checks() {
  make_classify_data
  echo "== classify train: 1 thread, seed 1, on ${CLASSIFY_DATA:-author-labelled lines of $GUTENBERG}" \
    "($(wc -l <"$WORK/train.tsv") train, $(wc -l <"$WORK/dev.tsv") dev, $(wc -l <"$WORK/test.tsv") test)"
  classify_case "classify bilstm" cls-lstm --hidden 32 --embedding-size 32 --ensemble 2 \
    --epochs 4 --patience 0 --lr 0.003
  classify_case "classify bow" cls-bow --model bow --epochs 3
}

# MARK: - 4. Speed

# Parsers: one number from a run's logs, or nothing when the line is not there.
# "trained skipgram on 5.45M words in 3.1s (1.76M words/s, ...)" -> 1760000
w2v_rate() {
  tr '\r' '\n' <"$WORK/$1.err" | sed -nE 's/^trained .*\(([0-9.]+)([kMG]?) words\/s.*/\1 \2/p' |
    awk '{ print $1 * ($2 == "k" ? 1e3 : $2 == "M" ? 1e6 : $2 == "G" ? 1e9 : 1) }'
}
lm_rate() { sed -nE 's/^train tokens\/s ([0-9.]+).*/\1/p' "$WORK/$1.out"; }
cls_seconds() { sed -nE 's/^seconds per epoch ([0-9.]+).*/\1/p' "$WORK/$1.out"; }

SPEED_ROWS=()
# bench ROW PARSER max|min ARGS...: runs `lexis ARGS` $REPS times per binary, alternating which
# binary goes first (so a slow phase of the shared machine hits both), and keeps the best
# (max for rates, min for seconds). Output paths may contain SIDE.
bench() {
  local row=$1 parse=$2 better=$3 rep side value; shift 3
  local -A best=([old]="" [new]="")
  for ((rep = 1; rep <= REPS; rep++)); do
    for side in $([ $((rep % 2)) = 1 ] && echo old new || echo new old); do
      run bench "$side" "${@//SIDE/$side}" || continue
      value=$($parse "bench-$side")
      [ -n "$value" ] || continue
      if [ -z "${best[$side]}" ] || awk -v v="$value" -v b="${best[$side]}" -v m="$better" \
          'BEGIN { exit !(m == "max" ? v > b : v < b) }'; then
        best[$side]=$value
      fi
    done
  done
  SPEED_ROWS+=("$row|${best[old]:-?}|${best[new]:-?}|$better")
  echo "  $row: old ${best[old]:-?}, new ${best[new]:-?}"
}

speed_checks() {
  make_speed_corpus
  echo "== speed: $THREADS threads, best of $REPS, alternating; word2vec on $SPEED_CORPUS_NAME" \
    "($(du -h "$SPEED_CORPUS" | cut -f1)), load $(cut -d' ' -f1-3 /proc/loadavg)"
  local w2v=(train "$SPEED_CORPUS" -o "$WORK/bench-SIDE.bin" --epochs 1 --threads "$THREADS")
  bench "word2vec skip-gram words/s" w2v_rate max "${w2v[@]}" --model skipgram
  bench "word2vec CBOW words/s" w2v_rate max "${w2v[@]}" --model cbow
  bench "word2vec per-pair words/s" w2v_rate max "${w2v[@]}" --model skipgram --negatives per-pair
  # The default 2x200 LSTM; 60 batches of 20x20 tokens are enough for a steady rate.
  bench "lm lstm 2x200 tokens/s" lm_rate max lm train --train "$WORK/lm.train" \
    -o "$WORK/bench-SIDE.model" --tokenizer icu --min-count 2 --epochs 1 --max-batches 60 \
    --threads "$THREADS"
  # Default classifier (BiLSTM 150, embedding 300), one model, one epoch.
  bench "classify bilstm s/epoch" cls_seconds min classify train --train "$WORK/train.tsv" \
    -o "$WORK/bench-SIDE.model" --ensemble 1 --epochs 1 --patience 0 --threads "$THREADS"
}

print_speed_table() {
  echo
  echo "Speed (best of $REPS; this machine is noisy, differences under 10-20% mean little)"
  printf '  %-28s %12s %12s %9s\n' case old new new/old
  local line row old new better ratio note
  for line in "${SPEED_ROWS[@]}"; do
    IFS='|' read -r row old new better <<<"$line"
    ratio=$(awk -v o="$old" -v n="$new" 'BEGIN { if (o + 0 > 0 && n + 0 > 0) printf "%.3f", n / o; else print "n/a" }')
    note=$(awk -v r="$ratio" -v m="$better" 'BEGIN {
      if (r == "n/a") exit
      s = m == "max" ? r : 1 / r
      print (s < 0.9 ? "new slower" : (s > 1.1 ? "new faster" : "")) }')  # parenthesized: a bare > in print redirects
    printf '  %-28s %12s %12s %9s  %s\n' "$row" "$old" "$new" "$ratio" \
      "$([ "$better" = max ] && echo "(higher is better)" || echo "(lower is better)") $note"
  done
}

# MARK: - 5. Summary

print_summary() {
  echo
  echo "Summary (equality at 1 thread; numbers to $TOL relative)"
  printf '  %-36s %-14s %-6s %s\n' case expected result seen
  local i
  for i in "${!CASES[@]}"; do
    printf '  %-36s %-14s %-6s %s\n' "${CASES[$i]}" "${EXPECTED[$i]}" "${STATUS[$i]}" "${SEEN[$i]}"
  done
  echo
  if [ "$FAILED" = 0 ]; then echo "RESULT: OK, all required equalities hold"
  else echo "RESULT: FAIL, see the FAIL rows above"; fi
}

START=$SECONDS
for side in old new; do
  echo "$side: ${BIN[$side]} ($("${BIN[$side]}" --version | sed -n 1p), sha256 $(sha256sum "${BIN[$side]}" | cut -c1-12))"
done
if cmp -s "${BIN[old]}" "${BIN[new]}"; then echo "note: old and new are the same binary"; fi
# timed FUNCTION: runs one part and says how long it took.
timed() { local t=$SECONDS; "$1"; echo "  ($((SECONDS - t)) s)"; }
timed word2vec_checks
timed lm_checks
timed classify_checks
if [ "$SPEED" = 1 ]; then
  timed speed_checks
  print_speed_table
fi
print_summary
echo "total $((SECONDS - START)) s"
exit "$FAILED"
