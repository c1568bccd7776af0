#!/usr/bin/env python3
"""Subword word vectors (fastText's model): Lexis against fastText (fasttext-wheel) on the same corpus,
settings and threads, in one run. Needs ../shared/datasets and `pip install fasttext-wheel`.

Speed: whole process (vocabulary, training, writing the model with its n-grams: Lexis .lexis, fastText
.bin), wall clock from /usr/bin/time; words/s = corpus words x epochs / wall seconds; peak RSS from
/usr/bin/time. Each timed run holds the exclusive machine lock (LOCK, default /tmp/lexis-cpu.lock)
when flock is there, so no other build or run shares the cores.

Quality: both models evaluated by the same code (`lexis eval`, gensim's conventions: analogy restrict
30k case-insensitive, WS-353 Spearman), in-vocabulary (questions with an unknown word skipped), and
with unknown words answered from subwords (--oov-from-subwords: every question counts).

Interop, both directions: Lexis reads fastText's .bin and gives get_word_vector's vectors for known
and unknown words; fastText loads the .bin Lexis writes (lexis convert --to fasttext) and answers
get_word_vector the same. Max abs differences are printed.

A realistic published-size model: fastText trains 2M buckets x 300 dims briefly on a small corpus;
Lexis loads it and answers neighbour queries (known and unknown word); load and query times printed.

Skip-gram also runs Lexis with `--negatives per-pair` (fastText's own pair-by-pair update) as a row.

Usage: python3 bench/subword.py [--models skipgram,cbow] [--epochs 5] [--threads 2] [--skip-big] [--no-pairs]
"""
import argparse, json, os, shutil, struct, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("DATA", os.path.join(ROOT, "..", "shared", "datasets"))
CORPUS = os.path.join(DATA, "enwiki", "enwiki-t8-lines.txt")
QUESTIONS = os.path.join(DATA, "eval", "questions-words.txt")
WS353 = os.path.join(DATA, "eval", "wordsim353.tsv")
LEXIS = os.path.join(ROOT, ".build", "release", "lexis")
LOCK = os.environ.get("LOCK", "/tmp/lexis-cpu.lock")
SMALL = os.path.join(ROOT, "corpora", "en", "gutenberg.txt")

FASTTEXT = r'''
import sys, fasttext
corpus, out, model, epochs, threads, dim, bucket = sys.argv[1:8]
m = fasttext.train_unsupervised(corpus, model=model, dim=int(dim), ws=5, neg=5, t=1e-4, minCount=5,
                                thread=int(threads), epoch=int(epochs), minn=3, maxn=6, bucket=int(bucket), verbose=0)
m.save_model(out)
'''

# Words to compare vectors on: frequent, rare, and made-up or inflected ones outside any vocabulary.
PROBE = ["the", "king", "queen", "anarchism", "philosophy", "unbelievably", "kingship", "anarchistically",
         "qwertyuiop", "zebras", "computerization", "naïveté", "北京", "a", "xx", "ship's", "</s>"]


def lock(cmd):
    return (["flock", "-x", LOCK] + cmd) if shutil.which("flock") else cmd


