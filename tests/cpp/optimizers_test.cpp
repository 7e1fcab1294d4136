#include <catch2/catch.hpp>

#include <cmath>

#include "lrlab/core/concepts.hpp"
#include "lrlab/optimizers/any_optimizer.hpp"

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

// ---------------------------------------------------------------------------
// The adaptive optimizers: first steps derived by hand from torch.optim 1.13's
// update rules (Lion from Chen et al. 2023). Expected values are written as
// the arithmetic of the rule, so each check reads as a derivation.

using lrlab::Adadelta;
using lrlab::Adagrad;
using lrlab::Adam;
using lrlab::Adamax;
using lrlab::AdamW;
using lrlab::Lion;
using lrlab::Nadam;
using lrlab::Radam;
using lrlab::Rmsprop;

namespace {
Approx Near(double v) { return Approx(v).epsilon(1e-12).margin(1e-15); }
}  // namespace

TEST_CASE("optimizers: which ones a schedule may drive momentum or beta1 on", "[optimizer]") {
  STATIC_REQUIRE(lrlab::HasMomentum<Sgd>);
  STATIC_REQUIRE(lrlab::HasMomentum<Rmsprop>);
  STATIC_REQUIRE(lrlab::HasMomentum<Adam>);
  STATIC_REQUIRE(lrlab::HasMomentum<AdamW>);
  STATIC_REQUIRE(lrlab::HasMomentum<Adamax>);
  STATIC_REQUIRE(lrlab::HasMomentum<Nadam>);
  STATIC_REQUIRE(lrlab::HasMomentum<Radam>);
  STATIC_REQUIRE(lrlab::HasMomentum<Lion>);
  STATIC_REQUIRE_FALSE(lrlab::HasMomentum<Adagrad>);
  STATIC_REQUIRE_FALSE(lrlab::HasMomentum<Adadelta>);
}

TEST_CASE("optimizers: PyTorch's defaults", "[optimizer]") {
  CHECK(Adagrad().GetOptions().eps == 1e-10);
  CHECK(Adagrad().GetOptions().initialAccumulatorValue == 0.0);
  CHECK(Rmsprop().GetOptions().alpha == 0.99);
  CHECK(Rmsprop().GetOptions().eps == 1e-8);
  CHECK(Adam().GetOptions().weightDecay == 0.0);
  CHECK(AdamW().GetOptions().weightDecay == 1e-2);
  CHECK(Adam().GetOptions().beta2 == 0.999);
  CHECK(Adadelta().GetOptions().rho == 0.9);
  CHECK(Adadelta().GetOptions().eps == 1e-6);
  CHECK(Nadam().GetOptions().momentumDecay == 4e-3);
  CHECK(Lion().GetOptions().beta2 == 0.99);
}

TEST_CASE("adagrad: accumulates squared gradients with eps outside the root", "[optimizer]") {
  Adagrad adagrad;
  Vector x{{1.0}};
  adagrad.Step(x, Vector{{2.0}}, 0.1);  // s = 4
  CHECK(x[0] == Near(1.0 - 0.1 * 2.0 / (2.0 + 1e-10)));
  adagrad.Step(x, Vector{{1.0}}, 0.1);  // s = 5
  CHECK(x[0] == Near(1.0 - 0.1 * 2.0 / (2.0 + 1e-10) - 0.1 / (std::sqrt(5.0) + 1e-10)));
}

TEST_CASE("adagrad: lr_decay divides the step-t rate by 1 + (t-1)*lr_decay", "[optimizer]") {
  Adagrad adagrad({.lrDecay = 0.5, .eps = 0.0});
  Vector x{{0.0}};
  adagrad.Step(x, Vector{{1.0}}, 0.3);  // clr = 0.3, s = 1
  CHECK(x[0] == Near(-0.3));
  adagrad.Step(x, Vector{{1.0}}, 0.3);  // clr = 0.3 / 1.5, s = 2
  CHECK(x[0] == Near(-0.3 - 0.2 / std::sqrt(2.0)));
  adagrad.Step(x, Vector{{1.0}}, 0.3);  // clr = 0.3 / 2, s = 3
  CHECK(x[0] == Near(-0.3 - 0.2 / std::sqrt(2.0) - 0.15 / std::sqrt(3.0)));
}

