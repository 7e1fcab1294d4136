// Bounded work and no non-finite numbers in a result: every accepted config
// finishes in seconds and fits in memory (config::Limits), and a run's
// history holds finite values only before the step where it diverged.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "lrlab/config/config.hpp"
#include "lrlab/core/dataset.hpp"
#include "test_util.hpp"

using namespace lrlab;
using config::Json;
using testing::HasMessage;

namespace lrlab::testing {
std::shared_ptr<const Dataset> LoadDigitsForTests();  // problems_test.cpp
}

namespace {

// Swaps the limits for one test and puts them back.
struct WithLimits {
  explicit WithLimits(config::Limits l) : saved(config::GetLimits()) { config::SetLimits(l); }
  ~WithLimits() { config::SetLimits(saved); }
  config::Limits saved;
};

bool StartsWith(const std::vector<std::string>& messages, const std::string& prefix) {
  for (const auto& m : messages)
    if (m.rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

TEST_CASE("limits: a run, a sweep and a range test that would take too long are refused, naming the limit", "[config][limits]") {
  const auto run = testing::ConfigErrors(
      R"({"problem": {"name": "rastrigin", "dim": 1000}, "optimizer": {"name": "adam"}, "steps": 1000000, "record": {"params": false}})");
  CHECK(StartsWith(run, "steps: too much work: 1000000 steps of 2.85e+04 numbers each"));
  CHECK(StartsWith(run, "steps: too much work:"));
  // Right at the limit's edge: ~1e10 is accepted, twice that is not.
  CHECK(testing::ConfigErrors(R"({"problem": {"name": "rastrigin", "dim": 1000}, "optimizer": {"name": "adam"}, "steps": 350000, "record": {"params": false}})").empty());
  CHECK_THROWS_WITH(config::SweepToJson(R"({"optimizer": {"name": "sgd"}, "steps": 1000000, "sweep": {"num": 1000}})"),
                    Catch::Contains("sweep: too much work: 1000 runs of 5.18e+08 numbers each come to 5.18e+11, at most 1e+10"));
  WithLimits small({.work = 1e8, .recorded = 1e7});
  CHECK_THROWS_WITH(
      config::RangeTestToJson(R"({"problem": {"name": "rastrigin", "dim": 1000}, "optimizer": {"name": "sgd"}, "range_test": {"steps": 100000}})"),
      Catch::Contains("range_test.steps: too much work: 100000 steps come to 2.85e+09, at most 1e+08"));
}

TEST_CASE("limits: the work counted grows with the batch, the evaluations and a dense matrix", "[config][limits]") {
  lrlab::testing::LoadDigitsForTests();
  WithLimits small({.work = 1e7, .recorded = 1e7});
  const std::string mlp = R"({"problem": {"name": "mlp"}, "optimizer": {"name": "sgd", "lr": 0.1}, "record": {"params": false}, )";
  // 2410 parameters: 40 steps of batch 32 and 5 evaluations of 360 samples fit in 1e7; batch 128 does not.
  CHECK(testing::ConfigErrors(mlp + R"("steps": 40})").empty());
  CHECK(StartsWith(testing::ConfigErrors(mlp + R"("steps": 40, "batch_size": 128})"), "steps: too much work"));
  CHECK(StartsWith(testing::ConfigErrors(mlp + R"("steps": 40, "eval_every": 1})"), "steps: too much work"));
  // A 300 × 300 dense quadratic costs 300² per step, a diagonal one 300.
  std::string dense = R"({"problem": {"name": "quadratic", "A": [)", diag = R"({"problem": {"name": "quadratic", "diag": [)";
  for (int i = 0; i < 300; ++i) {
    dense += std::string(i ? "," : "") + "[";
    for (int j = 0; j < 300; ++j) dense += std::string(j ? "," : "") + (i == j ? "2" : "0");
    dense += "]";
    diag += std::string(i ? "," : "") + "2";
  }
  const std::string rest = R"(]}, "optimizer": {"name": "sgd", "lr": 0.1}, "steps": 200, "record": {"params": false}})";
  CHECK(StartsWith(testing::ConfigErrors(dense + rest), "steps: too much work"));
  CHECK(testing::ConfigErrors(diag + rest).empty());
}

TEST_CASE("limits: a history that would not fit in memory is refused", "[config][limits]") {
  // 1e6 steps × (3 + 64 parameters) numbers.
  std::string x0;
  for (int i = 0; i < 64; ++i) x0 += std::string(i ? "," : "") + "1";
  const auto errors = testing::ConfigErrors(R"({"problem": {"name": "rastrigin", "dim": 64}, "optimizer": {"name": "sgd", "lr": 0.001}, "steps": 1000000})");
  CHECK(HasMessage(errors, "record.params: the history would hold 6.7e+07 numbers, at most 1e+07; set record.params to false or run fewer steps"));
  CHECK(testing::ConfigErrors(R"({"problem": {"name": "rastrigin", "dim": 64}, "optimizer": {"name": "sgd", "lr": 0.001}, "steps": 1000000, "record": {"params": false}})").empty());
}

TEST_CASE("no non-finite numbers: a schedule that gives no finite η ends the run before the step", "[config][limits]") {
  // One-cycle starts at max_lr / div_factor = 1e300 / 1e-300: not a number a step can take.
  const Json r = config::RunToJson(R"({"problem": {"name": "rosenbrock"}, "optimizer": {"name": "sgd", "lr": 0.1},
    "schedule": {"name": "one_cycle", "max_lr": 1e300, "total_steps": 10, "div_factor": 1e-300}, "steps": 10})");
  CHECK(r["diverged_at"] == 0);
  CHECK(r["steps"] == 0);
  CHECK(r["lr"] == Json::array());
  REQUIRE(r["loss"].size() == 1);
  CHECK(r["loss"][0].is_number());
  // Later in a run: η grows by γ = 1e200 a step and overflows at step 2.
  const Json later = config::RunToJson(R"({"problem": {"name": "quadratic"}, "optimizer": {"name": "sgd", "lr": 1e-300},
    "schedule": {"name": "exponential", "gamma": 1e200}, "steps": 10})");
  CHECK(later["diverged_at"].is_number());
  for (const auto& key : {"lr", "grad_norm", "val_loss"})
    for (const Json& v : later[key]) CHECK(v.is_number());
  const auto diverged = later["diverged_at"].get<std::size_t>();
  for (std::size_t t = 0; t < diverged; ++t) CHECK(later["loss"][t].is_number());
}
