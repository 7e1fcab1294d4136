#pragma once
// Cyclical learning rates: PyTorch's CyclicLR (PyTorch 1.13), from Smith
// (2017), "Cyclical Learning Rates for Training Neural Networks". η moves
// linearly from base_lr up to max_lr over step_size_up steps and back down
// over step_size_down steps; momentum (when cycled) moves inversely between
// max_momentum and base_momentum. With L = up + down, r = up / L:
//
//   cycle = ⌊1 + t/L⌋,  x = 1 + t/L − cycle                   (position in the cycle, [0, 1))
//   h = x/r if x ≤ r, else (x − 1)/(r − 1)                     (0 → 1 → 0)
//   η_t = base_lr + (max_lr − base_lr) · h · s
//   μ_t = max_momentum − (max_momentum − base_momentum) · h · s
//
// with the amplitude scale s (PyTorch's scale_fn) by mode:
//   triangular   s = 1
//   triangular2  s = 1 / 2^(cycle − 1)          (halved every cycle)
//   exp_range    s = γ^t                        (per step, not per cycle)
//
// PyTorch's conventions, kept here: the optimizer's lr is replaced by base_lr
// (η_0 = base_lr); the paper's 'triangular' etc. are PyTorch's modes (after
// bckenstler/CLR), and custom scale functions are not offered; Momentum(0) =
// max_momentum, written into the optimizer by PyTorch's constructor. PyTorch
// 1.13's CyclicLR cycles only an optimizer's 'momentum', never Adam's β₁ (it
// raises for optimizers without momentum); this class just supplies μ_t.
#include <cmath>
#include <optional>
#include <utility>

#include "lrlab/schedules/schedule.hpp"

namespace lrlab {

struct CyclicOptions {
  enum class Mode { kTriangular, kTriangular2, kExpRange };

  double baseLr = 0.001;  // both required by the config, as by PyTorch
  double maxLr = 0.01;
  long stepSizeUp = 2000;                           // ≥ 1
  std::optional<long> stepSizeDown = std::nullopt;  // ≥ 0; default: stepSizeUp
  Mode mode = Mode::kTriangular;
  double gamma = 1.0;  // exp_range only
  bool cycleMomentum = true;
  double baseMomentum = 0.8;
  double maxMomentum = 0.9;
};

inline Schedule Cyclic(const CyclicOptions& o) {
  const double up = static_cast<double>(o.stepSizeUp);
  const double total = up + static_cast<double>(o.stepSizeDown.value_or(o.stepSizeUp));
  const double ratio = up / total;
  // h · s at step t: the fraction of the amplitude in force.
  const auto height = [o, total, ratio](long t) {
    const double cycle = std::floor(1.0 + static_cast<double>(t) / total);
    const double x = 1.0 + static_cast<double>(t) / total - cycle;
    const double h = x <= ratio ? x / ratio : (x - 1.0) / (ratio - 1.0);
    double scale = 1.0;
    if (o.mode == CyclicOptions::Mode::kTriangular2) scale = 1.0 / std::pow(2.0, cycle - 1.0);
    if (o.mode == CyclicOptions::Mode::kExpRange) scale = std::pow(o.gamma, static_cast<double>(t));
    return std::pair{h, scale};
  };
  Schedule::Fn momentum = nullptr;
  if (o.cycleMomentum)
    momentum = [o, height](long t) {
      const auto [h, scale] = height(t);
      return o.maxMomentum - (o.maxMomentum - o.baseMomentum) * h * scale;
    };
  return Schedule(
      [o, height](long t) {
        const auto [h, scale] = height(t);
        return o.baseLr + (o.maxLr - o.baseLr) * h * scale;
      },
      std::move(momentum));
}

}  // namespace lrlab
