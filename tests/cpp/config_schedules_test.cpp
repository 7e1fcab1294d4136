// The "schedule" section of the config: names, PyTorch's defaults, nesting,
// ranges and the exact error messages.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "../../cpp/src/config_internal.hpp"  // ReadSchedule, for an optimizer without momentum
#include "lrlab/config/config.hpp"
#include "test_util.hpp"

using namespace lrlab;
using Catch::Matchers::WithinRel;
using config::ConfigError;

namespace {

std::string Config(const std::string& schedule) {
  return R"({"optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9}, "schedule": )" + schedule + "}";
}

std::vector<std::string> ErrorsOf(const std::string& schedule) { return testing::ConfigErrors(Config(schedule)); }

Schedule ScheduleOf(const std::string& schedule) { return config::ParseRunConfigText(Config(schedule)).schedule; }

// Exactly one error, with this text.
void CheckOnlyError(const std::string& schedule, const std::string& expected) {
  INFO("schedule " << schedule);
  CHECK(ErrorsOf(schedule) == std::vector<std::string>{expected});
}

}  // namespace

TEST_CASE("schedule config: absent or none is the optimizer's constant lr", "[config][schedule]") {
  const Schedule absent = config::ParseRunConfigText(R"({"optimizer": {"name": "sgd", "lr": 0.1}})").schedule;
  CHECK(absent(0) == 0.1);
  CHECK(absent(500) == 0.1);
  CHECK_FALSE(absent.HasMomentum());
  CHECK(ScheduleOf(R"({"name": "none"})")(7) == 0.1);
  CHECK(ScheduleOf("{}")(7) == 0.1);
}

TEST_CASE("schedule config: every name builds with PyTorch's defaults", "[config][schedule]") {
  CHECK_THAT(ScheduleOf(R"({"name": "step", "step_size": 2})")(2), WithinRel(0.01, 1e-15));  // gamma 0.1
  CHECK_THAT(ScheduleOf(R"({"name": "multistep", "milestones": [3]})")(3), WithinRel(0.01, 1e-15));
  CHECK_THAT(ScheduleOf(R"({"name": "exponential", "gamma": 0.5})")(2), WithinRel(0.025, 1e-15));
  CHECK(ScheduleOf(R"({"name": "cosine", "T_max": 4})")(4) == 0.0);              // eta_min 0
  CHECK(ScheduleOf(R"({"name": "cosine_warm_restarts", "T_0": 4})")(4) == 0.1);  // T_mult 1
  const Schedule linear = ScheduleOf(R"({"name": "linear"})");                   // 1/3 → 1 over 5 steps
  CHECK_THAT(linear(0), WithinRel(0.1 / 3, 1e-15));
  CHECK_THAT(linear(5), WithinRel(0.1, 1e-15));
  const Schedule constant = ScheduleOf(R"({"name": "constant"})");  // 1/3 for 5 steps
  CHECK_THAT(constant(4), WithinRel(0.1 / 3, 1e-15));
  CHECK(constant(5) == 0.1);
  const Schedule polynomial = ScheduleOf(R"({"name": "polynomial"})");  // linear to 0 over 5 steps
  CHECK_THAT(polynomial(1), WithinRel(0.08, 1e-15));
  CHECK(polynomial(5) == 0.0);

  // one_cycle: the optimizer's lr is ignored; 25, 1e4, 0.3, cos, 0.85..0.95.
  const Schedule oneCycle = ScheduleOf(R"({"name": "one_cycle", "max_lr": 2, "total_steps": 10})");
  CHECK_THAT(oneCycle(0), WithinRel(0.08, 1e-14));
  CHECK(oneCycle(2) == 2.0);
  CHECK_THAT(oneCycle(9), WithinRel(0.08 / 1e4, 1e-12));
  CHECK(*oneCycle.Momentum(0) == 0.95);
  CHECK_THAT(*oneCycle.Momentum(2), WithinRel(0.85, 1e-15));

  // cyclic: base_lr replaces the optimizer's lr; 2000 up, as many down, 0.8..0.9.
  const Schedule cyclic = ScheduleOf(R"({"name": "cyclic", "base_lr": 0.001, "max_lr": 0.01})");
  CHECK(cyclic(0) == 0.001);
  CHECK_THAT(cyclic(2000), WithinRel(0.01, 1e-15));
  CHECK_THAT(cyclic(4000), WithinRel(0.001, 1e-12));
  CHECK(*cyclic.Momentum(0) == 0.9);
  CHECK_THAT(*cyclic.Momentum(2000), WithinRel(0.8, 1e-15));
  CHECK(ScheduleOf(R"({"name": "cyclic", "base_lr": 0.001, "max_lr": 0.01, "step_size_down": null})")(4000) ==
        cyclic(4000));

  const Schedule warmup = ScheduleOf(R"({"name": "warmup_cosine", "warmup_steps": 2, "total_steps": 6})");
  CHECK(warmup(0) == 0.0);
  CHECK(warmup(2) == 0.1);
  CHECK(warmup(6) == 0.0);
}

