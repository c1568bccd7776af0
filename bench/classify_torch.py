#!/usr/bin/env python3
"""Reference classifiers in PyTorch on the same label<TAB>text splits as bench/classify.sh, to see
what the published baselines reach on THESE splits:

  cnn   Kim (2014) CNN-rand: random 300-d embeddings (uniform +-0.25), filters of width 3, 4, 5
        (100 each), ReLU, max over time, dropout 0.5, Adadelta (rho 0.95, eps 1e-6), batch 50,
        max-norm 3 on the output rows, 25 epochs, the best dev epoch's test accuracy.
  lstm  a bidirectional LSTM (150 per direction) with masked max pooling, dropout 0.5, Adam 1e-3,
        batch 50, 25 epochs, the best dev epoch: the plain PyTorch counterpart of one Lexis model.

Texts are whitespace-split (the data sets come tokenized) and lowercased unless --case (Kim kept
case for TREC); the vocabulary is the training words plus <unk> unless --all-vocab (Kim's
scripts also gave test-only words their own random vectors). One thread. Prints one line:
`torch-MODEL DATASET seed S dev D test T epoch E seconds X`.

    python3 bench/classify_torch.py DATA_DIR NAME MODEL [--seed 1] [--case] [--all-vocab]
"""
import argparse
import random
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def read(path, case):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            label, _, text = line.rstrip("\n").partition("\t")
            words = (text if case else text.lower()).split()
            if words:
                rows.append((label, words))
    return rows


class CNN(nn.Module):
    def __init__(self, vocab, classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab, 300, padding_idx=0)
        nn.init.uniform_(self.embedding.weight, -0.25, 0.25)
        self.convs = nn.ModuleList([nn.Conv1d(300, 100, k) for k in (3, 4, 5)])
        self.dropout = nn.Dropout(0.5)
        self.output = nn.Linear(300, classes)

    def forward(self, x):
        e = self.embedding(x).transpose(1, 2)
        h = torch.cat([F.relu(conv(e)).max(dim=2).values for conv in self.convs], 1)
        return self.output(self.dropout(h))


class BiLSTM(nn.Module):
    def __init__(self, vocab, classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab, 300, padding_idx=0)
        nn.init.uniform_(self.embedding.weight, -0.1, 0.1)
        self.rnn = nn.LSTM(300, 150, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(0.5)
        self.output = nn.Linear(300, classes)

    def forward(self, x):
        mask = (x != 0).unsqueeze(2)
        h, _ = self.rnn(self.dropout(self.embedding(x)))
        return self.output(self.dropout(h.masked_fill(~mask, -1e9).max(dim=1).values))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("name")
    ap.add_argument("model", choices=["cnn", "lstm"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--case", action="store_true")
    ap.add_argument("--all-vocab", action="store_true")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    torch.set_num_threads(1)
    splits = {s: read(f"{a.data}/{a.name}/{s}.tsv", a.case) for s in ("train", "dev", "test")}
    labels = {y: i for i, y in enumerate(sorted({y for y, _ in splits["train"]}))}
    vocab = {"<pad>": 0, "<unk>": 1}
    for s in (("train", "dev", "test") if a.all_vocab else ("train",)):
        for _, words in splits[s]:
            for w in words:
                vocab.setdefault(w, len(vocab))
    # Width-5 filters need 5 positions: short sentences are padded (as Kim's scripts do).
    data = {s: [([vocab.get(w, 1) for w in words] + [0] * max(0, 5 - len(words)), labels[y]) for y, words in rows]
            for s, rows in splits.items()}
    net = CNN(len(vocab), len(labels)) if a.model == "cnn" else BiLSTM(len(vocab), len(labels))
    opt = (torch.optim.Adadelta(net.parameters(), rho=0.95, eps=1e-6) if a.model == "cnn"
           else torch.optim.Adam(net.parameters(), lr=1e-3))

    def batches(rows, size, shuffle):
        order = list(range(len(rows)))
        if shuffle:
            random.shuffle(order)
        for i in range(0, len(order), size):
            b = [rows[j] for j in order[i:i + size]]
            t = max(len(x) for x, _ in b)
            yield torch.tensor([x + [0] * (t - len(x)) for x, _ in b]), torch.tensor([y for _, y in b])

    def accuracy(rows):
        net.eval()
        with torch.no_grad():
            right = sum((net(x).argmax(1) == y).sum().item() for x, y in batches(rows, 256, False))
        net.train()
        return right / len(rows)

    start = time.time()
    best = (-1.0, 0.0, 0)
    for epoch in range(1, 26):
        for x, y in batches(data["train"], 50, True):
            opt.zero_grad()
            F.cross_entropy(net(x), y).backward()
            opt.step()
            if a.model == "cnn":
                with torch.no_grad():
                    w = net.output.weight
                    w.mul_(torch.clamp(3 / w.norm(dim=1, keepdim=True), max=1))
        dev = accuracy(data["dev"])
        if dev > best[0]:
            best = (dev, accuracy(data["test"]), epoch)
    print(f"torch-{a.model} {a.name} seed {a.seed} dev {100 * best[0]:.2f} test {100 * best[1]:.2f} "
          f"epoch {best[2]} seconds {time.time() - start:.1f}")


if __name__ == "__main__":
    main()
