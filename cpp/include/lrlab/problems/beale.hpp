#pragma once
// Beale's function (Beale, 1958), a standard 2-D test for optimizers:
//
//   f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²
//
// With tᵢ = cᵢ − x + x yⁱ (c = 1.5, 2.25, 2.625):
//   ∂f/∂x = Σ 2 tᵢ (yⁱ − 1),   ∂f/∂y = Σ 2 tᵢ · i x yⁱ⁻¹.
//
// The unique minimizer is (3, 0.5) with f = 0, at the end of a narrow curved
// valley between flat plateaus; the Hessian there is
// [[3.15625, −11.4375], [−11.4375, 46.125]] with eigenvalues ≈ 0.3015 and
// ≈ 48.98, so near it gradient descent is stable for η < 2/48.98 ≈ 0.041.
// Far from it the function grows like x²y⁶: from the default start (1, 1.5)
// plain gradient descent reaches the minimizer at η = 0.01 and is thrown off
// at η = 0.05.
#include "lrlab/core/facts.hpp"
#include "lrlab/core/types.hpp"

namespace lrlab {

class Beale {
 public:
  Index Dimension() const { return 2; }

  double Value(const Vector& x) const {
    double f = 0.0, yPower = 1.0;
    for (double c : kConstants) {
      yPower *= x[1];
      const double t = c - x[0] + x[0] * yPower;
      f += t * t;
    }
    return f;
  }

  double ValueAndGradient(const Vector& x, Vector& g) const {
    g = Vector::Zero(2);
    double f = 0.0, yPower = 1.0;  // yPower = yⁱ; its derivative i·yⁱ⁻¹ follows from the previous power
    for (int i = 1; i <= 3; ++i) {
      const double dPower = i * yPower;
      yPower *= x[1];
      const double t = kConstants[i - 1] - x[0] + x[0] * yPower;
      f += t * t;
      g[0] += 2.0 * t * (yPower - 1.0);
      g[1] += 2.0 * t * x[0] * dPower;
    }
    return f;
  }

  Vector InitialPoint() const { return Vector{{1.0, 1.5}}; }
  Vector Minimizer() const { return Vector{{3.0, 0.5}}; }
  double MinimumValue() const { return 0.0; }
  Facts Describe() const { return Facts().Number("minimum", MinimumValue()).Point("minimizer", Minimizer()); }

 private:
  static constexpr double kConstants[3] = {1.5, 2.25, 2.625};
};

}  // namespace lrlab
