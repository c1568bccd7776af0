#!/usr/bin/env python3
"""Phrase benchmark (issue 16): Lexis's `phrases build` against gensim's Phrases on the same corpus
and settings in one run, and word vectors trained with and without phrases.

Usage: python3 bench/phrases.py [--seeds 3] [--epochs 5] [--threads 2] [--skip-gensim] [--skip-training]
Needs ../shared/datasets (enwiki-t8-lines.txt, questions-words.txt, questions-phrases.txt,
wordsim353.tsv) and `pip install gensim==4.4.0`. About 15 minutes on 2 cores.

1. Detection: gensim Phrases (min_count 5, threshold 10, default scorer, one pass, one line = one
   sentence, tokens split on white space) against `lexis phrases build --tokenizer whitespace` with
   the same settings, 2 threads and 1; wall time of the whole process; the two phrase sets compared
   (and their scores).
2. Timing: whole-process wall time of `lexis train` (skip-gram, dim 100, window 5, negative 5,
   sample 1e-4, min-count 5) on the corpus as is and with a 2-pass phrase table (`--phrases`).
3. Quality: the same trainings for each seed; word analogies (30k), WordSim-353 and the phrase
   analogies of word2vec's paper (questions-phrases.txt; restrict 30k and all words), means. The
   table for training uses --threshold (default 100, Lexis's default; gensim's is 10).
LOCK_TIMED / LOCK_UNTIMED (optional) prefix the timed and the other commands, e.g. with flock when
the machine is shared.
"""
import argparse, json, os, shlex, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("DATA", os.path.join(ROOT, "..", "shared", "datasets"))
CORPUS = os.path.join(DATA, "enwiki", "enwiki-t8-lines.txt")
WORDS = os.path.join(DATA, "eval", "questions-words.txt")
PHRASES = os.path.join(DATA, "eval", "questions-phrases.txt")
WS353 = os.path.join(DATA, "eval", "wordsim353.tsv")
LEXIS = os.environ.get("LEXIS_BIN", os.path.join(ROOT, ".build", "release", "lexis"))
TIMED = shlex.split(os.environ.get("LOCK_TIMED", ""))
UNTIMED = shlex.split(os.environ.get("LOCK_UNTIMED", ""))

