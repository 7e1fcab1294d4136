#pragma once
// Adamax, Adam with an infinity norm, following torch.optim.Adamax
// (PyTorch 1.13). On step t = 1, 2, … with gradient g:
//
//   g ← g + λ x                                    (weight_decay λ)
//   m ← β₁ m + (1 − β₁) g
//   u ← max(β₂ u, |g| + ε)                         (u₀ = 0)
//   x ← x − (η / (1 − β₁ᵗ)) · m / u
//
// Paper: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR
// 2015, section 7.1.
//
// Where this follows PyTorch rather than the paper or TF/Keras:
// - ε is added to |g| inside the max, so u ≥ ε and a zero gradient never
//   divides 0 by 0. The paper has no ε (u ← max(β₂u, |g|)); Keras keeps the
//   paper's u and adds ε to the denominator instead (m / (u + ε)).
// - Default η = 2e-3, the paper's suggestion (Keras: 1e-3).
// - The bias correction uses the β₁ in force at step t, as in PyTorch when a
//   schedule cycles β₁.
// - Weight decay is an L2 term added to the gradient.
#include <algorithm>
#include <cmath>

#include "lrlab/core/types.hpp"
#include "lrlab/optimizers/fused_loop.hpp"

namespace lrlab {

class Adamax {
 public:
  struct Options {
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay = 0.0;
  };

  Adamax() = default;
  explicit Adamax(Options options) : options_(options) {}

  const Options& GetOptions() const { return options_; }
  // One-cycle schedules drive β₁ in place of a momentum.
  void SetMomentum(double beta1) { options_.beta1 = beta1; }

  void Reset(Index dim) {
    expAvg_ = Vector::Zero(dim);
    expInf_ = Vector::Zero(dim);
    step_ = 0;
  }

  void Step(Vector& x, const Vector& grad, double lr) {
    if (expAvg_.size() != x.size()) Reset(x.size());
    const Options& o = options_;
    ++step_;
    const double clr = lr / (1.0 - std::pow(o.beta1, static_cast<double>(step_)));
    WithFlags([&](auto decay) { Update<decay>(x.size(), x.data(), grad.data(), expAvg_.data(), expInf_.data(), clr, o); },
              o.weightDecay != 0.0);
  }

  // After a step: η/u per coordinate; times m̂ = m/(1 − β₁ᵗ) it is the step.
  void EffectiveLr(double lr, Vector& out) const { out = (lr / expInf_.array()).matrix(); }

 private:
  // One pass (fused_loop.hpp).
  template <bool Decay>
  static void Update(Index n, double* __restrict x, const double* __restrict grad, double* __restrict m,
                     double* __restrict u, double clr, const Options& o) {
    const double beta1 = o.beta1, keep1 = 1.0 - o.beta1, beta2 = o.beta2, eps = o.eps, lambda = o.weightDecay;
    LRLAB_FUSED_LOOP
    for (Index i = 0; i < n; ++i) {
      const double xi = x[i];
      const double gi = DecayedGradient<Decay>(grad[i], xi, lambda);
      const double mi = m[i] = beta1 * m[i] + keep1 * gi;
      const double ui = u[i] = std::max(beta2 * u[i], std::abs(gi) + eps);
      x[i] = xi - clr * mi / ui;
    }
  }

  Options options_;
  Vector expAvg_;
  Vector expInf_;
  long step_ = 0;
};

}  // namespace lrlab
