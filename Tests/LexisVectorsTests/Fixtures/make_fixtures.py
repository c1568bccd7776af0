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

# --- Evaluation: gensim's numbers on small random vectors, for EvaluationTests. ---
# 60 words (some in upper/mixed case to exercise case-insensitivity and "first variant wins"),
# 8-dimensional; a questions file with two sections and OOV / malformed lines; a pairs file.
import json, string
rng = np.random.default_rng(7)
eval_words = ["w%02d" % i for i in range(56)] + ["W03", "Paris", "paris", "Berlin"]
eval_vectors = rng.standard_normal((len(eval_words), 8)).astype(np.float32)
ekv = KeyedVectors(vector_size=8)
ekv.add_vectors(eval_words, eval_vectors)
ekv.save_word2vec_format("eval-vectors.txt", binary=False)

def question(upper):
    # Half the questions expect gensim's own best answer, so both right and wrong answers occur.
    a, b, c, d = (int(k) for k in rng.integers(0, len(eval_words), 4))
    if rng.random() < 0.5 and len({a, b, c}) == 3:
        best = ekv.most_similar(positive=[eval_words[b], eval_words[c]], negative=[eval_words[a]], topn=1)[0][0]
        d = eval_words.index(best)
    return " ".join(eval_words[k].upper() if upper else eval_words[k] for k in (a, b, c, d))

lines = [": first-section"] + [question(False) for _ in range(40)]
lines += ["w01 w02 w03", "w01 missing w03 w04", "PARIS berlin w05 w06", ": second-section"]
lines += [question(True) for _ in range(40)]
lines.append("w10 w11 w12 w13")
with open("eval-questions.txt", "w") as out:
    out.write("\n".join(lines) + "\n")

pairs = ["# comment line", "# word1\tword2\tscore"]
for i in range(30):
    a, b = rng.integers(0, len(eval_words), 2)
    pairs.append("%s\t%s\t%.2f" % (eval_words[a].upper() if i % 3 == 0 else eval_words[a], eval_words[b], rng.integers(0, 5) * 2.5))
pairs += ["w01\tunknownword\t3.0", "not a pair line", "w02\tw03\tnot-a-number"]
with open("eval-pairs.tsv", "w") as out:
    out.write("\n".join(pairs) + "\n")

results = {}
for restrict in (60, 30):
    score, sections = ekv.evaluate_word_analogies("eval-questions.txt", restrict_vocab=restrict)
    results["analogy-%d" % restrict] = {
        "accuracy": score,
        "sections": [[s["section"], len(s["correct"]), len(s["incorrect"])] for s in sections[:-1]],
    }
pearson, spearman, oov_ratio = ekv.evaluate_word_pairs("eval-pairs.tsv")
results["pairs"] = {"spearman": float(spearman[0]), "pearson": float(pearson[0]), "oov_ratio": oov_ratio}
with open("eval-expected.json", "w") as out:
    json.dump(results, out, indent=1)
