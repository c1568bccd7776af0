#!/usr/bin/env python3
"""word2vec benchmark: Lexis against gensim and fastText on the same corpus, threads and settings,
in one run. Every output is written as word2vec binary and evaluated by the same code (gensim's
evaluate_word_analogies, restrict 30k, case-insensitive; evaluate_word_pairs on WordSim-353).

Timing is the whole process (vocabulary pass, training, writing the vectors), wall clock;
words/s = corpus words x epochs / wall seconds; peak memory is the process's max RSS.
Usage: python3 bench/word2vec.py [--models skipgram,cbow] [--epochs 1,5] [--threads 2]
                                 [--peers gensim,fasttext,gensim-1w,lexis-min-alpha]

gensim-1w is a quality control for one epoch, not a speed peer: gensim's corpus_file mode measures
each worker's progress against the whole corpus, so with 2 workers its learning rate only decays
to about half of alpha within an epoch (word2vec_corpusfile.pyx, get_next_alpha); with one worker
it decays over the full epoch as word2vec.c and Lexis do.

lexis-min-alpha is the matching control on Lexis's side: Lexis with `--min-alpha` set so that its
linear schedule has the same mean learning rate as gensim's with W workers over E epochs (gensim's
rate falls within epoch e from alpha(1 - e/E) to alpha(1 - (e + 1/W)/E); a linear decay to
alpha x (1 - 1/W)/E has the same mean). Lexis's default decays to alpha x 0.5/E (bench/schedule.py
chose it by quality; word2vec.c's decay to alpha x 1e-4 is `--min-alpha`).
"""
import argparse, os, resource, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("DATA", os.path.join(ROOT, "..", "shared", "datasets"))
CORPUS = os.path.join(DATA, "enwiki", "enwiki-t8-lines.txt")
QUESTIONS = os.path.join(DATA, "eval", "questions-words.txt")
WS353 = os.path.join(DATA, "eval", "wordsim353.tsv")
LEXIS = os.path.join(ROOT, ".build", "release", "lexis")

GENSIM = r'''
import sys, logging
from gensim.models import Word2Vec
corpus, out, sg, epochs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
m = Word2Vec(corpus_file=corpus, vector_size=100, window=5, negative=5, sample=1e-4, min_count=5,
             workers=threads, sg=sg, epochs=epochs, alpha=0.025 if sg else 0.05, seed=1)
m.wv.save_word2vec_format(out, binary=True)
'''

FASTTEXT = r'''
import sys, numpy as np, fasttext
corpus, out, sg, epochs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
m = fasttext.train_unsupervised(corpus, model="skipgram" if sg else "cbow", dim=100, ws=5, neg=5, t=1e-4,
                                minCount=5, thread=threads, epoch=epochs, minn=0, maxn=0,
                                lr=0.025 if sg else 0.05, verbose=0)
words = m.get_words()
with open(out, "wb") as f:
    f.write(f"{len(words)} 100\n".encode())
    for w in words:
        f.write(w.encode() + b" " + m.get_word_vector(w).astype("<f4").tobytes() + b"\n")
'''


