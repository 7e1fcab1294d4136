// Every schedule at its edges: step 0, the last warm-up step, T_max, the ends
// of cycles and restarts, and past the end. Values PyTorch gives are noted
// where they are surprising; tests/cpp/golden_schedules_test.cpp compares
// whole sequences with PyTorch itself.
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "lrlab/schedules/chained.hpp"
#include "lrlab/schedules/cosine_annealing.hpp"
#include "lrlab/schedules/cyclic.hpp"
#include "lrlab/schedules/join.hpp"
#include "lrlab/schedules/one_cycle.hpp"
#include "lrlab/schedules/polynomial.hpp"
#include "lrlab/schedules/step_decay.hpp"
#include "lrlab/schedules/warmup_cosine.hpp"
#include "lrlab/schedules/warmup_factors.hpp"

using namespace lrlab;
using Catch::Matchers::WithinRel;

namespace {
constexpr double kPi = std::numbers::pi;
}

TEST_CASE("a constant schedule has no momentum", "[schedule]") {
  const Schedule s = Schedule::Constant(0.3);
  CHECK(s(0) == 0.3);
  CHECK(s(1'000'000) == 0.3);
  CHECK_FALSE(s.HasMomentum());
  CHECK_FALSE(s.Momentum(0).has_value());
}

TEST_CASE("step decay multiplies by gamma every step_size steps", "[schedule]") {
  const Schedule s = StepDecay(0.1, 3, 0.5);
  CHECK(s(0) == 0.1);
  CHECK(s(2) == 0.1);
  CHECK(s(3) == 0.05);
  CHECK(s(5) == 0.05);
  CHECK(s(6) == 0.025);
  CHECK_THAT(s(30), WithinRel(0.1 * std::pow(0.5, 10), 1e-15));
}

TEST_CASE("multistep decays at each milestone including one at step 0", "[schedule]") {
  const Schedule s = MultiStepDecay(1.0, {2, 5}, 0.1);
  CHECK(s(0) == 1.0);
  CHECK(s(1) == 1.0);
  CHECK(s(2) == 0.1);
  CHECK(s(4) == 0.1);
  CHECK_THAT(s(5), WithinRel(0.01, 1e-15));
  CHECK_THAT(s(1000), WithinRel(0.01, 1e-15));
  // PyTorch's constructor already applies a milestone at 0.
  const Schedule zero = MultiStepDecay(1.0, {0, 3}, 0.5);
  CHECK(zero(0) == 0.5);
  CHECK(zero(3) == 0.25);
}

TEST_CASE("exponential decay is gamma to the step", "[schedule]") {
  const Schedule s = ExponentialDecay(2.0, 0.9);
  CHECK(s(0) == 2.0);
  CHECK_THAT(s(1), WithinRel(1.8, 1e-15));
  CHECK_THAT(s(10), WithinRel(2.0 * std::pow(0.9, 10), 1e-15));
}

TEST_CASE("cosine annealing reaches eta_min at T_max and climbs back after it", "[schedule]") {
  const Schedule s(CosineAnnealing{.baseLr = 0.1, .tMax = 10, .etaMin = 0.01});
  CHECK(s(0) == 0.1);
  CHECK_THAT(s(5), WithinRel(0.055, 1e-15));
  CHECK(s(10) == 0.01);
  // PyTorch's recursion keeps following the cosine: period 2·T_max.
  CHECK_THAT(s(11), WithinRel(s(9), 1e-14));
  CHECK(s(11) > s(10));
  CHECK_THAT(s(15), WithinRel(0.055, 1e-14));
  CHECK_THAT(s(20), WithinRel(0.1, 1e-15));
  CHECK_THAT(s(30), WithinRel(0.01, 1e-14));
  const Schedule one(CosineAnnealing{.baseLr = 1.0, .tMax = 1, .etaMin = 0.0});
  CHECK(one(0) == 1.0);
  CHECK(one(1) == 0.0);
  CHECK(one(2) == 1.0);
}

