#include <catch2/catch.hpp>

#include "lrlab/optimizers/sgd.hpp"

using lrlab::Sgd;
using lrlab::Vector;

// Hand-derived first steps of torch.optim.SGD's update rule.
TEST_CASE("sgd: plain gradient descent is x - lr*g", "[optimizer]") {
  Sgd sgd;
  Vector x{{1.0, -2.0}};
  sgd.Step(x, Vector{{0.5, 4.0}}, 0.1);
  CHECK(x[0] == Approx(0.95));
  CHECK(x[1] == Approx(-2.4));
}

TEST_CASE("sgd: momentum buffer starts at the first gradient", "[optimizer]") {
  Sgd sgd({.momentum = 0.9, .dampening = 0.5});
  Vector x{{1.0}};
  sgd.Step(x, Vector{{2.0}}, 0.1);  // b = 2 (no dampening on the first step)
  CHECK(x[0] == Approx(1.0 - 0.2));
  sgd.Step(x, Vector{{1.0}}, 0.1);  // b = 0.9*2 + 0.5*1 = 2.3
  CHECK(x[0] == Approx(0.8 - 0.23));
}

TEST_CASE("sgd: nesterov adds the momentum lookahead", "[optimizer]") {
  Sgd sgd({.momentum = 0.5, .nesterov = true});
  Vector x{{0.0}};
  sgd.Step(x, Vector{{1.0}}, 1.0);  // b = 1, d = 1 + 0.5*1
  CHECK(x[0] == Approx(-1.5));
  sgd.Step(x, Vector{{2.0}}, 1.0);  // b = 0.5 + 2 = 2.5, d = 2 + 1.25
  CHECK(x[0] == Approx(-1.5 - 3.25));
}

TEST_CASE("sgd: weight decay adds lambda*x to the gradient", "[optimizer]") {
  Sgd sgd({.weightDecay = 0.1});
  Vector x{{2.0}};
  sgd.Step(x, Vector{{1.0}}, 0.5);  // d = 1 + 0.2
  CHECK(x[0] == Approx(2.0 - 0.6));
}

TEST_CASE("sgd: Reset forgets the momentum buffer", "[optimizer]") {
  Sgd sgd({.momentum = 0.9});
  Vector x{{0.0}};
  sgd.Step(x, Vector{{1.0}}, 1.0);
  sgd.Reset(1);
  x[0] = 0.0;
  sgd.Step(x, Vector{{1.0}}, 1.0);
  CHECK(x[0] == Approx(-1.0));
}
