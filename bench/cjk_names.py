#!/usr/bin/env python3
"""Names in Chinese and Japanese novels before and after phrases (issue 16), for BENCHMARKS.md.

Usage: cjk_names.py LEXIS DATASETS OUTDIR [--lang zh|ja] [--seeds 3] [--epochs 10] [--threads 2]

Trains skip-gram (dim 100, window 5, negative 5, sample 1e-4, min-count 5) on the novels with the
default tokenizer ("before"), and again with a one-pass phrase table from `lexis phrases build`
("after"), for each seed. For a fixed list of frequent names it prints whether each is in the
vocabulary and its top 5 neighbours (first seed). The phrase table uses gensim's threshold, 10
(Lexis's default, 100, keeps fewer names: 云长 scores 47, 关公 82), and, over all seeds, the share of neighbours
that belong to the same novel (a neighbour belongs to the novel whose text holds most of its
occurrences, counted as substrings of the raw text).
"""
import argparse, json, os, subprocess, sys

NAMES = {
    "zh": {  # novel file -> frequent names (2 and 3 characters)
        "sanguo_yanyi.txt": ["玄德", "孔明", "曹操", "关公", "云长", "张飞", "诸葛亮", "吕布", "孙权", "袁绍"],
        "shuihu_zhuan.txt": ["宋江", "李逵", "林冲", "吴用", "武松", "卢俊义", "鲁智深"],
        "xiyou_ji.txt": ["悟空", "八戒", "沙僧", "唐僧", "行者", "三藏"],
        "hongloumeng.txt": ["宝玉", "黛玉", "凤姐", "贾母", "宝钗", "王夫人", "袭人", "贾琏"],
    },
    "ja": {
        "wagahai_wa_neko_de_aru.txt": ["迷亭", "苦沙弥", "寒月", "東風", "金田", "鈴木", "細君", "独仙", "吾輩", "三平"],
        "kokoro.txt": ["先生", "奥さん", "お嬢さん", "叔父", "父", "母", "妻", "兄"],
    },
}

def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    return r.stdout

def main():
    p = argparse.ArgumentParser()
    p.add_argument("lexis"); p.add_argument("datasets"); p.add_argument("out")
    p.add_argument("--lang", default="zh"); p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--epochs", type=int, default=10); p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    folder = os.path.join(a.datasets, a.lang)
    novels = NAMES[a.lang]
    files = [os.path.join(folder, f) for f in novels]
    texts = {f: open(os.path.join(folder, f), encoding="utf-8").read() for f in novels}
    novel_of = {name: f for f, names in novels.items() for name in names}

    def home(word):
        counts = {f: t.count(word) for f, t in texts.items()}
        best = max(counts, key=counts.get)
        return best if counts[best] > 0 else None

    phrases = os.path.join(a.out, f"{a.lang}-phrases.tsv")
    run([a.lexis, "phrases", "build", *files, "-o", phrases, "--threshold", "10", "--threads", str(a.threads), "--quiet"])
    common = ["--dim", "100", "--window", "5", "--negative", "5", "--sample", "1e-4", "--min-count", "5",
              "--epochs", str(a.epochs), "--threads", str(a.threads), "--quiet"]
    results = {}
    for label, extra in [("before", []), ("after", ["--phrases", phrases])]:
        for seed in range(1, a.seeds + 1):
            vectors = os.path.join(a.out, f"{a.lang}-{label}-{seed}.bin")
            run([a.lexis, "train", *files, "-o", vectors, "--seed", str(seed), *common, *extra])
            found = {}
            query = "\n".join(novel_of) + "\n"
            r = subprocess.run([a.lexis, "neighbors", vectors, "-k", "5", "--json"], input=query, capture_output=True, text=True)
            for line in r.stdout.splitlines():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(obj, dict) and "neighbors" in obj:
                    found[obj["query"]] = [n["word"] for n in obj["neighbors"]]
            results[(label, seed)] = found

    def share(label):
        same = total = 0
        for seed in range(1, a.seeds + 1):
            for name, novel in novel_of.items():
                for w in results[(label, seed)].get(name, []):
                    total += 1
                    same += home(w) == novel
        return same, total

    print(f"| name | novel | before: top 5 neighbours | after (phrases): top 5 neighbours |")
    print(f"|---|---|---|---|")
    for name, novel in novel_of.items():
        cells = []
        for label in ["before", "after"]:
            n = results[(label, 1)].get(name)
            cells.append("not in the vocabulary" if n is None else " ".join(n))
        print(f"| {name} | {novel.split('.')[0]} | {cells[0]} | {cells[1]} |")
    for label in ["before", "after"]:
        present = sum(1 for name in novel_of if name in results[(label, 1)])
        same, total = share(label)
        print(f"{label}: {present}/{len(novel_of)} names have a vector; neighbours from the same novel "
              f"{same}/{total} ({100 * same / max(total, 1):.1f}%, {a.seeds} seeds)")

if __name__ == "__main__":
    main()
