#!/usr/bin/env python3
"""Writes the small peer-made fixtures for LexisVectorsTests. Run from this folder:
    python3 make_fixtures.py
gensim writes gensim.bin and gensim.txt from fixed vectors; expected.tsv holds the same vectors as
the hex bit patterns of their float32 values, so the tests can compare bit for bit. glove.txt
(no header) and fasttext.vec (trailing space, 5 significant digits, as fastText prints) hold the
same words with rounded values."""
import numpy as np
from gensim.models import KeyedVectors

rng = np.random.default_rng(20261125)
words = ["the", "king", "queen", "man", "woman", "café", "北京", "naïve", "x"]
vectors = rng.standard_normal((len(words), 5)).astype(np.float32)
vectors[-1] = [1e-30, -3.5e12, 0.0, -0.0, 7.0]   # extreme but finite values

kv = KeyedVectors(vector_size=5)
kv.add_vectors(words, vectors)
kv.save_word2vec_format("gensim.bin", binary=True)
kv.save_word2vec_format("gensim.txt", binary=False)

with open("expected.tsv", "w", encoding="utf-8") as out:
    for word, row in zip(words, vectors):
        out.write(word + "\t" + " ".join("%08x" % v for v in row.view(np.uint32)) + "\n")

with open("glove.txt", "w", encoding="utf-8") as out:
    for word, row in zip(words, vectors):
        out.write(word + " " + " ".join("%.6f" % v for v in row) + "\n")

with open("fasttext.vec", "w", encoding="utf-8") as out:
    out.write("%d %d\n" % (len(words), vectors.shape[1]))
    for word, row in zip(words, vectors):
        out.write(word + " " + "".join("%.5g " % v for v in row) + "\n")
