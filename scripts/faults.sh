#!/usr/bin/env bash
# Writers under faults: every file Lexis writes, while the writer is killed with SIGKILL at
# random moments, when the disk fills up, and when the output path cannot be written.
#
#   bash scripts/faults.sh [--lexis BINARY] [--trials N]
#
# For each writer (vectors in binary, text, fastText .vec and .lexis form, vocabularies, language
# models with their checkpoints and trainer state, classifiers, word2vec checkpoints, SVG plots)
# it checks that
#   - kill -9 at a random moment (every other trial: while a temporary file is being written)
#     leaves the old file intact or the new one complete (it loads), never a mix, and the next
#     successful run leaves no temporary file behind;
#   - a full disk (a tmpfs just larger than the old file) is exit 1 with an error naming the file
#     and "No space left on device", the old file intact, no temporary left;
#   - an output path that is a folder, in a missing folder, in a folder the user may not write
#     (run as nobody) or on a read-only file system is exit 1 with a clear error, before any
#     training.
# Prints a table (case, expected, seen) and exits 1 if any case fails. Needs root for the tmpfs
# mounts and for running as nobody (those cases are skipped otherwise). Data: lines of
# corpora/en/gutenberg.txt, so it runs from a clean clone. About 3 minutes on 2 cores.
set -uo pipefail
cd "$(dirname "$0")/.."

LEXIS=.build/release/lexis TRIALS=4
while [ $# -gt 0 ]; do
  case $1 in
    --lexis) LEXIS=${2:?}; shift 2 ;;
    --trials) TRIALS=${2:?}; shift 2 ;;
    *) sed -n '4,5p' "$0" >&2; exit 2 ;;
  esac
done
[ -x "$LEXIS" ] || { echo "no lexis binary at $LEXIS: build it with swift build -c release --product lexis" >&2; exit 2; }
WORK=$(mktemp -d /tmp/lexis-faults.XXXXXX)
MOUNTS=()
cleanup() { for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done; rm -rf "$WORK"; }
trap cleanup EXIT
cp "$LEXIS" "$WORK/lexis" && chmod 755 "$WORK" "$WORK/lexis"
LEXIS=$WORK/lexis
# Root that may mount a tmpfs (a container may forbid it): else the full-disk, read-only and
# permission cases are skipped and say so.
ROOT=0
if [ "$(id -u)" = 0 ] && mkdir -p "$WORK/probe" && mount -t tmpfs -o size=64k tmpfs "$WORK/probe" 2>/dev/null; then
  umount "$WORK/probe"; ROOT=1
fi

# Small data, so that each run takes about a second.
head -c 2000000 corpora/en/gutenberg.txt > "$WORK/corpus.txt"
head -n 3000 corpora/en/gutenberg.txt | awk 'NF' > "$WORK/lm.txt"
head -n 2000 corpora/en/gutenberg.txt | awk 'NF { print (NR % 2 ? "odd" : "even") "\t" $0 }' > "$WORK/labels.tsv"
"$LEXIS" train "$WORK/corpus.txt" -o "$WORK/big.bin" --epochs 1 --quiet >/dev/null 2>&1
chmod -R a+r "$WORK"

