#!/usr/bin/env python3
"""fastText's supervised classifier on label<TAB>text splits, the way issue 6 specifies:
wordNgrams 2, epoch and lr chosen on the dev set from {5, 25, 50} x {0.1, 0.5, 1.0}, then test
accuracy of the chosen setting. Prints one line: `fasttext DATASET dev D test T epoch E lr L seconds S`.

    python3 bench/classify_fasttext.py DATA_DIR NAME [--threads 2] [--seed 1]
"""
import argparse
import os
import tempfile
import time

import fasttext


def convert(src, dst):
    """label<TAB>text -> __label__label text (fastText's format; text left as it is)."""
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as g:
        for line in f:
            label, _, text = line.rstrip("\n").partition("\t")
            if text.strip():
                g.write(f"__label__{label} {text}\n")


def accuracy(model, path):
    """Precision at 1 over a fastText-format file = accuracy with one label per example."""
    n, p1, _ = model.test(path)
    return p1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("name")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    d = os.path.join(a.data, a.name)
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for split in ("train", "dev", "test"):
            files[split] = os.path.join(tmp, split + ".txt")
            convert(os.path.join(d, split + ".tsv"), files[split])
        best = None
        start = time.time()
        for epoch in (5, 25, 50):
            for lr in (0.1, 0.5, 1.0):
                m = fasttext.train_supervised(files["train"], epoch=epoch, lr=lr, wordNgrams=2, thread=a.threads,
                                              seed=a.seed, verbose=0)
                dev = accuracy(m, files["dev"])
                if best is None or dev > best[0]:
                    best = (dev, epoch, lr, m)
        dev, epoch, lr, m = best
        test = accuracy(m, files["test"])
        print(f"fasttext {a.name} dev {100 * dev:.2f} test {100 * test:.2f} epoch {epoch} lr {lr} "
              f"seconds {time.time() - start:.1f}")


if __name__ == "__main__":
    main()