TEST_CASE("warm restarts jump back to the base lr at the end of each period", "[schedule]") {
  const Schedule s(CosineWarmRestarts{.baseLr = 0.1, .t0 = 4, .tMult = 1, .etaMin = 0.0});
  CHECK(s(0) == 0.1);
  CHECK_THAT(s(2), WithinRel(0.05, 1e-15));
  CHECK_THAT(s(3), WithinRel(0.1 * (1 + std::cos(kPi * 3 / 4)) / 2, 1e-15));
  CHECK(s(4) == 0.1);
  CHECK(s(8) == 0.1);
  CHECK(s(9) == s(1));
  // T_mult = 2: periods 3, 6, 12 → restarts at 3, 9, 21.
  const Schedule m(CosineWarmRestarts{.baseLr = 1.0, .t0 = 3, .tMult = 2, .etaMin = 0.1});
  for (long restart : {0L, 3L, 9L, 21L}) CHECK(m(restart) == 1.0);
  CHECK_THAT(m(8), WithinRel(0.1 + 0.9 * (1 + std::cos(kPi * 5 / 6)) / 2, 1e-15));
  CHECK_THAT(m(15), WithinRel(0.55, 1e-15));
  CHECK(m(20) > 0.1);  // η_min itself is never reached
}

TEST_CASE("linear warm-up reaches end_factor at total_iters and stays", "[schedule]") {
  const Schedule s = LinearWarmup(0.3, 1.0 / 3, 1.0, 5);
  CHECK_THAT(s(0), WithinRel(0.1, 1e-15));
  CHECK_THAT(s(4), WithinRel(0.3 * (1.0 / 3 + (2.0 / 3) * 4 / 5), 1e-15));
  CHECK_THAT(s(5), WithinRel(0.3, 1e-15));
  CHECK_THAT(s(100), WithinRel(0.3, 1e-15));
  const Schedule down = LinearWarmup(1.0, 1.0, 0.0, 4);
  CHECK(down(4) == 0.0);
  CHECK(down(5) == 0.0);
  // total_iters = 0: PyTorch applies start_factor and never undoes it.
  CHECK(LinearWarmup(1.0, 0.5, 1.0, 0)(7) == 0.5);
}

TEST_CASE("constant warm-up holds factor until total_iters", "[schedule]") {
  const Schedule s = ConstantWarmup(0.3, 0.5, 3);
  CHECK(s(0) == 0.15);
  CHECK(s(2) == 0.15);
  CHECK(s(3) == 0.3);
  CHECK(s(50) == 0.3);
  // total_iters = 0: factor for ever, or 1 when SequentialLR starts it at a milestone.
  CHECK(ConstantWarmup(1.0, 0.25, 0)(9) == 0.25);
  CHECK(ConstantFactor{.factor = 0.25, .totalIters = 0, .startedAtMilestone = true}(0) == 1.0);
}

TEST_CASE("polynomial decay reaches zero at total_iters", "[schedule]") {
  const Schedule s = PolynomialDecay(0.2, 10, 2.0);
  CHECK(s(0) == 0.2);
  CHECK_THAT(s(5), WithinRel(0.05, 1e-15));
  CHECK_THAT(s(9), WithinRel(0.002, 1e-13));
  CHECK(s(10) == 0.0);
  CHECK(s(11) == 0.0);
  CHECK(PolynomialDecay(0.2, 0, 1.0)(3) == 0.2);
}

TEST_CASE("one-cycle rises to max_lr and anneals to max_lr over div_factor times final_div_factor", "[schedule]") {
  // pct_start·N − 1 = 5: the peak is at step 5.
  const Schedule s = OneCycle({.maxLr = 1.0, .totalSteps = 20, .pctStart = 0.3});
  const double initial = 1.0 / 25, minimum = initial / 1e4;
  CHECK_THAT(s(0), WithinRel(initial, 1e-14));
  CHECK(*s.Momentum(0) == 0.95);  // written into the optimizer by PyTorch's constructor
  CHECK_THAT(s(5), WithinRel(1.0, 1e-15));
  CHECK_THAT(*s.Momentum(5), WithinRel(0.85, 1e-15));
  CHECK_THAT(s(19), WithinRel(minimum, 1e-12));
  CHECK_THAT(*s.Momentum(19), WithinRel(0.95, 1e-15));
  // t = total_steps is the last value PyTorch computes: one step past the
  // annealing's end, where the cosine has turned back up.
  CHECK(s(20) > minimum);
  // Past it PyTorch raises; here the end of the annealing holds.
  CHECK(s(21) == s(19));
  CHECK(s(1000) == s(19));
  CHECK(*s.Momentum(1000) == *s.Momentum(19));
}

