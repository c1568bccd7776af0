#!/usr/bin/env bash
# Control experiment for the CBOW quality gap (BENCHMARKS.md, word2vec): a C replica of gensim's
# CBOW update trained with the linear schedule (as Lexis) and with gensim's 2-worker corpus_file
# schedule, two seeds each, all evaluated like bench/word2vec.py. Needs ../shared/datasets and
# gensim 4.4 (for the vocabulary and noise table). About 4 minutes per run on one core.
#   bash bench/replica/replica.sh [SEEDS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${DATA:-../shared/datasets}
CORPUS=$DATA/enwiki/enwiki-t8-lines.txt
WORK=$(mktemp -d /tmp/cbow-replica-XXXX)
python3 - "$CORPUS" "$WORK" <<'PY'
import sys, numpy as np
from gensim.models import Word2Vec
m = Word2Vec(vector_size=100, min_count=5, sample=1e-4)
m.build_vocab(corpus_file=sys.argv[1])
with open(f"{sys.argv[2]}/vocab.txt", "w") as f:
    for i, w in enumerate(m.wv.index_to_key):
        f.write(f"{w} {m.wv.get_vecattr(i, 'count')} {m.wv.get_vecattr(i, 'sample_int')}\n")
np.array(m.cum_table, dtype=np.uint32).tofile(f"{sys.argv[2]}/cum.bin")
PY
cc -O3 -march=native -o "$WORK/gensim_cbow" bench/replica/gensim_cbow.c -lm
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(0 7)
outputs=()
for seed in "${seeds[@]}"; do
  for schedule in linear gensim2w; do
    out=$WORK/cbow-$schedule-$seed.bin
    "$WORK/gensim_cbow" "$CORPUS" "$WORK/vocab.txt" "$WORK/cum.bin" "$out" 5 $schedule $seed 2>/dev/null &
    outputs+=("$out")
  done
  wait
done
python3 - "${outputs[@]}" <<'PY'
import sys, importlib.util
spec = importlib.util.spec_from_file_location("w2v", "bench/word2vec.py")
w2v = importlib.util.module_from_spec(spec); spec.loader.exec_module(w2v)
for path in sys.argv[1:]:
    accuracy, spearman = w2v.evaluate(path)
    print(f"{path.rsplit('/', 1)[1]}: analogy {accuracy * 100:.2f}%  WS-353 {spearman:.3f}")
PY
