#!/usr/bin/python3
"""Golden data for the sharpness of the digits `mlp`, from PyTorch itself.

Run with Debian's python3 (python3-torch, 1.13):
    /usr/bin/python3 tests/golden/make_sharpness_golden.py > tests/golden/sharpness.json
Not part of `npm test`; the JSON it writes is committed and read by
tests/cpp/sharpness_test.cpp.

The network is the README's `mlp` problem written out in torch (float64):
h = act(W1 x + b1), z = W2 h + b2, mean softmax cross-entropy over the 1437
training rows of web/data/digits.bin, inputs pixel/16. Parameters are
flattened W1 (H x 64, row-major), b1, W2 (10 x H), b2, as in the core.

For each case, at a point drawn here from torch's generator:
  - `x`: the point; `v`: a unit vector; `hvp`: H(x) v from
    torch.autograd.functional.hvp (double backward, no differences);
  - `lambda_max`: the top eigenvalue of the dense Hessian
    (torch.autograd.functional.hessian, torch.linalg.eigvalsh);
  - `run`: full-batch gradient descent from x with learning rate `lr` for
    `steps` steps, and lambda_max (dense) at x_t for t = 0, every, 2 every, ...
    -- what the core's `record.sharpness` reports.
"""
import json
import pathlib
import struct
import sys

import torch

torch.set_default_dtype(torch.float64)
DATA = pathlib.Path(__file__).resolve().parent.parent.parent / "web" / "data" / "digits.bin"

CASES = [
    # name, activation, hidden, generator seed, scale of the point, lr, steps, every
    ("tanh-h6", "tanh", 6, 1, 0.3, 0.5, 40, 10),
    ("relu-h6", "relu", 6, 2, 0.3, 0.5, 40, 10),
]


def load_digits():
    raw = DATA.read_bytes()
    assert raw[:8] == b"LRLABDS1"
    n, d, c, t, m = struct.unpack("<5I", raw[8:28])
    pixels = torch.tensor(list(raw[28:28 + n * d]), dtype=torch.float64).reshape(n, d) / m
    labels = torch.tensor(list(raw[28 + n * d:28 + n * d + n]), dtype=torch.long)
    return pixels[:t], labels[:t], d, c


def make_loss(inputs, labels, features, classes, hidden, activation):
    act = torch.tanh if activation == "tanh" else torch.relu
    sizes = [hidden * features, hidden, classes * hidden, classes]

    def loss(theta):
        w1, b1, w2, b2 = torch.split(theta, sizes)
        h = act(inputs @ w1.reshape(hidden, features).T + b1)
        z = h @ w2.reshape(classes, hidden).T + b2
        return torch.nn.functional.cross_entropy(z, labels)

    return loss, sum(sizes)


def lambda_max(loss, theta):
    hessian = torch.autograd.functional.hessian(loss, theta)
    return torch.linalg.eigvalsh(0.5 * (hessian + hessian.T))[-1].item()


def main():
    inputs, labels, features, classes = load_digits()
    cases = []
    for name, activation, hidden, seed, scale, lr, steps, every in CASES:
        loss, dim = make_loss(inputs, labels, features, classes, hidden, activation)
        gen = torch.Generator().manual_seed(seed)
        x = scale * (2 * torch.rand(dim, generator=gen) - 1)
        v = torch.randn(dim, generator=gen)
        v = v / v.norm()
        _, hv = torch.autograd.functional.hvp(loss, x, v)
        theta = x.clone()
        run_steps, run_values = [], []
        for t in range(steps + 1):
            if t % every == 0:
                run_steps.append(t)
                run_values.append(lambda_max(loss, theta))
            if t == steps:
                break
            p = theta.clone().requires_grad_(True)
            (g,) = torch.autograd.grad(loss(p), p)
            theta = theta - lr * g
        cases.append({
            "name": name, "activation": activation, "hidden": hidden,
            "x": x.tolist(), "v": v.tolist(), "loss": loss(x).item(), "hvp": hv.tolist(),
            "lambda_max": lambda_max(loss, x),
            "run": {"lr": lr, "steps": steps, "every": every, "sharpness_steps": run_steps,
                    "sharpness": run_values},
        })
    json.dump({"torch": torch.__version__, "cases": cases}, sys.stdout, indent=None)
    print()


if __name__ == "__main__":
    main()
