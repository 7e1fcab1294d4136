#pragma once
// The one JSON config format, with PyTorch's option names, shared by the
// native CLI, the JavaScript API and the page's share links:
//
//   {"problem":   {"name": "quadratic", "diag": [1, 10], "x0": [1, 1]},
//    "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9},
//    "steps": 100, "seed": 0, "batch_size": 32, "eval_every": 10,
//    "record": {"params": true}}
//
// Parsing validates everything and reports every error by path at once
// (ConfigError); selection of problems and optimizers by name lives here.
#include <memory>
#include <string>
#include <string_view>

#include "lrlab/config/reader.hpp"
#include "lrlab/training/trainer.hpp"

namespace lrlab::config {

// A fully validated run: everything needed to build a Trainer.
struct RunConfig {
  AnyProblem problem;
  Vector x0;
  AnyOptimizer optimizer;
  Schedule schedule;
  Trainer::Options options;
  long steps = 0;
};

inline constexpr long kMaxSteps = 1'000'000;

// Parses and validates a config; throws ConfigError listing every problem.
RunConfig ParseRunConfig(const Json& config);
RunConfig ParseRunConfigText(std::string_view text);

std::unique_ptr<Trainer> MakeTrainer(RunConfig config);

// What a problem knows about itself (λmin/λmax, minimizer, …), for the result.
Json ProblemInfo(const AnyProblem& problem);

// The result of a run in the documented JSON shape. Non-finite numbers are
// written as null.
Json ResultJson(const Trainer& trainer);

// Parse, run `steps` steps, and return the result: what `lrlab run` prints.
Json RunToJson(std::string_view configText);

}  // namespace lrlab::config
