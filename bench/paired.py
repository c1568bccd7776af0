#!/usr/bin/env python3
"""Two lexis binaries trained at the same time, one thread each (one per core), so that both see
the same machine: on the project's virtual machines one binary's speed drifts by up to 1.7x
within minutes, which back-to-back runs cannot tell from a change; a pair can.

    python3 bench/paired.py OLD_LEXIS NEW_LEXIS [--pairs 4] [-- extra `lexis train` flags]
    e.g. python3 bench/paired.py /tmp/old/lexis .build/release/lexis -- --model cbow --deterministic

Each pair trains enwiki-t8-lines.txt (../shared/datasets; DATA overrides) for 2 epochs with the
default settings (vocabulary built once and passed with --vocab) and prints both wall times and
NEW / OLD; the summary is the mean and range of those ratios (below 1: NEW is faster).
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

DATA = os.environ.get("DATA", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "datasets"))


def main():
    args_, extra = sys.argv[1:], []
    if "--" in args_:
        i = args_.index("--")
        args_, extra = args_[:i], args_[i + 1:]
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--pairs", type=int, default=4)
    ap.add_argument("--epochs", type=int, default=2)
    args = ap.parse_args(args_)
    corpus = os.path.join(DATA, "enwiki", "enwiki-t8-lines.txt")
    if not os.path.exists(corpus):
        sys.exit(f"paired.py: {corpus} not found (see ../shared/datasets/README.md)")
    work = tempfile.mkdtemp(prefix="paired-")
    vocab = os.path.join(work, "v.vocab")
    subprocess.run([args.new, "vocab", "build", corpus, "-o", vocab, "--min-count", "5", "--tokenizer", "whitespace"],
                   check=True, capture_output=True)
    print(f"old: {args.old}\nnew: {args.new}\nflags: --epochs {args.epochs} --threads 1 {' '.join(extra)}", flush=True)
    ratios = []
    for i in range(args.pairs):
        procs, starts, walls = {}, {}, {}
        for name, binary in (("old", args.old), ("new", args.new)):
            cmd = [binary, "train", corpus, "--vocab", vocab, "--epochs", str(args.epochs), "--threads", "1",
                   "-o", os.path.join(work, f"{name}.bin")] + extra
            starts[name] = time.monotonic()
            procs[name] = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while procs:
            for name in list(procs):
                if procs[name].poll() is not None:
                    walls[name] = time.monotonic() - starts[name]
                    if procs.pop(name).returncode != 0:
                        sys.exit(f"paired.py: the {name} binary failed")
            time.sleep(0.02)
        ratios.append(walls["new"] / walls["old"])
        print(f"pair {i + 1}: old {walls['old']:6.2f} s  new {walls['new']:6.2f} s  new/old {ratios[-1]:.3f}", flush=True)
    print(f"new/old over {len(ratios)} pairs: mean {statistics.mean(ratios):.3f}, range {min(ratios):.3f}-{max(ratios):.3f}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
