#pragma once
// What the trainer needs from a problem, stated as concepts rather than base
// classes: problems stay plain value types that a std::variant can hold.
#include <concepts>
#include <span>

#include "lrlab/core/types.hpp"

namespace lrlab {

// f: R^n -> R with its gradient. ValueAndGradient writes ∇f(x) into g (resized
// by the callee) and returns f(x).
template <class P>
concept DifferentiableObjective = requires(const P& p, const Vector& x, Vector& g) {
  { p.Dimension() } -> std::convertible_to<Index>;
  { p.Value(x) } -> std::convertible_to<double>;
  { p.ValueAndGradient(x, g) } -> std::convertible_to<double>;
};

// A sum over training samples, f(x) = mean_i f_i(x), that can be evaluated on
// a minibatch of sample indices, plus a held-out validation loss.
template <class P>
concept SeparableObjective =
    DifferentiableObjective<P> &&
    requires(const P& p, const Vector& x, Vector& g, std::span<const int> batch) {
      { p.NumSamples() } -> std::convertible_to<int>;
      { p.ValueAndGradient(x, g, batch) } -> std::convertible_to<double>;
      { p.ValidationLoss(x) } -> std::convertible_to<double>;
    };

// An update rule: per-run state rebuilt by Reset(dim); Step moves x against
// the gradient with the learning rate given on every call.
template <class O>
concept Optimizer = requires(O& o, Vector& x, const Vector& g, double lr, Index dim) {
  o.Reset(dim);
  o.Step(x, g, lr);
};

// An optimizer whose momentum (SGD, RMSprop) or β₁ (Adam and relatives) a
// schedule may drive, as PyTorch's OneCycleLR and CyclicLR do.
template <class O>
concept HasMomentum = Optimizer<O> && requires(O& o, double m) { o.SetMomentum(m); };

// An optimizer that can say, after a step, the per-coordinate step size it
// applied: the factor multiplying the (possibly momentum-averaged) gradient
// direction in that step's update, written into `out` (resized by the
// callee) for the η that step used. Optimizers without it (SGD, Lion) apply
// η itself to every coordinate. Called only when a run records it.
template <class O>
concept HasEffectiveLr = Optimizer<O> && requires(const O& o, double lr, Vector& out) { o.EffectiveLr(lr, out); };

}  // namespace lrlab
