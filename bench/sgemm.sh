#!/usr/bin/env bash
# sgemm GFLOP/s on the language models' products: OpenBLAS (through Lexis) and Lexis's own
# few-row kernel (the per-step products, m = 20) against PyTorch's CPU BLAS, same shapes, same
# threads. The tools alternate ROUNDS times and each keeps its best, so that a change in machine
# speed during the run (the cores are shared) hits both. Needs `pip install torch`.
#   bash bench/sgemm.sh [THREADS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
T=${1:-2}
ROUNDS=${2:-3}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
swift build -c release --product lexis-bench >/dev/null
for r in $(seq "$ROUNDS"); do
  .build/release/lexis-bench sgemm "$T" > "$OUT/lexis-$r.txt"
  python3 bench/sgemm_torch.py "$T" > "$OUT/torch-$r.txt"
done
head -1 "$OUT/lexis-1.txt"; head -1 "$OUT/torch-1.txt"
python3 - "$OUT" "$ROUNDS" <<'PY'
import sys, collections
out, rounds = sys.argv[1], int(sys.argv[2])
best = collections.defaultdict(float)
shape = {}
for tool in ("lexis", "torch"):
    for r in range(1, rounds + 1):
        for line in open(f"{out}/{tool}-{r}.txt"):
            if line.startswith("#"): continue
            name, dims, gflops = line.split()[:3]
            key = (tool, name)
            best[key] = max(best[key], float(gflops))
            shape[name] = dims
names = [n for n in shape if not n.endswith("-lexis-kernel")]
print(f"{'product':24} {'m x n x k':16} {'OpenBLAS':>9} {'Lexis kernel':>12} {'PyTorch':>8} {'best Lexis / PyTorch':>21}")
for n in sorted(names):
    o, t = best[("lexis", n)], best[("torch", n)]
    k = best.get(("lexis", n + "-lexis-kernel"), 0)
    kernel = f"{k:12.1f}" if k else f"{'':12}"
    print(f"{n:24} {shape[n]:16} {o:9.1f} {kernel} {t:8.1f} {max(o, k) / t:20.2f}x")
PY
