// The article's opening figure ("hero", web/src/hero.js) computes with this
// module: gradient descent on the 1-D parabola f(x) = ½ λ x², with the
// core's Quadratic and Sgd, behind a C interface of three functions. It has
// no Embind, config language or data sets, so its WebAssembly is a few KB
// and the first view stays light; the engine computes the same run to the
// bit (tests/js/hero.test.js compares them).
#include <cmath>

#include "lrlab/optimizers/sgd.hpp"
#include "lrlab/problems/quadratic.hpp"
#include "lrlab/training/trainer.hpp"

namespace {

constexpr int kMaxSteps = 200;
double xs[kMaxSteps + 1];
double losses[kMaxSteps + 1];

}  // namespace

extern "C" {

// Runs `steps` steps of x ← x − η f′(x) from x0 on f(x) = ½ λ x² and keeps
// x_t and f(x_t) for t = 0 … the last step computed. Returns how many
// values that is: steps + 1; minus the count when the run diverged at its
// last value (a non-finite value, or a loss above the trainer's divergence
// factor times the first: the trainer's rule); 0 when the input is out of
// range (λ and η finite and positive, x0 finite, steps in [1, 200]).
__attribute__((export_name("lrlab_hero_run"))) int lrlab_hero_run(double lambda, double x0, double lr, int steps) {
  if (!(std::isfinite(lambda) && lambda > 0 && std::isfinite(x0) && std::isfinite(lr) && lr > 0) || steps < 1 ||
      steps > kMaxSteps)
    return 0;
  const lrlab::Quadratic f = lrlab::Quadratic::Diagonal(lrlab::Vector::Constant(1, lambda), lrlab::Vector::Zero(1));
  lrlab::Sgd sgd;
  sgd.Reset(1);
  lrlab::Vector x = lrlab::Vector::Constant(1, x0);
  lrlab::Vector g(1);
  double first = 0.0;
  for (int t = 0; t <= steps; ++t) {
    const double loss = f.ValueAndGradient(x, g);
    xs[t] = x[0];
    losses[t] = loss;
    if (t == 0) first = loss;
    const bool blewUp = t > 0 && loss > lrlab::Trainer::kDivergenceFactor * std::max(std::abs(first), 1e-300);
    if (!std::isfinite(loss) || !std::isfinite(g.norm()) || blewUp) return -(t + 1);
    if (t < steps) sgd.Step(x, g, lr);
  }
  return steps + 1;
}

// Where the run's x_t and f(x_t) are (in the module's memory).
__attribute__((export_name("lrlab_hero_xs"))) const double* lrlab_hero_xs() { return xs; }
__attribute__((export_name("lrlab_hero_losses"))) const double* lrlab_hero_losses() { return losses; }

}  // extern "C"
