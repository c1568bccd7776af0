#!/usr/bin/env python3
"""Continued training (issue 14, part 3): train on the first half of enwiki, continue on the second
half (`lexis train --init`), against training on both halves at once and on the second half only.

Usage: python3 bench/continue.py [--seeds 1] [--epochs 5] [--threads 2]
Needs ../shared/datasets. Skip-gram, dim 100, window 5, negative 5, sample 1e-4, min-count 5.
Prints analogy accuracy (questions-words.txt, restrict 30k) and WS-353 Spearman for each run.
"""
import argparse, json, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("DATA", os.path.join(ROOT, "..", "shared", "datasets"))
CORPUS = os.path.join(DATA, "enwiki", "enwiki-t8-lines.txt")
WORDS = os.path.join(DATA, "eval", "questions-words.txt")
WS353 = os.path.join(DATA, "eval", "wordsim353.tsv")
LEXIS = os.environ.get("LEXIS_BIN", os.path.join(ROOT, ".build", "release", "lexis"))
COMMON = ["--model", "skipgram", "--dim", "100", "--window", "5", "--negative", "5", "--sample", "1e-4",
          "--min-count", "5", "--quiet"]

def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    return r.stdout

def evaluate(vectors):
    a = json.loads(run([LEXIS, "eval", "analogy", vectors, WORDS, "--json"]))
    s = json.loads(run([LEXIS, "eval", "similarity", vectors, WS353, "--json"]))
    return 100 * a["accuracy"], s["spearman"], a["answered"]

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=1)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    lines = open(CORPUS, encoding="utf-8").read().splitlines(keepends=True)
    with tempfile.TemporaryDirectory() as tmp:
        first, second = os.path.join(tmp, "first.txt"), os.path.join(tmp, "second.txt")
        open(first, "w").writelines(lines[: len(lines) // 2])
        open(second, "w").writelines(lines[len(lines) // 2:])
        print(f"enwiki-t8-lines.txt split by lines: {len(lines) // 2} + {len(lines) - len(lines) // 2} lines; "
              f"skip-gram, {a.epochs} epochs per run, {a.threads} threads")
        for seed in range(1, a.seeds + 1):
            def train(name, corpus, extra=()):
                out = os.path.join(tmp, f"{name}.bin")
                run([LEXIS, "train", *corpus, "-o", out, "--epochs", str(a.epochs), "--threads", str(a.threads),
                     "--seed", str(seed), *COMMON, *extra])
                return out
            ckpt = os.path.join(tmp, "first.ckpt")
            rows = [
                ("first half only", train("first", [first], ["--checkpoint", ckpt])),
                ("second half only", train("second", [second])),
                ("first, then --init checkpoint on the second", train("cont-ckpt", [second], ["--init", ckpt])),
                ("first, then --init vectors on the second", train("cont-vec", [second], ["--init", os.path.join(tmp, "first.bin")])),
                ("both halves at once", train("both", [first, second])),
            ]
            for name, vectors in rows:
                acc, rho, answered = evaluate(vectors)
                print(f"  seed {seed}  {name:45s} analogy {acc:5.2f}% ({answered} answered)  WS-353 {rho:.3f}", flush=True)

if __name__ == "__main__":
    main()
