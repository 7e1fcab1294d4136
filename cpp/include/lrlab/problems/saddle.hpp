#pragma once
// A two-dimensional saddle between two minima, the smallest picture of "a
// flat saddle slows gradient descent down":
//
//   f(x, y) = ½ a x² + y⁴/4 − y²/2 + ¼ = ½ a x² + (y² − 1)²/4
//   ∇f      = (a x,  y³ − y)
//
//   saddle   (0, 0),   f = ¼, Hessian diag(a, −1)
//   minima   (0, ±1),  f = 0, Hessian diag(a, 2)
//
// The constant ¼ puts the minimum value at 0. Near the saddle the y
// coordinate grows by the factor (1 + η) per gradient-descent step, so a
// start at y₀ = 10⁻³ (the default start is (1.5, 10⁻³)) needs about
// ln(1000)/ln(1 + η) steps to leave: plain gradient descent lingers while the
// x coordinate has long converged, momentum and adaptive methods leave at
// their own speeds (Dauphin et al., 2014, "Identifying and attacking the
// saddle point problem in high-dimensional non-convex optimization", argue
// such saddles, not poor local minima, are what slows training). Gradient
// descent is stable at the minima for η < 2/max(a, 2).
#include <vector>

#include "lrlab/core/facts.hpp"
#include "lrlab/core/types.hpp"

namespace lrlab {

class Saddle {
 public:
  struct Options {
    double a = 1.0;  // curvature along x, > 0
  };

  Saddle() = default;
  explicit Saddle(Options options) : options_(options) {}

  const Options& GetOptions() const { return options_; }
  Index Dimension() const { return 2; }

  double Value(const Vector& p) const { return Polynomial(p[0], p[1]); }

  double ValueAndGradient(const Vector& p, Vector& g) const {
    const double x = p[0], y = p[1];
    g.resize(2);
    g[0] = options_.a * x;
    g[1] = y * (y * y - 1.0);
    return Polynomial(x, y);
  }

  Vector InitialPoint() const { return Vector{{1.5, 1e-3}}; }

  static std::vector<Vector> Minimizers() { return {Vector{{0.0, 1.0}}, Vector{{0.0, -1.0}}}; }
  double MinimumValue() const { return 0.0; }
  // Hessian eigenvalues at the minima, along x then y.
  Vector MinimumEigenvalues() const { return Vector{{options_.a, 2.0}}; }

  static Vector SaddlePoint() { return Vector::Zero(2); }
  double SaddleValue() const { return 0.25; }
  Vector SaddleEigenvalues() const { return Vector{{options_.a, -1.0}}; }
  Facts Describe() const {
    return Facts()
        .Number("minimum", MinimumValue())
        .Points("minimizers", Minimizers())
        .Point("minimum_eigenvalues", MinimumEigenvalues())
        .Point("saddle", SaddlePoint())
        .Number("saddle_value", SaddleValue())
        .Point("saddle_eigenvalues", SaddleEigenvalues());
  }

 private:
  double Polynomial(double x, double y) const {
    const double w = y * y - 1.0;
    return 0.5 * options_.a * x * x + 0.25 * w * w;
  }

  Options options_;
};

}  // namespace lrlab
