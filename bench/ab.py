#!/usr/bin/env python3
"""Old binary against new, in the same run, on the same data (issue 11's speed gate).

    python3 bench/ab.py --old /path/to/old/lexis --new .build/release/lexis [--repeats 3]

Needs ../shared/datasets. Measures, interleaving the binaries so machine noise hits all alike:
  - word2vec words/s: skip-gram and CBOW, 1 epoch, 2 threads, enwiki-t8-lines.txt (vocabulary
    built once, passed with --vocab so only training is timed);
  - tokenizer MB/s: `lexis-bench tokenize` (next to each lexis binary) on enwiki-raw-2M.txt,
    the default ICU path, one thread;
  - neighbour query time: ms per top-10 query, 2000 words, over the vectors trained above,
    one BLAS thread (`lexis neighbors --timing`).
The new binary also runs with LEXIS_KERNELS=baseline (the portable path). Best of --repeats.
"""
import argparse, os, random, re, subprocess, sys, tempfile

DATA = os.environ.get("DATA", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets"))


def run(cmd, env_extra=None, stdin=None):
    env = dict(os.environ)
    env.update(env_extra or {})
    p = subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    return p.stdout + p.stderr


def count(text):
    m = re.match(r"([0-9.]+)([kKMG]?)", text)
    return float(m.group(1)) * {"": 1, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9}[m.group(2)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--corpus", default=os.path.join(DATA, "enwiki", "enwiki-t8-lines.txt"))
    args = ap.parse_args()
    variants = [("old", args.old, {}), ("new", args.new, {}), ("new baseline", args.new, {"LEXIS_KERNELS": "baseline"})]
    tmp = tempfile.mkdtemp()
    print(f"# {run(['lscpu']).split('Model name:')[1].splitlines()[0].strip()}, {os.cpu_count()} cores")
    print("# new: " + run([args.new, "--version"]).replace("\n", " | "))
    vocab = os.path.join(tmp, "vocab.tsv")
    run([args.new, "vocab", "build", args.corpus, "-o", vocab, "--min-count", "5", "--quiet"])
    results = {}
    for model in ["skipgram", "cbow"]:
        for _ in range(args.repeats):
            for name, binary, env in variants:
                out = os.path.join(tmp, f"{model}-{name.replace(' ', '_')}.bin")
                text = run([binary, "train", args.corpus, "--vocab", vocab, "--model", model, "--epochs", "1",
                            "--threads", "2", "-o", out], env)
                rate = count(re.search(r"\(([0-9.]+[kKMG]?) words/s", text).group(1))
                key = (f"word2vec {model} words/s", name)
                results[key] = max(results.get(key, 0), rate)
    tok = os.path.join(DATA, "enwiki", "enwiki-raw-2M.txt")
    for _ in range(args.repeats):
        for name, binary, env in variants:
            bench = os.path.join(os.path.dirname(binary), "lexis-bench")
            if not os.path.exists(bench):
                continue
            text = run([bench, "tokenize", tok, "enwiki-raw-2M"], env)
            for path, label in [("icu default", "tokenizer ICU MB/s"), ("whitespace", "tokenizer whitespace MB/s")]:
                m = re.search(r"lexis " + path + r" \+ ids\s+([0-9.]+) MB/s", text)
                if m:
                    key = (label, name)
                    results[key] = max(results.get(key, 0), float(m.group(1)))
    words = [l.split("\t")[0] for l in open(vocab, encoding="utf-8") if not l.startswith("#")][:30000]
    random.seed(1)
    queries = "\n".join(random.choice(words) for _ in range(2000)) + "\n"
    vectors = os.path.join(tmp, "skipgram-new.bin")
    for _ in range(args.repeats):
        for name, binary, env in variants:
            text = run([binary, "neighbors", vectors, "--timing"], dict(env, OPENBLAS_NUM_THREADS="1"), stdin=queries)
            ms = float(re.search(r"\(([0-9.]+) ms per query", text).group(1))
            key = ("neighbours ms/query (lower is better)", name)
            results[key] = min(results.get(key, 1e9), ms)
    print(f"{'measure':40} {'old':>10} {'new':>10} {'new/old':>8} {'baseline':>10} {'base/old':>8}")
    for measure in dict.fromkeys(k[0] for k in results):
        old, new, base = (results.get((measure, n)) for n in ("old", "new", "new baseline"))
        print(f"{measure:40} {old:10.2f} {new:10.2f} {new / old:8.3f} {base:10.2f} {base / old:8.3f}")


if __name__ == "__main__":
    main()
