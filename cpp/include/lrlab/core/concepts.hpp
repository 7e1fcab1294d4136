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

}  // namespace lrlab