TEST_CASE("one-cycle's linear ramp overshoots at total_steps as PyTorch's does", "[schedule]") {
  const Schedule s = OneCycle({.maxLr = 1.0, .totalSteps = 10, .pctStart = 0.5, .annealCos = false});
  CHECK(s(0) == 0.04);
  CHECK_THAT(s(2), WithinRel(0.04 + 0.96 * 2 / 4, 1e-15));
  CHECK(s(4) == 1.0);
  CHECK_THAT(s(9), WithinRel(0.04 / 1e4, 1e-9));
  CHECK(s(10) < 0.0);  // (end − start)·6/5 + start
  CHECK(s(11) == s(9));
}

TEST_CASE("one-cycle's three phases go back to the initial lr before annihilating it", "[schedule]") {
  const Schedule s = OneCycle({.maxLr = 0.4, .totalSteps = 10, .pctStart = 0.3, .threePhase = true});
  // Phase ends at 2, 4 and 9.
  CHECK_THAT(s(0), WithinRel(0.016, 1e-14));
  CHECK_THAT(s(2), WithinRel(0.4, 1e-15));
  CHECK_THAT(s(4), WithinRel(0.016, 1e-14));
  CHECK_THAT(*s.Momentum(4), WithinRel(0.95, 1e-15));
  CHECK_THAT(*s.Momentum(7), WithinRel(0.95, 1e-15));  // constant in phase 3
  CHECK_THAT(s(9), WithinRel(0.016 / 1e4, 1e-12));
}

TEST_CASE("one-cycle without cycle_momentum leaves momentum alone", "[schedule]") {
  const Schedule s = OneCycle({.maxLr = 1.0, .totalSteps = 20, .cycleMomentum = false});
  CHECK_FALSE(s.HasMomentum());
}

TEST_CASE("cyclic lr goes up step_size_up steps and down step_size_down steps", "[schedule]") {
  const Schedule s = Cyclic({.baseLr = 0.1, .maxLr = 0.5, .stepSizeUp = 2, .stepSizeDown = 6});
  CHECK(s(0) == 0.1);
  CHECK(*s.Momentum(0) == 0.9);
  CHECK_THAT(s(1), WithinRel(0.3, 1e-15));
  CHECK_THAT(s(2), WithinRel(0.5, 1e-15));
  CHECK_THAT(*s.Momentum(2), WithinRel(0.8, 1e-15));
  CHECK_THAT(s(5), WithinRel(0.3, 1e-15));
  CHECK(s(8) == 0.1);
  CHECK(s(10) == 0.5);

  const Schedule halving =
      Cyclic({.baseLr = 0.0, .maxLr = 1.0, .stepSizeUp = 2, .mode = CyclicOptions::Mode::kTriangular2});
  CHECK(halving(2) == 1.0);
  CHECK(halving(6) == 0.5);
  CHECK(halving(10) == 0.25);

  const Schedule decaying = Cyclic({.baseLr = 0.0,
                                    .maxLr = 1.0,
                                    .stepSizeUp = 2,
                                    .mode = CyclicOptions::Mode::kExpRange,
                                    .gamma = 0.5,
                                    .cycleMomentum = false});
  CHECK(decaying(2) == 0.25);  // γ^t per step, not per cycle
  CHECK(decaying(6) == std::pow(0.5, 6));
  CHECK_FALSE(decaying.HasMomentum());

  const Schedule sawtooth = Cyclic({.baseLr = 0.0, .maxLr = 1.0, .stepSizeUp = 4, .stepSizeDown = 0});
  CHECK(sawtooth(3) == 0.75);
  CHECK(sawtooth(4) == 0.0);
}

