#!/usr/bin/env python3
"""GFLOP/s of torch.mm (PyTorch's CPU BLAS) on the products of one PTB language-model step, the
same shapes and transposes as `lexis-bench sgemm` (row-major C[m x n] = op(A) op(B)).
    python3 bench/sgemm_torch.py [THREADS]"""
import sys, time
import torch

SHAPES = [
    ("small-input-proj", 400, 800, 200, False, True), ("small-recurrent-step", 20, 800, 200, False, True),
    ("small-recurrent-back", 20, 200, 800, False, False), ("small-weight-grad", 800, 200, 400, True, False),
    ("small-output", 400, 10000, 200, False, True), ("small-output-dx", 400, 200, 10000, False, False),
    ("small-output-dw", 10000, 200, 400, True, False),
    ("medium-input-proj", 700, 2600, 650, False, True), ("medium-recurrent-step", 20, 2600, 650, False, True),
    ("medium-recurrent-back", 20, 650, 2600, False, False), ("medium-weight-grad", 2600, 650, 700, True, False),
    ("medium-output", 700, 10000, 650, False, True), ("medium-output-dx", 700, 650, 10000, False, False),
    ("medium-output-dw", 10000, 650, 700, True, False),
]
torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads, {torch.backends.cpu.get_cpu_capability()}")
for name, m, n, k, ta, tb in SHAPES:
    a = torch.full((k, m) if ta else (m, k), 0.01)
    b = torch.full((n, k) if tb else (k, n), 0.02)
    a, b = (a.t() if ta else a), (b.t() if tb else b)
    c = torch.empty(m, n)
    flops = 2.0 * m * n * k
    reps = max(3, int(2e9 / flops))
    best = 1e9
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b, out=c)
        best = min(best, time.perf_counter() - t)
    print(f"{name} {m}x{n}x{k} {flops * reps / best / 1e9:.1f} GFLOP/s")
