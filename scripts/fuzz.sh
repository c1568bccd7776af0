#!/usr/bin/env bash
# Builds the libFuzzer harness (Fuzz/), makes seeds (scripts/make-fuzz-seeds.sh) and fuzzes each
# parser, then prints target / executions / crashes / hangs / peak RSS. Exits 1 on any crash,
# hang or out-of-memory. RELIABILITY.md ("Fuzzing") has the results and what the flags do.
#
#   scripts/fuzz.sh [--runs N | --seconds S] [--asan] [TARGET...]
#
# --asan adds AddressSanitizer (about 10x slower; separate build in .build-fuzz-asan). Inputs
# that crash are kept under .build-fuzz*/artifacts/TARGET/; the grown corpus under corpus/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=(-runs=100000) asan=0 targets=()
while (($#)); do
  case $1 in
    --runs) limit=(-runs="$2"); shift 2 ;;
    --seconds) limit=(-max_total_time="$2"); shift 2 ;;
    --asan) asan=1; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
all=(w2v-bin w2v-text glove lexis-vec fasttext-bin vocab lm classifier w2v-checkpoint lm-state tsv tokenizer framed phrases dictionary)
((${#targets[@]})) || targets=("${all[@]}")

# SwiftPM's --sanitize=fuzzer instruments every target, Lexis's included, and links libFuzzer's
# main. Adding --sanitize=address passes swiftc two -sanitize flags, of which it keeps only the
# last: the Swift code would lose its coverage. So ASan goes in as one combined swiftc flag.
flags=(--sanitize=fuzzer -Xswiftc -parse-as-library)
build=.build-fuzz
if ((asan)); then
  flags+=(-Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=address)
  build=.build-fuzz-asan
fi
swift build --package-path Fuzz -c release --scratch-path "$build" "${flags[@]}" -q
bin=$build/release/lexis-fuzz
[[ -d .build-fuzz/seeds ]] || bash scripts/make-fuzz-seeds.sh .build-fuzz/seeds

# The Swift runtime's own backtracer would run on every crash before libFuzzer's report.
export SWIFT_BACKTRACE=enable=no
failed=0
rows=()
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
  log=$build/logs/$t.log && mkdir -p "$build/logs"
  # The ASan run starts from the corpus the faster plain run grew, so it checks deep inputs too.
  extra=()
  if ((asan)) && [[ -d .build-fuzz/corpus/$t ]]; then extra=(.build-fuzz/corpus/$t); fi
  start=$(date +%s) && touch "$build/logs/start"     # artifacts newer than this are this run's
  # -rss_limit_mb: a parser that needs 2 GB for a few KB of input is a bug; it also caps any single
  # allocation (-malloc_limit_mb defaults to it). -timeout: seconds per input before it is a hang.
  LEXIS_FUZZ_TARGET=$t "$bin" "${limit[@]}" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t/" \
    "$build/corpus/$t" ".build-fuzz/seeds/$t" "${extra[@]}" > "$log" 2>&1 || true
  secs=$(($(date +%s) - start))
  execs=$(awk -F': ' '/stat::number_of_executed_units/ {print $2 + 0}' "$log")
  rss=$(awk -F': ' '/stat::peak_rss_mb/ {print $2 + 0}' "$log")
  crashes=$(find "$build/artifacts/$t" -newer "$build/logs/start" \( -name 'crash-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
  hangs=$(find "$build/artifacts/$t" -newer "$build/logs/start" -name 'timeout-*' | wc -l)
  if ((crashes + hangs)) || ! grep -q "stat::number_of_executed_units" "$log"; then failed=1; fi
  rows+=("$(printf '%-15s %12s %8s %6s %9s %6s' "$t" "$execs" "$crashes" "$hangs" "${rss} MB" "${secs}s")")
done
printf '%-15s %12s %8s %6s %9s %6s\n' target executions crashes hangs "peak RSS" time
printf '%s\n' "${rows[@]}"
((failed == 0)) || { echo "fuzz: crashes, hangs or a failed run; see $build/artifacts and $build/logs" >&2; exit 1; }
