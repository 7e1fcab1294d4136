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
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "lrlab/config/reader.hpp"
#include "lrlab/training/range_test.hpp"
#include "lrlab/training/sweep.hpp"
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

// What one command may ask of the engine (README "Reliability"), so that
// every accepted config finishes in seconds and fits in memory. Work is
// counted in numbers touched: a step costs batch × parameters on a problem
// with samples (and each evaluation the validation set × parameters), the
// problem's gradient cost on the others (parameters, or n² for a dense
// quadratic), plus the parameters the optimizer updates; a sweep multiplies
// by its η values, a range test by its steps.
struct Limits {
  double work = 1e10;      // 4 to 6 s natively (0.4–0.6 ns a unit), about 1.3× that in WebAssembly
  double recorded = 1e7;   // numbers one run's history may hold
};
Limits GetLimits();
// For tests and the fuzzer, which run with smaller limits.
void SetLimits(const Limits& limits);

// A config's text as JSON; throws ConfigError ("config: not valid JSON").
Json ParseJson(std::string_view text);

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

// An η sweep: a run config plus
//   "sweep": {"lr_min": 1e-4, "lr_max": 10, "num": 50}   (log-spaced)
//   "sweep": {"lrs": [0.01, 0.1, 1]}                      (explicit)
// Each run is the config with optimizer.lr set to one η. The config is read
// once; per η only what depends on it, the schedule, is built again.
struct SweepConfig {
  RunConfig run;  // the run as read with the first η
  std::vector<double> lrs;
  long steps = 0;
  std::function<Schedule(double)> scheduleFor;  // the run's schedule with base η

  // A fresh run at base learning rate lr.
  std::unique_ptr<Trainer> MakeTrainerFor(double lr) const;
};
SweepConfig ParseSweepConfig(const Json& config);
Json SweepResultJson(const SweepResult& result, long steps);
Json SweepToJson(std::string_view configText);  // what `lrlab sweep` prints

// Smith's LR range test: a run config (no schedule, no plateau) plus
//   "range_test": {"lr_min": 1e-6, "lr_max": 10, "steps": 100, "smoothing": 0.98, "stop_factor": 4}
struct RangeTestConfig {
  RunConfig run;  // its schedule is the ramp
  RangeTestOptions options;
};
RangeTestConfig ParseRangeTestConfig(const Json& config);
Json RangeTestResultJson(const RangeTestResult& result);
Json RangeTestToJson(std::string_view configText);  // what `lrlab range-test` prints

// The loss of a 1-D or 2-D problem on a grid, for drawing curves and contours:
//   {"problem": {...}, "grid": {"x": [min, max], "y": [min, max], "nx": 101, "ny": 101}}
// gives {"x": [...], "y": [...], "nx", "ny", "values": [...]} with
// values[j·nx + i] = f(x_i, y_j) (no "y" for 1-D problems).
struct GridConfig {
  AnyProblem problem;
  std::vector<double> x, y;  // y empty for a 1-D problem
};
GridConfig ParseGridConfig(const Json& config);
// The grid's values, computed a piece at a time: Advance(n) computes at most
// n more points (row by row) and says whether all are done.
class GridValues {
 public:
  explicit GridValues(GridConfig grid) : grid_(std::move(grid)) {}
  bool Advance(long n);
  bool Done() const;
  Json ToJson() const;  // the documented result

 private:
  GridConfig grid_;
  std::vector<double> values_;
};
Json GridToJson(std::string_view configText);  // what `lrlab grid` prints

// The whole config language as data: every section's fields (key, type,
// default, accepted range or values, conditions), every problem, optimizer
// and schedule by name with what it needs and can do. Described by running
// the readers themselves (reader.hpp), so it is what they accept. What
// `lrlab schema` prints; README "The config schema" documents its shape.
Json ConfigSchema();

}  // namespace lrlab::config
