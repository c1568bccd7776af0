#!/usr/bin/env python3
"""Deterministic training (`lexis train --deterministic`) against Lexis's default Hogwild threads,
same corpus, settings and threads, in one run.

1. Identity: one epoch with --deterministic at 1, 2 and 4 threads (and 16 with --threads-list);
   the vector files must be byte-identical (sha256 printed).
2. Speed and quality: 5 epochs at 2 threads, Hogwild and deterministic, over several seeds;
   analogy (restrict 30k) and WS-353 as in bench/word2vec.py; wall time of the whole process.
3. With --pairs N: speed only, N pairs of 5-epoch runs (seed 1), Hogwild and deterministic back to
   back, the order swapped pair by pair; the median of the pairs' ratios. On a virtual machine whose
   speed drifts with its neighbours (runs of the same binary spread by up to 1.8x), a pair's two
   runs see nearly the same machine, so the median ratio is steadier than the ratio of means.

Needs ../shared/datasets/enwiki/enwiki-t8-lines.txt (see its README) and a release build.
Usage: python3 bench/deterministic.py [--models skipgram,cbow] [--seeds 1,2,3] [--epochs 5]
                                      [--threads 2] [--threads-list 1,2,4] [--pairs N]
(an empty --seeds or --threads-list skips that part: `--seeds= --threads-list= --pairs 6`)
"""
import argparse, hashlib, os, statistics, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import word2vec as w  # noqa: E402  (same corpus, command and evaluation)


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="skipgram,cbow")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--threads-list", default="1,2,4")
    ap.add_argument("--pairs", type=int, default=0)
    args = ap.parse_args()
    out, _ = w.open_run("det-bench-")

    print("\nidentity, 1 epoch, --deterministic:")
    for model in args.models.split(","):
        digests = {}
        for t in map(int, filter(None, args.threads_list.split(","))):
            path = os.path.join(out, f"id-{model}-{t}.bin")
            wall, _ = w.timed(w.lexis_command(path, model, 1, t) + ["--deterministic"])
            digests[t] = sha(path)
            print(f"  {model:8} {t:2} threads  {wall:6.1f} s  sha256 {digests[t]}", flush=True)
        if digests:
            print(f"  -> {model}: {'IDENTICAL' if len(set(digests.values())) == 1 else 'DIFFERENT'}", flush=True)

    print(f"\n{args.epochs} epochs, {args.threads} threads:")
    table = []
    for model in args.models.split(","):
        results = {"hogwild": [], "deterministic": []}
        for seed in filter(None, args.seeds.split(",")):
            for mode in results:
                path = os.path.join(out, f"{model}-{mode}-{seed}.bin")
                cmd = w.lexis_command(path, model, args.epochs, args.threads) + ["--seed", seed]
                if mode == "deterministic":
                    cmd.append("--deterministic")
                wall, rss = w.timed(cmd)
                acc, ws = w.evaluate(path)
                results[mode].append((wall, acc * 100, ws))
                print(f"  {model:8} seed {seed}  {mode:13}  {wall:6.1f} s  {rss:5.0f} MB  analogy {acc*100:5.2f}%  "
                      f"WS-353 {ws:.3f}", flush=True)
        hog, det = results["hogwild"], results["deterministic"]
        if not hog:
            continue
        mean = lambda rows, i: statistics.mean(r[i] for r in rows)
        speed = mean(hog, 0) / mean(det, 0)
        print(f"  -> {model}: deterministic speed {speed:.2f}x Hogwild's; analogy {mean(det, 1):.2f} against "
              f"{mean(hog, 1):.2f} ({mean(det, 1) - mean(hog, 1):+.2f}); WS-353 {mean(det, 2):.3f} against "
              f"{mean(hog, 2):.3f}", flush=True)
        table.append((model, hog, det, speed))
    for model in args.models.split(",") if args.pairs else []:
        print(f"\n{model}: {args.pairs} pairs, {args.epochs} epochs, {args.threads} threads, seed 1:")
        ratios = []
        for i in range(args.pairs):
            modes = ["hogwild", "deterministic"] if i % 2 == 0 else ["deterministic", "hogwild"]
            walls = {}
            for mode in modes:
                path = os.path.join(out, f"pair-{model}-{mode}.bin")
                cmd = w.lexis_command(path, model, args.epochs, args.threads) + ["--seed", "1"]
                if mode == "deterministic":
                    cmd.append("--deterministic")
                walls[mode], _ = w.timed(cmd)
            ratios.append(walls["hogwild"] / walls["deterministic"])
            print(f"  pair {i + 1}: Hogwild {walls['hogwild']:5.1f} s, deterministic {walls['deterministic']:5.1f} s, "
                  f"{ratios[-1]:.2f}x", flush=True)
        print(f"  -> {model}: deterministic speed, median of {len(ratios)} pairs {statistics.median(ratios):.2f}x "
              f"(pairs {min(ratios):.2f}-{max(ratios):.2f}x)", flush=True)
    if not table:
        return
    print("\n| model | mode | wall s (mean) | analogy per seed | analogy mean | WS-353 mean | speed |")
    print("|---|---|---|---|---|---|---|")
    for model, hog, det, speed in table:
        for name, rows in (("Hogwild", hog), ("deterministic", det)):
            print(f"| {model} | {name} | {statistics.mean(r[0] for r in rows):.1f} | "
                  f"{', '.join(f'{r[1]:.2f}' for r in rows)} | {statistics.mean(r[1] for r in rows):.2f} | "
                  f"{statistics.mean(r[2] for r in rows):.3f} | {'1.00x' if name == 'Hogwild' else f'{speed:.2f}x'} |")


if __name__ == "__main__":
    main()