TEST_CASE("join hands each piece its own step count", "[schedule]") {
  const Schedule s = Join(
      {Schedule::Constant(1.0), Schedule([](long u) { return 10.0 + u; }), Schedule([](long u) { return 100.0 + u; })},
      {3, 5});
  CHECK(s(0) == 1.0);
  CHECK(s(2) == 1.0);
  CHECK(s(3) == 10.0);
  CHECK(s(4) == 11.0);
  CHECK(s(5) == 100.0);
  CHECK(s(9) == 104.0);
  // A piece between equal boundaries is skipped.
  const Schedule skip = Join({Schedule::Constant(1.0), Schedule::Constant(2.0), Schedule::Constant(3.0)}, {0, 0});
  CHECK(skip(0) == 3.0);
  CHECK_THROWS_AS(Join({Schedule::Constant(1.0)}, {2}), std::invalid_argument);
  CHECK_THROWS_AS(Join({Schedule::Constant(1.0), Cyclic({})}, {2}), std::invalid_argument);
}

TEST_CASE("chained multiplies the factors of multiplicative schedulers", "[schedule]") {
  // PyTorch's documentation example: ConstantLR(0.1, 2) with ExponentialLR(0.9).
  const Schedule s = Chained(1.0, {ChainLink::Multiply(ConstantFactor{.factor = 0.1, .totalIters = 2}),
                                   ChainLink::Multiply(ExponentialFactor{0.9})});
  CHECK(s(0) == 0.1);
  CHECK_THAT(s(1), WithinRel(0.09, 1e-15));
  CHECK_THAT(s(2), WithinRel(0.81, 1e-15));
  CHECK_THAT(s(3), WithinRel(0.729, 1e-15));
}

TEST_CASE("a chained cosine restarts from the initial lr after its trough", "[schedule]") {
  // T = 2: cosine factors 1, 1/2, 0; at t = 3 PyTorch adds (1 − cos(π/2))/2 = 1/2.
  const auto exponential = ChainLink::Multiply(ExponentialFactor{0.5});
  const Schedule after = Chained(1.0, {ChainLink::Cosine(2), exponential});
  CHECK(after(1) == 0.25);
  CHECK(after(2) == 0.0);
  CHECK_THAT(after(3), WithinRel(0.25, 1e-15));  // the exponential's step-3 ratio applies to 1/2
  CHECK_THAT(after(4), WithinRel(0.25, 1e-15));  // cosine ×2, exponential ×1/2
  const Schedule before = Chained(1.0, {exponential, ChainLink::Cosine(2)});
  CHECK_THAT(before(3), WithinRel(0.5, 1e-15));  // the exponential's step-3 ratio applied to 0
  CHECK_THAT(before(4), WithinRel(0.5, 1e-15));
  CHECK_THROWS_AS(Chained(1.0, {ChainLink::Cosine(2), ChainLink::Cosine(3)}), std::invalid_argument);
}

TEST_CASE("warmup_cosine ramps to the lr at warmup_steps and holds eta_min after total_steps", "[schedule]") {
  const Schedule s = WarmupCosine(0.1, {.warmupSteps = 4, .totalSteps = 14, .warmupStartFactor = 0.2, .etaMin = 0.001});
  CHECK(s(0) == 0.1 * 0.2);
  CHECK_THAT(s(2), WithinRel(0.06, 1e-15));
  CHECK_THAT(s(3), WithinRel(0.08, 1e-15));
  CHECK(s(4) == 0.1);
  CHECK_THAT(s(9), WithinRel(0.001 + 0.099 / 2, 1e-15));
  CHECK(s(14) == 0.001);
  CHECK(s(15) == 0.001);
  CHECK(s(1000) == 0.001);
  const Schedule noWarmup = WarmupCosine(0.1, {.warmupSteps = 0, .totalSteps = 10});
  CHECK(noWarmup(0) == 0.1);
  CHECK(noWarmup(10) == 0.0);
  CHECK(WarmupCosine(0.1, {.warmupSteps = 3, .totalSteps = 10})(0) == 0.0);  // the default start factor is 0
}
