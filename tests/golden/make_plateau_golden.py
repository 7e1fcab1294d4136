#!/usr/bin/python3
"""Golden data for the reduce-on-plateau controller, from PyTorch itself.

Run with Debian's python3 (it ships torch 1.13):
    /usr/bin/python3 tests/golden/make_plateau_golden.py > tests/golden/plateau.json
Not part of `npm test`; the JSON it writes is committed and read by
tests/cpp/training_test.cpp.

Each case feeds a fixed sequence of metric values to
torch.optim.lr_scheduler.ReduceLROnPlateau (one scheduler.step(metric) per
value) on an SGD optimizer with lr = 1 and records the learning rate after
each call, plus the scheduler's counters.
"""
import json
import math

import torch

# Metric sequences that exercise improvement, stalls, noise and NaN.
SEQUENCES = {
    "stall": [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9],
    "slow": [1.0, 0.99995, 0.9999, 0.9998, 0.9997, 0.99, 0.98, 0.98, 0.98, 0.97, 0.97, 0.97, 0.97, 0.97],
    "noisy": [5, 4, 4.5, 3.9, 4.2, 4.1, 4.0, 3.95, 3.8, 3.85, 3.9, 3.9, 3.9, 3.9, 3.9, 3.9, 3.9, 3.9, 3.9],
    "rising": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    "nan": [1.0, float("nan"), 0.5, float("nan"), float("nan"), float("nan"), 0.4],
}

CASES = [
    ("defaults-ish", "stall", dict(patience=2)),
    ("patience0", "stall", dict(patience=0)),
    ("cooldown", "stall", dict(patience=1, cooldown=2, factor=0.5)),
    ("min_lr", "stall", dict(patience=0, factor=0.1, min_lr=0.005)),
    ("eps-blocks-tiny-cut", "stall", dict(patience=0, factor=0.5, min_lr=0.0, eps=0.3)),
    ("rel-threshold", "slow", dict(patience=1, threshold=1e-3, threshold_mode="rel")),
    ("abs-threshold", "slow", dict(patience=1, threshold=0.005, threshold_mode="abs")),
    ("noisy", "noisy", dict(patience=3, factor=0.3, cooldown=1)),
    ("max-mode", "rising", dict(mode="max", patience=1)),
    ("max-mode-falls", "stall", dict(mode="max", patience=2, factor=0.5)),
    ("max-abs", "rising", dict(mode="max", patience=0, threshold=1.5, threshold_mode="abs", factor=0.5)),
    ("nan-metric", "nan", dict(patience=1, factor=0.5)),
]


def main():
    cases = []
    for name, seq_name, options in CASES:
        params = [torch.zeros(1, requires_grad=True)]
        opt = torch.optim.SGD(params, lr=1.0)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **options)
        lrs, bad, cooldown = [], [], []
        for value in SEQUENCES[seq_name]:
            sched.step(value)
            lrs.append(opt.param_groups[0]["lr"])
            bad.append(sched.num_bad_epochs)
            cooldown.append(sched.cooldown_counter)
        cases.append({
            "name": name,
            "options": options,
            "metrics": [None if math.isnan(v) else v for v in SEQUENCES[seq_name]],
            "lr": lrs,
            "num_bad": bad,
            "cooldown": cooldown,
        })
    json.dump({"torch": torch.__version__, "base_lr": 1.0, "cases": cases}, __import__("sys").stdout, indent=1)


if __name__ == "__main__":
    main()
