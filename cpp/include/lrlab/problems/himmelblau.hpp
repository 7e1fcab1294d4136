#pragma once
// Himmelblau's function (Himmelblau, 1972, "Applied Nonlinear Programming"):
//
//   f(x, y) = (x² + y − 11)² + (x + y² − 7)²
//   ∂f/∂x   = 4x (x² + y − 11) + 2 (x + y² − 7)
//   ∂f/∂y   = 2 (x² + y − 11) + 4y (x + y² − 7)
//
// Four minima, all with f = 0 (the last three are roots of a quartic; the
// digits below are exact to double precision):
//   ( 3,                  2                 )
//   (−2.805118086952745,  3.131312518250573 )
//   (−3.779310253377747, −3.283185991286169 )
//   ( 3.584428340330492, −1.848126526964404 )
// and a local maximum at (−0.270844590667348, −0.923038556479981),
// f ≈ 181.617. Which minimum a run ends in depends on the start and on η,
// which is why it is here. The default start is the origin, near the
// maximum, where the basins meet.
#include <array>
#include <vector>

#include "lrlab/core/facts.hpp"
#include "lrlab/core/types.hpp"

namespace lrlab {

class Himmelblau {
 public:
  Index Dimension() const { return 2; }

  double Value(const Vector& x) const {
    const double u = x[0] * x[0] + x[1] - 11.0, v = x[0] + x[1] * x[1] - 7.0;
    return u * u + v * v;
  }

  double ValueAndGradient(const Vector& x, Vector& g) const {
    const double u = x[0] * x[0] + x[1] - 11.0, v = x[0] + x[1] * x[1] - 7.0;
    g.resize(2);
    g[0] = 4.0 * x[0] * u + 2.0 * v;
    g[1] = 2.0 * u + 4.0 * x[1] * v;
    return u * u + v * v;
  }

  Vector InitialPoint() const { return Vector::Zero(2); }

  // All four global minimizers, in the order listed above.
  static std::array<Vector, 4> Minimizers() {
    return {Vector{{3.0, 2.0}}, Vector{{-2.805118086952745, 3.131312518250573}},
            Vector{{-3.779310253377747, -3.283185991286169}}, Vector{{3.584428340330492, -1.848126526964404}}};
  }
  double MinimumValue() const { return 0.0; }
  Facts Describe() const {
    const auto m = Minimizers();
    return Facts().Number("minimum", MinimumValue()).Points("minimizers", std::vector<Vector>(m.begin(), m.end()));
  }
  static Vector LocalMaximizer() { return Vector{{-0.270844590667348, -0.923038556479981}}; }
};

}  // namespace lrlab
