#pragma once
// Warm-up multipliers: PyTorch's LinearLR and ConstantLR (PyTorch 1.13), as
// factors of the base η (schedule.hpp). With T = total_iters,
//
//   linear    f(t) = s + (e − s) · min(t, T) / T     (s = start_factor, e = end_factor)
//   constant  f(t) = c for t < T, 1 from t = T on     (c = factor)
//
// Warm-up itself: Goyal et al. (2017), "Accurate, Large Minibatch SGD:
// Training ImageNet in 1 Hour" (linear ramp over the first epochs so that a
// large η does not blow up the early steps); the constant variant is their
// "constant warm-up".
//
// PyTorch's conventions, kept here:
// - The ramp reaches e at t = T exactly (T + 1 distinct values, t = 0..T), and
//   f(0) = s, not 0.
// - PyTorch computes these recursively (lr ← lr · ratio at each step); the
//   closed forms equal the recursion in exact arithmetic. Its recursion
//   divides by start_factor and by factor, so the config asks for them in
//   (0, 1] although PyTorch's constructor accepts 0.
// - total_iters = 0 is a PyTorch quirk: the constructor applies s (or c) and
//   the recursion never undoes it, so f(t) = s (or c) for ever. When the
//   scheduler is started by SequentialLR at a milestone, PyTorch uses its
//   closed form instead, which for ConstantLR gives 1 for ever and for LinearLR
//   divides by zero (the config rejects that case). `startedAtMilestone`
//   selects the SequentialLR behaviour.
#include <algorithm>

#include "lrlab/schedules/schedule.hpp"

namespace lrlab {

struct LinearFactor {
  double startFactor = 1.0 / 3;
  double endFactor = 1.0;
  long totalIters = 5;

  double operator()(long t) const {
    if (totalIters == 0) return startFactor;
    const double done = static_cast<double>(std::min(t, totalIters));
    return startFactor + (endFactor - startFactor) * done / static_cast<double>(totalIters);
  }
};

struct ConstantFactor {
  double factor = 1.0 / 3;
  long totalIters = 5;
  bool startedAtMilestone = false;

  double operator()(long t) const {
    if (totalIters == 0) return startedAtMilestone ? factor + (1.0 - factor) : factor;
    return t < totalIters ? factor : 1.0;
  }
};

inline Schedule LinearWarmup(double baseLr, double startFactor, double endFactor, long totalIters) {
  return Scaled(baseLr, LinearFactor{startFactor, endFactor, totalIters});
}
inline Schedule ConstantWarmup(double baseLr, double factor, long totalIters) {
  return Scaled(baseLr, ConstantFactor{factor, totalIters});
}

}  // namespace lrlab
