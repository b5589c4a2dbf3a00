#!/usr/bin/env python3
"""Step time of synchronous data parallelism at N ranks from measured costs (no dependencies).

Weak scaling (the regime of Horovod / DDP): every rank keeps a batch of b samples, the global batch is N*b.
  step(N) = compute(b) + allreduce(N),  compute(b) = c*b with c the per-sample training time measured on one rank,
  allreduce(N) = 2(N-1)*alpha + 2(N-1)/N * bytes / beta   (ring allreduce: reduce-scatter + allgather).
Efficiency = compute / step; communication dominates once allreduce > compute, i.e. below b* = allreduce(N) / c.
Usage: scaling_model.py ALPHA_US BETA_GBPS  NAME PARAMS PER_RANK_BATCH MS_PER_SAMPLE_1_RANK [NAME ...]
"""
import sys

alpha = float(sys.argv[1]) * 1e-6
beta = float(sys.argv[2]) * 1e9
rest = sys.argv[3:]
print(f"alpha = {alpha * 1e6:g} us, beta = {beta / 1e9:g} GB/s")
print("| network | gradient (MB) | batch per rank | ranks | global batch | compute (ms) | allreduce (ms) | step (ms) | communication share | efficiency | batch per rank where communication = compute |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for i in range(0, len(rest), 4):
    name, params, batch, ms_per_sample = rest[i], int(rest[i + 1]), int(rest[i + 2]), float(rest[i + 3])
    c = ms_per_sample / 1e3
    size = 4 * params
    for n in (2, 8, 64, 256):
        compute = c * batch
        comm = 2 * (n - 1) * alpha + 2 * (n - 1) / n * size / beta
        step = compute + comm
        print(f"| {name} | {size / 1e6:.2f} | {batch} | {n} | {n * batch} | {compute * 1e3:.2f} | {comm * 1e3:.2f} | {step * 1e3:.2f} | "
              f"{comm / step:.0%} | {compute / step:.0%} | {comm / c:.1f} |")