def timed(cmd):
    """Runs cmd under the exclusive lock; returns (wall seconds, peak RSS MB) of cmd itself."""
    with tempfile.NamedTemporaryFile(mode="r", suffix=".time") as t:
        r = subprocess.run(lock(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + cmd),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
        wall, rss = t.read().strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


def lexis(*args):
    r = subprocess.run([LEXIS, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: lexis {' '.join(args)}\n{r.stderr}")
    return r


def evaluate(path):
    out = {}
    for oov in (False, True):
        extra = ["--oov-from-subwords"] if oov else []
        a = json.loads(lexis("eval", "analogy", path, QUESTIONS, "--restrict", "30000", "--json", *extra).stdout)
        s = json.loads(lexis("eval", "similarity", path, WS353, "--json", *extra).stdout)
        out["oov" if oov else "inv"] = (a["accuracy"], a["answered"], a["questions"], s["spearman"], s["pairs"], s["pairs"] + s["oov"])
    return out


def lexis_vectors(path, words):
    r = subprocess.run([LEXIS, "vectors", "words", path, "-", "--quiet"], input="\n".join(words) + "\n",
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: lexis vectors words {path}\n{r.stderr}")
    return {line.split(" ")[0]: [float(x) for x in line.split(" ")[1:]] for line in r.stdout.splitlines()}


def max_diff(a, b):
    return max(abs(x - y) for x, y in zip(a, b))


def interop(fasttext_bin, lexis_model, work):
    import fasttext
    fasttext.FastText.eprint = lambda *a, **k: None
    ft = fasttext.load_model(fasttext_bin)
    words = PROBE + ft.words[:200:7] + ft.words[-50::5]
    # fastText's model read by Lexis.
    got = lexis_vectors(fasttext_bin, words)
    read = max(max_diff(got[w], ft.get_word_vector(w)) for w in words)
    # Lexis's model written as fastText .bin, loaded by fastText.
    written = os.path.join(work, "lexis-as-fasttext.bin")
    lexis("convert", lexis_model, written, "--to", "fasttext", "--quiet")
    ours = fasttext.load_model(written)
    mine = lexis_vectors(lexis_model, words)
    wrote = max(max_diff(mine[w], ours.get_word_vector(w)) for w in words)
    os.remove(written)
    return read, wrote, len(words)


def big_model(work, threads):
    """fastText trains 2M buckets x 300 dims on 1 epoch of the demo corpus; Lexis loads it and queries."""
    path = os.path.join(work, "big.bin")
    subprocess.run([sys.executable, "-c", FASTTEXT, SMALL, path, "skipgram", "1", str(threads), "300", "2000000"], check=True)
    size = os.path.getsize(path) / 2**30
    runs = []
    for _ in range(3):
        r = subprocess.run(lock([LEXIS, "neighbors", path, "king", "kingship", "unbelievably", "-k", "10", "--timing"]),
                           capture_output=True, text=True, check=True)
        runs.append(r.stderr.strip())
    return size, runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="skipgram,cbow")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--no-pairs", action="store_true", help="leave out Lexis's per-pair skip-gram row")
    ap.add_argument("--lexis-only", default="", help="models (comma-separated) to run without fastText")
    args = ap.parse_args()
    if not os.path.exists(CORPUS):
        sys.exit(f"needs {CORPUS} (see ../shared/datasets/README.md)")
    words = 0
    with open(CORPUS, "rb") as f:
        for line in f:
            words += len(line.split())
    work = tempfile.mkdtemp(prefix="subword-bench-", dir=os.environ.get("TMPDIR", "/tmp"))
    print(f"corpus {os.path.basename(CORPUS)}: {words/1e6:.2f}M words; dim 100, window 5, negative 5, sample 1e-4, "
          f"min-count 5, minn 3, maxn 6, 2M buckets, {args.epochs} epochs, {args.threads} threads", flush=True)
    print(subprocess.run([LEXIS, "--version"], capture_output=True, text=True).stdout.strip(), flush=True)
    import fasttext
    print(f"fasttext module {getattr(fasttext, '__version__', '0.9.x')} (fasttext-wheel)", flush=True)
    rows = []
    for model in args.models.split(","):
        lexis_out = os.path.join(work, f"lexis-{model}.lexis")
        ft_out = os.path.join(work, f"fasttext-{model}.bin")
        def train_lexis(out, *extra):
            return timed([LEXIS, "train", CORPUS, "-o", out, "--model", model, "--dim", "100", "--window", "5",
                          "--negative", "5", "--sample", "1e-4", "--min-count", "5", "--threads", str(args.threads),
                          "--epochs", str(args.epochs), "--tokenizer", "whitespace", "--minn", "3", "--maxn", "6",
                          "--buckets", "2000000", "--quiet", *extra]) + (out,)
        runs = {"lexis": train_lexis(lexis_out)}
        if model == "skipgram" and not args.no_pairs:
            # fastText's own update, pair by pair: what the one step per window trades against.
            runs["lexis-pairs"] = train_lexis(os.path.join(work, "lexis-pairs.lexis"), "--negatives", "per-pair")
        if model in args.lexis_only.split(","):
            for name, (wall, rss, path) in runs.items():
                q = evaluate(path)
                rows.append((model, name, words * args.epochs / wall, wall, rss, q))
                print(f"  {model:8} {name:8} {words*args.epochs/wall/1e3:7.0f}k words/s {wall:7.1f} s {rss:6.0f} MB  "
                      f"analogy {q['inv'][0]*100:5.1f}%, with OOV {q['oov'][0]*100:5.1f}%  WS-353 {q['inv'][3]:.3f}, "
                      f"with OOV {q['oov'][3]:.3f} (no fastText run: --lexis-only)", flush=True)
                os.remove(path)
            continue
        runs["fasttext"] = timed([sys.executable, "-c", FASTTEXT, CORPUS, ft_out, model, str(args.epochs), str(args.threads),
                                  "100", "2000000"]) + (ft_out,)
        for name, (wall, rss, path) in runs.items():
            q = evaluate(path)
            rows.append((model, name, words * args.epochs / wall, wall, rss, q))
            inv, oov = q["inv"], q["oov"]
            print(f"  {model:8} {name:8} {words*args.epochs/wall/1e3:7.0f}k words/s {wall:7.1f} s {rss:6.0f} MB  "
                  f"analogy {inv[0]*100:5.1f}% ({inv[1]}/{inv[2]}), with OOV {oov[0]*100:5.1f}% ({oov[1]}/{oov[2]})  "
                  f"WS-353 {inv[3]:.3f} ({inv[4]} pairs), with OOV {oov[3]:.3f} ({oov[4]}/{oov[5]})", flush=True)
        for name in runs:
            if name.startswith("lexis"):
                print(f"  -> {name} speed {runs['fasttext'][0] / runs[name][0]:.2f}x fastText's; peak RSS "
                      f"{runs[name][1]:.0f} MB vs {runs['fasttext'][1]:.0f} MB", flush=True)
        read, wrote, n = interop(ft_out, lexis_out, work)
        print(f"  interop ({n} words, known and unknown): Lexis reading fastText's .bin vs get_word_vector: max |diff| {read:.2e}; "
              f"fastText loading Lexis's .bin vs Lexis: max |diff| {wrote:.2e}", flush=True)
        for _, _, path in runs.values():
            os.remove(path)
    print()
    print("| model | tool | words/s | wall s | peak RSS MB | analogy 30k (in-vocab) | analogy, OOV from subwords | WS-353 (in-vocab) | WS-353, OOV from subwords |")
    print("|---|---|---|---|---|---|---|---|---|")
    for model, name, rate, wall, rss, q in rows:
        inv, oov = q["inv"], q["oov"]
        print(f"| {model} | {name} | {rate/1e3:.0f}k | {wall:.1f} | {rss:.0f} | {inv[0]*100:.1f}% ({inv[1]}/{inv[2]}) | "
              f"{oov[0]*100:.1f}% ({oov[1]}/{oov[2]}) | {inv[3]:.3f} ({inv[4]}/{inv[5]}) | {oov[3]:.3f} ({oov[4]}/{oov[5]}) |")
    if not args.skip_big:
        size, runs = big_model(work, args.threads)
        print(f"\nrealistic model: fastText skipgram, 300 dims, 2M buckets, 1 epoch of {os.path.basename(SMALL)}: {size:.2f} GiB")
        for r in runs:
            print("  " + r.replace("\n", "\n  "))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
