#include <catch2/catch.hpp>

#include <cmath>

#include "lrlab/training/trainer.hpp"

using namespace lrlab;

namespace {
Trainer GradientDescent(double lr, long evalEvery = 10) {
  // λ = 1 and 10: stable exactly for η < 2/10.
  return Trainer(Quadratic::Diagonal(Vector{{1.0, 10.0}}, Vector::Zero(2)), Sgd(), Schedule::Constant(lr),
                 Vector{{1.0, 1.0}}, {.evalEvery = evalEvery});
}
}  // namespace

TEST_CASE("gradient descent on a quadratic converges below 2/lambda_max and diverges above", "[training]") {
  for (double lr : {0.01, 0.1, 0.19, 0.199}) {
    Trainer t = GradientDescent(lr);
    t.Run(20000);
    INFO("lr = " << lr);
    CHECK_FALSE(t.Diverged());
    CHECK(t.GetHistory().loss.back() < 1e-12);
  }
  for (double lr : {0.201, 0.25, 1.0, 100.0}) {
    Trainer t = GradientDescent(lr);
    t.Run(20000);
    INFO("lr = " << lr);
    CHECK(t.Diverged());
    CHECK(t.Steps() < 20000);
  }
}

TEST_CASE("the loss of each step matches the closed form (1 - lr*lambda)^(2t)", "[training]") {
  Trainer t = GradientDescent(0.05);
  t.Run(30);
  const auto& loss = t.GetHistory().loss;
  REQUIRE(loss.size() == 31);
  for (std::size_t s = 0; s <= 30; ++s) {
    const double expected = 0.5 * std::pow(1 - 0.05, 2.0 * s) + 0.5 * 10 * std::pow(1 - 0.5, 2.0 * s);
    CHECK(loss[s] == Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("history lengths and indexing follow the documented shape", "[training]") {
  Trainer t = GradientDescent(0.1, 4);
  t.Run(10);
  const History& h = t.GetHistory();
  CHECK(h.loss.size() == 11);
  CHECK(h.gradNorm.size() == 11);
  CHECK(h.lr.size() == 10);
  CHECK(h.params.size() == 22);
  CHECK(h.valSteps == std::vector<long>{0, 4, 8});
  CHECK(h.valLoss[1] == h.loss[4]);
  CHECK(h.params[0] == 1.0);
  CHECK(h.params[2] == Approx(0.9));   // x_1[0] = 1 - 0.1*1
  CHECK(h.params[3] == Approx(0.0));   // x_1[1] = 1 - 0.1*10
  CHECK(h.gradNorm[0] == Approx(std::sqrt(101.0)));
  CHECK_FALSE(h.divergedAt.has_value());
}

TEST_CASE("running in pieces equals running at once", "[training]") {
  Trainer whole = GradientDescent(0.15);
  whole.Run(50);
  Trainer pieces = GradientDescent(0.15);
  pieces.Run(7);
  pieces.Run(0);
  pieces.Run(43);
  CHECK(pieces.GetHistory().loss == whole.GetHistory().loss);
  CHECK(pieces.GetHistory().params == whole.GetHistory().params);
  CHECK(pieces.GetHistory().valSteps == whole.GetHistory().valSteps);
}

TEST_CASE("a diverged run stops at the step it blew up and takes no more steps", "[training]") {
  Trainer t = GradientDescent(1.0);  // factor |1 - 10| = 9 per step on the stiff axis
  const long taken = t.Run(1000);
  REQUIRE(t.Diverged());
  const long at = *t.GetHistory().divergedAt;
  CHECK(taken == at);
  CHECK(t.GetHistory().loss.size() == static_cast<std::size_t>(at + 1));
  // 5·81^t exceeds 1e6 × 5.5 first at t = 4.
  CHECK(at == 4);
  CHECK(t.Run(10) == 0);
}

TEST_CASE("a non-finite loss counts as divergence", "[training]") {
  Trainer t(Quadratic::Diagonal(Vector{{1.0}}, Vector::Zero(1)), Sgd(), Schedule::Constant(1e300),
            Vector{{1e10}}, {});
  t.Run(10);
  REQUIRE(t.Diverged());
  CHECK(*t.GetHistory().divergedAt == 1);
  CHECK_FALSE(std::isfinite(t.GetHistory().loss.back()));
}
