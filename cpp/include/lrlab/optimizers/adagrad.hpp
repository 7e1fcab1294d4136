#pragma once
// Adagrad, following torch.optim.Adagrad (PyTorch 1.13). On step t = 1, 2, …
// with gradient g:
//
//   g  ← g + λ x                                  (weight_decay λ)
//   η̃  = η / (1 + (t − 1) · lr_decay)
//   s  ← s + g²                                   (s₀ = initial_accumulator_value)
//   x  ← x − η̃ · g / (√s + ε)
//
// Paper: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online
// Learning and Stochastic Optimization", JMLR 2011 (the diagonal variant, with
// δ added outside the square root as here).
//
// Where this follows PyTorch rather than the paper or Keras/TF:
// - lr_decay (η / (1 + (t − 1)·lr_decay)) is PyTorch's own, inherited from
//   Lua Torch; the paper has a constant η.
// - The accumulator starts at initial_accumulator_value = 0 by default. TF and
//   Keras start it at 0.1, which caps the very first steps at η·g/√0.1
//   instead of letting the first step be ≈ η·sign(g); runs started from the
//   two defaults differ for many steps.
// - ε = 1e-10 sits outside the square root, like the paper's δ (TF 1's
//   AdagradOptimizer had no ε at all; Keras's default is 1e-7).
// - Weight decay is an L2 term added to the gradient, so it is accumulated
//   into s too.
#include <cmath>

#include "lrlab/core/types.hpp"
#include "lrlab/optimizers/fused_loop.hpp"

namespace lrlab {

class Adagrad {
 public:
  struct Options {
    double lrDecay = 0.0;
    double weightDecay = 0.0;
    double initialAccumulatorValue = 0.0;
    double eps = 1e-10;
  };

  Adagrad() = default;
  explicit Adagrad(Options options) : options_(options) {}

  const Options& GetOptions() const { return options_; }

  void Reset(Index dim) {
    sum_ = Vector::Constant(dim, options_.initialAccumulatorValue);
    step_ = 0;
  }

  void Step(Vector& x, const Vector& grad, double lr) {
    if (sum_.size() != x.size()) Reset(x.size());
    const Options& o = options_;
    ++step_;
    const double clr = DecayedLr(lr);
    WithFlags([&](auto decay) { Update<decay>(x.size(), x.data(), grad.data(), sum_.data(), clr, o); },
              o.weightDecay != 0.0);
  }

  // After a step: the rate η̃/(√s + ε) that multiplied g, per coordinate.
  void EffectiveLr(double lr, Vector& out) const {
    out = (DecayedLr(lr) / (sum_.array().sqrt() + options_.eps)).matrix();
  }

 private:
  // η̃ of the current step t = step_.
  double DecayedLr(double lr) const { return lr / (1.0 + static_cast<double>(step_ - 1) * options_.lrDecay); }

  // One pass (fused_loop.hpp): s ← s + g², x ← x − η̃ g/(√s + ε).
  template <bool Decay>
  static void Update(Index n, double* __restrict x, const double* __restrict grad, double* __restrict sum,
                     double clr, const Options& o) {
    const double lambda = o.weightDecay, eps = o.eps;
    LRLAB_FUSED_LOOP
    for (Index i = 0; i < n; ++i) {
      const double xi = x[i];
      const double gi = DecayedGradient<Decay>(grad[i], xi, lambda);
      const double si = sum[i] = sum[i] + gi * gi;
      x[i] = xi - clr * gi / (std::sqrt(si) + eps);
    }
  }

  Options options_;
  Vector sum_;
  long step_ = 0;
};

}  // namespace lrlab
