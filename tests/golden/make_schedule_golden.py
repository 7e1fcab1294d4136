#!/usr/bin/python3
"""Golden learning-rate (and momentum) sequences from torch.optim.lr_scheduler.

Run with Debian's python3 (it ships torch 1.13):
    /usr/bin/python3 tests/golden/make_schedule_golden.py > tests/golden/schedules.json
Not part of `npm test`; the JSON it writes is committed and read by
tests/cpp/golden_schedules_test.cpp.

Each case is an lrlab schedule config (PyTorch's option names) on an SGD
optimizer with lr = `lr` and momentum 0.9. The same config object is turned
into real PyTorch schedulers (the name selects the class, the other keys are
its keyword arguments; `schedulers` lists are built recursively, in order,
on the same optimizer, as PyTorch's documentation does). After constructing
the scheduler and after each of the following scheduler.step() calls the
script records param_groups[0]['lr'] (and ['momentum'] for schedules that
cycle it): expected_lr[t] is the lr PyTorch uses for optimizer step t. The
number of steps spans past the interesting ends (T_max, restarts, the end of
a warm-up, the last cycle); for one_cycle it is total_steps + 1, the most
PyTorch allows.

warmup_cosine is lrlab's own; its expected values come from PyTorch's
SequentialLR([LinearLR(start_factor, 1, warmup_steps),
CosineAnnealingLR(total_steps - warmup_steps, eta_min)], [warmup_steps]),
which is the same schedule up to t = total_steps (recorded up to there).
"""
import json
import sys
import warnings

import torch

CLASSES = {
    "step": torch.optim.lr_scheduler.StepLR,
    "multistep": torch.optim.lr_scheduler.MultiStepLR,
    "exponential": torch.optim.lr_scheduler.ExponentialLR,
    "cosine": torch.optim.lr_scheduler.CosineAnnealingLR,
    "cosine_warm_restarts": torch.optim.lr_scheduler.CosineAnnealingWarmRestarts,
    "linear": torch.optim.lr_scheduler.LinearLR,
    "constant": torch.optim.lr_scheduler.ConstantLR,
    "polynomial": torch.optim.lr_scheduler.PolynomialLR,
    "one_cycle": torch.optim.lr_scheduler.OneCycleLR,
    "cyclic": torch.optim.lr_scheduler.CyclicLR,
}

