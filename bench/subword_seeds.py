#!/usr/bin/env python3
"""Subword vectors, quality over several runs: Lexis (one seed per run) against fastText
(fasttext-wheel; its Python module takes no seed, so its runs differ by thread timing), same corpus,
settings and threads as bench/subword.py, runs alternating. One run spreads by 1-2 analogy points,
so only the means say which is better. Quality only (the machine need not be quiet); speed is
bench/subword.py's.

Needs ../shared/datasets and `pip install fasttext-wheel`.
Usage: python3 bench/subword_seeds.py [--model skipgram] [--seeds 1,2,3] [--epochs 5] [--threads 2]
"""
import argparse, os, statistics, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import subword as s  # noqa: E402  (same corpus, commands and evaluation)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="skipgram")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if not os.path.exists(s.CORPUS):
        sys.exit(f"needs {s.CORPUS} (see ../shared/datasets/README.md)")
    work = os.environ.get("TMPDIR", "/tmp")
    print(f"corpus {os.path.basename(s.CORPUS)}; {args.model}, dim 100, window 5, negative 5, sample 1e-4, "
          f"min-count 5, minn 3, maxn 6, 2M buckets, {args.epochs} epochs, {args.threads} threads", flush=True)
    print(subprocess.run([s.LEXIS, "--version"], capture_output=True, text=True).stdout.strip(), flush=True)
    results = {"lexis": [], "fasttext": []}
    for seed in args.seeds.split(","):
        lexis_out = os.path.join(work, f"subword-seeds-lexis-{seed}.lexis")
        s.lexis("train", s.CORPUS, "-o", lexis_out, "--model", args.model, "--dim", "100", "--window", "5",
                "--negative", "5", "--sample", "1e-4", "--min-count", "5", "--threads", str(args.threads),
                "--epochs", str(args.epochs), "--tokenizer", "whitespace", "--minn", "3", "--maxn", "6",
                "--buckets", "2000000", "--seed", seed, "--quiet")
        ft_out = os.path.join(work, f"subword-seeds-fasttext-{seed}.bin")
        r = subprocess.run([sys.executable, "-c", s.FASTTEXT, s.CORPUS, ft_out, args.model, str(args.epochs),
                            str(args.threads), "100", "2000000"], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"fastText failed:\n{r.stderr}")
        for tool, path in (("lexis", lexis_out), ("fasttext", ft_out)):
            q = s.evaluate(path)["inv"]
            results[tool].append((q[0] * 100, q[3]))
            print(f"  run {seed}  {tool:8}  analogy {q[0]*100:5.2f}%  WS-353 {q[3]:.3f}", flush=True)
            os.remove(path)
    means = {tool: (statistics.mean(a for a, _ in rows), statistics.mean(w for _, w in rows)) for tool, rows in results.items()}
    print(f"\n| tool | runs | analogy per run | analogy mean | WS-353 per run | WS-353 mean |")
    print("|---|---|---|---|---|---|")
    for tool, rows in results.items():
        print(f"| {tool} | {len(rows)} | {', '.join(f'{a:.2f}' for a, _ in rows)} | {means[tool][0]:.2f} | "
              f"{', '.join(f'{w:.3f}' for _, w in rows)} | {means[tool][1]:.3f} |")
    print(f"\nLexis - fastText: analogy {means['lexis'][0] - means['fasttext'][0]:+.2f} points, "
          f"WS-353 {means['lexis'][1] - means['fasttext'][1]:+.3f}")


if __name__ == "__main__":
    main()
