#!/usr/bin/python3
"""Writes pytorch-recurrent.json: PyTorch's outputs and gradients for fixed weights, the reference the recurrent tests compare with.

Run once with Debian's python3-torch (1.13.1): /usr/bin/python3 make_pytorch_fixture.py
Everything is computed in float64, so the fixture holds PyTorch's equations without float32 rounding; the tests compare our
float32 kernels with it to 1e-5. Each case: one nn.LSTM / nn.GRU / nn.RNN (tanh) layer, batch_first, zero initial state,
a loss L = sum(c * output) with a fixed random c; the fixture holds x, the weights as PyTorch names them, the output
(every step's h, or the last step's) and dL/d of every weight, bias and x. The "network" case is a whole network,
Embedding -> LSTM (last state) -> Linear, named as CompiledNets names its checkpoint tensors.
"""
import json
import os

import torch

torch.manual_seed(20261202)
torch.set_default_dtype(torch.float64)


def tensor(t):
    return {"shape": list(t.shape), "values": [float(v) for v in t.detach().reshape(-1).tolist()]}


def layer_case(name, module_type, batch, steps, inputs, hidden, all_steps, bias):
    layer = module_type(inputs, hidden, batch_first=True, bias=bias)
    with torch.no_grad():
        # Larger than the default U(-1/sqrt(H), 1/sqrt(H)) so the gates leave their linear range.
        for p in layer.parameters():
            p.uniform_(-0.8, 0.8)
    x = torch.randn(batch, steps, inputs, requires_grad=True)
    output, _ = layer(x)
    if not all_steps:
        output = output[:, -1, :]
    c = torch.randn(output.shape)
    (c * output).sum().backward()
    parameters = {n: tensor(p) for n, p in layer.named_parameters()}
    gradients = {n: tensor(p.grad) for n, p in layer.named_parameters()}
    gradients["x"] = tensor(x.grad)
    return {
        "name": name, "cell": module_type.__name__, "batch": batch, "steps": steps, "inputs": inputs, "hidden": hidden,
        "allSteps": all_steps, "bias": bias, "x": tensor(x), "c": tensor(c), "parameters": parameters,
        "output": tensor(output), "gradients": gradients,
    }


class Network(torch.nn.Module):
    def __init__(self, vocabulary, dimension, hidden, classes):
        super().__init__()
        self.embedding0 = torch.nn.Embedding(vocabulary, dimension)
        self.lstm0 = torch.nn.LSTM(dimension, hidden, batch_first=True)
        self.dense0 = torch.nn.Linear(hidden, classes)

    def forward(self, ids):
        h, _ = self.lstm0(self.embedding0(ids))
        return self.dense0(h[:, -1, :])


def network_case(batch, steps, vocabulary, dimension, hidden, classes):
    net = Network(vocabulary, dimension, hidden, classes)
    ids = torch.randint(0, vocabulary, (batch, steps))
    logits = net(ids)
    c = torch.randn(logits.shape)
    (c * logits).sum().backward()
    return {
        "name": "network", "batch": batch, "steps": steps, "vocabulary": vocabulary, "dimension": dimension, "hidden": hidden,
        "classes": classes, "ids": tensor(ids.to(torch.float64)), "c": tensor(c),
        "parameters": {n: tensor(p) for n, p in net.named_parameters()},
        "output": tensor(logits),
        "gradients": {n: tensor(p.grad) for n, p in net.named_parameters()},
    }


cases = []
for module_type in (torch.nn.LSTM, torch.nn.GRU, torch.nn.RNN):
    for all_steps in (True, False):
        cases.append(layer_case(f"{module_type.__name__}-{'all' if all_steps else 'last'}", module_type, 3, 7, 5, 3, all_steps, True))
    cases.append(layer_case(f"{module_type.__name__}-nobias", module_type, 2, 4, 3, 5, True, False))
cases.append(network_case(batch=3, steps=6, vocabulary=11, dimension=4, hidden=5, classes=3))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch-recurrent.json")
with open(path + ".tmp", "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=None)
os.replace(path + ".tmp", path)
print(f"wrote {path}: {len(cases)} cases, torch {torch.__version__}")