# (id, base lr, steps recorded, lrlab schedule config)
CASES = [
    ("step", 0.1, 12, {"name": "step", "step_size": 3, "gamma": 0.5}),
    ("step_every_step_default_gamma", 0.5, 6, {"name": "step", "step_size": 1}),
    ("multistep", 0.1, 12, {"name": "multistep", "milestones": [2, 5, 9], "gamma": 0.3}),
    ("multistep_milestone_zero", 0.2, 8, {"name": "multistep", "milestones": [0, 4], "gamma": 0.5}),
    ("exponential", 0.1, 30, {"name": "exponential", "gamma": 0.9}),
    ("exponential_growth", 0.01, 20, {"name": "exponential", "gamma": 1.05}),
    ("cosine_past_t_max", 0.1, 45, {"name": "cosine", "T_max": 10}),
    ("cosine_eta_min", 0.2, 40, {"name": "cosine", "T_max": 7, "eta_min": 0.01}),
    ("cosine_t_max_1", 0.1, 8, {"name": "cosine", "T_max": 1, "eta_min": 0.001}),
    ("cosine_long", 0.3, 450, {"name": "cosine", "T_max": 100}),
    ("warm_restarts", 0.1, 23, {"name": "cosine_warm_restarts", "T_0": 5}),
    ("warm_restarts_t_mult", 0.1, 40, {"name": "cosine_warm_restarts", "T_0": 3, "T_mult": 2, "eta_min": 0.005}),
    ("linear_defaults", 0.1, 10, {"name": "linear"}),
    ("linear_partial", 0.4, 12, {"name": "linear", "start_factor": 0.25, "end_factor": 0.5, "total_iters": 8}),
    ("linear_decay_to_zero", 0.1, 10, {"name": "linear", "start_factor": 1.0, "end_factor": 0.0, "total_iters": 6}),
    ("linear_total_iters_0", 0.1, 5, {"name": "linear", "start_factor": 0.5, "total_iters": 0}),
    ("constant_defaults", 0.1, 9, {"name": "constant"}),
    ("constant_total_iters_0", 0.1, 4, {"name": "constant", "factor": 0.5, "total_iters": 0}),
    ("polynomial_defaults", 0.1, 8, {"name": "polynomial"}),
    ("polynomial_quadratic", 0.2, 14, {"name": "polynomial", "total_iters": 10, "power": 2.0}),
    ("polynomial_sqrt", 0.2, 10, {"name": "polynomial", "total_iters": 7, "power": 0.5}),
    ("one_cycle_defaults", 0.1, 21, {"name": "one_cycle", "max_lr": 0.5, "total_steps": 20}),
    ("one_cycle_linear_three_phase", 0.1, 31,
     {"name": "one_cycle", "max_lr": 0.8, "total_steps": 30, "pct_start": 0.25, "anneal_strategy": "linear",
      "three_phase": True, "base_momentum": 0.8, "max_momentum": 0.9}),
    ("one_cycle_fractional_phase_no_momentum", 0.1, 18,
     {"name": "one_cycle", "max_lr": 0.3, "total_steps": 17, "cycle_momentum": False, "div_factor": 10.0,
      "final_div_factor": 100.0}),
    ("one_cycle_three_phase_half", 0.1, 11,
     {"name": "one_cycle", "max_lr": 0.4, "total_steps": 10, "pct_start": 0.5, "three_phase": True}),
    ("cyclic_triangular", 0.5, 20, {"name": "cyclic", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4}),
    ("cyclic_triangular2", 0.5, 40,
     {"name": "cyclic", "base_lr": 0.02, "max_lr": 0.2, "step_size_up": 3, "step_size_down": 5,
      "mode": "triangular2", "base_momentum": 0.7, "max_momentum": 0.95}),
    ("cyclic_exp_range", 0.5, 30,
     {"name": "cyclic", "base_lr": 0.01, "max_lr": 0.3, "step_size_up": 2, "step_size_down": 4,
      "mode": "exp_range", "gamma": 0.97}),
    ("cyclic_sawtooth_no_momentum", 0.5, 12,
     {"name": "cyclic", "base_lr": 0.05, "max_lr": 0.15, "step_size_up": 3, "step_size_down": 0,
      "cycle_momentum": False}),
    ("sequential_warmup_cosine", 0.1, 60,
     {"name": "sequential", "milestones": [5],
      "schedulers": [{"name": "linear", "start_factor": 0.1, "total_iters": 5}, {"name": "cosine", "T_max": 20}]}),
    ("sequential_three", 0.2, 20,
     {"name": "sequential", "milestones": [4, 9],
      "schedulers": [{"name": "constant", "factor": 0.5, "total_iters": 3}, {"name": "exponential", "gamma": 0.9},
                     {"name": "step", "step_size": 2, "gamma": 0.5}]}),
    ("sequential_constant_total_iters_0_first_and_later", 0.1, 10,
     {"name": "sequential", "milestones": [3, 6],
      "schedulers": [{"name": "constant", "factor": 0.5, "total_iters": 0}, {"name": "exponential", "gamma": 0.8},
                     {"name": "constant", "factor": 0.25, "total_iters": 0}]}),
    ("sequential_restarts_multistep", 0.1, 25,
     {"name": "sequential", "milestones": [3, 12],
      "schedulers": [{"name": "step", "step_size": 2, "gamma": 0.5}, {"name": "cosine_warm_restarts", "T_0": 4},
                     {"name": "multistep", "milestones": [0, 3], "gamma": 0.5}]}),
    ("sequential_polynomial_linear_cosine_eta_min", 0.1, 30,
     {"name": "sequential", "milestones": [6, 10],
      "schedulers": [{"name": "polynomial", "total_iters": 4, "power": 1.5},
                     {"name": "linear", "start_factor": 0.2, "end_factor": 0.6, "total_iters": 3},
                     {"name": "cosine", "T_max": 5, "eta_min": 0.02}]}),
    ("chained_docs_example", 1.0, 10,
     {"name": "chained",
      "schedulers": [{"name": "constant", "factor": 0.1, "total_iters": 2}, {"name": "exponential", "gamma": 0.9}]}),
    ("chained_linear_then_cosine", 0.1, 40,
     {"name": "chained",
      "schedulers": [{"name": "linear", "start_factor": 0.2, "total_iters": 4}, {"name": "cosine", "T_max": 10}]}),
    ("chained_cosine_first", 0.1, 30,
     {"name": "chained",
      "schedulers": [{"name": "cosine", "T_max": 6}, {"name": "exponential", "gamma": 0.95},
                     {"name": "multistep", "milestones": [3, 9], "gamma": 0.5}]}),
    ("chained_polynomial_to_zero_cosine_step", 0.1, 30,
     {"name": "chained",
      "schedulers": [{"name": "polynomial", "total_iters": 8, "power": 2.0}, {"name": "cosine", "T_max": 5},
                     {"name": "step", "step_size": 3, "gamma": 0.5}]}),
    ("chained_constant_restores_after_reset", 0.1, 20,
     {"name": "chained",
      "schedulers": [{"name": "constant", "factor": 0.5, "total_iters": 7}, {"name": "cosine", "T_max": 2},
                     {"name": "linear", "start_factor": 0.5, "total_iters": 9}]}),
    ("warmup_cosine", 0.1, 21,
     {"name": "warmup_cosine", "warmup_steps": 5, "total_steps": 20, "warmup_start_factor": 0.1, "eta_min": 0.001}),
    ("warmup_cosine_one_step_warmup", 0.2, 9,
     {"name": "warmup_cosine", "warmup_steps": 1, "total_steps": 8, "warmup_start_factor": 0.5}),
    ("none", 0.1, 3, {"name": "none"}),
]


