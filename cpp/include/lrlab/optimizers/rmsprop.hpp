#pragma once
// RMSprop, optionally centered and with momentum, following torch.optim.RMSprop
// (PyTorch 1.13). On each step with gradient g:
//
//   g ← g + λ x                                  (weight_decay λ)
//   v ← α v + (1 − α) g²                         (alpha α, v₀ = 0)
//   centered:  ḡ ← α ḡ + (1 − α) g,  d = √(v − ḡ²) + ε
//   otherwise:                       d = √v + ε
//   momentum μ > 0:  b ← μ b + g / d,  x ← x − η b          (b₀ = 0)
//   otherwise:                         x ← x − η g / d
//
// Papers: Tieleman & Hinton, Coursera "Neural Networks for Machine Learning",
// lecture 6.5, 2012 (RMSprop); Graves, "Generating Sequences With Recurrent
// Neural Networks", 2013 (the centered variant with momentum).
//
// Where this follows PyTorch rather than TF/Keras:
// - ε is added after the square root (√v + ε). TF's RMSProp kernel uses
//   √(v + ε), so with the same ε the first steps differ (PyTorch's own docs
//   note the swap).
// - η multiplies the buffer when it is applied (x ← x − η b) rather than
//   being folded into it (TF's kernel: b ← μ b + η g/√(v + ε)); the two agree
//   only while η is constant, so schedules act differently.
// - Defaults α = 0.99, ε = 1e-8 (Keras: ρ = 0.9, ε = 1e-7).
// - There is no bias correction: v starts at 0, so the first steps are
//   about η/√(1 − α) = 10η per unit gradient.
// The buffer b always exists here, so a schedule may raise μ from 0
// mid-run (PyTorch would fail for lack of a buffer).
#include <cmath>

#include "lrlab/core/types.hpp"
#include "lrlab/optimizers/fused_loop.hpp"

namespace lrlab {

class Rmsprop {
 public:
  struct Options {
    double alpha = 0.99;
    double eps = 1e-8;
    double weightDecay = 0.0;
    double momentum = 0.0;
    bool centered = false;
  };

  Rmsprop() = default;
  explicit Rmsprop(Options options) : options_(options) {}

  const Options& GetOptions() const { return options_; }
  // Cyclic and one-cycle schedules drive μ as well as η.
  void SetMomentum(double momentum) { options_.momentum = momentum; }

  void Reset(Index dim) {
    squareAvg_ = Vector::Zero(dim);
    gradAvg_ = Vector::Zero(dim);
    buffer_ = Vector::Zero(dim);
  }

  void Step(Vector& x, const Vector& grad, double lr) {
    if (squareAvg_.size() != x.size()) Reset(x.size());
    const Options& o = options_;
    WithFlags([&](auto decay, auto centered, auto momentum) {
      Update<decay, centered, momentum>(x.size(), x.data(), grad.data(), squareAvg_.data(), gradAvg_.data(),
                                        buffer_.data(), lr, o);
    }, o.weightDecay != 0.0, o.centered, o.momentum > 0.0);
  }

  // After a step: η/d per coordinate, the rate that multiplied g in it (with
  // momentum the buffer b averages g/d over past steps too). d is computed
  // again from v (and ḡ), exactly as the step computed it.
  void EffectiveLr(double lr, Vector& out) const {
    if (options_.centered)
      out = (lr / ((squareAvg_.array() - gradAvg_.array().square()).sqrt() + options_.eps)).matrix();
    else
      out = (lr / (squareAvg_.array().sqrt() + options_.eps)).matrix();
  }

 private:
  // One pass (fused_loop.hpp) over x, g, v and, as the options ask, ḡ and b.
  template <bool Decay, bool Centered, bool Momentum>
  static void Update(Index n, double* __restrict x, const double* __restrict grad, double* __restrict squareAvg,
                     double* __restrict gradAvg, double* __restrict buffer, double lr, const Options& o) {
    const double alpha = o.alpha, keep = 1.0 - o.alpha, eps = o.eps, mu = o.momentum, lambda = o.weightDecay;
    LRLAB_FUSED_LOOP
    for (Index i = 0; i < n; ++i) {
      const double xi = x[i];
      const double gi = DecayedGradient<Decay>(grad[i], xi, lambda);
      const double vi = squareAvg[i] = alpha * squareAvg[i] + keep * (gi * gi);
      double denom;
      if constexpr (Centered) {
        const double ai = gradAvg[i] = alpha * gradAvg[i] + keep * gi;
        denom = std::sqrt(vi - ai * ai) + eps;
      } else {
        denom = std::sqrt(vi) + eps;
      }
      if constexpr (Momentum) {
        const double bi = buffer[i] = mu * buffer[i] + gi / denom;
        x[i] = xi - lr * bi;
      } else {
        x[i] = xi - lr * gi / denom;
      }
    }
  }

  Options options_;
  Vector squareAvg_;
  Vector gradAvg_;
  Vector buffer_;
};

}  // namespace lrlab
