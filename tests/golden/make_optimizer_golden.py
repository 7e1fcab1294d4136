#!/usr/bin/python3
"""Golden trajectories for every optimizer, from torch.optim itself.

Run with Debian's python3 (it ships torch 1.13):
    /usr/bin/python3 tests/golden/make_optimizer_golden.py > tests/golden/optimizers.json
Not part of `npm test`; the JSON it writes is committed and read by
tests/cpp/golden_optimizers_test.cpp.

Each case runs one torch.optim optimizer for STEPS steps in float64 on the
4-D function of `grad` below (a coupled quadratic plus a small quartic, so
curvature changes along the path), starting from X0, and records x_t for
t = 0..STEPS. The learning rate is set on the param group before every step
(constant or cosine-decayed); some cases also set the momentum (SGD, RMSprop)
or beta1 (optimizers with betas) before every step, as OneCycleLR does.

`optimizer` in each case is the lrlab config object for the same optimizer:
the test builds the optimizer through the config reader, so the config's
defaults are checked against PyTorch's as well. The torch keyword arguments
are that object minus `name` (betas as a tuple).

NAdam runs with foreach=True: PyTorch 1.13's default single-tensor NAdam
multiplies mu_t into the second product twice (fixed in PyTorch 2.0, pull
request 92699); its foreach path computes the documented formula, which lrlab
implements (see cpp/include/lrlab/optimizers/nadam.hpp).

The gradient is computed analytically with Python floats in a fixed order,
the same order as the C++ test, so both sides see the same gradients up to the
rounding of the optimizers themselves.
"""
import json
import math
import sys

import torch

# Scalar state tensors (step counts, NAdam's mu_product) are created with the
# default dtype: make it float64 so nothing is computed in float32.
torch.set_default_dtype(torch.float64)

STEPS = 50
A = [[3.0, 0.5, 0.0, 0.2],
     [0.5, 2.0, 0.3, 0.0],
     [0.0, 0.3, 1.0, 0.1],
     [0.2, 0.0, 0.1, 0.5]]
B = [1.0, -0.5, 0.25, 0.8]
C = 0.1
X0 = [1.5, -1.0, 0.5, 2.0]


def grad(x):
    """Gradient of f(x) = 1/2 x'Ax - b'x + C/4 sum x_i^4: (Ax)_i - b_i + C x_i^3."""
    out = []
    for i in range(4):
        s = 0.0
        for j in range(4):
            s += A[i][j] * x[j]
        out.append((s - B[i]) + C * x[i] * x[i] * x[i])
    return out


def constant(value):
    return [value] * STEPS


def cosine(base, floor_fraction=0.1):
    """Cosine decay from base to floor_fraction * base over STEPS."""
    lo = base * floor_fraction
    return [lo + 0.5 * (base - lo) * (1.0 + math.cos(math.pi * t / STEPS)) for t in range(STEPS)]


def triangle(lo, hi):
    """Down from hi to lo and back, as OneCycleLR cycles momentum."""
    half = STEPS // 2
    return [hi - (hi - lo) * (t / half if t <= half else (STEPS - t) / half) for t in range(STEPS)]


