#!/usr/bin/env python3
"""Writes the fastText fixtures of LexisVectorsTests with the fasttext Python module
(pip install fasttext-wheel). Run from this folder:  python3 make_fasttext_fixtures.py

- subwords.tsv: for test words (ASCII, accents, CJK, emoji, words shorter than minn, '<' and '>'
  inside words) and two settings, fastText's own n-grams of each word and their bucket ids
  (get_subwords ids minus the vocabulary size), so the tests check Lexis's hashing and n-gram
  extraction against fastText itself. Lines: minn maxn buckets word TAB ngram TAB bucket ...
- tiny.bin: a small unsupervised skip-gram model (dim 8, 1009 buckets, n-grams 2..4).
- tiny-vectors.tsv: fastText's get_word_vector for words of the model and out-of-vocabulary ones,
  each value as the hex bit pattern of its float32, so the tests can compare.
"""
import os
import struct
import tempfile

import fasttext

CORPUS = ("the cat sat on the mat . the dog sat on the log . cats and dogs play in the park . "
          "a café near the river serves coffee . the naïve dog chased the cat . "
          "北京 大学 学习 北京 大学 . emoji 🙂 🙂 party . <tag> a<b>c tags .\n") * 20

WORDS = ["cat", "a", "ab", "é", "café", "naïve", "北京大学", "学", "🙂", "🙂🙂x", "<tag>", "a<b>c", "<", ">",
         "x>y", "unbelievably", "ÅngströmΩ", "\u00ff\u00fe", "z"]


def train(minn, maxn, bucket, dim):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(CORPUS)
        path = f.name
    try:
        return fasttext.train_unsupervised(path, model="skipgram", dim=dim, minn=minn, maxn=maxn, bucket=bucket,
                                           minCount=1, epoch=2, thread=1, verbose=0)
    finally:
        os.unlink(path)


def main():
    rows = []
    for minn, maxn, bucket, dim in [(3, 6, 2000000, 2), (1, 3, 1009, 2), (2, 4, 1009, 8)]:
        model = train(minn, maxn, bucket, dim)
        nwords = len(model.words)
        for word in WORDS:
            grams, ids = model.get_subwords(word)
            pairs = [(g, i - nwords) for g, i in zip(grams, ids) if i >= nwords]   # drop the word's own id
            rows.append("\t".join([f"{minn} {maxn} {bucket} {word}"] + [f"{g}\t{b}" for g, b in pairs]))
        if dim == 8:
            model.save_model("tiny.bin")
            with open("tiny-vectors.tsv", "w", encoding="utf-8") as out:
                for word in ["the", "cat", "café", "北京", "🙂", "</s>", "cats", "unseen", "naïvety", "京大", "🙂🙂", "q"]:
                    vector = model.get_word_vector(word)
                    known = model.get_word_id(word) >= 0
                    bits = " ".join("%08x" % struct.unpack("<I", struct.pack("<f", float(v)))[0] for v in vector)
                    out.write(f"{word}\t{'in' if known else 'oov'}\t{bits}\n")
    with open("subwords.tsv", "w", encoding="utf-8") as out:
        out.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
