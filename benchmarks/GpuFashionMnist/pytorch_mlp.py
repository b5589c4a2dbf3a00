"""PyTorch reference for benchmarks/GpuFashionMnist: the same 784-256-Dropout(0.1)-128-10 MLP, Adam 1e-3,
batch 64, shuffled each epoch, on the same card. Prints per-epoch time and samples/s, then test accuracy.

    python3 benchmarks/GpuFashionMnist/pytorch_mlp.py --device cuda --epochs 5 --batch 64
"""
import argparse, gzip, os, time

import numpy as np
import torch
from torch import nn


def load(directory, name, images):
    path = os.path.join(directory, name + ".gz")
    with gzip.open(path, "rb") as f:
        data = f.read()
    if images:
        return np.frombuffer(data, np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255.0
    return np.frombuffer(data, np.uint8, offset=8).astype(np.int64)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    device = torch.device(args.device)
    torch.manual_seed(42)

    x_train = torch.from_numpy(load(args.data, "train-images-idx3-ubyte", True)).to(device)
    y_train = torch.from_numpy(load(args.data, "train-labels-idx1-ubyte", False)).to(device)
    x_test = torch.from_numpy(load(args.data, "t10k-images-idx3-ubyte", True)).to(device)
    y_test = torch.from_numpy(load(args.data, "t10k-labels-idx1-ubyte", False)).to(device)

    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.1), nn.Linear(256, 128), nn.ReLU(),
                          nn.Linear(128, 10)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    n = x_train.shape[0]
    print(f"PyTorch {torch.__version__} on {device} ({torch.cuda.get_device_name() if device.type == 'cuda' else 'cpu'})")
    times = []
    for epoch in range(args.epochs):
        model.train()
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        order = torch.randperm(n, device=device)
        total = 0.0
        for i in range(0, n, args.batch):
            idx = order[i:i + args.batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
            total += loss.detach() * idx.shape[0]
        if device.type == "cuda":
            torch.cuda.synchronize()
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        print(f"  [torch] epoch {epoch + 1}: loss {float(total) / n:.4f}, {elapsed:.2f} s ({n / elapsed:,.0f} samples/s)")
    model.eval()
    with torch.no_grad():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    steady = sum(times[1:]) / max(1, len(times) - 1) if len(times) > 1 else times[0]
    print(f"  [torch] test accuracy {accuracy:.2%}; steady epoch {steady:.2f} s ({n / steady:,.0f} samples/s)")


if __name__ == "__main__":
    main()