TEST_CASE("schedule config: sequential and chained build their schedulers in place", "[config][schedule]") {
  const Schedule sequential = ScheduleOf(R"({"name": "sequential", "milestones": [3],
      "schedulers": [{"name": "linear", "start_factor": 0.5, "total_iters": 3},
                     {"name": "exponential", "gamma": 0.5}]})");
  CHECK(sequential(0) == 0.05);
  CHECK(sequential(3) == 0.1);
  CHECK(sequential(4) == 0.05);
  const Schedule single = ScheduleOf(R"({"name": "sequential", "schedulers": [{"name": "step", "step_size": 1}]})");
  CHECK_THAT(single(1), WithinRel(0.01, 1e-15));
  // A ConstantLR with total_iters 0 started at a milestone: PyTorch's closed form gives 1.
  const Schedule later = ScheduleOf(R"({"name": "sequential", "milestones": [2],
      "schedulers": [{"name": "constant", "factor": 0.5, "total_iters": 0},
                     {"name": "constant", "factor": 0.5, "total_iters": 0}]})");
  CHECK(later(1) == 0.05);
  CHECK(later(2) == 0.1);
  const Schedule chained = ScheduleOf(R"({"name": "chained",
      "schedulers": [{"name": "constant", "factor": 0.5, "total_iters": 2},
                     {"name": "step", "step_size": 1, "gamma": 0.5}]})");
  CHECK(chained(0) == 0.05);
  CHECK(chained(1) == 0.025);
  CHECK(chained(2) == 0.025);
}

