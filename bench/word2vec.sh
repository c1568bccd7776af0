#!/usr/bin/env bash
# word2vec speed and quality against gensim and fastText (needs ../shared/datasets and
# `pip install gensim==4.4.0 fasttext-wheel`). About 25 minutes on 2 cores for the full table.
#   bash bench/word2vec.sh                       # skip-gram and CBOW, 1 and 5 epochs
#   bash bench/word2vec.sh --models skipgram --epochs 1
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product lexis >/dev/null
python3 bench/word2vec.py "$@"