TEST_CASE("adagrad: initial_accumulator_value and weight decay", "[optimizer]") {
  Adagrad adagrad({.weightDecay = 0.5, .initialAccumulatorValue = 0.1, .eps = 0.0});
  Vector x{{2.0}};
  adagrad.Step(x, Vector{{1.0}}, 0.1);  // g = 1 + 0.5*2 = 2, s = 0.1 + 4
  CHECK(x[0] == Near(2.0 - 0.1 * 2.0 / std::sqrt(4.1)));
  // Reset restores the initial accumulator.
  adagrad.Reset(1);
  x[0] = 2.0;
  adagrad.Step(x, Vector{{1.0}}, 0.1);
  CHECK(x[0] == Near(2.0 - 0.1 * 2.0 / std::sqrt(4.1)));
}

TEST_CASE("rmsprop: first step is about 10 lr with the default alpha", "[optimizer]") {
  Rmsprop rmsprop;
  Vector x{{1.0}};
  rmsprop.Step(x, Vector{{2.0}}, 0.01);  // v = 0.01*4, d = 0.2 + eps
  CHECK(x[0] == Near(1.0 - 0.01 * 2.0 / (0.2 + 1e-8)));
  rmsprop.Step(x, Vector{{1.0}}, 0.01);  // v = 0.99*0.04 + 0.01
  CHECK(x[0] == Near(1.0 - 0.01 * 2.0 / (0.2 + 1e-8) - 0.01 / (std::sqrt(0.0496) + 1e-8)));
}

TEST_CASE("rmsprop: centered subtracts the squared mean gradient", "[optimizer]") {
  Rmsprop rmsprop({.alpha = 0.9, .eps = 0.0, .centered = true});
  Vector x{{0.0}};
  rmsprop.Step(x, Vector{{1.0}}, 1.0);  // v = 0.1, gbar = 0.1, d = sqrt(0.1 - 0.01)
  CHECK(x[0] == Near(-1.0 / std::sqrt(0.09)));
  rmsprop.Step(x, Vector{{-1.0}}, 1.0);  // v = 0.19, gbar = 0.09 - 0.1 = -0.01
  CHECK(x[0] == Near(-1.0 / std::sqrt(0.09) + 1.0 / std::sqrt(0.19 - 0.0001)));
}

TEST_CASE("rmsprop: momentum buffers g/d and lr multiplies the buffer", "[optimizer]") {
  Rmsprop rmsprop({.alpha = 0.5, .eps = 0.0, .momentum = 0.9});
  Vector x{{0.0}};
  rmsprop.Step(x, Vector{{2.0}}, 0.1);  // v = 2, b = 2/sqrt(2)
  const double b1 = 2.0 / std::sqrt(2.0);
  CHECK(x[0] == Near(-0.1 * b1));
  rmsprop.Step(x, Vector{{2.0}}, 0.2);  // v = 3, b = 0.9 b1 + 2/sqrt(3); the new lr scales all of b
  const double b2 = 0.9 * b1 + 2.0 / std::sqrt(3.0);
  CHECK(x[0] == Near(-0.1 * b1 - 0.2 * b2));
}

TEST_CASE("rmsprop: weight decay and SetMomentum from zero", "[optimizer]") {
  Rmsprop rmsprop({.alpha = 0.5, .eps = 0.0, .weightDecay = 0.5});
  Vector x{{2.0}};
  rmsprop.Step(x, Vector{{1.0}}, 0.1);  // g = 2, v = 2
  CHECK(x[0] == Near(2.0 - 0.1 * 2.0 / std::sqrt(2.0)));
  const double x1 = x[0];
  rmsprop.SetMomentum(0.5);  // the buffer starts from zero
  const double g = 1.0 + 0.5 * x1;
  rmsprop.Step(x, Vector{{1.0}}, 0.1);
  CHECK(x[0] == Near(x1 - 0.1 * g / std::sqrt(1.0 + 0.5 * g * g)));
}

TEST_CASE("adam: bias-corrected first steps", "[optimizer]") {
  Adam adam;
  Vector x{{1.0}};
  adam.Step(x, Vector{{2.0}}, 0.1);  // m = 0.2, v = 0.004: m/(1-b1) = 2, sqrt(v)/sqrt(1-b2) = 2
  CHECK(x[0] == Near(1.0 - 0.1 / 0.1 * 0.2 / (std::sqrt(0.004) / std::sqrt(0.001) + 1e-8)));
  adam.Step(x, Vector{{1.0}}, 0.1);  // m = 0.28, v = 0.004996
  const double bc2 = 1.0 - 0.999 * 0.999;
  CHECK(x[0] == Near(1.0 - 0.2 / (2.0 + 1e-8) - 0.1 / 0.19 * 0.28 / (std::sqrt(0.004996) / std::sqrt(bc2) + 1e-8)));
}