# (case name, lrlab config object, lr per step, momentum/beta1 per step or None)
CASES = [
    ("sgd", {"name": "sgd", "lr": 0.05}, constant(0.05), None),
    ("sgd_momentum_dampening", {"name": "sgd", "lr": 0.02, "momentum": 0.9, "dampening": 0.1}, constant(0.02), None),
    ("sgd_nesterov_weight_decay", {"name": "sgd", "lr": 0.03, "momentum": 0.8, "nesterov": True,
                                   "weight_decay": 0.05}, cosine(0.03), None),
    ("sgd_cycled_momentum", {"name": "sgd", "lr": 0.02, "momentum": 0.95}, cosine(0.02), triangle(0.85, 0.95)),

    ("adagrad", {"name": "adagrad", "lr": 0.1}, constant(0.1), None),
    ("adagrad_default_lr", {"name": "adagrad"}, constant(1e-2), None),
    ("adagrad_lr_decay_accumulator_weight_decay",
     {"name": "adagrad", "lr": 0.2, "lr_decay": 0.05, "initial_accumulator_value": 0.1, "weight_decay": 0.01},
     constant(0.2), None),
    ("adagrad_eps_varying_lr", {"name": "adagrad", "lr": 0.3, "eps": 1e-3}, cosine(0.3), None),

    ("rmsprop", {"name": "rmsprop", "lr": 0.01}, constant(0.01), None),
    ("rmsprop_centered", {"name": "rmsprop", "lr": 0.01, "centered": True}, constant(0.01), None),
    ("rmsprop_momentum", {"name": "rmsprop", "lr": 0.005, "momentum": 0.9}, constant(0.005), None),
    ("rmsprop_centered_momentum_weight_decay",
     {"name": "rmsprop", "lr": 0.005, "momentum": 0.5, "centered": True, "weight_decay": 0.1, "alpha": 0.9,
      "eps": 1e-4}, cosine(0.005), None),
    ("rmsprop_cycled_momentum", {"name": "rmsprop", "lr": 0.004, "momentum": 0.9}, cosine(0.004),
     triangle(0.8, 0.9)),

    ("adam", {"name": "adam", "lr": 0.05}, constant(0.05), None),
    ("adam_default_lr", {"name": "adam"}, constant(1e-3), None),
    ("adam_amsgrad", {"name": "adam", "lr": 0.05, "betas": [0.9, 0.9], "amsgrad": True}, constant(0.05), None),
    ("adam_l2_weight_decay", {"name": "adam", "lr": 0.05, "weight_decay": 0.1}, constant(0.05), None),
    ("adam_betas_eps_varying_lr", {"name": "adam", "lr": 0.1, "betas": [0.5, 0.9], "eps": 1e-3}, cosine(0.1), None),
    ("adam_cycled_beta1", {"name": "adam", "lr": 0.05, "betas": [0.95, 0.999]}, cosine(0.05), triangle(0.85, 0.95)),

    ("adamw", {"name": "adamw", "lr": 0.05}, constant(0.05), None),
    ("adamw_amsgrad_weight_decay", {"name": "adamw", "lr": 0.05, "betas": [0.9, 0.95], "weight_decay": 0.5,
                                    "amsgrad": True},
     cosine(0.05), None),
    ("adamw_no_weight_decay", {"name": "adamw", "lr": 0.05, "weight_decay": 0.0}, constant(0.05), None),

    ("adadelta", {"name": "adadelta"}, constant(1.0), None),
    ("adadelta_rho_eps_weight_decay", {"name": "adadelta", "lr": 2.0, "rho": 0.95, "eps": 1e-4,
                                       "weight_decay": 0.01}, cosine(2.0), None),

    ("adamax", {"name": "adamax", "lr": 0.05}, constant(0.05), None),
    ("adamax_default_lr", {"name": "adamax"}, constant(2e-3), None),
    ("adamax_weight_decay_cycled_beta1", {"name": "adamax", "lr": 0.05, "weight_decay": 0.1, "betas": [0.9, 0.99]},
     cosine(0.05), triangle(0.85, 0.95)),

    ("nadam", {"name": "nadam", "lr": 0.05}, constant(0.05), None),
    ("nadam_momentum_decay_weight_decay", {"name": "nadam", "lr": 0.05, "momentum_decay": 0.02,
                                           "weight_decay": 0.1}, cosine(0.05), None),
    ("nadam_cycled_beta1", {"name": "nadam", "lr": 0.05, "betas": [0.95, 0.99]}, constant(0.05),
     triangle(0.85, 0.95)),

    ("radam", {"name": "radam", "lr": 0.05}, constant(0.05), None),
    ("radam_beta2_0.9_weight_decay", {"name": "radam", "lr": 0.05, "betas": [0.8, 0.9], "weight_decay": 0.1},
     cosine(0.05), None),
    ("radam_cycled_beta1", {"name": "radam", "lr": 0.05, "betas": [0.95, 0.99]}, constant(0.05),
     triangle(0.85, 0.95)),
]

TORCH_CLASSES = {
    "sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop,
    "adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "adadelta": torch.optim.Adadelta,
    "adamax": torch.optim.Adamax, "nadam": torch.optim.NAdam, "radam": torch.optim.RAdam,
}


def run(config, lrs, momenta):
    kwargs = {k: (tuple(v) if k == "betas" else v) for k, v in config.items() if k not in ("name", "lr")}
    if config["name"] == "nadam":
        kwargs["foreach"] = True
    x = torch.tensor(X0, dtype=torch.float64, requires_grad=True)
    opt = TORCH_CLASSES[config["name"]]([x], lr=lrs[0], **kwargs)
    group = opt.param_groups[0]
    trajectory = [x.detach().tolist()]
    for t in range(STEPS):
        group["lr"] = lrs[t]
        if momenta is not None:
            if "betas" in group:
                group["betas"] = (momenta[t], group["betas"][1])
            else:
                group["momentum"] = momenta[t]
        x.grad = torch.tensor(grad(x.detach().tolist()), dtype=torch.float64)
        opt.step()
        trajectory.append(x.detach().tolist())
    return trajectory


def main():
    cases = []
    for name, config, lrs, momenta in CASES:
        case = {"name": name, "optimizer": config, "lr": lrs}
        if momenta is not None:
            case["momentum"] = momenta
        case["trajectory"] = run(config, lrs, momenta)
        cases.append(case)
    out = {
        "generator": "tests/golden/make_optimizer_golden.py",
        "torch_version": torch.__version__,
        "problem": {"A": A, "b": B, "c": C, "x0": X0,
                    "gradient": "(A x)_i - b_i + c x_i^3, summed left to right"},
        "steps": STEPS,
        "cases": cases,
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
