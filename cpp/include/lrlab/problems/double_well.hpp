#pragma once
// A one-dimensional tilted double well, the smallest picture of "a larger
// step can leave a shallow minimum":
//
//   f(x)   = x⁴/4 + x³/3 − x² + 8/3
//   f'(x)  = x³ + x² − 2x = x (x − 1)(x + 2)
//   f''(x) = 3x² + 2x − 2
//
//   deep minimum      x = −2,  f = 0,          f'' = 6  (stable for η < 1/3)
//   barrier (maximum) x =  0,  f = 8/3 ≈ 2.667
//   shallow minimum   x =  1,  f = 9/4 = 2.25, f'' = 3  (stable for η < 2/3)
//
// The default start x₀ = 2.5 is on the shallow side's outer wall, where
// f'(2.5) = 16.875. Plain gradient descent's first step lands at
// 2.5 − 16.875 η, beyond the barrier exactly when η > 2.5/16.875 ≈ 0.148:
// with η ≤ 0.14 it settles in the shallow minimum, with η from 0.15 to 0.31
// it hops over and settles in the deep one (below 1/3, where the deep minimum
// is stable); just below 1/3 it is thrown back to the shallow minimum and from
// 0.34 on it diverges (checked in tests/cpp/problems_test.cpp).
#include "lrlab/core/facts.hpp"
#include "lrlab/core/types.hpp"

namespace lrlab {

class DoubleWell {
 public:
  Index Dimension() const { return 1; }

  double Value(const Vector& x) const { return Polynomial(x[0]); }

  double ValueAndGradient(const Vector& x, Vector& g) const {
    const double t = x[0];
    g.resize(1);
    g[0] = t * (t - 1.0) * (t + 2.0);
    return Polynomial(t);
  }

  Vector InitialPoint() const { return Vector::Constant(1, 2.5); }

  // The global (deep) minimum.
  Vector Minimizer() const { return Vector::Constant(1, -2.0); }
  double MinimumValue() const { return 0.0; }
  double MinimumCurvature() const { return 6.0; }

  Vector ShallowMinimizer() const { return Vector::Constant(1, 1.0); }
  double ShallowMinimumValue() const { return 2.25; }
  double ShallowMinimumCurvature() const { return 3.0; }

  Vector Barrier() const { return Vector::Zero(1); }
  double BarrierValue() const { return 8.0 / 3.0; }
  Facts Describe() const {
    return Facts()
        .Number("minimum", MinimumValue())
        .Point("minimizer", Minimizer())
        .Number("curvature", MinimumCurvature())
        .Number("shallow_minimum", ShallowMinimumValue())
        .Point("shallow_minimizer", ShallowMinimizer())
        .Number("shallow_curvature", ShallowMinimumCurvature())
        .Point("barrier", Barrier())
        .Number("barrier_value", BarrierValue());
  }

 private:
  static double Polynomial(double t) {
    const double t2 = t * t;
    return t2 * t2 / 4.0 + t2 * t / 3.0 - t2 + 8.0 / 3.0;
  }
};

}  // namespace lrlab
