#pragma once
// The one-cycle policy: PyTorch's OneCycleLR (PyTorch 1.13), from Smith &
// Topin (2019), "Super-Convergence: Very Fast Training of Neural Networks
// Using Large Learning Rates" (and Smith, 2018, for cycling momentum
// inversely). η rises from η_init = max_lr / div_factor to max_lr and anneals
// to η_min = η_init / final_div_factor; momentum (Adam: β₁) moves the other
// way between max_momentum and base_momentum. Built as a join (join.hpp) of
// annealing phases, each
//
//   a(start, end, p) = end + (start − end)/2 · (1 + cos(π p))   ('cos')
//   a(start, end, p) = start + (end − start) · p                ('linear')
//
// with p = (t − e_{k−1}) / (e_k − e_{k−1}), where the phase k covers the
// steps e_{k−1} < t ≤ e_k (e_{−1} = 0 for the first phase's p), N = total_steps:
//
//   two phases (default, fastai's):  e_0 = pct_start·N − 1: η_init → max_lr, mom max → base
//                                    e_1 = N − 1:           max_lr → η_min,  mom base → max
//   three_phase (the paper's):       e_0 = pct_start·N − 1: η_init → max_lr, mom max → base
//                                    e_1 = 2·pct_start·N − 2: max_lr → η_init, mom base → max
//                                    e_2 = N − 1:           η_init → η_min,  mom max
//
// PyTorch's conventions, kept here:
// - The optimizer's lr is ignored: the cycle starts at max_lr / div_factor.
// - Phase ends are fractional (pct_start·N − 1); the rise reaches max_lr at
//   step e_0 only when that is an integer.
// - total_steps counts scheduler steps: PyTorch computes t = 0..N, and t = N
//   lies one step beyond the annealing's end (p > 1: the cosine turns back up
//   slightly, the linear ramp overshoots below η_min, possibly below 0).
//   Stepping further raises in PyTorch; a schedule does not know the run
//   length, so for t > N this one holds the annealing's end value (its value
//   at t = N − 1: η_min and max_momentum).
// - Momentum(0) is the constructor's value, which PyTorch writes into the
//   optimizer before the first step. Without cycle_momentum the optimizer's
//   own momentum is left alone. For optimizers with betas PyTorch cycles β₁;
//   which field moves is the optimizer's SetMomentum's business.
// - PyTorch's alternative epochs × steps_per_epoch for total_steps is not
//   offered.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "lrlab/schedules/join.hpp"

namespace lrlab {

struct OneCycleOptions {
  double maxLr = 0.1;     // both required by the config, as by PyTorch
  long totalSteps = 100;  // ≥ 1
  double pctStart = 0.3;  // in (0, 1); ≤ 0.5 with threePhase; pctStart·N ≠ 1
  bool annealCos = true;  // false: linear
  double divFactor = 25.0;
  double finalDivFactor = 1e4;
  bool threePhase = false;
  bool cycleMomentum = true;
  double baseMomentum = 0.85;
  double maxMomentum = 0.95;
};

inline double AnnealCos(double start, double end, double pct) {
  return end + (start - end) / 2.0 * (std::cos(std::numbers::pi * pct) + 1.0);
}
inline double AnnealLinear(double start, double end, double pct) { return (end - start) * pct + start; }

inline Schedule OneCycle(const OneCycleOptions& o) {
  const double initialLr = o.maxLr / o.divFactor;
  const double minLr = initialLr / o.finalDivFactor;
  const double n = static_cast<double>(o.totalSteps);
  struct Phase {
    double endStep, startLr, endLr, startMomentum, endMomentum;
  };
  std::vector<Phase> phases;
  if (o.threePhase)
    phases = {{o.pctStart * n - 1.0, initialLr, o.maxLr, o.maxMomentum, o.baseMomentum},
              {2.0 * o.pctStart * n - 2.0, o.maxLr, initialLr, o.baseMomentum, o.maxMomentum},
              {n - 1.0, initialLr, minLr, o.maxMomentum, o.maxMomentum}};
  else
    phases = {{o.pctStart * n - 1.0, initialLr, o.maxLr, o.maxMomentum, o.baseMomentum},
              {n - 1.0, o.maxLr, minLr, o.baseMomentum, o.maxMomentum}};

  const auto anneal = o.annealCos ? AnnealCos : AnnealLinear;
  std::vector<Schedule> pieces;
  std::vector<long> boundaries;
  double startStep = 0.0;
  long first = 0;  // the phase's first step
  for (std::size_t k = 0; k < phases.size(); ++k) {
    const Phase ph = phases[k];
    if (k > 0) {
      first = std::max(first, static_cast<long>(std::floor(startStep)) + 1);
      boundaries.push_back(first);
    }
    // p from the absolute step, written as PyTorch does so that rounding agrees.
    const auto pct = [first, startStep, ph](long u) {
      return (static_cast<double>(u + first) - startStep) / (ph.endStep - startStep);
    };
    Schedule::Fn momentum = nullptr;
    if (o.cycleMomentum)
      momentum = [pct, ph, anneal](long u) { return anneal(ph.startMomentum, ph.endMomentum, pct(u)); };
    pieces.emplace_back([pct, ph, anneal](long u) { return anneal(ph.startLr, ph.endLr, pct(u)); },
                        std::move(momentum));
    startStep = ph.endStep;
  }

  const Schedule cycle = Join(std::move(pieces), std::move(boundaries));
  const long n1 = o.totalSteps;
  const auto within = [n1](long t) { return t > n1 ? n1 - 1 : t; };
  Schedule::Fn momentum = nullptr;
  if (o.cycleMomentum) momentum = [cycle, within](long t) { return *cycle.Momentum(within(t)); };
  return Schedule([cycle, within](long t) { return cycle(within(t)); }, std::move(momentum));
}

}  // namespace lrlab