TEST_CASE("adam: eps is added to the bias-corrected root", "[optimizer]") {
  Adam adam({.eps = 1.0});
  Vector x{{0.0}};
  adam.Step(x, Vector{{3.0}}, 1.0);  // m-hat = 3, sqrt(v-hat) = 3 (not sqrt(0.001)*3)
  CHECK(x[0] == Near(-3.0 / (3.0 + 1.0)));
}

TEST_CASE("adam: amsgrad divides by the largest second moment so far", "[optimizer]") {
  Adam plain({.beta2 = 0.5, .eps = 0.0});
  Adam ams({.beta2 = 0.5, .eps = 0.0, .amsgrad = true});
  Vector xp{{0.0}}, xa{{0.0}};
  plain.Step(xp, Vector{{2.0}}, 1.0);
  ams.Step(xa, Vector{{2.0}}, 1.0);
  CHECK(xp[0] == Near(-1.0));  // v = 2, sqrt(v/0.5) = 2, m-hat = 2
  CHECK(xa[0] == Near(-1.0));
  plain.Step(xp, Vector{{0.5}}, 1.0);  // m = 0.18 + 0.05, v = 1 + 0.125 < 2
  ams.Step(xa, Vector{{0.5}}, 1.0);
  const double mHat = 0.23 / 0.19;
  CHECK(xp[0] == Near(-1.0 - mHat / (std::sqrt(1.125) / std::sqrt(0.75))));
  CHECK(xa[0] == Near(-1.0 - mHat / (std::sqrt(2.0) / std::sqrt(0.75))));
}

TEST_CASE("adam vs adamw: coupled L2 is normalised away and decoupled decay is not", "[optimizer]") {
  Adam adam({.eps = 0.0, .weightDecay = 0.1});
  AdamW adamw({.eps = 0.0, .weightDecay = 0.1});
  Vector xa{{2.0}}, xw{{2.0}};
  adam.Step(xa, Vector{{1.0}}, 0.1);   // g = 1.2; the first Adam step is lr * sign(g)
  adamw.Step(xw, Vector{{1.0}}, 0.1);  // x = 2 (1 - 0.01), then lr * sign(g)
  CHECK(xa[0] == Near(1.9));
  CHECK(xw[0] == Near(2.0 * 0.99 - 0.1));
}

TEST_CASE("adam: SetMomentum sets beta1 and the bias correction uses it", "[optimizer]") {
  Adam adam({.beta2 = 0.5, .eps = 0.0});
  Vector x{{0.0}};
  adam.Step(x, Vector{{1.0}}, 1.0);  // m = 0.1, v = 0.5: step 1
  adam.SetMomentum(0.5);
  CHECK(adam.GetOptions().beta1 == 0.5);
  adam.Step(x, Vector{{1.0}}, 1.0);  // m = 0.05 + 0.5, bias 1 - 0.25; v = 0.75, bias 0.75
  CHECK(x[0] == Near(-1.0 - (0.55 / 0.75) / 1.0));
}

TEST_CASE("adadelta: both eps inside the roots and lr scales only the applied delta", "[optimizer]") {
  Adadelta adadelta;
  Vector x{{1.0}};
  adadelta.Step(x, Vector{{2.0}}, 1.0);  // v = 0.4, delta = sqrt(1e-6)/sqrt(0.4 + 1e-6) * 2
  const double d1 = std::sqrt(1e-6) / std::sqrt(0.4 + 1e-6) * 2.0;
  CHECK(x[0] == Near(1.0 - d1));
  adadelta.Step(x, Vector{{1.0}}, 1.0);  // u = 0.1 d1^2, v = 0.36 + 0.1
  const double d2 = std::sqrt(0.1 * d1 * d1 + 1e-6) / std::sqrt(0.46 + 1e-6) * 1.0;
  CHECK(x[0] == Near(1.0 - d1 - d2));

  // The same gradients with half the lr move exactly half as far each step.
  Adadelta half({.rho = 0.5, .weightDecay = 0.0});
  Adadelta full({.rho = 0.5, .weightDecay = 0.0});
  Vector xh{{0.0}}, xf{{0.0}};
  for (double g : {1.0, -3.0, 2.0}) {
    half.Step(xh, Vector{{g}}, 0.5);
    full.Step(xf, Vector{{g}}, 1.0);
    CHECK(xh[0] == Near(0.5 * xf[0]));
  }
}

