#!/usr/bin/env python3
"""Writes PyTorch's torch.optim.LBFGS trajectory on a small MLP, for CompiledNets' L-BFGS comparison test.

    apt-get install -y python3-torch python3-numpy      # Debian's PyTorch (1.13 on Debian 12)
    /usr/bin/python3 tests/reference/lbfgs_torch_reference.py > tests/CompiledNets.Tests/Training/Lbfgs/torch_lbfgs_reference.json

The network is LbfgsMlp of tests/CompiledNets.Tests/Training/Lbfgs/LbfgsNetworks.cs: 4 -> 8 tanh -> 5 tanh -> 3 logits,
mean softmax cross-entropy; tensor names and layouts as CompiledNets names them (dense{i}.weight is [out, in], as
nn.Linear's). The data and the initial weights are drawn here with numpy and written out, so the C# test starts from
exactly the same float32 values. Each run calls optimizer.step(closure) once per recorded point with max_iter=1, so
the JSON holds the parameters and the loss after every iteration.
"""
import json
import sys

import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(0)
SHAPES = [("dense0.weight", (8, 4)), ("dense0.bias", (8,)), ("dense1.weight", (5, 8)), ("dense1.bias", (5,)),
          ("dense2.weight", (3, 5)), ("dense2.bias", (3,))]


def model_from(initial):
    layers = [torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3)]
    net = torch.nn.Sequential(*layers)
    linears = [layers[0], layers[2], layers[4]]
    with torch.no_grad():
        for i, linear in enumerate(linears):
            linear.weight.copy_(torch.tensor(initial[f"dense{i}.weight"]))
            linear.bias.copy_(torch.tensor(initial[f"dense{i}.bias"]))
    return net, linears


def params_of(linears):
    out = {}
    for i, linear in enumerate(linears):
        out[f"dense{i}.weight"] = [float(v) for v in linear.weight.detach().numpy().ravel()]
        out[f"dense{i}.bias"] = [float(v) for v in linear.bias.detach().numpy().ravel()]
    return out


def run(x, y, initial, lr, history, line_search, steps):
    net, linears = model_from(initial)
    optimizer = torch.optim.LBFGS(net.parameters(), lr=lr, max_iter=1, history_size=history,
                                  line_search_fn=line_search, tolerance_grad=1e-7, tolerance_change=1e-9)
    loss_fn = torch.nn.CrossEntropyLoss()

    def closure():
        optimizer.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        return loss

    points = []
    for _ in range(steps):
        optimizer.step(closure)
        with torch.no_grad():
            loss = float(loss_fn(net(x), y))
        points.append({"loss": loss, "params": params_of(linears)})
    return {"lr": lr, "history_size": history, "line_search": line_search or "none",
            "func_evals": optimizer.state[optimizer._params[0]]["func_evals"], "points": points}


def main():
    data = np.random.RandomState(0)
    x = data.normal(size=(37, 4)).astype(np.float32)
    labels = data.randint(0, 3, size=37)
    weights = np.random.RandomState(1)
    initial = {name: (weights.normal(size=shape) * 0.5).astype(np.float32) for name, shape in SHAPES}
    xt, yt = torch.tensor(x), torch.tensor(labels, dtype=torch.long)
    result = {
        "torch_version": torch.__version__,
        "features": [float(v) for v in x.ravel()],
        "labels": [int(v) for v in labels],
        "initial": {name: [float(v) for v in value.ravel()] for name, value in initial.items()},
        "runs": [
            run(xt, yt, initial, lr=1.0, history=5, line_search="strong_wolfe", steps=8),
            run(xt, yt, initial, lr=0.2, history=5, line_search=None, steps=8),
        ],
    }
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