def run(cmd):
    """Runs a command; returns (wall seconds, peak RSS of that child in MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    # ru_maxrss of children is the max over all children so far: measure with /usr/bin/time instead.
    return wall


def timed(cmd):
    with tempfile.NamedTemporaryFile(mode="r", suffix=".time") as t:
        wall = run(["/usr/bin/time", "-f", "%M", "-o", t.name] + cmd)
        rss_kb = int(t.read().strip().splitlines()[-1])
    return wall, rss_kb / 1024


def corpus_words(path):
    """Whitespace-separated words of a corpus, for words/s."""
    with open(path, "rb") as f:
        return sum(len(line.split()) for line in f)


def open_run(prefix, threads=None):
    """Checks that the corpus is there, prints its size and the settings every run shares, and
    returns (a new work folder, the corpus's word count)."""
    if not os.path.exists(CORPUS):
        sys.exit(f"needs {CORPUS} (see ../shared/datasets/README.md)")
    words = corpus_words(CORPUS)
    out = tempfile.mkdtemp(prefix=prefix)
    print(f"corpus {os.path.basename(CORPUS)}: {words/1e6:.2f}M words; dim 100, window 5, negative 5, sample 1e-4, "
          f"min-count 5{f', {threads} threads' if threads else ''}; machine: {os.cpu_count()} cores", flush=True)
    return out, words


def evaluate(path):
    from gensim.models import KeyedVectors
    kv = KeyedVectors.load_word2vec_format(path, binary=True)
    analogy, _ = kv.evaluate_word_analogies(QUESTIONS, restrict_vocab=30000, case_insensitive=True)
    pearson, spearman, oov = kv.evaluate_word_pairs(WS353, restrict_vocab=300000, case_insensitive=True)
    return analogy, spearman.statistic if hasattr(spearman, "statistic") else spearman[0]


def lexis_command(out, model, epochs, threads):
    return [LEXIS, "train", CORPUS, "-o", out, "--model", model, "--dim", "100", "--window", "5",
            "--negative", "5", "--sample", "1e-4", "--min-count", "5", "--threads", str(threads),
            "--epochs", str(epochs), "--tokenizer", "whitespace", "--quiet"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="skipgram,cbow")
    ap.add_argument("--epochs", default="1,5")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--peers", default="gensim,fasttext,gensim-1w,lexis-min-alpha")
    args = ap.parse_args()
    out, words = open_run("w2v-bench-", args.threads)
    rows = []
    for model in args.models.split(","):
        sg = 1 if model == "skipgram" else 0
        for epochs in map(int, args.epochs.split(",")):
            results = {}
            lexis_out = os.path.join(out, f"lexis-{model}-{epochs}.bin")
            results["lexis"] = timed(lexis_command(lexis_out, model, epochs, args.threads)) + (lexis_out,)
            if "lexis-min-alpha" in args.peers.split(",") and args.threads > 1:
                alpha = 0.025 if sg else 0.05
                min_alpha = alpha * (1 - 1 / args.threads) / epochs
                path = os.path.join(out, f"lexis-min-alpha-{model}-{epochs}.bin")
                results["lexis-min-alpha"] = timed(lexis_command(path, model, epochs, args.threads)
                                                   + ["--min-alpha", f"{min_alpha:g}"]) + (path,)
            for peer, script, threads in (("gensim", GENSIM, args.threads), ("fasttext", FASTTEXT, args.threads),
                                          ("gensim-1w", GENSIM, 1)):
                if peer not in args.peers.split(","):
                    continue
                if peer == "gensim-1w" and epochs != 1:
                    continue  # the control below only matters for one epoch
                path = os.path.join(out, f"{peer}-{model}-{epochs}.bin")
                results[peer] = timed([sys.executable, "-c", script, CORPUS, path, str(sg), str(epochs),
                                       str(threads)]) + (path,)
            for name, (wall, rss, path) in results.items():
                acc, ws = evaluate(path)
                rows.append((model, epochs, name, words * epochs / wall, wall, rss, acc, ws))
                print(f"  {model:8} {epochs} ep  {name:15}  {words*epochs/wall/1e3:8.0f}k words/s  {wall:7.1f} s  "
                      f"{rss:7.0f} MB  analogy {acc*100:5.1f}%  WS-353 {ws:.3f}", flush=True)
            lexis_rate = words * epochs / results["lexis"][0]
            ratios = ", ".join(f"{lexis_rate / (words * epochs / results[p][0]):.2f}x {p}"
                               for p in results if p not in ("lexis", "gensim-1w", "lexis-min-alpha"))
            print(f"  -> Lexis speed: {ratios}", flush=True)
    print()
    print("| model | epochs | tool | words/s | wall s | peak MB | analogy (30k) | WS-353 Spearman |")
    print("|---|---|---|---|---|---|---|---|")
    for model, epochs, name, rate, wall, rss, acc, ws in rows:
        print(f"| {model} | {epochs} | {name} | {rate/1e3:.0f}k | {wall:.1f} | {rss:.0f} | {acc*100:.1f}% | {ws:.3f} |")


if __name__ == "__main__":
    main()
