#!/usr/bin/env python3
"""Scores ensembles from the kept probabilities of single models (bench/classify_members.sh):
the average of the members' class probabilities, as `lexis classify` combines them, then the
accuracy on dev and test. Prints one line per ensemble and data set.

    python3 bench/classify_combine.py DATA_DIR OUT_DIR DATASETS ENSEMBLE...

ENSEMBLE is members joined by '+', each KIND:SEED, e.g. recurrent:1+recurrent:2+recurrent:3 or
recurrent:1+cnn:2+bow:3 (what `--model recurrent,cnn,bow --seed 1` trains). DATASETS is
comma-separated (trec,sst2,mr); the mean over them is printed too.
"""
import os
import sys


def probabilities(path):
    """predict --top output: label<TAB>p<TAB>label<TAB>p... per line -> list of dicts."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            rows.append({parts[i]: float(parts[i + 1]) for i in range(0, len(parts) - 1, 2)})
    return rows


def gold(path):
    with open(path, encoding="utf-8") as f:
        return [line.split("\t", 1)[0].strip() for line in f if line.strip()]


def accuracy(data, out, ds, members, split):
    labels = gold(os.path.join(data, ds, split + ".tsv"))
    each = [probabilities(os.path.join(out, f"{ds}-{m.replace(':', '-')}.{split}")) for m in members]
    right = 0
    for i, g in enumerate(labels):
        total = {}
        for p in each:
            for k, v in p[i].items():
                total[k] = total.get(k, 0.0) + v / len(each)
        best = max(sorted(total), key=lambda k: total[k]) if total else None
        right += best == g
    return 100.0 * right / len(labels)


def main():
    data, out, datasets = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    for ensemble in sys.argv[4:]:
        members = ensemble.split("+")
        devs, tests = [], []
        cells = []
        for ds in datasets:
            try:
                d, t = accuracy(data, out, ds, members, "dev"), accuracy(data, out, ds, members, "test")
            except FileNotFoundError as e:
                cells.append(f"{ds} missing {os.path.basename(e.filename)}")
                continue
            devs.append(d); tests.append(t)
            cells.append(f"{ds} dev {d:.2f} test {t:.2f}")
        mean = f"mean dev {sum(devs) / len(devs):.2f} test {sum(tests) / len(tests):.2f}" if len(devs) == len(datasets) else ""
        print(f"{ensemble:<45} " + "  ".join(cells) + ("  " + mean if mean else ""))


if __name__ == "__main__":
    main()
