#!/usr/bin/env bash
# Phrases and CJK names (issue 16). Needs ../shared/datasets and `pip install gensim==4.4.0`.
#   bash bench/phrases.sh                 # detection vs gensim, training with phrases (3 seeds), CJK names
#   bash bench/phrases.sh --seeds 1       # options go to bench/phrases.py
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
[ -d "$DATA/enwiki" ] || { echo "needs $DATA (see ../shared/datasets/README.md)"; exit 1; }
swift build -c release --product lexis >/dev/null
python3 bench/phrases.py "$@"
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
for lang in zh ja; do
  echo "== $lang: names before and after phrases"
  python3 bench/cjk_names.py .build/release/lexis "$DATA" "$OUT" --lang $lang --seeds 3 --epochs 10
done
