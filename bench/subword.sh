#!/usr/bin/env bash
# Subword vectors (fastText's model) against fastText, speed, quality, interop and a 2M x 300 model
# (needs ../shared/datasets and `pip install fasttext-wheel`). About 45 minutes on 2 cores, most of it
# fastText's skip-gram. Timed runs take the exclusive lock of /tmp/lexis-cpu.lock (LOCK=...).
#   bash bench/subword.sh                         # skip-gram and CBOW, 5 epochs, 2 threads
#   bash bench/subword.sh --models cbow --epochs 1 --skip-big
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product lexis >/dev/null
python3 bench/subword.py "$@"