TEST_CASE("adadelta: weight decay adds lambda*x to the gradient", "[optimizer]") {
  Adadelta adadelta({.rho = 0.5, .eps = 1.0, .weightDecay = 1.0});
  Vector x{{1.0}};
  adadelta.Step(x, Vector{{1.0}}, 1.0);  // g = 2, v = 2, delta = 1/sqrt(3) * 2
  CHECK(x[0] == Near(1.0 - 2.0 / std::sqrt(3.0)));
}

TEST_CASE("adamax: infinity norm with eps inside the max", "[optimizer]") {
  Adamax adamax;
  Vector x{{1.0}};
  adamax.Step(x, Vector{{2.0}}, 0.1);  // m = 0.2, u = 2 + eps
  CHECK(x[0] == Near(1.0 - 0.1 / 0.1 * 0.2 / (2.0 + 1e-8)));
  adamax.Step(x, Vector{{-1.0}}, 0.1);  // m = 0.08, u = max(0.999 (2 + eps), 1 + eps)
  CHECK(x[0] == Near(1.0 - 0.2 / (2.0 + 1e-8) - 0.1 / 0.19 * 0.08 / (0.999 * (2.0 + 1e-8))));

  // A zero gradient never divides 0 by 0.
  Adamax still;
  Vector z{{3.0}};
  still.Step(z, Vector{{0.0}}, 0.1);
  CHECK(z[0] == 3.0);
}

TEST_CASE("adamax: weight decay and SetMomentum", "[optimizer]") {
  Adamax adamax({.beta1 = 0.5, .eps = 0.0, .weightDecay = 0.5});
  Vector x{{2.0}};
  adamax.Step(x, Vector{{1.0}}, 0.1);  // g = 2, m = 1, u = 2, clr = 0.2
  CHECK(x[0] == Near(2.0 - 0.2 * 1.0 / 2.0));
  adamax.SetMomentum(0.0);
  CHECK(adamax.GetOptions().beta1 == 0.0);
}

TEST_CASE("nadam: the momentum schedule and its products", "[optimizer]") {
  Nadam nadam;
  Vector x{{1.0}};
  const auto mu = [](double t) { return 0.9 * (1.0 - 0.5 * std::pow(0.96, t * 0.004)); };
  nadam.Step(x, Vector{{2.0}}, 0.1);  // m = 0.2, v = 0.004, d = 2 + eps
  const double d1 = std::sqrt(0.004) / std::sqrt(0.001) + 1e-8;
  const double x1 = 1.0 - 0.1 * (1.0 - mu(1)) / (1.0 - mu(1)) * 2.0 / d1 -
                    0.1 * mu(2) / (1.0 - mu(1) * mu(2)) * 0.2 / d1;
  CHECK(x[0] == Near(x1));
  nadam.Step(x, Vector{{1.0}}, 0.1);  // m = 0.28, v = 0.004996
  const double d2 = std::sqrt(0.004996) / std::sqrt(1.0 - 0.999 * 0.999) + 1e-8;
  const double p2 = mu(1) * mu(2);
  CHECK(x[0] == Near(x1 - 0.1 * (1.0 - mu(2)) / (1.0 - p2) * 1.0 / d2 -
                     0.1 * mu(3) / (1.0 - p2 * mu(3)) * 0.28 / d2));
}

TEST_CASE("nadam: momentum_decay 0 makes mu constant at beta1/2", "[optimizer]") {
  Nadam nadam({.beta1 = 0.8, .eps = 0.0, .weightDecay = 1.0, .momentumDecay = 0.0});
  Vector x{{1.0}};
  nadam.Step(x, Vector{{1.0}}, 1.0);  // g = 2, mu = 0.4, m = 0.4, d = 2
  CHECK(x[0] == Near(1.0 - 0.6 / 0.6 * 2.0 / 2.0 - 0.4 / (1.0 - 0.16) * 0.4 / 2.0));
}

