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
    if (o.weightDecay != 0.0) x *= 1.0 - lr * o.weightDecay;
    x.array() -= lr * (o.beta1 * expAvg_.array() + (1.0 - o.beta1) * grad.array()).sign();
    expAvg_.array() = o.beta2 * expAvg_.array() + (1.0 - o.beta2) * grad.array();
  }

 private:
  Options options_;
  Vector expAvg_;
};

}  // namespace lrlab
