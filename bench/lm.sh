#!/usr/bin/env bash
# Training speed of `lexis lm train` against PyTorch (CPU, nn.LSTM / nn.RNN) on the same data,
# sizes, batch, bptt and clipping, in the same run. Prints tokens/s for both and the ratio.
#
#   bench/lm.sh [PTB_DIR] [BATCHES]
#
# Configurations: small LSTM (2x200, bptt 20, batch 20), small RNN (same sizes), medium LSTM
# (2x650, bptt 35, batch 20). Both tools use 2 threads. Needs a release build (built here).
set -euo pipefail
cd "$(dirname "$0")/.."
PTB=${1:-../shared/datasets/ptb}
BATCHES=${2:-200}
THREADS=${THREADS:-2}
OUT=bench/out
mkdir -p "$OUT"
swift build -c release --product lexis >/dev/null
LEXIS=.build/release/lexis

echo "machine: $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg), OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, $($LEXIS lm train --help >/dev/null; python3 -c 'import torch; print("torch", torch.__version__)')"
best() { python3 -c "import sys; print(max(float(x) for x in sys.argv[1:] if x))" "$@"; }
run() {  # name cell hidden bptt batches lr; best of $REPEAT alternating runs (the machine is shared)
  local name=$1 cell=$2 hidden=$3 bptt=$4 batches=$5 lr=$6
  local lexis=() torch=() out t
  for _ in $(seq "${REPEAT:-2}"); do
    out=$($LEXIS lm train --train "$PTB/ptb.train.txt" --cell "$cell" --layers 2 --hidden "$hidden" \
        --bptt "$bptt" --batch 20 --lr "$lr" --clip 5 --epochs 1 --max-batches "$batches" \
        --threads "$THREADS" --quiet -o "$OUT/bench-$name.lexis")
    lexis+=("$(sed -n 's/^train tokens\/s //p' <<<"$out")")
    out=$(python3 bench/lm_torch.py --train "$PTB/ptb.train.txt" --cell "$cell" --layers 2 --hidden "$hidden" \
        --bptt "$bptt" --batch 20 --lr "$lr" --clip 5 --batches "$batches" --threads "$THREADS")
    t=${out##*train tokens/s }; torch+=("${t%%,*}")
  done
  local l p
  l=$(best "${lexis[@]}"); p=$(best "${torch[@]}")
  printf '%-12s lexis %6.0f tokens/s (%s)  pytorch %6.0f tokens/s (%s)  ratio %s\n' "$name" "$l" "${lexis[*]}" \
      "$p" "${torch[*]}" "$(python3 -c "print(f'{$l/$p:.2f}x')")"
}
run small-lstm lstm 200 20 "$BATCHES" 1
run small-rnn rnn 200 20 "$BATCHES" 0.3
run medium-lstm lstm 650 35 $((BATCHES / 4)) 1
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