TEST_CASE("radam: momentum SGD until rho_t > 5 then the rectified step", "[optimizer]") {
  Radam radam;
  Vector x{{0.0}};
  // A constant gradient 1 keeps m-hat = 1 and v = 1 - beta2^t.
  for (int t = 1; t <= 5; ++t) {
    radam.Step(x, Vector{{1.0}}, 0.1);
    CHECK(x[0] == Near(-0.1 * t));  // rho_t = 1, 2, 3, 4, 4.996 <= 5
  }
  radam.Step(x, Vector{{1.0}}, 0.1);
  const double b2t = std::pow(0.999, 6.0);
  const double rhoInf = 2.0 / 0.001 - 1.0;
  const double rho = rhoInf - 2.0 * 6.0 * b2t / (1.0 - b2t);
  CHECK(rho > 5.0);
  const double rect = std::sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
  const double adaptive = std::sqrt(1.0 - b2t) / (std::sqrt(1.0 - b2t) + 1e-8);
  CHECK(x[0] == Near(-0.5 - 0.1 * adaptive * rect));
}

TEST_CASE("radam: weight decay and a small beta2 that never rectifies", "[optimizer]") {
  Radam radam({.beta2 = 0.5, .weightDecay = 0.5});  // rho_inf = 3
  Vector x{{2.0}};
  radam.Step(x, Vector{{1.0}}, 0.1);  // g = 2, m-hat = 2
  CHECK(x[0] == Near(1.8));
  radam.Step(x, Vector{{1.0}}, 0.1);  // g = 1.9, m = 0.18 + 0.19, m-hat = 0.37/0.19
  CHECK(x[0] == Near(1.8 - 0.1 * 0.37 / 0.19));
}

TEST_CASE("lion: sign of the interpolation and a slower momentum", "[optimizer]") {
  Lion lion;
  Vector x{{0.0, 0.0, 0.0}};
  lion.Step(x, Vector{{2.0, -3.0, 0.0}}, 0.1);  // c = 0.1 g; sign(0) = 0; m = 0.01 g
  CHECK(x[0] == Near(-0.1));
  CHECK(x[1] == Near(0.1));
  CHECK(x[2] == 0.0);
  // c = 0.9 m + 0.1 g = (0.018 - 0.01, -0.027 + 0.1, 0.05): momentum wins on x0.
  lion.Step(x, Vector{{-0.1, 1.0, 0.5}}, 0.1);
  CHECK(x[0] == Near(-0.2));
  CHECK(x[1] == Near(0.0));
  CHECK(x[2] == Near(-0.1));
  // m = 0.99 (0.02, -0.03, 0) + 0.01 (-0.1, 1, 0.5) = (0.0188, -0.0197, 0.005);
  // with beta1 = 0 the update is sign(g) alone.
  lion.SetMomentum(0.0);
  lion.Step(x, Vector{{-1.0, -1.0, 0.0}}, 0.1);
  CHECK(x[0] == Near(-0.1));
  CHECK(x[1] == Near(0.1));
  CHECK(x[2] == Near(-0.1));
}

TEST_CASE("lion: decoupled weight decay x*(1 - lr*lambda) before the sign step", "[optimizer]") {
  Lion lion({.weightDecay = 0.5});
  Vector x{{2.0}};
  lion.Step(x, Vector{{-1.0}}, 0.1);
  CHECK(x[0] == Near(2.0 * (1.0 - 0.05) + 0.1));
}

TEST_CASE("optimizers: Reset restarts the bias corrections", "[optimizer]") {
  Adam adam;
  Vector x{{1.0}};
  adam.Step(x, Vector{{2.0}}, 0.1);
  const double first = x[0];
  adam.Step(x, Vector{{5.0}}, 0.1);
  adam.Reset(1);
  x[0] = 1.0;
  adam.Step(x, Vector{{2.0}}, 0.1);
  CHECK(x[0] == first);
}

TEST_CASE("optimizers: every variant steps a zero gradient to a finite point", "[optimizer]") {
  // Adaptive denominators at zero state must not produce 0/0 (eps > 0 by default).
  for (lrlab::AnyOptimizer o : {lrlab::AnyOptimizer(Sgd()), lrlab::AnyOptimizer(Adagrad()),
                                lrlab::AnyOptimizer(Rmsprop()), lrlab::AnyOptimizer(Adam()),
                                lrlab::AnyOptimizer(AdamW()), lrlab::AnyOptimizer(Adadelta()),
                                lrlab::AnyOptimizer(Adamax()), lrlab::AnyOptimizer(Nadam()),
                                lrlab::AnyOptimizer(Radam()), lrlab::AnyOptimizer(Lion())}) {
    Vector x{{1.0, -1.0}};
    std::visit([&](auto& opt) { opt.Step(x, Vector::Zero(2), 0.1); }, o);
    CHECK(x.allFinite());
  }
}

