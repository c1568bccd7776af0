#!/usr/bin/env python3
"""Scores ensembles from the kept probabilities of single models (bench/classify_members.sh):
the members' class probabilities combined as `lexis classify` combines them, then the accuracy
on dev and test. Prints one line per ensemble and data set.

    python3 bench/classify_combine.py [--weights equal|architecture] DATA_DIR OUT_DIR DATASETS ENSEMBLE...

ENSEMBLE is members joined by '+', each KIND:SEED, e.g. recurrent:1+recurrent:2+recurrent:3 or
recurrent:1+cnn:2+bow:3 (what `--model recurrent,cnn,bow --seed 1` trains). DATASETS is
comma-separated (trec,sst2,mr); the mean over them is printed too.

--weights equal (default) averages the members. --weights architecture fits one weight per
architecture on dev, shared equally by its members, as `--ensemble-weights architecture` does
(`ClassifierEnsemble.fitWeights`: the grid of multiples of 0.1 summing to 1, the best dev accuracy,
ties to the weights closest to equal; equal weights compete first). A dev accuracy after fitting
on dev flatters the fitted ensemble, so the line also gives "cross": the weights fitted on one half
of dev (even lines) scored on the other (odd lines) and the other way round, summed: what fitting
on dev is worth on sentences it did not see.
"""
import itertools
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


def right(each, weights, labels, lines):
    """How many of `lines` the weighted sum of the members' probabilities gets right."""
    n = 0
    for i in lines:
        total = {}
        for p, w in zip(each, weights):
            for k, v in p[i].items():
                total[k] = total.get(k, 0.0) + w * v
        best = max(sorted(total), key=lambda k: total[k]) if total else None
        n += best == labels[i]
    return n


def fit(each, kinds, labels, lines, steps=10):
    """Member weights: one per architecture (in order of first appearance), fitted on `lines`."""
    order = list(dict.fromkeys(kinds))
    size = {k: kinds.count(k) for k in order}
    uniform = [1 / len(kinds)] * len(kinds)
    best = (right(each, uniform, labels, lines), 0.0, uniform)
    if len(order) == 1:
        return uniform
    for c in itertools.product(range(steps + 1), repeat=len(order)):
        if sum(c) != steps:
            continue
        share = dict(zip(order, (x / steps for x in c)))
        w = [share[k] / size[k] for k in kinds]
        r = right(each, w, labels, lines)
        distance = sum((x - u) ** 2 for x, u in zip(w, uniform))
        if r > best[0] or (r == best[0] and distance < best[1]):
            best = (r, distance, w)
    return best[2]


def score(data, out, ds, members, weighting):
    """(dev %, test %, cross-fitted dev % or None, member weights) of one ensemble on one data set."""
    name = lambda m, split: os.path.join(out, f"{ds}-{m.replace(':', '-')}.{split}")
    dev_labels, test_labels = gold(os.path.join(data, ds, "dev.tsv")), gold(os.path.join(data, ds, "test.tsv"))
    dev = [probabilities(name(m, "dev")) for m in members]
    test = [probabilities(name(m, "test")) for m in members]
    kinds = [m.split(":")[0] for m in members]
    all_dev = range(len(dev_labels))
    cross = None
    if weighting == "architecture":
        w = fit(dev, kinds, dev_labels, all_dev)
        even, odd = all_dev[0::2], all_dev[1::2]
        cross = 100.0 * (right(dev, fit(dev, kinds, dev_labels, even), dev_labels, odd)
                         + right(dev, fit(dev, kinds, dev_labels, odd), dev_labels, even)) / len(dev_labels)
    else:
        w = [1 / len(members)] * len(members)
    d = 100.0 * right(dev, w, dev_labels, all_dev) / len(dev_labels)
    t = 100.0 * right(test, w, test_labels, range(len(test_labels))) / len(test_labels)
    return d, t, cross, w


def main():
    args = sys.argv[1:]
    weighting = "equal"
    if args and args[0] == "--weights":
        weighting, args = args[1], args[2:]
    if weighting not in ("equal", "architecture"):
        sys.exit("--weights must be equal or architecture")
    data, out, datasets = args[0], args[1], args[2].split(",")
    for ensemble in args[3:]:
        members = ensemble.split("+")
        devs, tests, crosses = [], [], []
        cells = []
        for ds in datasets:
            try:
                d, t, c, w = score(data, out, ds, members, weighting)
            except FileNotFoundError as e:
                cells.append(f"{ds} missing {os.path.basename(e.filename)}")
                continue
            devs.append(d); tests.append(t)
            cell = f"{ds} dev {d:.2f} test {t:.2f}"
            if c is not None:
                crosses.append(c)
                cell += f" cross {c:.2f} weights {','.join(f'{x:.2f}' for x in w)}"
            cells.append(cell)
        mean = ""
        if len(devs) == len(datasets):
            mean = f"mean dev {sum(devs) / len(devs):.2f} test {sum(tests) / len(tests):.2f}"
            if crosses:
                mean += f" cross {sum(crosses) / len(crosses):.2f}"
        print(f"{ensemble:<45} " + "  ".join(cells) + ("  " + mean if mean else ""))


if __name__ == "__main__":
    main()
