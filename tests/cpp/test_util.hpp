#pragma once
// Helpers shared by the Catch2 suites.
#include <catch2/catch.hpp>

#include "lrlab/core/concepts.hpp"

namespace lrlab::testing {

// Largest relative difference between the analytic gradient and central
// finite differences at x.
template <DifferentiableObjective P>
double GradientError(const P& problem, const Vector& x, double h = 1e-6) {
  Vector g;
  problem.ValueAndGradient(x, g);
  double worst = 0.0;
  for (Index i = 0; i < x.size(); ++i) {
    Vector plus = x, minus = x;
    plus[i] += h;
    minus[i] -= h;
    const double numeric = (problem.Value(plus) - problem.Value(minus)) / (2 * h);
    const double scale = std::max({1.0, std::abs(numeric), std::abs(g[i])});
    worst = std::max(worst, std::abs(numeric - g[i]) / scale);
  }
  return worst;
}

}  // namespace lrlab::testing
