#pragma once
// Adam, AdamW and their AMSGrad variants, following torch.optim.Adam and
// torch.optim.AdamW (PyTorch 1.13). On step t = 1, 2, … with gradient g:
//
//   Adam:   g ← g + λ x                           (coupled L2, default λ = 0)
//   AdamW:  x ← (1 − η λ) x                       (decoupled, default λ = 1e-2)
//   m ← β₁ m + (1 − β₁) g
//   v ← β₂ v + (1 − β₂) g²
//   amsgrad:  v̄ ← max(v̄, v)  and v̄ replaces v below        (v̄₀ = 0)
//   d = √v / √(1 − β₂ᵗ) + ε
//   x ← x − (η / (1 − β₁ᵗ)) · m / d
//
// Papers: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR
// 2015; Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR
// 2019 (AdamW); Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond",
// ICLR 2018 (AMSGrad).
//
// Where this follows PyTorch rather than the papers or TF/Keras:
// - ε is added to the bias-corrected √v̂ (Algorithm 1 of the paper). TF and
//   Keras use the paper's "efficient" form with ε̂ added to the uncorrected √v,
//   i.e. an effective ε of ε̂/√(1 − β₂ᵗ), larger in the first steps; Keras's
//   default ε is 1e-7.
// - The bias corrections use the β₁ in force at step t (1 − β₁ᵗ, not a
//   product of past β₁): what PyTorch does when OneCycleLR cycles β₁.
// - Adam's weight_decay is L2 added to the gradient, so it is rescaled by the
//   adaptive denominator. AdamW multiplies x by (1 − ηλ) with η the current
//   (scheduled) learning rate: the paper writes −η_t λ x with η_t the
//   schedule multiplier alone, so PyTorch's λ is the paper's λ divided by the
//   base learning rate α.
// - AMSGrad keeps the running maximum of the uncorrected v and then divides by
//   √(1 − β₂ᵗ) like Adam; the paper has no bias correction at all.
#include <algorithm>
#include <cmath>

#include "lrlab/core/types.hpp"
#include "lrlab/optimizers/weight_decay.hpp"

namespace lrlab {

// Decoupled selects AdamW's weight decay; Adam and AdamW below are the names
// to use.
template <bool Decoupled>
class BasicAdam {
 public:
  struct Options {
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay = Decoupled ? 1e-2 : 0.0;
    bool amsgrad = false;
  };

  BasicAdam() = default;
  explicit BasicAdam(Options options) : options_(options) {}

  const Options& GetOptions() const { return options_; }
  // One-cycle schedules drive β₁ in place of a momentum.
  void SetMomentum(double beta1) { options_.beta1 = beta1; }

  void Reset(Index dim) {
    expAvg_ = Vector::Zero(dim);
    expAvgSq_ = Vector::Zero(dim);
    maxExpAvgSq_ = options_.amsgrad ? Vector::Zero(dim) : Vector();
    decayed_.resize(Decoupled ? 0 : dim);
    step_ = 0;
  }

  void Step(Vector& x, const Vector& grad, double lr) {
    if (expAvg_.size() != x.size()) Reset(x.size());
    const Options& o = options_;
    ++step_;
    const Vector* g = &grad;
    if constexpr (Decoupled) {
      if (o.weightDecay != 0.0) x *= 1.0 - lr * o.weightDecay;
    } else {
      g = &WithL2Decay(grad, x, o.weightDecay, decayed_);
    }
    const auto ga = g->array();
    expAvg_.array() = o.beta1 * expAvg_.array() + (1.0 - o.beta1) * ga;
    expAvgSq_.array() = o.beta2 * expAvgSq_.array() + (1.0 - o.beta2) * ga.square();

    const double t = static_cast<double>(step_);
    const double stepSize = lr / (1.0 - std::pow(o.beta1, t));
    const double bias2Sqrt = std::sqrt(1.0 - std::pow(o.beta2, t));
    const Vector* second = &expAvgSq_;
    if (o.amsgrad) {
      maxExpAvgSq_.array() = maxExpAvgSq_.array().max(expAvgSq_.array());
      second = &maxExpAvgSq_;
    }
    x.array() -= stepSize * expAvg_.array() / (second->array().sqrt() / bias2Sqrt + o.eps);
  }

  // After a step: η/(√v̂ + ε) per coordinate, with √v̂ = √v/√(1 − β₂ᵗ) as in
  // the update (v̄ with AMSGrad). Times m̂ = m/(1 − β₁ᵗ) it is the step taken,
  // the paper's η·m̂/(√v̂ + ε); AdamW's decay of x is not part of it.
  void EffectiveLr(double lr, Vector& out) const {
    const double bias2Sqrt = std::sqrt(1.0 - std::pow(options_.beta2, static_cast<double>(step_)));
    const Vector& second = options_.amsgrad ? maxExpAvgSq_ : expAvgSq_;
    out = (lr / (second.array().sqrt() / bias2Sqrt + options_.eps)).matrix();
  }

 private:
  Options options_;
  Vector expAvg_;
  Vector expAvgSq_;
  Vector maxExpAvgSq_;  // AMSGrad only
  Vector decayed_;      // Adam's g + λx, kept to avoid allocating per step
  long step_ = 0;
};

// torch.optim.Adam: weight decay as L2 added to the gradient.
using Adam = BasicAdam<false>;
// torch.optim.AdamW: decoupled weight decay x ← (1 − ηλ) x.
using AdamW = BasicAdam<true>;

}  // namespace lrlab