# writer NAME: the command that writes $OUT, and the command that checks $OUT is complete.
write_cmd() {
  case $1 in
    vectors-bin|vectors-text|vectors-lexis) echo "$LEXIS train $WORK/corpus.txt -o \$OUT --epochs 1 --seed 1 --quiet" ;;
    vectors-vec) echo "$LEXIS convert $WORK/big.bin \$OUT --quiet" ;;
    vocabulary) echo "$LEXIS vocab build $WORK/corpus.txt -o \$OUT" ;;
    lm-model) echo "$LEXIS lm train --train $WORK/lm.txt --epochs 2 --hidden 64 --layers 1 --threads 1 --quiet -o \$OUT" ;;
    classifier) echo "$LEXIS classify train --train $WORK/labels.tsv --ensemble 1 --epochs 2 --hidden 16 --threads 1 --quiet -o \$OUT" ;;
    w2v-checkpoint) echo "$LEXIS train $WORK/corpus.txt -o $WORK/ck-vectors.bin --checkpoint \$OUT --epochs 2 --quiet" ;;
    plot-svg) echo "$LEXIS plot $WORK/big.bin --words the,of,and,sea,love --neighbors 30 -o \$OUT --quiet" ;;
  esac
}
check_cmd() {
  case $1 in
    vectors-*) echo "$LEXIS neighbors \$OUT the -k 1" ;;
    vocabulary) echo "$LEXIS vocab show \$OUT" ;;
    lm-model) echo "$LEXIS lm eval --model \$OUT $WORK/lm.txt" ;;
    classifier) echo "$LEXIS classify test --model \$OUT $WORK/labels.tsv" ;;
    w2v-checkpoint) echo "$LEXIS train $WORK/corpus.txt -o $WORK/resumed.bin --resume \$OUT --quiet" ;;
    plot-svg) echo "grep -q '</svg>' \$OUT" ;;
    # The LM's trainer state (optimizer moments): a resume reads it, or says why not.
    lm-state) echo "$LEXIS lm train --train $WORK/lm.txt --resume \${OUT%.trainer} --epochs 2 -o $WORK/resumed.lexis --quiet" ;;
  esac
}
file_name() {
  case $1 in
    vectors-bin) echo v.bin ;; vectors-text) echo v.txt ;; vectors-lexis) echo v.lexis ;; vectors-vec) echo v.vec ;;
    vocabulary) echo vocab.tsv ;; lm-model) echo lm.lexis ;; classifier) echo classifier.lexis ;;
    w2v-checkpoint) echo w2v.checkpoint ;; plot-svg) echo plot.svg ;;
  esac
}
WRITERS="vectors-bin vectors-text vectors-lexis vectors-vec vocabulary lm-model classifier w2v-checkpoint plot-svg"

ROWS=() FAILED=0
row() {  # case expected seen ok
  ROWS+=("$(printf '%-34s %-42s %-44s %s' "$1" "$2" "$3" "$4")")
  [ "$4" = OK ] || FAILED=1
}
run_writer() {  # name out [extra env]: runs to completion, returns its status; stderr in $WORK/err
  local OUT=$2
  eval "$(write_cmd "$1")" >/dev/null 2>"$WORK/err"
}
is_complete() {  # name out
  local OUT=$2 name=$1
  [[ $OUT == *.trainer ]] && name=lm-state
  # A trainer state from the epoch after its checkpoint (killed between the two renames) is not
  # damage: the resume says so and starts the optimizer afresh.
  eval "$(check_cmd "$name")" >/dev/null 2>&1
}
temporaries() { find "$(dirname "$1")" -maxdepth 1 -name "$(basename "$1").tmp-*" | wc -l; }
checksum() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }

for w in $WRITERS; do
  dir=$WORK/kill-$w; mkdir -p "$dir"; out=$dir/$(file_name "$w")
  started=$(date +%s.%N); run_writer "$w" "$out"; status=$?
  seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  if [ $status -ne 0 ] || ! is_complete "$w" "$out"; then
    row "$w: first run" "exit 0, a complete file" "exit $status: $(head -c 60 "$WORK/err")" FAIL; continue
  fi
  old=$(checksum "$out"); intact=0 complete=0 broken=0
  if [ "$w" = lm-model ]; then checks=("$out" "$out.checkpoint" "$out.checkpoint.trainer"); else checks=("$out"); fi
  for ((t = 0; t < TRIALS; t++)); do
    OUT=$out; eval "$(write_cmd "$w") >/dev/null 2>&1 &"; pid=$!
    if ((t % 2 == 0)); then
      # Anywhere in the run.
      sleep "$(awk -v s="$seconds" -v r=$RANDOM 'BEGIN { printf "%.3f", s * 1.2 * r / 32767 }')"
    else
      # Inside a write: as soon as a temporary file appears, then up to 20 ms later.
      for ((i = 0; i < 20000; i++)); do
        [ "$(find "$dir" -maxdepth 1 -name '*.tmp-*' | head -1)" ] && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.001
      done
      sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.3f", 0.02 * r / 32767 }')"
    fi
    kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
    for f in "${checks[@]}"; do
      if [ "$(checksum "$f")" = "$old" ] && [ "$f" = "$out" ]; then intact=$((intact + 1))
      elif is_complete "$w" "$f"; then complete=$((complete + 1))
      else broken=$((broken + 1)); fi
    done
  done
  left_before=$(temporaries "$out")
  run_writer "$w" "$out"; left_after=$(temporaries "$out")
  seen="old $intact, new complete $complete, mixed $broken"
  row "$w: kill -9 x$TRIALS" "old intact or new complete, never mixed" "$seen" "$([ $broken = 0 ] && echo OK || echo FAIL)"
  row "$w: temporaries after next run" "0 (killed runs left $left_before)" "$left_after" "$([ "$left_after" = 0 ] && echo OK || echo FAIL)"
