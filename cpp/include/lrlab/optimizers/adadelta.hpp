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
#include "lrlab/optimizers/weight_decay.hpp"

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
    delta_.resize(dim);
    decayed_.resize(dim);
  }

  void Step(Vector& x, const Vector& grad, double lr) {
    if (squareAvg_.size() != x.size()) Reset(x.size());
    const Options& o = options_;
    const Vector* g = &WithL2Decay(grad, x, o.weightDecay, decayed_);
    const auto ga = g->array();
    squareAvg_.array() = o.rho * squareAvg_.array() + (1.0 - o.rho) * ga.square();
    delta_.array() = (accDelta_.array() + o.eps).sqrt() / (squareAvg_.array() + o.eps).sqrt() * ga;
    // The new u goes to the spare buffer and the two swap, so the u this
    // step used stays available to EffectiveLr at no cost.
    previousAccDelta_.array() = o.rho * accDelta_.array() + (1.0 - o.rho) * delta_.array().square();
    accDelta_.swap(previousAccDelta_);
    x.noalias() -= lr * delta_;
  }

  // After a step: η·√(u + ε)/√(v + ε) per coordinate, with the u that step
  // used (before its update): the factor that multiplied g.
  void EffectiveLr(double lr, Vector& out) const {
    out = (lr * ((previousAccDelta_.array() + options_.eps).sqrt() / (squareAvg_.array() + options_.eps).sqrt()))
              .matrix();
  }

 private:
  Options options_;
  Vector squareAvg_;
  Vector accDelta_;
  Vector previousAccDelta_;  // u before the last step's update
  Vector delta_;
  Vector decayed_;
};

}  // namespace lrlab
