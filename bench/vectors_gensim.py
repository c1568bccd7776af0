#!/usr/bin/env python3
"""gensim's side of bench/vectors.sh: load timings and evaluation numbers as one JSON line.
    python3 vectors_gensim.py load FILE [bin|text]    -> {"seconds": ...}
    python3 vectors_gensim.py eval FILE QUESTIONS PAIRS [RESTRICT]
    python3 vectors_gensim.py query FILE N            -> seconds per most_similar(topn=10), N random words
    python3 vectors_gensim.py synth N D FILE          -> random N x D word2vec binary (words w0, w1, ...)
    python3 vectors_gensim.py train CORPUS FILE D EPOCHS -> gensim Word2Vec vectors (min_count 5, 2 workers)
    python3 vectors_gensim.py reshape FILE.bin D OUT.bin -> FILE's words (same order) with random D-dim vectors
    python3 vectors_gensim.py same ORIGINAL.bin OTHER bin|text -> whether gensim reads OTHER as the same words and
                                                      bit-identical vectors as ORIGINAL
"""
import json, logging, sys, time
import numpy as np
from gensim.models import KeyedVectors

logging.disable(logging.CRITICAL)

def load(path, binary):
    return KeyedVectors.load_word2vec_format(path, binary=binary)

cmd = sys.argv[1]
if cmd == "load":
    binary = sys.argv[3] == "bin"
    start = time.perf_counter()
    kv = load(sys.argv[2], binary)
    print(json.dumps({"seconds": time.perf_counter() - start, "words": len(kv), "dimension": kv.vector_size}))
elif cmd == "eval":
    kv = load(sys.argv[2], True)
    restrict = int(sys.argv[5]) if len(sys.argv) > 5 else 30000
    start = time.perf_counter()
    score, sections = kv.evaluate_word_analogies(sys.argv[3], restrict_vocab=restrict)
    seconds = time.perf_counter() - start
    answered = sum(len(s["correct"]) + len(s["incorrect"]) for s in sections[:-1])
    pearson, spearman, oov_ratio = kv.evaluate_word_pairs(sys.argv[4])
    if len(sys.argv) > 6 and sys.argv[6] == "analogy-only":
        print(json.dumps({"accuracy": score, "seconds": seconds}))
        sys.exit(0)
    print(json.dumps({"accuracy": score, "answered": answered, "seconds": seconds,
                      "sections": {s["section"]: len(s["correct"]) / max(1, len(s["correct"]) + len(s["incorrect"])) for s in sections[:-1]},
                      "spearman": float(spearman[0]), "pearson": float(pearson[0]), "oov_ratio": oov_ratio}))
elif cmd == "synth":
    n, d, path = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    m = np.random.default_rng(0).standard_normal((n, d)).astype(np.float32)
    with open(path, "wb") as f:
        f.write(b"%d %d\n" % (n, d))
        for i in range(n):
            f.write(b"w%d " % i + m[i].tobytes() + b"\n")
elif cmd == "train":
    from gensim.models import Word2Vec
    model = Word2Vec(corpus_file=sys.argv[2], vector_size=int(sys.argv[4]), epochs=int(sys.argv[5]),
                     min_count=5, workers=2, seed=1)
    model.wv.save_word2vec_format(sys.argv[3], binary=True)
elif cmd == "reshape":
    kv = load(sys.argv[2], True)
    d = int(sys.argv[3])
    m = np.random.default_rng(0).standard_normal((len(kv), d)).astype(np.float32)
    with open(sys.argv[4], "wb") as f:
        f.write(b"%d %d\n" % (len(kv), d))
        for word, row in zip(kv.index_to_key, m):
            f.write(word.encode("utf8") + b" " + row.tobytes() + b"\n")
elif cmd == "same":
    a = load(sys.argv[2], True)
    b = load(sys.argv[3], sys.argv[4] == "bin")
    same = a.index_to_key == b.index_to_key and a.vectors.tobytes() == b.vectors.tobytes()
    print(json.dumps({"same": same, "words": len(b)}))
elif cmd == "query":
    kv = load(sys.argv[2], sys.argv[2].endswith(".bin"))
    n = int(sys.argv[3])
    import random
    random.seed(1)   # the same words as bench/vectors.sh gives lexis
    words = ["w%d" % random.randrange(100000) for _ in range(n)]
    kv.fill_norms()
    kv.most_similar(words[0], topn=10)
    start = time.perf_counter()
    for w in words:
        kv.most_similar(w, topn=10)
    print(json.dumps({"seconds_per_query": (time.perf_counter() - start) / n}))
