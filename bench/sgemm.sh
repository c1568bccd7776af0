#!/usr/bin/env bash
# sgemm GFLOP/s on the language models' products: OpenBLAS (through Lexis) against PyTorch, same
# shapes, same threads, same run; prints the ratio per shape. Needs `pip install torch`.
#   bash bench/sgemm.sh [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
T=${1:-2}
swift build -c release --product lexis-bench >/dev/null
.build/release/lexis-bench sgemm "$T" > bench/out-sgemm-lexis.txt
python3 bench/sgemm_torch.py "$T" > bench/out-sgemm-torch.txt
head -1 bench/out-sgemm-lexis.txt; head -1 bench/out-sgemm-torch.txt
join <(tail -n +2 bench/out-sgemm-lexis.txt | awk '{print $1, $2, $3}' | sort) \
     <(tail -n +2 bench/out-sgemm-torch.txt | awk '{print $1, $3}' | sort) |
  awk '{printf "%-24s %-16s openblas %7.1f  torch %7.1f GFLOP/s  ratio %.2fx\n", $1, $2, $3, $4, $3 / $4}'
rm -f bench/out-sgemm-lexis.txt bench/out-sgemm-torch.txt
