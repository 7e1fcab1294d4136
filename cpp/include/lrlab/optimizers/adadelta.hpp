#pragma once
// Adadelta, following torch.optim.Adadelta (PyTorch 1.13). On each step with
// gradient g:
//
//   g ← g + λ x                                    (weight_decay λ)
//   v ← ρ v + (1 − ρ) g²                           (v₀ = 0)
//   Δ = √(u + ε) / √(v + ε) · g
//   u ← ρ u + (1 − ρ) Δ²                           (u₀ = 0)
//   x ← x − η Δ
//
// Paper: Zeiler, "ADADELTA: An Adaptive Learning Rate Method", 2012
// (arXiv:1212.5701). Both ε sit inside the square roots, as in the paper.
//
// Where this follows PyTorch rather than the paper or Keras:
// - The paper has no learning rate (its point is to need none): x ← x − Δ.
//   PyTorch multiplies Δ by lr, defaulting to 1.0, which recovers the paper;
//   u accumulates the unscaled Δ, so η does not feed back into the step size.
//   Keras also scales Δ but defaults to 0.001, a thousand times slower.
// - Defaults ρ = 0.9, ε = 1e-6 (the paper's experiments use ρ = 0.95;
//   Keras: ρ = 0.95, ε = 1e-7).
// - Weight decay is an L2 term added to the gradient.
#include <cmath>

#include "lrlab/core/types.hpp"
#include "lrlab/optimizers/fused_loop.hpp"

namespace lrlab {

class Adadelta {
 public:
  struct Options {
    double rho = 0.9;
    double eps = 1e-6;
    double weightDecay = 0.0;
  };

  Adadelta() = default;
  explicit Adadelta(Options options) : options_(options) {}

  const Options& GetOptions() const { return options_; }

  void Reset(Index dim) {
    squareAvg_ = Vector::Zero(dim);
    accDelta_ = Vector::Zero(dim);
    previousAccDelta_ = Vector::Zero(dim);
  }

  void Step(Vector& x, const Vector& grad, double lr) {
    if (squareAvg_.size() != x.size()) Reset(x.size());
    const Options& o = options_;
    // The new u goes to the spare buffer and the two swap, so the u this
    // step used stays available to EffectiveLr at no cost.
    WithFlags([&](auto decay) {
      Update<decay>(x.size(), x.data(), grad.data(), squareAvg_.data(), accDelta_.data(), previousAccDelta_.data(),
                    lr, o);
    }, o.weightDecay != 0.0);
    accDelta_.swap(previousAccDelta_);
  }

  // After a step: η·√(u + ε)/√(v + ε) per coordinate, with the u that step
  // used (before its update): the factor that multiplied g.
  void EffectiveLr(double lr, Vector& out) const {
    out = (lr * ((previousAccDelta_.array() + options_.eps).sqrt() / (squareAvg_.array() + options_.eps).sqrt()))
              .matrix();
  }

 private:
  // One pass (fused_loop.hpp): reads u from `acc`, writes the new u to `next`.
  template <bool Decay>
  static void Update(Index n, double* __restrict x, const double* __restrict grad, double* __restrict squareAvg,
                     const double* __restrict acc, double* __restrict next, double lr, const Options& o) {
    const double rho = o.rho, keep = 1.0 - o.rho, eps = o.eps, lambda = o.weightDecay;
    LRLAB_FUSED_LOOP
    for (Index i = 0; i < n; ++i) {
      const double xi = x[i];
      const double gi = DecayedGradient<Decay>(grad[i], xi, lambda);
      const double vi = squareAvg[i] = rho * squareAvg[i] + keep * (gi * gi);
      const double delta = std::sqrt(acc[i] + eps) / std::sqrt(vi + eps) * gi;
      next[i] = rho * acc[i] + keep * (delta * delta);
      x[i] = xi - lr * delta;
    }
  }

  Options options_;
  Vector squareAvg_;
  Vector accDelta_;
  Vector previousAccDelta_;  // u before the last step's update
};

}  // namespace lrlab
