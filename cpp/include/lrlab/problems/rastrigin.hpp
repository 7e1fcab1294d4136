#pragma once
// Rastrigin's function (Rastrigin, 1974; in n dimensions after Mühlenbein et
// al., 1991), a bowl covered in regularly spaced local minima:
//
//   f(x) = A n + Σᵢ (xᵢ² − A cos(2π xᵢ)),   A = 10
//   ∂f/∂xᵢ = 2xᵢ + 2πA sin(2π xᵢ)
//
// The global minimizer is 0 with f = 0; there is a local minimum near every
// integer point. The curvature 2 + 4π²A cos(2π xᵢ) is 2 + 40π² ≈ 396.8 at the
// global minimum and nearly that at every local one, so gradient descent settles in the local minimum it starts
// in when η < 2/396.8 ≈ 0.005, while larger steps jump between basins. The
// default start is 2.2 in every coordinate, in the basin of the local minimum
// near (2, …, 2).
#include <cmath>
#include <numbers>

#include "lrlab/core/facts.hpp"
#include "lrlab/core/types.hpp"

namespace lrlab {

class Rastrigin {
 public:
  static constexpr double kA = 10.0;

  struct Options {
    Index dim = 2;
  };

  Rastrigin() = default;
  explicit Rastrigin(Options options) : options_(options) {}

  Index Dimension() const { return options_.dim; }
  // A sine and a cosine per coordinate: about 20 numbers' worth of work each.
  double GradientCost() const { return 20.0 * static_cast<double>(Dimension()); }

  double Value(const Vector& x) const {
    double f = kA * static_cast<double>(x.size());
    for (Index i = 0; i < x.size(); ++i) f += x[i] * x[i] - kA * std::cos(kTwoPi * x[i]);
    return f;
  }

  double ValueAndGradient(const Vector& x, Vector& g) const {
    g.resize(x.size());
    double f = kA * static_cast<double>(x.size());
    for (Index i = 0; i < x.size(); ++i) {
      f += x[i] * x[i] - kA * std::cos(kTwoPi * x[i]);
      g[i] = 2.0 * x[i] + kTwoPi * kA * std::sin(kTwoPi * x[i]);
    }
    return f;
  }

  Vector InitialPoint() const { return Vector::Constant(Dimension(), 2.2); }
  Vector Minimizer() const { return Vector::Zero(Dimension()); }
  double MinimumValue() const { return 0.0; }
  Facts Describe() const { return Facts().Number("minimum", MinimumValue()).Point("minimizer", Minimizer()); }

 private:
  static constexpr double kTwoPi = 2.0 * std::numbers::pi;
  Options options_;
};

}  // namespace lrlab
