#!/usr/bin/env python3
"""Step time of synchronous data parallelism at N ranks from measured costs (no dependencies).

step(N) = compute(B/N) + allreduce(N),  allreduce(N) = 2(N-1)*alpha + 2(N-1)/N * bytes / beta   (ring allreduce)
compute(B/N) = per-sample compute time (measured on 1 rank) * B/N; with a fixed global batch B (strong scaling).
Usage: scaling_model.py ALPHA_US BETA_GBPS  NAME PARAMS BATCH MS_PER_STEP_1_RANK [NAME PARAMS BATCH MS ...]
"""
import sys

alpha = float(sys.argv[1]) * 1e-6
beta = float(sys.argv[2]) * 1e9
rest = sys.argv[3:]
print(f"alpha = {alpha * 1e6:g} us, beta = {beta / 1e9:g} GB/s")
print("| network | parameters (MB) | global batch | ranks | samples per rank | compute (ms) | allreduce (ms) | step (ms) | communication share | speed-up vs 1 rank |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for i in range(0, len(rest), 4):
    name, params, batch, ms1 = rest[i], int(rest[i + 1]), int(rest[i + 2]), float(rest[i + 3])
    per_sample = ms1 / 1e3 / batch
    size = 4 * params
    for n in (1, 2, 8, 64, 256):
        local = batch / n
        compute = per_sample * local
        comm = 0 if n == 1 else 2 * (n - 1) * alpha + 2 * (n - 1) / n * size / beta
        step = compute + comm
        print(f"| {name} | {size / 1e6:.2f} | {batch} | {n} | {local:g} | {compute * 1e3:.3f} | {comm * 1e3:.3f} | {step * 1e3:.3f} | {comm / step:.0%} | {ms1 / 1e3 / step:.2f}x |")