def run(cmd, timed=False):
    """Runs cmd; returns its stdout and wall seconds (measured by /usr/bin/time inside any lock)."""
    with tempfile.NamedTemporaryFile(mode="r") as clock:
        r = subprocess.run((TIMED if timed else UNTIMED) + ["/usr/bin/time", "-f", "%e", "-o", clock.name] + cmd,
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")
        seconds = float(clock.read().strip().splitlines()[-1])
    return r.stdout, seconds

def lexis_set(path):
    found = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#"):
            continue
        p, a, b, c, s = line.rstrip("\n").split("\t")
        found[(int(p), a + "_" + b)] = float(s)
    return found

def gensim_set(path):
    found = {}
    for line in open(path, encoding="utf-8"):
        p, phrase, s = line.rstrip("\n").split("\t")
        found[(int(p), phrase)] = float(s)
    return found

def detection(tmp, threads):
    print("== phrase detection, enwiki-t8-lines.txt (100 MB), min-count 5, threshold 10, default scorer, one pass")
    g_out = os.path.join(tmp, "gensim.tsv")
    out, g_wall = run([sys.executable, os.path.join(ROOT, "bench", "phrases_gensim.py"), CORPUS, g_out], timed=True)
    rows = [("gensim Phrases (pure Python, one thread)", g_wall)]
    lx = {}
    for t in sorted({threads, 1}, reverse=True):
        path = os.path.join(tmp, f"lexis-{t}.tsv")
        _, wall = run([LEXIS, "phrases", "build", CORPUS, "-o", path, "--tokenizer", "whitespace", "--threshold", "10",
                       "--threads", str(t), "--quiet"], timed=True)
        rows.append((f"lexis phrases build, {t} thread{'s' if t > 1 else ''}", wall))
        lx[t] = path
    for name, wall in rows:
        print(f"  {name:45s} {wall:7.2f} s   {g_wall / wall:6.1f}x gensim")
    g, x = gensim_set(g_out), lexis_set(lx[threads])
    common = set(g) & set(x)
    diff = max((abs(g[k] - x[k]) for k in common), default=0.0)
    print(f"  phrases: gensim {len(g)}, lexis {len(x)}, in both {len(common)}, only gensim {len(set(g) - set(x))}, "
          f"only lexis {len(set(x) - set(g))}; largest score difference {diff:.3g}")
    one = lexis_set(lx[1])
    print(f"  lexis 1 thread and {threads} threads give the same table: {one == x}")

def evaluate(vectors):
    out, _ = run([LEXIS, "eval", "analogy", vectors, WORDS, "--json"])
    words = json.loads(out)
    out, _ = run([LEXIS, "eval", "similarity", vectors, WS353, "--json"])
    ws = json.loads(out)
    result = {"analogy": 100 * words["accuracy"], "ws353": ws["spearman"]}
    for name, restrict in [("phrases30000", 30000), ("phrases0", 100_000_000)]:  # 30k words, all words
        out, _ = run([LEXIS, "eval", "analogy", vectors, PHRASES, "--restrict", str(restrict), "--json"])
        p = json.loads(out)
        result[name] = (100 * p["accuracy"], p["answered"], p["questions"])
    return result

def build_table(tmp, threads, threshold):
    table = os.path.join(tmp, "phrases-2pass.tsv")
    _, wall = run([LEXIS, "phrases", "build", CORPUS, "-o", table, "--passes", "2", "--threshold", str(threshold),
                   "--threads", str(threads), "--quiet"], timed=True)
    out, _ = run([LEXIS, "phrases", "show", table, "--top", "8"])
    print(f"== a 2-pass table (default ICU tokenizer, threshold {threshold}) built in {wall:.1f} s")
    print("\n".join("  " + l for l in out.splitlines()))
    return table

COMMON = ["--model", "skipgram", "--dim", "100", "--window", "5", "--negative", "5", "--sample", "1e-4", "--min-count", "5"]

def timing(tmp, table, epochs, threads):
    print(f"== the cost of joining on the fly: whole-process time of lexis train, {epochs} epochs, {threads} threads")
    walls = {}
    for label, extra in [("plain", []), ("phrases", ["--phrases", table])]:
        vectors = os.path.join(tmp, f"timing-{label}.bin")
        _, walls[label] = run([LEXIS, "train", CORPUS, "-o", vectors, "--epochs", str(epochs), "--threads", str(threads),
                               "--quiet"] + COMMON + extra, timed=True)
    print(f"  plain {walls['plain']:.1f} s, with --phrases {walls['phrases']:.1f} s "
          f"({walls['phrases'] / walls['plain']:.2f}x; target <= 1.3x)")

def training(tmp, table, seeds, epochs, threads):
    print(f"== quality: skip-gram, {epochs} epochs, with and without the 2-pass table, {seeds} seeds")
    results = {"plain": [], "phrases": []}
    for seed in range(1, seeds + 1):
        for label, extra in [("plain", []), ("phrases", ["--phrases", table])]:
            vectors = os.path.join(tmp, f"{label}-{seed}.bin")
            run([LEXIS, "train", CORPUS, "-o", vectors, "--seed", str(seed), "--epochs", str(epochs), "--threads", str(threads),
                 "--quiet"] + COMMON + extra)
            results[label].append(evaluate(vectors))
            r = results[label][-1]
            print(f"  seed {seed} {label:8s} analogy {r['analogy']:.2f}  ws353 {r['ws353']:.3f}  "
                  f"phrase analogies {r['phrases30000'][0]:.2f}% of {r['phrases30000'][1]} (30k), "
                  f"{r['phrases0'][0]:.2f}% of {r['phrases0'][1]} (all words)", flush=True)
    mean = lambda xs: sum(xs) / len(xs)
    for label in ["plain", "phrases"]:
        rs = results[label]
        print(f"  mean of {len(rs)} seeds, {label:8s}: analogy {mean([r['analogy'] for r in rs]):.2f}  "
              f"ws353 {mean([r['ws353'] for r in rs]):.3f}  phrase analogies {mean([r['phrases30000'][0] for r in rs]):.2f}% (30k), "
              f"{mean([r['phrases0'][0] for r in rs]):.2f}% (all words; answered {rs[0]['phrases0'][1]} of {rs[0]['phrases0'][2]})")

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--threshold", type=float, default=100, help="of the table the vectors are trained with")
    p.add_argument("--skip-gensim", action="store_true", help="no detection against gensim")
    p.add_argument("--skip-timing", action="store_true", help="no timed training runs")
    p.add_argument("--skip-training", action="store_true", help="no quality runs")
    a = p.parse_args()
    out, _ = run([LEXIS, "--version"])
    print(out.strip(), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        if not a.skip_gensim:
            detection(tmp, a.threads)
        if not (a.skip_timing and a.skip_training):
            table = build_table(tmp, a.threads, a.threshold)
            if not a.skip_timing:
                timing(tmp, table, a.epochs, a.threads)
            if not a.skip_training:
                training(tmp, table, a.seeds, a.epochs, a.threads)

if __name__ == "__main__":
    main()