// ---- effective learning rate ----------------------------------------------

TEST_CASE("effective lr: which optimizers report one and which apply eta itself", "[optimizer][effective-lr]") {
  STATIC_REQUIRE(lrlab::HasEffectiveLr<Adagrad>);
  STATIC_REQUIRE(lrlab::HasEffectiveLr<Rmsprop>);
  STATIC_REQUIRE(lrlab::HasEffectiveLr<Adam>);
  STATIC_REQUIRE(lrlab::HasEffectiveLr<AdamW>);
  STATIC_REQUIRE(lrlab::HasEffectiveLr<Adadelta>);
  STATIC_REQUIRE(lrlab::HasEffectiveLr<Adamax>);
  STATIC_REQUIRE(lrlab::HasEffectiveLr<Nadam>);
  STATIC_REQUIRE(lrlab::HasEffectiveLr<Radam>);
  STATIC_REQUIRE_FALSE(lrlab::HasEffectiveLr<Sgd>);
  STATIC_REQUIRE_FALSE(lrlab::HasEffectiveLr<Lion>);
}

TEST_CASE("effective lr: adagrad is eta_t/(sqrt(s) + eps) and multiplies g", "[optimizer][effective-lr]") {
  Adagrad adagrad({.lrDecay = 0.5});
  Vector x{{1.0, -2.0}}, rate;
  const Vector g1{{2.0, -0.5}}, g2{{1.0, 0.25}};
  adagrad.Step(x, g1, 0.3);  // s = (4, 0.25)
  adagrad.EffectiveLr(0.3, rate);
  CHECK(rate[0] == Near(0.3 / (2.0 + 1e-10)));
  CHECK(rate[1] == Near(0.3 / (0.5 + 1e-10)));
  CHECK((x - (Vector{{1.0, -2.0}} - rate.cwiseProduct(g1))).norm() < 1e-15);
  const Vector before = x;
  adagrad.Step(x, g2, 0.3);  // eta_2 = 0.3 / 1.5, s = (5, 0.3125)
  adagrad.EffectiveLr(0.3, rate);
  CHECK(rate[0] == Near(0.2 / (std::sqrt(5.0) + 1e-10)));
  CHECK(rate[1] == Near(0.2 / (std::sqrt(0.3125) + 1e-10)));
  CHECK((x - (before - rate.cwiseProduct(g2))).norm() < 1e-15);
}

TEST_CASE("effective lr: rmsprop is eta/(sqrt(v) + eps) and centered uses sqrt(v - mean^2)", "[optimizer][effective-lr]") {
  Rmsprop plain({.alpha = 0.9});
  Vector x{{0.0}}, rate;
  plain.Step(x, Vector{{2.0}}, 0.01);  // v = 0.4
  plain.EffectiveLr(0.01, rate);
  CHECK(rate[0] == Near(0.01 / (std::sqrt(0.4) + 1e-8)));
  CHECK(x[0] == Near(-rate[0] * 2.0));
  plain.Step(x, Vector{{-1.0}}, 0.01);  // v = 0.36 + 0.1
  plain.EffectiveLr(0.01, rate);
  CHECK(rate[0] == Near(0.01 / (std::sqrt(0.46) + 1e-8)));

  Rmsprop centered({.alpha = 0.9, .centered = true});
  Vector y{{0.0}};
  centered.Step(y, Vector{{2.0}}, 0.01);  // v = 0.4, mean = 0.2
  centered.EffectiveLr(0.01, rate);
  CHECK(rate[0] == Near(0.01 / (std::sqrt(0.4 - 0.04) + 1e-8)));
  centered.Step(y, Vector{{-1.0}}, 0.01);  // v = 0.46, mean = 0.18 - 0.1 = 0.08
  centered.EffectiveLr(0.01, rate);
  CHECK(rate[0] == Near(0.01 / (std::sqrt(0.46 - 0.0064) + 1e-8)));
}

