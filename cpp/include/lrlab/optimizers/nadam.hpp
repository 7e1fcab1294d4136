#pragma once
// NAdam, Adam with Nesterov momentum, following torch.optim.NAdam
// (PyTorch 1.13, as its documentation and its foreach path compute it; see
// below). On step t = 1, 2, … with gradient g:
//
//   g ← g + λ x                                    (weight_decay λ)
//   μ_t = β₁ (1 − ½ · 0.96^(t ψ))                  (momentum_decay ψ)
//   P_t = P_{t−1} μ_t                              (P₀ = 1: P_t = Π_{i≤t} μ_i)
//   m ← β₁ m + (1 − β₁) g
//   v ← β₂ v + (1 − β₂) g²
//   d = √v / √(1 − β₂ᵗ) + ε
//   x ← x − η (1 − μ_t) / (1 − P_t) · g / d
//         − η μ_{t+1} / (1 − P_t μ_{t+1}) · m / d
//
// Paper: Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016
// workshop. The warming momentum schedule μ_t with ψ = 0.004 (= 1/250) is the
// paper's.
//
// Where this follows PyTorch rather than the paper:
// - ε is added after the square root of the bias-corrected v.
// - The schedule uses the β₁ in force at step t and P accumulates the μ_t
//   actually used, as in PyTorch when a schedule cycles β₁.
// - PyTorch 1.13's default (single-tensor) code path computes the second
//   denominator as 1 − P_t μ_t μ_{t+1}, multiplying μ_t in twice; its
//   documentation, its foreach path and PyTorch ≥ 2.0 (pull request 92699,
//   "Fix discrepancy between mt vs st impl") use 1 − P_t μ_{t+1}, as here.
//   The golden test compares against PyTorch 1.13 with foreach=True.
// - Weight decay is an L2 term added to the gradient (decoupled decay arrived
//   in later PyTorch versions).
// - In arithmetic, not formula: √v is multiplied by 1/√(1 − β₂ᵗ), computed
//   once per step, where PyTorch divides every coordinate by √(1 − β₂ᵗ) (as
//   Adam here; see adam.hpp).
#include <cmath>

#include "lrlab/core/types.hpp"
#include "lrlab/optimizers/fused_loop.hpp"

namespace lrlab {

class Nadam {
 public:
  struct Options {
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay = 0.0;
    double momentumDecay = 4e-3;
  };

  Nadam() = default;
  explicit Nadam(Options options) : options_(options) {}

  const Options& GetOptions() const { return options_; }
  // One-cycle schedules drive β₁ in place of a momentum.
  void SetMomentum(double beta1) { options_.beta1 = beta1; }

  void Reset(Index dim) {
    expAvg_ = Vector::Zero(dim);
    expAvgSq_ = Vector::Zero(dim);
    muProduct_ = 1.0;
    step_ = 0;
  }

  void Step(Vector& x, const Vector& grad, double lr) {
    if (expAvg_.size() != x.size()) Reset(x.size());
    const Options& o = options_;
    ++step_;
    const double t = static_cast<double>(step_);
    const double mu = o.beta1 * (1.0 - 0.5 * std::pow(0.96, t * o.momentumDecay));
    const double muNext = o.beta1 * (1.0 - 0.5 * std::pow(0.96, (t + 1.0) * o.momentumDecay));
    muProduct_ *= mu;
    const double gradScale = lr * (1.0 - mu) / (1.0 - muProduct_);
    const double avgScale = lr * muNext / (1.0 - muProduct_ * muNext);
    const Scalars s{.gradScale = gradScale, .avgScale = avgScale, .invBias2Sqrt = InvBias2Sqrt(step_)};
    WithFlags([&](auto decay) {
      Update<decay>(x.size(), x.data(), grad.data(), expAvg_.data(), expAvgSq_.data(), s, o);
    }, o.weightDecay != 0.0);
  }

  // After a step: η/d per coordinate, d = √v̂ + ε (computed again from v, as
  // the step computed it). It multiplies the Nesterov direction
  // (1 − μ_t)/(1 − P_t)·g + μ_{t+1}/(1 − P_t μ_{t+1})·m.
  void EffectiveLr(double lr, Vector& out) const {
    out = (lr / (expAvgSq_.array().sqrt() * InvBias2Sqrt(step_) + options_.eps)).matrix();
  }

 private:
  struct Scalars {
    double gradScale;     // η (1 − μ_t) / (1 − P_t)
    double avgScale;      // η μ_{t+1} / (1 − P_t μ_{t+1})
    double invBias2Sqrt;  // 1 / √(1 − β₂ᵗ)
  };

  double InvBias2Sqrt(long step) const {
    return 1.0 / std::sqrt(1.0 - std::pow(options_.beta2, static_cast<double>(step)));
  }

  // One pass (fused_loop.hpp); the two subtractions from x in PyTorch's order.
  template <bool Decay>
  static void Update(Index n, double* __restrict x, const double* __restrict grad, double* __restrict m,
                     double* __restrict v, const Scalars& s, const Options& o) {
    const AdamMoments moments(o.beta1, o.beta2);
    const double eps = o.eps, lambda = o.weightDecay;
    LRLAB_FUSED_LOOP
    for (Index i = 0; i < n; ++i) {
      const double xi = x[i];
      const double gi = DecayedGradient<Decay>(grad[i], xi, lambda);
      moments.Update(gi, m[i], v[i]);
      const double denom = std::sqrt(v[i]) * s.invBias2Sqrt + eps;
      x[i] = (xi - s.gradScale * gi / denom) - s.avgScale * m[i] / denom;
    }
  }

  Options options_;
  Vector expAvg_;
  Vector expAvgSq_;
  double muProduct_ = 1.0;
  long step_ = 0;
};

}  // namespace lrlab
