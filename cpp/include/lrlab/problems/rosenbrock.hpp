#pragma once
// Rosenbrock's banana function (Rosenbrock, 1960), in two dimensions:
//
//   f(x, y) = (a − x)² + b (y − x²)²
//   ∇f      = (−2(a − x) − 4b x (y − x²),  2b (y − x²))
//
// The unique minimizer is (a, a²) with f = 0. With the usual a = 1, b = 100 it
// lies at the end of a long, curved, flat-bottomed valley: the Hessian there,
// [[2 + 8ba², −4ab], [−4ab, 2b]] = [[802, −400], [−400, 200]], has eigenvalues
// ≈ 1001.6 and ≈ 0.3994, so gradient descent is stable near the minimizer only
// for η < 2/1001.6 ≈ 0.002, and at that η the along-valley direction shrinks
// by under 0.1 % per step: one fixed η is too large and too small at once.
// The default start (−1.5, 2) lies on the far side of the valley.
#include "lrlab/core/facts.hpp"
#include "lrlab/core/types.hpp"

namespace lrlab {

class Rosenbrock {
 public:
  struct Options {
    double a = 1.0;
    double b = 100.0;
  };

  Rosenbrock() = default;
  explicit Rosenbrock(Options options) : options_(options) {}

  const Options& GetOptions() const { return options_; }
  Index Dimension() const { return 2; }

  double Value(const Vector& x) const {
    const double u = options_.a - x[0], v = x[1] - x[0] * x[0];
    return u * u + options_.b * v * v;
  }

  double ValueAndGradient(const Vector& x, Vector& g) const {
    const double u = options_.a - x[0], v = x[1] - x[0] * x[0];
    g.resize(2);
    g[0] = -2.0 * u - 4.0 * options_.b * x[0] * v;
    g[1] = 2.0 * options_.b * v;
    return u * u + options_.b * v * v;
  }

  Vector InitialPoint() const { return Vector{{-1.5, 2.0}}; }
  Vector Minimizer() const { return Vector{{options_.a, options_.a * options_.a}}; }
  double MinimumValue() const { return 0.0; }
  Facts Describe() const { return Facts().Number("minimum", MinimumValue()).Point("minimizer", Minimizer()); }

 private:
  Options options_;
};

}  // namespace lrlab
