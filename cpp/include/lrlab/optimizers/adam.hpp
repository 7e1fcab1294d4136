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
//
// Where this departs from PyTorch's arithmetic (not its formula): √v is
// multiplied by 1/√(1 − β₂ᵗ), computed once per step, where PyTorch divides
// every coordinate by √(1 − β₂ᵗ). That can move d by an ulp; it saves one of
// the two divisions per coordinate, and the divider is what an in-cache step
// waits for. The trajectories still match PyTorch's to the golden tests'
// 1e-10 (tests/cpp/golden_optimizers_test.cpp).
#include <algorithm>
#include <cmath>

#include "lrlab/core/types.hpp"
#include "lrlab/optimizers/fused_loop.hpp"

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
    step_ = 0;
  }

  void Step(Vector& x, const Vector& grad, double lr) {
    if (expAvg_.size() != x.size()) Reset(x.size());
    const Options& o = options_;
    ++step_;
    const double t = static_cast<double>(step_);
    const Scalars s{.beta1 = o.beta1,
                    .beta2 = o.beta2,
                    .eps = o.eps,
                    .weightDecay = o.weightDecay,
                    .shrink = 1.0 - lr * o.weightDecay,
                    .stepSize = lr / (1.0 - std::pow(o.beta1, t)),
                    .invBias2Sqrt = 1.0 / std::sqrt(1.0 - std::pow(o.beta2, t))};
    WithFlags(
        [&](auto decay, auto amsgrad) {
          Update<decay, amsgrad>(x.size(), x.data(), grad.data(), expAvg_.data(), expAvgSq_.data(),
                                 maxExpAvgSq_.data(), s);
        },
        o.weightDecay != 0.0, o.amsgrad);
  }

  // After a step: η/(√v̂ + ε) per coordinate, with √v̂ = √v/√(1 − β₂ᵗ) as in
  // the update (v̄ with AMSGrad). Times m̂ = m/(1 − β₁ᵗ) it is the step taken,
  // the paper's η·m̂/(√v̂ + ε); AdamW's decay of x is not part of it.
  void EffectiveLr(double lr, Vector& out) const {
    const double bias2Sqrt = std::sqrt(1.0 - std::pow(options_.beta2, static_cast<double>(step_)));
    const Vector& second = options_.amsgrad ? maxExpAvgSq_ : expAvgSq_;
    out = (lr / (second.array().sqrt() * (1.0 / bias2Sqrt) + options_.eps)).matrix();
  }

 private:
  // What one step's loop needs besides the arrays.
  struct Scalars {
    double beta1, beta2, eps, weightDecay;
    double shrink;        // AdamW's 1 − ηλ
    double stepSize;      // η / (1 − β₁ᵗ)
    double invBias2Sqrt;  // 1 / √(1 − β₂ᵗ)
  };

  // One pass: the update of the header comment, coordinate by coordinate
  // (fused_loop.hpp). `vmax` is v̄, used only with AMSGrad.
  template <bool Decay, bool Amsgrad>
  static void Update(Index n, double* __restrict x, const double* __restrict grad, double* __restrict m,
                     double* __restrict v, double* __restrict vmax, const Scalars& s) {
    const AdamMoments moments(s.beta1, s.beta2);
    LRLAB_FUSED_LOOP
    for (Index i = 0; i < n; ++i) {
      double xi = x[i];
      double gi = grad[i];
      if constexpr (Decay) {
        if constexpr (Decoupled)
          xi *= s.shrink;
        else
          gi = DecayedGradient<true>(gi, xi, s.weightDecay);
      }
      moments.Update(gi, m[i], v[i]);
      double vi = v[i];
      if constexpr (Amsgrad) vi = vmax[i] = std::max(vmax[i], vi);
      x[i] = xi - s.stepSize * m[i] / (std::sqrt(vi) * s.invBias2Sqrt + s.eps);
    }
  }

  Options options_;
  Vector expAvg_;
  Vector expAvgSq_;
  Vector maxExpAvgSq_;  // AMSGrad only
  long step_ = 0;
};

// torch.optim.Adam: weight decay as L2 added to the gradient.
using Adam = BasicAdam<false>;
// torch.optim.AdamW: decoupled weight decay x ← (1 − ηλ) x.
using AdamW = BasicAdam<true>;

}  // namespace lrlab
