#!/usr/bin/env python3
"""PyTorch reference for bench/lm.sh: trains the same word-level LM (embedding -> nn.LSTM/nn.RNN ->
linear) on PTB for a fixed number of batches on the CPU and prints training tokens/s.

Same setup as `lexis lm train`: B parallel streams, truncated BPTT with the state carried and
detached, loss = cross-entropy summed over the bptt steps and averaged over the batch (Zaremba),
clip the global gradient norm, plain SGD."""
import argparse, time, torch, torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--train", required=True)
p.add_argument("--cell", default="lstm", choices=["lstm", "rnn"])
p.add_argument("--layers", type=int, default=2)
p.add_argument("--hidden", type=int, default=200)
p.add_argument("--bptt", type=int, default=20)
p.add_argument("--batch", type=int, default=20)
p.add_argument("--lr", type=float, default=1.0)
p.add_argument("--clip", type=float, default=5.0)
p.add_argument("--batches", type=int, default=200)
p.add_argument("--threads", type=int, default=2)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)

words, ids = {}, []
with open(a.train) as f:
    for line in f:
        for w in line.split() + ["<eos>"]:
            ids.append(words.setdefault(w, len(words)))
V = len(words)
data = torch.tensor(ids, dtype=torch.long)
n = data.size(0) // a.batch
data = data[: n * a.batch].view(a.batch, n).t().contiguous()  # [n x B], stream b = column b

class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, a.hidden)
        rnn = nn.LSTM if a.cell == "lstm" else nn.RNN
        self.rnn = rnn(a.hidden, a.hidden, a.layers)
        self.out = nn.Linear(a.hidden, V)
        for w in self.parameters():
            nn.init.uniform_(w, -0.1, 0.1)
    def forward(self, x, h):
        y, h = self.rnn(self.emb(x), h)
        return self.out(y), h

model = LM()
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=a.lr)
def zero_state():
    z = torch.zeros(a.layers, a.batch, a.hidden)
    return (z, z.clone()) if a.cell == "lstm" else z
h = zero_state()
tokens = 0
start = time.perf_counter()
for k in range(a.batches):
    i = (k * a.bptt) % (n - 1 - a.bptt)
    x, y = data[i : i + a.bptt], data[i + 1 : i + 1 + a.bptt]
    h = tuple(s.detach() for s in h) if a.cell == "lstm" else h.detach()
    opt.zero_grad()
    logits, h = model(x, h)
    loss = loss_fn(logits.view(-1, V), y.reshape(-1)) * a.bptt  # summed over steps, mean over batch
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
    opt.step()
    tokens += x.numel()
elapsed = time.perf_counter() - start
print(f"pytorch {torch.__version__} {a.cell} {a.layers}x{a.hidden} bptt {a.bptt} batch {a.batch}: "
      f"{a.batches} batches, {tokens} tokens, {elapsed:.1f} s, train tokens/s {tokens / elapsed:.0f}, "
      f"last loss/token {loss.item() / a.bptt:.3f}")
