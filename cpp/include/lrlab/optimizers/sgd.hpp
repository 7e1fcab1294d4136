#pragma once
// Stochastic gradient descent with optional momentum, dampening, Nesterov
// momentum and L2 weight decay, following torch.optim.SGD (PyTorch 1.13):
//
//   g ← g + λ x                                   (weight_decay λ)
//   b ← g                       on the first step  (momentum μ > 0)
//   b ← μ b + (1 − τ) g          afterwards        (dampening τ)
//   d ← g + μ b  if nesterov,  else d ← b          (d ← g when μ = 0)
//   x ← x − η d
//
// Where PyTorch departs from the papers: η multiplies the whole momentum
// buffer at the update (Sutskever et al., 2013, fold η into the velocity
// instead, which differs once η changes during training), and the buffer is
// initialised to the first gradient rather than to zero, so dampening does not
// shrink the first step. Nesterov is PyTorch's reformulation that evaluates
// the gradient at the current point.
#include "lrlab/core/types.hpp"
#include "lrlab/optimizers/fused_loop.hpp"
#include "lrlab/optimizers/weight_decay.hpp"

namespace lrlab {

class Sgd {
 public:
  struct Options {
    double momentum = 0.0;
    double dampening = 0.0;
    bool nesterov = false;
    double weightDecay = 0.0;
  };

  Sgd() = default;
  explicit Sgd(Options options) : options_(options) {}

  const Options& GetOptions() const { return options_; }
  // Cyclic and one-cycle schedules drive μ as well as η.
  void SetMomentum(double momentum) { options_.momentum = momentum; }

  void Reset(Index dim) {
    buffer_ = Vector::Zero(dim);
    decayed_.resize(dim);
    hasBuffer_ = false;
  }

  void Step(Vector& x, const Vector& grad, double lr) {
    if (buffer_.size() != x.size()) Reset(x.size());
    const Options& o = options_;
    const bool decay = o.weightDecay != 0.0;
    if (o.momentum == 0.0) {
      WithFlags([&](auto d) { PlainUpdate<d>(x.size(), x.data(), grad.data(), lr, o.weightDecay); }, decay);
      return;
    }
    if (hasBuffer_) {
      WithFlags([&](auto d, auto nesterov) {
        MomentumUpdate<d, nesterov>(x.size(), x.data(), grad.data(), buffer_.data(), lr, o);
      }, decay, o.nesterov);
      return;
    }
    // The first step with momentum sets the buffer; once per run, so not
    // worth a fused loop of its own.
    const Vector& g = WithL2Decay(grad, x, o.weightDecay, decayed_);
    buffer_ = g;
    hasBuffer_ = true;
    if (o.nesterov)
      x.noalias() -= lr * (g + o.momentum * buffer_);
    else
      x.noalias() -= lr * buffer_;
  }

 private:
  // The steps in one pass each (fused_loop.hpp): without momentum, and with
  // a momentum buffer already set.
  template <bool Decay>
  static void PlainUpdate(Index n, double* __restrict x, const double* __restrict grad, double lr,
                          double weightDecay) {
    LRLAB_FUSED_LOOP
    for (Index i = 0; i < n; ++i) x[i] -= lr * DecayedGradient<Decay>(grad[i], x[i], weightDecay);
  }


  template <bool Decay, bool Nesterov>
  static void MomentumUpdate(Index n, double* __restrict x, const double* __restrict grad, double* __restrict b,
                             double lr, const Options& o) {
    const double mu = o.momentum, keep = 1.0 - o.dampening, lambda = o.weightDecay;
    LRLAB_FUSED_LOOP
    for (Index i = 0; i < n; ++i) {
      const double xi = x[i];
      const double gi = DecayedGradient<Decay>(grad[i], xi, lambda);
      const double bi = b[i] = mu * b[i] + keep * gi;
      x[i] = xi - lr * (Nesterov ? gi + mu * bi : bi);
    }
  }

  Options options_;
  Vector buffer_;
  Vector decayed_;  // g + λx when weight decay is on
  bool hasBuffer_ = false;
};

}  // namespace lrlab