done

if [ $ROOT = 0 ]; then
  row "full disk" "exit 1, names file, ENOSPC" "skipped (needs root and mount)" OK
else
  for w in $WRITERS; do
    src=$WORK/kill-$w/$(file_name "$w")
    mnt=$WORK/full-$w; mkdir -p "$mnt"
    size=$(stat -c %s "$src")
    # Room for the old file and a quarter of a new one.
    mount -t tmpfs -o size=$(( (size + size / 4) / 4096 * 4096 + 8192 )) tmpfs "$mnt" && MOUNTS+=("$mnt")
    cp "$src" "$mnt/" && out=$mnt/$(basename "$src") && old=$(checksum "$out")
    run_writer "$w" "$out"; status=$?
    err=$(tr '\n' ' ' < "$WORK/err")
    ok=$([ $status = 1 ] && [[ $err == *"$out"* ]] && [[ $err == *"No space left on device"* ]] \
         && [ "$(checksum "$out")" = "$old" ] && [ "$(temporaries "$out")" = 0 ] && echo OK || echo FAIL)
    row "$w: full disk" "exit 1, names file, ENOSPC, old intact" "exit $status, old $([ "$(checksum "$out")" = "$old" ] && echo intact || echo CHANGED)" "$ok"
  done
fi

# Paths that cannot be written: the error comes before any training.
w=lm-model
mkdir -p "$WORK/a-folder"
for case in folder missing-folder read-only not-permitted; do
  prefix=""
  case $case in
    folder) out=$WORK/a-folder; want="it is a folder" ;;
    missing-folder) out=$WORK/no/such/lm.lexis; want="does not exist" ;;
    read-only)
      [ $ROOT = 1 ] || { row "output: read-only" "exit 1" "skipped (needs root and mount)" OK; continue; }
      mnt=$WORK/ro; mkdir -p "$mnt"; mount -t tmpfs -o size=1m tmpfs "$mnt" && MOUNTS+=("$mnt")
      mount -o remount,ro "$mnt"; out=$mnt/lm.lexis; want="Read-only file system" ;;
    not-permitted)
      [ $ROOT = 1 ] || { row "output: not-permitted" "exit 1" "skipped (needs root and mount)" OK; continue; }
      mkdir -p "$WORK/locked"; chmod 755 "$WORK/locked"; out=$WORK/locked/lm.lexis; want="Permission denied"
      prefix="setpriv --reuid=nobody --regid=nogroup --clear-groups" ;;
  esac
  started=$(date +%s.%N)
  OUT=$out; eval "$prefix $(write_cmd $w)" >/dev/null 2>"$WORK/err"; status=$?
  seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  err=$(tr '\n' ' ' < "$WORK/err")
  ok=$([ $status = 1 ] && [[ $err == *"$want"* ]] && awk -v s="$seconds" 'BEGIN { exit !(s < 1) }' && echo OK || echo FAIL)
  row "output: $case" "exit 1, '$want', before training" "exit $status in $seconds s" "$ok"
done

printf '%-34s %-42s %-44s %s\n' case expected seen result
printf '%s\n' "${ROWS[@]}"
[ $FAILED = 0 ] && echo "all cases hold" || echo "SOME CASES FAILED"
exit $FAILED
