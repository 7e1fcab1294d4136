#pragma once
// Shared between the parts of the config layer: each part reads one section
// of the config ("problem", "optimizer", "schedule") through one table of
// names and readers, records every error with its path in `errors` instead
// of stopping at the first, and describes its table for the schema.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lrlab/config/config.hpp"
#include "lrlab/core/concepts.hpp"

namespace lrlab::config {

inline constexpr Index kMaxDim = 1'000'000;

// Each kind's table (problems, optimizers, schedules) is an array of entries
// with a `name`: its names in order, and the entry of a name (or null).
template <class Kind, std::size_t N>
std::vector<std::string> NamesOf(const Kind (&table)[N]) {
  std::vector<std::string> names;
  for (const Kind& kind : table) names.emplace_back(kind.name);
  return names;
}

template <class Kind, std::size_t N>
const Kind* FindByName(const Kind (&table)[N], const std::string& name) {
  for (const Kind& kind : table)
    if (name == kind.name) return &kind;
  return nullptr;
}

// Runs `read(in, errors)` on a describing reader at `path`: the fields it
// reads, and those of any reader it makes, by path.
template <class Read>
Schema DescribeReads(const std::string& path, Read&& read) {
  Schema schema;
  Errors errors = Errors::Describing(schema);
  ObjectReader in(nullptr, path, errors);
  read(in, errors);
  return schema;
}

struct ProblemChoice {
  AnyProblem problem;
  Vector x0;
};

// config_problems.cpp. `seed` seeds generated data and initialisation.
std::optional<ProblemChoice> ReadProblem(const Json* spec, std::uint64_t seed, Errors& errors);
// {name: {fields, dataset, minibatch, defaults}} for every problem.
Json DescribeProblems();

struct OptimizerChoice {
  AnyOptimizer optimizer;
  double lr;         // the optimizer's `lr` option: the schedules' base η
  bool hasMomentum;  // whether a schedule may cycle its momentum (or β₁)
};

// What one step (a gradient on the step's minibatch and the update) and one
// evaluation of the validation loss cost, in numbers touched (see Limits).
double StepWork(const AnyProblem& problem, int batchSize);
double EvaluationWork(const AnyProblem& problem);

// config_optimizers.cpp
OptimizerChoice ReadOptimizer(const Json* spec, Errors& errors);
// {name: {torch, momentum, effective_lr, fields}} for every optimizer.
Json DescribeOptimizers();

// config_schedules.cpp. Returns nullopt only when errors were recorded.
std::optional<Schedule> ReadSchedule(const Json* spec, double baseLr, bool optimizerHasMomentum, Errors& errors);
// The name of the schedule `spec` names when that schedule sets η itself
// (one_cycle, cyclic), else null; any spec is accepted.
const char* ScheduleSettingLr(const Json* spec);
// {name: {torch, sets_lr, not_in_sequential, not_in_chained, fields}} for every schedule.
Json DescribeSchedules();

}  // namespace lrlab::config
