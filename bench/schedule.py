#!/usr/bin/env python3
"""The default learning-rate schedule, chosen by quality (issue 14, part 1).

Lexis's schedule is a linear decay from alpha to a final rate over the whole run. Candidates:
  w2v      final = alpha x 1e-4 (word2vec.c's; Lexis's default before this benchmark)
  tenth    final = alpha x 0.1
  per-run  final = alpha x 0.5 / epochs (ends higher for short runs, lower for long ones)
A schedule may name a starting rate, as per-run@0.025 (passed as --alpha).
Each is passed as --min-alpha. gensim 4.4 (corpus_file, 2 workers, its own schedule, Lexis's starting
rate: 0.025 for skip-gram, 0.05 for CBOW; with --gensim-own also at gensim's own 0.025 for both) runs in the
same script on the same corpus and threads. Quality: analogy (restrict 30k) and WS-353, evaluated
by bench/word2vec.py's gensim code; means over seeds. Wall time is the whole process.

Needs ../shared/datasets (enwiki; --corpus gutenberg uses corpora/en/gutenberg.txt, in the repo).
Usage: python3 bench/schedule.py [--models skipgram,cbow] [--epochs 1,5,20] [--seeds 1,2,3]
                                 [--seeds-20 1] [--schedules w2v,tenth,per-run] [--gensim 1,5]
"""
import argparse, os, statistics, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import word2vec as w  # noqa: E402

GENSIM = r'''
import sys
from gensim.models import Word2Vec
corpus, out, sg, epochs, threads, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
alpha = {} if sys.argv[7] == "own" else {"alpha": float(sys.argv[7])}
m = Word2Vec(corpus_file=corpus, vector_size=100, window=5, negative=5, sample=1e-4, min_count=5,
             workers=threads, sg=sg, epochs=epochs, seed=seed, **alpha)
m.wv.save_word2vec_format(out, binary=True)
'''


def final_alpha(schedule, alpha, epochs):
    return {"w2v": alpha * 1e-4, "tenth": alpha * 0.1, "per-run": alpha * 0.5 / epochs}[schedule]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="skipgram,cbow")
    ap.add_argument("--epochs", default="1,5,20")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--seeds-20", default="1", help="seeds for runs of 20 or more epochs")
    ap.add_argument("--schedules", default="w2v,tenth,per-run")
    ap.add_argument("--gensim", default="1,5", help="epoch counts gensim runs at")
    ap.add_argument("--gensim-own", action="store_true",
                    help="also run gensim at its own default alpha (0.025 for CBOW too; 'gensim' is given Lexis's 0.05)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--corpus", default="enwiki")
    args = ap.parse_args()
    if args.corpus == "gutenberg":
        w.CORPUS = os.path.join(w.ROOT, "corpora", "en", "gutenberg.txt")
    out, _ = w.open_run("schedule-bench-", args.threads)
    summary = []
    for model in args.models.split(","):
        sg = 1 if model == "skipgram" else 0
        alpha = 0.025 if sg else 0.05
        for epochs in map(int, args.epochs.split(",")):
            seeds = (args.seeds_20 if epochs >= 20 else args.seeds).split(",")
            tools = [s for s in args.schedules.split(",")]
            # At 5 epochs per-run is tenth: run it once.
            if epochs == 5 and "tenth" in tools and "per-run" in tools:
                tools.remove("per-run")
            if str(epochs) in args.gensim.split(","):
                tools.append("gensim")
                if args.gensim_own and not sg:  # skip-gram's own default is the rate it is given
                    tools.append("gensim-own")
            # Seeds outside, tools inside: the machine's drift over the run hits every tool alike.
            rows = {tool: [] for tool in tools}
            for seed in seeds:
                for tool in tools:
                    path = os.path.join(out, f"{model}-{epochs}-{tool}-{seed}.bin")
                    if tool in ("gensim", "gensim-own"):
                        cmd = [sys.executable, "-c", GENSIM, w.CORPUS, path, str(sg), str(epochs), str(args.threads), seed,
                               "own" if tool == "gensim-own" else str(alpha)]
                    else:
                        schedule, _, tool_alpha = tool.partition("@")
                        start = float(tool_alpha) if tool_alpha else alpha
                        cmd = w.lexis_command(path, model, epochs, args.threads) + [
                            "--seed", seed, "--min-alpha", f"{final_alpha(schedule, start, epochs):.6g}"]
                        if tool_alpha:
                            cmd += ["--alpha", tool_alpha]
                    wall, _ = w.timed(cmd)
                    acc, ws = w.evaluate(path)
                    rows[tool].append((wall, acc * 100, ws))
                    print(f"  {model:8} {epochs:2} ep  {tool:8} seed {seed}  {wall:7.1f} s  analogy {acc*100:5.2f}%  "
                          f"WS-353 {ws:.3f}", flush=True)
            for tool in tools:
                mean = [statistics.mean(r[i] for r in rows[tool]) for i in range(3)]
                spread = max(r[1] for r in rows[tool]) - min(r[1] for r in rows[tool])
                summary.append((model, epochs, tool, len(rows[tool]), *mean, spread))
                speed = ""
                if "gensim" in rows and tool != "gensim":
                    speed = f", {statistics.mean(r[0] for r in rows['gensim']) / mean[0]:.2f}x gensim's speed"
                print(f"  -> {model} {epochs} ep {tool}: analogy {mean[1]:.2f} (spread {spread:.2f}), WS-353 {mean[2]:.3f}, "
                      f"{mean[0]:.1f} s{speed}", flush=True)
    print("\n| model | epochs | schedule | seeds | wall s | analogy mean | spread | WS-353 mean |")
    print("|---|---|---|---|---|---|---|---|")
    for model, epochs, tool, n, wall, acc, ws, spread in summary:
        print(f"| {model} | {epochs} | {tool} | {n} | {wall:.1f} | {acc:.2f} | {spread:.2f} | {ws:.3f} |")


if __name__ == "__main__":
    main()