TEST_CASE("schedule config: required options and ranges", "[config][schedule]") {
  CheckOnlyError(
      R"({"name": "cosinus"})",
      "schedule.name: must be one of none, step, multistep, exponential, cosine, cosine_warm_restarts, "
      "linear, constant, polynomial, one_cycle, cyclic, sequential, chained, warmup_cosine, got \"cosinus\"");
  CheckOnlyError(R"({"name": "step"})", "schedule.step_size: is required (an integer in [1, 1000000000])");
  CheckOnlyError(R"({"name": "step", "step_size": 0})",
                 "schedule.step_size: must be an integer in [1, 1000000000], got 0");
  CheckOnlyError(R"({"name": "step", "step_size": 2, "gamma": 0})", "schedule.gamma: must be > 0, got 0");
  CheckOnlyError(R"({"name": "exponential"})", "schedule.gamma: is required (must be > 0)");
  CheckOnlyError(R"({"name": "multistep"})", "schedule.milestones: is required (a list of increasing integers >= 0)");
  CheckOnlyError(R"({"name": "multistep", "milestones": [2, 5, 5]})",
                 "schedule.milestones[2]: must be greater than the previous entry (5), got 5");
  CheckOnlyError(R"({"name": "multistep", "milestones": [2.5]})",
                 "schedule.milestones[0]: must be an integer, got 2.5");
  CheckOnlyError(R"({"name": "multistep", "milestones": [-1]})",
                 "schedule.milestones[0]: must be in [0, 1000000000], got -1");
  CheckOnlyError(R"({"name": "multistep", "milestones": 3})", "schedule.milestones: must be a list of numbers, got 3");
  CheckOnlyError(R"({"name": "cosine"})", "schedule.T_max: is required (an integer in [1, 1000000000])");
  CheckOnlyError(R"({"name": "cosine", "T_max": 10, "eta_min": -0.1})", "schedule.eta_min: must be >= 0, got -0.1");
  CheckOnlyError(R"({"name": "cosine_warm_restarts", "T_0": 0})",
                 "schedule.T_0: must be an integer in [1, 1000000000], got 0");
  CheckOnlyError(R"({"name": "cosine_warm_restarts", "T_0": 5, "T_mult": 1.5})",
                 "schedule.T_mult: must be an integer in [1, 1000000], got 1.5");
  CheckOnlyError(R"({"name": "linear", "start_factor": 0})", "schedule.start_factor: must be in (0, 1], got 0");
  CheckOnlyError(R"({"name": "linear", "end_factor": 1.5})", "schedule.end_factor: must be in [0, 1], got 1.5");
  CheckOnlyError(R"({"name": "linear", "total_iters": -1})",
                 "schedule.total_iters: must be an integer in [0, 1000000000], got -1");
  CheckOnlyError(R"({"name": "constant", "factor": 1.5})", "schedule.factor: must be in (0, 1], got 1.5");
  CheckOnlyError(R"({"name": "polynomial", "power": -1})", "schedule.power: must be >= 0, got -1");
  CheckOnlyError(R"({"name": "warmup_cosine", "warmup_steps": 10, "total_steps": 10})",
                 "schedule.warmup_steps: must be less than total_steps (10), got 10");
  CheckOnlyError(R"({"name": "warmup_cosine", "total_steps": 10})",
                 "schedule.warmup_steps: is required (an integer in [0, 1000000000])");
  CheckOnlyError(R"({"name": "step", "step_size": 2, "T_max": 3})",
                 "schedule.T_max: unknown option (accepted: gamma, name, step_size)");
  CheckOnlyError(R"("cosine")", "schedule: must be an object, got \"cosine\"");
}

TEST_CASE("schedule config: one_cycle and cyclic options", "[config][schedule]") {
  CheckOnlyError(R"({"name": "one_cycle", "total_steps": 10})", "schedule.max_lr: is required (must be > 0)");
  CheckOnlyError(R"({"name": "one_cycle", "max_lr": 1})",
                 "schedule.total_steps: is required (an integer in [1, 1000000000])");
  CheckOnlyError(R"({"name": "one_cycle", "max_lr": 1, "total_steps": 10, "pct_start": 1})",
                 "schedule.pct_start: must be in (0, 1), got 1");
  CheckOnlyError(R"({"name": "one_cycle", "max_lr": 1, "total_steps": 10, "pct_start": 0.1})",
                 "schedule.pct_start: pct_start * total_steps = 1 gives a first phase of zero length (PyTorch "
                 "divides by zero at the first step); choose another pct_start");
  CheckOnlyError(R"({"name": "one_cycle", "max_lr": 1, "total_steps": 10, "pct_start": 0.6, "three_phase": true})",
                 "schedule.pct_start: must be in (0, 0.5] with three_phase (phases 1 and 2 each take pct_start of "
                 "the cycle), got 0.6");
  CheckOnlyError(R"({"name": "one_cycle", "max_lr": 1, "total_steps": 10, "anneal_strategy": "cosine"})",
                 "schedule.anneal_strategy: must be one of cos, linear, got \"cosine\"");
  CheckOnlyError(R"({"name": "one_cycle", "max_lr": 1, "total_steps": 10, "div_factor": 0})",
                 "schedule.div_factor: must be > 0, got 0");
  CheckOnlyError(R"({"name": "one_cycle", "max_lr": 1, "total_steps": 10, "max_momentum": 1})",
                 "schedule.max_momentum: must be in [0, 1), got 1");
  CheckOnlyError(R"({"name": "one_cycle", "max_lr": 1, "total_steps": 10, "epochs": 3})",
                 "schedule.epochs: unknown option (accepted: anneal_strategy, base_momentum, cycle_momentum, "
                 "div_factor, final_div_factor, max_lr, max_momentum, name, pct_start, three_phase, total_steps)");
  CheckOnlyError(R"({"name": "cyclic", "max_lr": 1})", "schedule.base_lr: is required (must be >= 0)");
  CheckOnlyError(R"({"name": "cyclic", "base_lr": 0.1, "max_lr": 1, "step_size_up": 0})",
                 "schedule.step_size_up: must be an integer in [1, 1000000000], got 0");
  CheckOnlyError(R"({"name": "cyclic", "base_lr": 0.1, "max_lr": 1, "step_size_down": -1})",
                 "schedule.step_size_down: must be an integer in [0, 1000000000], got -1");
  CheckOnlyError(R"({"name": "cyclic", "base_lr": 0.1, "max_lr": 1, "mode": "triangle"})",
                 "schedule.mode: must be one of triangular, triangular2, exp_range, got \"triangle\"");
  CheckOnlyError(R"({"name": "cyclic", "base_lr": 0.1, "max_lr": 1, "scale_fn": "x"})",
                 "schedule.scale_fn: unknown option (accepted: base_lr, base_momentum, cycle_momentum, gamma, max_lr, "
                 "max_momentum, mode, name, step_size_down, step_size_up)");
  // Without cycling, momentum stays the optimizer's own.
  CHECK_FALSE(ScheduleOf(R"({"name": "cyclic", "base_lr": 0.1, "max_lr": 1, "cycle_momentum": false})").HasMomentum());
}

