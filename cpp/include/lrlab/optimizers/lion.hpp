#pragma once
// Lion (EvoLved Sign Momentum). On each step with gradient g:
//
//   c = β₁ m + (1 − β₁) g
//   x ← (1 − η λ) x − η sign(c)           (decoupled weight_decay λ; sign(0) = 0)
//   m ← β₂ m + (1 − β₂) g                 (m₀ = 0)
//
// Paper: Chen, Liang, Huang, Real, Wang, Pham, Dong, Luong, Hsieh, Lu & Le,
// "Symbolic Discovery of Optimization Algorithms", NeurIPS 2023
// (arXiv:2302.06675), Program 1 / Algorithm 2: x ← x − η (sign(c) + λ x),
// which is the same update written with the decay folded in.
//
// Not part of torch.optim 1.13; the option names (lr, betas, weight_decay)
// and defaults (lr 1e-4, betas (0.9, 0.99), weight_decay 0) follow the paper
// and the lion-pytorch package. Every coordinate moves by exactly ±η (or 0)
// per step before decay, so η is an absolute step length: the paper advises a
// learning rate 3–10× smaller and λ 3–10× larger than for AdamW. As with
// PyTorch's AdamW, λ is multiplied by the current η.
#include "lrlab/core/types.hpp"
#include "lrlab/optimizers/fused_loop.hpp"

namespace lrlab {

class Lion {
 public:
  struct Options {
    double beta1 = 0.9;
    double beta2 = 0.99;
    double weightDecay = 0.0;
  };

  Lion() = default;
  explicit Lion(Options options) : options_(options) {}

  const Options& GetOptions() const { return options_; }
  // One-cycle schedules drive β₁ (the interpolation of the update) in place
  // of a momentum.
  void SetMomentum(double beta1) { options_.beta1 = beta1; }

  void Reset(Index dim) { expAvg_ = Vector::Zero(dim); }

  void Step(Vector& x, const Vector& grad, double lr) {
    if (expAvg_.size() != x.size()) Reset(x.size());
    const Options& o = options_;
    WithFlags([&](auto decay) { Update<decay>(x.size(), x.data(), grad.data(), expAvg_.data(), lr, o); },
              o.weightDecay != 0.0);
  }

 private:
  // One pass (fused_loop.hpp).
  template <bool Decay>
  static void Update(Index n, double* __restrict x, const double* __restrict grad, double* __restrict m, double lr,
                     const Options& o) {
    const double beta1 = o.beta1, keep1 = 1.0 - o.beta1, beta2 = o.beta2, keep2 = 1.0 - o.beta2;
    const double shrink = 1.0 - lr * o.weightDecay;
    LRLAB_FUSED_LOOP
    for (Index i = 0; i < n; ++i) {
      const double gi = grad[i];
      const double c = beta1 * m[i] + keep1 * gi;
      // As Eigen's sign(): +0 for either zero, NaN for NaN. Three selects
      // rather than nested ones, which g++ does not vectorise.
      double sign = c > 0.0 ? 1.0 : 0.0;
      sign = c < 0.0 ? -1.0 : sign;
      sign = c != c ? c : sign;
      x[i] = (Decay ? x[i] * shrink : x[i]) - lr * sign;
      m[i] = beta2 * m[i] + keep2 * gi;
    }
  }

  Options options_;
  Vector expAvg_;
};

}  // namespace lrlab
