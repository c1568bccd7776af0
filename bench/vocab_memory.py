#!/usr/bin/env python3
"""Bounded memory while counting (issue 14, part 4): a synthetic corpus with 50 million distinct
tokens, counted by `lexis vocab build` with and without --max-vocab-memory; peak RSS of each run.

Usage: python3 bench/vocab_memory.py [--distinct 50000000] [--limits 512M,1G] [--threads 2]
The corpus (written to a temporary folder, about 0.9 GB) has lines of 5 unique tokens and 5 of
1000 common words; each common word occurs exactly distinct/1000 times, so the run checks that
the frequent words' counts stay exact while rare types are pruned.
"""
import argparse, os, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEXIS = os.environ.get("LEXIS_BIN", os.path.join(ROOT, ".build", "release", "lexis"))

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--distinct", type=int, default=50_000_000)
    p.add_argument("--limits", default="default,1G,512M")
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    common = [f"common{i}" for i in range(1000)]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "synthetic.txt")
        start = time.time()
        with open(corpus, "w") as f:
            lines = []
            for i in range(0, a.distinct, 5):
                u = " ".join(f"u{j:x}" for j in range(i, i + 5))
                c = " ".join(common[(i + k) % 1000] for k in range(5))
                lines.append(u + " " + c + "\n")
                if len(lines) == 100_000:
                    f.writelines(lines); lines = []
            f.writelines(lines)
        size = os.path.getsize(corpus)
        print(f"corpus: {a.distinct} distinct unique tokens + 1000 common words ({a.distinct} occurrences), "
              f"{size / 1e9:.2f} GB, written in {time.time() - start:.0f} s")
        expected = a.distinct // 1000
        for limit in a.limits.split(","):
            out = os.path.join(tmp, "vocab.tsv")
            cmd = ["/usr/bin/time", "-f", "%e %M", LEXIS, "vocab", "build", corpus, "-o", out, "--min-count", "5",
                   "--threads", str(a.threads)]
            if limit != "default":
                cmd += ["--max-vocab-memory", limit]
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(r.stderr)
            seconds, rss = r.stderr.strip().splitlines()[-1].split()
            notes = [l for l in r.stderr.splitlines() if l.startswith("note:")]
            counts = {}
            for line in open(out):
                if not line.startswith("#"):
                    w, c = line.rstrip("\n").split("\t")
                    counts[w] = int(c)
            exact = sum(1 for w in common if counts.get(w) == expected)
            print(f"limit {limit:8s}: peak RSS {int(rss) / 1024:7.0f} MB, {float(seconds):6.1f} s, "
                  f"{len([n for n in notes if 'reached' in n])} prunes, common words with exact counts {exact}/1000, "
                  f"vocabulary {len(counts)} tokens")
            approx = [n for n in notes if "approximate" in n]
            if approx:
                print("   " + approx[0][:150] + "...")

if __name__ == "__main__":
    main()
