#include <catch2/catch.hpp>

#include "lrlab/problems/quadratic.hpp"
#include "test_util.hpp"

using lrlab::Matrix;
using lrlab::Quadratic;
using lrlab::Vector;

TEST_CASE("quadratic: analytic gradient matches finite differences", "[problem]") {
  const Quadratic diag = Quadratic::Diagonal(Vector{{1.0, 10.0, 0.5}}, Vector{{1.0, -2.0, 0.0}});
  Matrix a{{4.0, 1.0}, {1.0, 3.0}};
  const Quadratic dense = Quadratic::Dense(a, Vector{{1.0, 2.0}});
  for (const Vector& x : {Vector{{0.3, -1.2, 2.0}}, Vector{{-5.0, 4.0, 1e-3}}})
    CHECK(lrlab::testing::GradientError(diag, x) < 1e-8);
  for (const Vector& x : {Vector{{0.3, -1.2}}, Vector{{7.0, 1.0}}})
    CHECK(lrlab::testing::GradientError(dense, x) < 1e-8);
}

TEST_CASE("quadratic: knows its eigenvalues, minimizer and minimum", "[problem]") {
  // A = [[4,1],[1,3]] has eigenvalues (7 ± √5)/2.
  Matrix a{{4.0, 1.0}, {1.0, 3.0}};
  const Vector b{{1.0, 2.0}};
  const Quadratic q = Quadratic::Dense(a, b);
  CHECK(q.LambdaMin() == Approx((7.0 - std::sqrt(5.0)) / 2));
  CHECK(q.LambdaMax() == Approx((7.0 + std::sqrt(5.0)) / 2));
  // A x* = b  →  x* = (1/11)·[1, 7].
  CHECK(q.Minimizer()[0] == Approx(1.0 / 11));
  CHECK(q.Minimizer()[1] == Approx(7.0 / 11));
  Vector g;
  CHECK(q.ValueAndGradient(q.Minimizer(), g) == Approx(q.MinimumValue()));
  CHECK(g.norm() < 1e-12);
  CHECK(q.MinimumValue() == Approx(-0.5 * (1.0 / 11 + 14.0 / 11)));

  const Quadratic d = Quadratic::Diagonal(Vector{{2.0, 0.5}}, Vector{{4.0, 1.0}});
  CHECK(d.LambdaMin() == 0.5);
  CHECK(d.LambdaMax() == 2.0);
  CHECK(d.Minimizer()[0] == 2.0);
  CHECK(d.Minimizer()[1] == 2.0);
  CHECK(d.Value(Vector{{1.0, 1.0}}) == Approx(0.5 * (2.0 + 0.5) - 5.0));
}
