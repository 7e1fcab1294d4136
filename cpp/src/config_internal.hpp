#pragma once
// Shared between the parts of the config layer: each part reads one section
// of the config ("problem", "optimizer", "schedule") and records every error
// with its path in `errors` instead of stopping at the first.
#include <cstdint>
#include <optional>

#include "lrlab/config/config.hpp"
#include "lrlab/core/concepts.hpp"

namespace lrlab::config {

inline constexpr Index kMaxDim = 1'000'000;

struct ProblemChoice {
  AnyProblem problem;
  Vector x0;
};

// config_problems.cpp. `seed` seeds generated data and initialisation.
std::optional<ProblemChoice> ReadProblem(const Json* spec, std::uint64_t seed, Errors& errors);

struct OptimizerChoice {
  AnyOptimizer optimizer;
  double lr;         // the optimizer's `lr` option: the schedules' base η
  bool hasMomentum;  // whether a schedule may cycle its momentum (or β₁)
};

// config_optimizers.cpp
OptimizerChoice ReadOptimizer(const Json* spec, Errors& errors);

// config_schedules.cpp. Returns nullopt only when errors were recorded.
std::optional<Schedule> ReadSchedule(const Json* spec, double baseLr, bool optimizerHasMomentum, Errors& errors);

}  // namespace lrlab::config