TEST_CASE("schedule config: cycling momentum needs an optimizer with momentum or betas", "[config][schedule]") {
  for (const char* text : {R"({"name": "one_cycle", "max_lr": 1, "total_steps": 10})",
                           R"({"name": "cyclic", "base_lr": 0.1, "max_lr": 1})"}) {
    const config::Json spec = config::Json::parse(text);
    config::Errors errors;
    config::ReadSchedule(&spec, 0.1, /*optimizerHasMomentum=*/false, errors);
    CHECK_THROWS_WITH(errors.ThrowIfAny(),
                      "schedule.cycle_momentum: the optimizer has no momentum or betas to cycle; set it to false");
    config::Json off = spec;
    off["cycle_momentum"] = false;
    config::Errors none;
    CHECK(config::ReadSchedule(&off, 0.1, false, none).has_value());
    CHECK(none.Empty());
  }
}

TEST_CASE("schedule config: sequential and chained errors name the nested scheduler", "[config][schedule]") {
  CheckOnlyError(R"({"name": "sequential", "milestones": [3],
      "schedulers": [{"name": "step", "step_size": 2}, {"name": "exponential", "gamma": 0}]})",
                 "schedule.schedulers[1].gamma: must be > 0, got 0");
  CheckOnlyError(R"({"name": "sequential", "milestones": [3, 5], "schedulers": [{"name": "step", "step_size": 2},
      {"name": "exponential", "gamma": 0.5}]})",
                 "schedule.milestones: must have one entry fewer than schedulers (1), got 2");
  CheckOnlyError(R"({"name": "sequential", "milestones": [0], "schedulers": [{"name": "step", "step_size": 2},
      {"name": "exponential", "gamma": 0.5}]})",
                 "schedule.milestones[0]: must be in [1, 1000000000], got 0");
  CheckOnlyError(R"({"name": "sequential", "milestones": [3]})",
                 "schedule.schedulers: is required (a list of 1 to 100 schedules)");
  CheckOnlyError(R"({"name": "sequential", "schedulers": []})",
                 "schedule.schedulers: must be a list of 1 to 100 schedules");
  CheckOnlyError(R"({"name": "sequential", "milestones": [3], "schedulers": [{"name": "step", "step_size": 2},
      {"gamma": 0.5}]})",
                 "schedule.schedulers[1].name: is required inside sequential");
  CheckOnlyError(R"({"name": "sequential", "milestones": [3], "schedulers": [{"name": "step", "step_size": 2}, 4]})",
                 "schedule.schedulers[1]: must be an object, got 4");
  CheckOnlyError(R"({"name": "sequential", "milestones": [3], "schedulers": [{"name": "step", "step_size": 2},
      {"name": "one_cycle", "max_lr": 1, "total_steps": 10}]})",
                 "schedule.schedulers[1].name: one_cycle cannot be used inside sequential: PyTorch's OneCycleLR and "
                 "CyclicLR overwrite the optimizer's initial lr and momentum when constructed, which changes the "
                 "other schedulers; accepted here: step, multistep, exponential, cosine, cosine_warm_restarts, "
                 "linear, constant, polynomial");
  CheckOnlyError(R"({"name": "sequential", "milestones": [3], "schedulers": [{"name": "step", "step_size": 2},
      {"name": "linear", "total_iters": 0}]})",
                 "schedule.schedulers[1].total_iters: must be >= 1 for a scheduler that starts at a milestone "
                 "(PyTorch's closed form divides by total_iters), got 0");
  // The first scheduler is constructed normally: total_iters 0 is fine there.
  CHECK(ErrorsOf(R"({"name": "sequential", "milestones": [3], "schedulers": [{"name": "linear", "total_iters": 0},
      {"name": "step", "step_size": 2}]})")
            .empty());
  CheckOnlyError(R"({"name": "sequential", "milestones": [3], "schedulers": [{"name": "step", "step_size": 2},
      {"name": "chained", "schedulers": [{"name": "step", "step_size": 2}]}]})",
                 "schedule.schedulers[1].name: chained cannot be used inside sequential: PyTorch's SequentialLR "
                 "fails on a nested ChainedScheduler and mis-steps a nested SequentialLR; accepted here: step, "
                 "multistep, exponential, cosine, cosine_warm_restarts, linear, constant, "
                 "polynomial");

  CheckOnlyError(R"({"name": "chained", "schedulers": [{"name": "cosine", "T_max": 5, "eta_min": 0.01}]})",
                 "schedule.schedulers[0].eta_min: must be 0 inside chained (PyTorch's CosineAnnealingLR scales lr - "
                 "eta_min, which does not multiply with the other schedulers), got 0.01");
  CheckOnlyError(
      R"({"name": "chained", "schedulers": [{"name": "cosine", "T_max": 5}, {"name": "cosine", "T_max": 3}]})",
      "schedule.schedulers[1].name: at most one cosine can be chained (each restarts lr from the "
      "optimizer's initial lr after its trough, which does not compose)");
  CheckOnlyError(R"({"name": "chained", "schedulers": [{"name": "cosine_warm_restarts", "T_0": 5}]})",
                 "schedule.schedulers[0].name: cosine_warm_restarts cannot be used inside chained: PyTorch's "
                 "CosineAnnealingWarmRestarts sets lr outright on every step, so the chain's result is not a product "
                 "of the schedulers; accepted here: step, multistep, exponential, cosine, linear, constant, "
                 "polynomial");
  CheckOnlyError(
      R"({"name": "chained", "schedulers": [{"name": "warmup_cosine", "warmup_steps": 1, "total_steps": 5}]})",
      "schedule.schedulers[0].name: warmup_cosine cannot be used inside chained: it is an lrlab "
      "convenience, not a PyTorch scheduler; accepted here: step, multistep, exponential, cosine, linear, "
      "constant, polynomial");
  CheckOnlyError(R"({"name": "chained", "schedulers": [{"name": "step", "step_size": 2, "colour": 1}]})",
                 "schedule.schedulers[0].colour: unknown option (accepted: gamma, name, step_size)");
  // Every error of a nested config at once.
  const auto errors = ErrorsOf(R"({"name": "chained", "schedulers": [{"name": "step"}, {"name": "exponential"}]})");
  CHECK(errors ==
        std::vector<std::string>{"schedule.schedulers[0].step_size: is required (an integer in [1, 1000000000])",
                                 "schedule.schedulers[1].gamma: is required (must be > 0)"});
}
