#pragma once
// RAdam, rectified Adam, following torch.optim.RAdam (PyTorch 1.13). On step
// t = 1, 2, … with gradient g:
//
//   g ← g + λ x                                    (weight_decay λ)
//   m ← β₁ m + (1 − β₁) g
//   v ← β₂ v + (1 − β₂) g²
//   m̂ = m / (1 − β₁ᵗ)
//   ρ∞ = 2 / (1 − β₂) − 1
//   ρ_t = ρ∞ − 2 t β₂ᵗ / (1 − β₂ᵗ)
//   if ρ_t > 5:
//     r = √( (ρ_t − 4)(ρ_t − 2) ρ∞ / ((ρ∞ − 4)(ρ∞ − 2) ρ_t) )
//     x ← x − η m̂ · √(1 − β₂ᵗ) / (√v + ε) · r
//   else:
//     x ← x − η m̂                                  (momentum SGD)
//
// Paper: Liu, Jiang, He, Chen, Liu, Gao & Han, "On the Variance of the
// Adaptive Learning Rate and Beyond", ICLR 2020.
//
// Where this follows PyTorch rather than the paper:
// - The adaptive branch starts when ρ_t > 5; the paper's Algorithm 2 says
//   ρ_t > 4. With β₂ = 0.999 the first adaptive step is t = 6 here (t = 5
//   with the paper's threshold).
// - The paper's adaptive factor √((1 − β₂ᵗ)/v) has no ε; PyTorch uses
//   √(1 − β₂ᵗ)/(√v + ε).
// - The products are formed in PyTorch's order, ((m̂ η) · factor) · r, so
//   trajectories match it to rounding. One difference in arithmetic: m̂ is m
//   times 1/(1 − β₁ᵗ), computed once per step, where PyTorch divides every
//   coordinate (as Adam here; see adam.hpp).
// - Weight decay is an L2 term added to the gradient (decoupled decay arrived
//   in later PyTorch versions).
#include <cmath>
#include <optional>

#include "lrlab/core/types.hpp"
#include "lrlab/optimizers/fused_loop.hpp"

namespace lrlab {

class Radam {
 public:
  struct Options {
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay = 0.0;
  };

  Radam() = default;
  explicit Radam(Options options) : options_(options) {}

  const Options& GetOptions() const { return options_; }
  // One-cycle schedules drive β₁ in place of a momentum.
  void SetMomentum(double beta1) { options_.beta1 = beta1; }

  void Reset(Index dim) {
    expAvg_ = Vector::Zero(dim);
    expAvgSq_ = Vector::Zero(dim);
    step_ = 0;
  }

  void Step(Vector& x, const Vector& grad, double lr) {
    if (expAvg_.size() != x.size()) Reset(x.size());
    const Options& o = options_;
    ++step_;
    const double t = static_cast<double>(step_);
    const double bias1 = 1.0 - std::pow(o.beta1, t);
    const double beta2Pow = std::pow(o.beta2, t);
    const double bias2 = 1.0 - beta2Pow;
    const std::optional<double> rect = Rectification(t, beta2Pow);
    const Scalars s{.invBias1 = 1.0 / bias1, .lr = lr, .bias2Sqrt = std::sqrt(bias2), .rect = rect.value_or(0.0)};
    WithFlags([&](auto decay, auto rectified) {
      Update<decay, rectified>(x.size(), x.data(), grad.data(), expAvg_.data(), expAvgSq_.data(), s, o);
    }, o.weightDecay != 0.0, rect.has_value());
  }

  // After a step: the factor multiplying m̂ in it, per coordinate:
  // η · r_t · √(1 − β₂ᵗ)/(√v + ε) once rectified, η before (momentum SGD).
  void EffectiveLr(double lr, Vector& out) const {
    const double t = static_cast<double>(step_);
    const double beta2Pow = std::pow(options_.beta2, t);
    if (const std::optional<double> rect = Rectification(t, beta2Pow)) {
      const double bias2Sqrt = std::sqrt(1.0 - beta2Pow);
      out = (lr * (bias2Sqrt / (expAvgSq_.array().sqrt() + options_.eps)) * *rect).matrix();
    } else {
      out = Vector::Constant(expAvg_.size(), lr);
    }
  }

 private:
  // r_t on step t (beta2Pow = β₂ᵗ) when ρ_t > 5, the adaptive branch; else
  // nothing.
  std::optional<double> Rectification(double t, double beta2Pow) const {
    const double beta2 = options_.beta2;
    const double rhoInf = 2.0 / (1.0 - beta2) - 1.0;
    const double rhoT = rhoInf - 2.0 * t * beta2Pow / (1.0 - beta2Pow);
    if (!(rhoT > 5.0)) return std::nullopt;
    return std::sqrt((rhoT - 4.0) * (rhoT - 2.0) * rhoInf / ((rhoInf - 4.0) * (rhoInf - 2.0) * rhoT));
  }

  struct Scalars {
    double invBias1;    // 1 / (1 − β₁ᵗ)
    double lr;
    double bias2Sqrt;   // √(1 − β₂ᵗ)
    double rect;        // r_t, on the adaptive branch
  };

  // One pass (fused_loop.hpp); Rectified is the adaptive branch.
  template <bool Decay, bool Rectified>
  static void Update(Index n, double* __restrict x, const double* __restrict grad, double* __restrict m,
                     double* __restrict v, const Scalars& s, const Options& o) {
    const AdamMoments moments(o.beta1, o.beta2);
    const double eps = o.eps, lambda = o.weightDecay;
    LRLAB_FUSED_LOOP
    for (Index i = 0; i < n; ++i) {
      const double xi = x[i];
      const double gi = DecayedGradient<Decay>(grad[i], xi, lambda);
      moments.Update(gi, m[i], v[i]);
      const double stepped = m[i] * s.invBias1 * s.lr;  // m̂ η
      if constexpr (Rectified)
        x[i] = xi - stepped * (s.bias2Sqrt / (std::sqrt(v[i]) + eps)) * s.rect;
      else
        x[i] = xi - stepped;
    }
  }

  Options options_;
  Vector expAvg_;
  Vector expAvgSq_;
  long step_ = 0;
};

}  // namespace lrlab
