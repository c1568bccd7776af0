#!/usr/bin/env python3
"""gensim's Phrases on a corpus, for bench/phrases.sh: times the detection and writes the phrases.

Usage: phrases_gensim.py CORPUS OUT.tsv [--min-count 5] [--threshold 10] [--scoring default|npmi] [--passes 1]
One sentence per line, tokens split on white space (the corpus is pre-tokenized), as Lexis's
--tokenizer whitespace reads it. Prints `seconds=<detection time>` and writes pass<TAB>phrase<TAB>score lines.
"""
import argparse, time, sys
from gensim.models.phrases import Phrases

p = argparse.ArgumentParser()
p.add_argument("corpus"); p.add_argument("out")
p.add_argument("--min-count", type=int, default=5)
p.add_argument("--threshold", type=float, default=10.0)
p.add_argument("--scoring", default="default")
p.add_argument("--passes", type=int, default=1)
a = p.parse_args()

class Lines:
    """Every line of the corpus as a token list (no 10,000-token cut, unlike LineSentence)."""
    def __init__(self, path, models=()):
        self.path, self.models = path, models
    def __iter__(self):
        with open(self.path, encoding="utf-8") as f:
            for line in f:
                tokens = line.split()
                for m in self.models:
                    tokens = m[tokens]
                yield tokens

start = time.time()
models, found = [], []
for k in range(a.passes):
    model = Phrases(Lines(a.corpus, models), min_count=a.min_count, threshold=a.threshold, scoring=a.scoring).freeze()
    found.append(model.phrasegrams)
    models.append(model)
seconds = time.time() - start
with open(a.out, "w", encoding="utf-8") as f:
    for k, grams in enumerate(found):
        for phrase, score in grams.items():
            f.write(f"{k + 1}\t{phrase}\t{score!r}\n")
print(f"seconds={seconds:.2f} phrases={sum(len(g) for g in found)}")