TEST_CASE("effective lr: adam is eta/(sqrt(v-hat) + eps) and times m-hat gives the step", "[optimizer][effective-lr]") {
  Adam adam;
  Vector x{{1.0, 1.0}}, rate;
  adam.Step(x, Vector{{2.0, -0.1}}, 0.1);  // v-hat = g^2, m-hat = g
  adam.EffectiveLr(0.1, rate);
  CHECK(rate[0] == Near(0.1 / (2.0 + 1e-8)));
  CHECK(rate[1] == Near(0.1 / (0.1 + 1e-8)));
  CHECK(x[0] == Near(1.0 - rate[0] * 2.0));
  CHECK(x[1] == Near(1.0 + rate[1] * 0.1));
  const Vector before = x;
  adam.Step(x, Vector{{1.0, 0.3}}, 0.1);
  const double bc1 = 1.0 - 0.9 * 0.9, bc2 = 1.0 - 0.999 * 0.999;
  const Vector m{{0.9 * 0.2 + 0.1 * 1.0, 0.9 * -0.01 + 0.1 * 0.3}};
  const Vector v{{0.999 * 0.004 + 0.001 * 1.0, 0.999 * 0.00001 + 0.001 * 0.09}};
  adam.EffectiveLr(0.1, rate);
  for (int i = 0; i < 2; ++i) {
    CHECK(rate[i] == Near(0.1 / (std::sqrt(v[i] / bc2) + 1e-8)));
    CHECK(x[i] == Near(before[i] - rate[i] * m[i] / bc1));
  }
  // AMSGrad divides by the running maximum of v.
  Adam ams({.beta2 = 0.5, .eps = 0.0, .amsgrad = true});
  Vector z{{0.0}};
  ams.Step(z, Vector{{2.0}}, 1.0);    // v = 2
  ams.Step(z, Vector{{0.5}}, 1.0);    // v = 1.125 < max 2
  ams.EffectiveLr(1.0, rate);
  CHECK(rate[0] == Near(1.0 / (std::sqrt(2.0) / std::sqrt(0.75))));
}

TEST_CASE("effective lr: adamax adadelta nadam and radam after their first steps", "[optimizer][effective-lr]") {
  Vector x{{0.0}}, rate;
  Adamax adamax;
  adamax.Step(x, Vector{{2.0}}, 0.1);  // u = 2 + eps
  adamax.EffectiveLr(0.1, rate);
  CHECK(rate[0] == Near(0.1 / (2.0 + 1e-8)));

  Adadelta adadelta;
  x[0] = 0.0;
  adadelta.Step(x, Vector{{2.0}}, 0.5);  // u = 0 before the step, v = 0.4
  adadelta.EffectiveLr(0.5, rate);
  const double r1 = std::sqrt(1e-6) / std::sqrt(0.4 + 1e-6);
  CHECK(rate[0] == Near(0.5 * r1));
  CHECK(x[0] == Near(-rate[0] * 2.0));
  adadelta.Step(x, Vector{{1.0}}, 0.5);  // uses u = 0.1 (2 r1)^2, v = 0.46
  adadelta.EffectiveLr(0.5, rate);
  CHECK(rate[0] == Near(0.5 * std::sqrt(0.1 * 4.0 * r1 * r1 + 1e-6) / std::sqrt(0.46 + 1e-6)));

  Nadam nadam;
  x[0] = 0.0;
  nadam.Step(x, Vector{{2.0}}, 0.1);  // sqrt(v-hat) = 2
  nadam.EffectiveLr(0.1, rate);
  CHECK(rate[0] == Near(0.1 / (2.0 + 1e-8)));

  Radam radam;
  x[0] = 0.0;
  for (int t = 1; t <= 5; ++t) {
    radam.Step(x, Vector{{1.0}}, 0.1);
    radam.EffectiveLr(0.1, rate);
    CHECK(rate[0] == 0.1);  // not yet rectified: momentum SGD
  }
  radam.Step(x, Vector{{1.0}}, 0.1);
  radam.EffectiveLr(0.1, rate);
  const double b2t = std::pow(0.999, 6.0), rhoInf = 2.0 / 0.001 - 1.0;
  const double rho = rhoInf - 2.0 * 6.0 * b2t / (1.0 - b2t);
  const double rect = std::sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
  CHECK(rate[0] == Near(0.1 * rect * std::sqrt(1.0 - b2t) / (std::sqrt(1.0 - b2t) + 1e-8)));
}