def build(optimizer, spec):
    name = spec["name"]
    kwargs = {k: v for k, v in spec.items() if k != "name"}
    if name == "sequential":
        children = [build(optimizer, c) for c in kwargs.pop("schedulers")]
        return torch.optim.lr_scheduler.SequentialLR(optimizer, children, **kwargs)
    if name == "chained":
        return torch.optim.lr_scheduler.ChainedScheduler([build(optimizer, c) for c in kwargs["schedulers"]])
    if name == "warmup_cosine":
        w, n = kwargs["warmup_steps"], kwargs["total_steps"]
        return build(optimizer, {
            "name": "sequential", "milestones": [w],
            "schedulers": [{"name": "linear", "start_factor": kwargs.get("warmup_start_factor", 0.0),
                            "end_factor": 1.0, "total_iters": w},
                           {"name": "cosine", "T_max": n - w, "eta_min": kwargs.get("eta_min", 0.0)}]})
    if name == "none":
        return None
    return CLASSES[name](optimizer, **kwargs)


def cycles_momentum(spec):
    return spec["name"] in ("one_cycle", "cyclic") and spec.get("cycle_momentum", True)


def run(case_id, lr, steps, spec):
    param = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=lr, momentum=0.9)
    scheduler = build(optimizer, spec)
    lrs, momenta = [], []
    for t in range(steps):
        if t > 0:
            optimizer.step()  # no gradient: changes nothing, keeps PyTorch's call-order check quiet
            if scheduler is not None:
                scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        momenta.append(optimizer.param_groups[0]["momentum"])
    return {
        "id": case_id,
        "optimizer": {"name": "sgd", "lr": lr, "momentum": 0.9},
        "schedule": spec,
        "steps": steps,
        "expected_lr": lrs,
        "expected_momentum": momenta if cycles_momentum(spec) else None,
    }


def main():
    warnings.simplefilter("ignore")  # SequentialLR's step(0) deprecation notice
    cases = [run(*case) for case in CASES]
    json.dump({"torch": torch.__version__, "cases": cases}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
