// The engine layer the CLI and the WebAssembly bindings share: the command
// table, error reports and resumable sessions (with the plateau history in
// the columns the page reads as typed arrays).
#include <catch2/catch.hpp>

#include <string>

#include "lrlab/config/config.hpp"
#include "lrlab/engine/commands.hpp"
#include "lrlab/engine/error_report.hpp"
#include "lrlab/engine/job.hpp"
#include "lrlab/engine/session.hpp"

using namespace lrlab;
using config::Json;

namespace {

const char* const kPlateauRun = R"({
  "problem": {"name": "quadratic", "diag": [1, 4], "x0": [2, -1]},
  "optimizer": {"name": "sgd", "lr": 0.6},
  "gradient_noise": 0.5, "seed": 3, "steps": 60, "eval_every": 3,
  "plateau": {"factor": 0.5, "patience": 1, "cooldown": 1, "threshold": 0.2}})";

engine::ErrorReport ReportOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (...) {
    return engine::ReportCurrentException();
  }
  FAIL("no exception");
  return {};
}

}  // namespace

TEST_CASE("engine: every command by name, each what its config function returns", "[engine]") {
  std::vector<std::string> names;
  for (const auto& c : engine::Commands()) names.push_back(c.name);
  CHECK(names == std::vector<std::string>{"run", "sweep", "range-test", "grid", "schema"});
  CHECK(engine::FindCommand("nope") == nullptr);
  const std::string run = R"({"optimizer": {"name": "sgd", "lr": 0.1}, "steps": 4})";
  CHECK(engine::FindCommand("run")->run(run) == config::RunToJson(run));
  CHECK(engine::FindCommand("schema")->run("") == config::ConfigSchema());
  CHECK_FALSE(engine::FindCommand("schema")->takesConfig);
}

TEST_CASE("engine: a config error is reported with every issue by path", "[engine]") {
  const auto report = ReportOf([] {
    engine::FindCommand("run")->run(R"({"optimizer": {"name": "sgd", "lr": -1}, "steps": 2.5})");
  });
  CHECK(report.name == "ConfigError");
  REQUIRE(report.issues.size() == 2);
  CHECK(report.issues[0].path == "optimizer.lr");
  CHECK(report.issues[0].message == "must be >= 0, got -1");
  CHECK(report.issues[1].path == "steps");
  CHECK(report.message == "optimizer.lr: must be >= 0, got -1\nsteps: must be an integer in [0, 1000000], got 2.5");

  const auto syntax = ReportOf([] { engine::Session("{not json"); });
  CHECK(syntax.name == "ConfigError");
  CHECK(syntax.issues.size() == 1);
  CHECK(syntax.issues[0].path == "config");

  const auto other = ReportOf([] { throw std::runtime_error("out of memory"); });
  CHECK(other.name == "Error");
  CHECK(other.message == "out of memory");
  CHECK(other.issues.empty());
  const auto unknown = ReportOf([] { throw 42; });
  CHECK(unknown.name == "Error");
}

TEST_CASE("engine: a session run in pieces equals the whole run", "[engine]") {
  engine::Session session(kPlateauRun);
  CHECK(session.ConfiguredSteps() == 60);
  long taken = 0;
  for (long n : {1L, 7L, 0L, 20L, 32L}) taken += session.Run(n);
  CHECK(taken == 60);
  CHECK(config::ResultJson(session.GetTrainer()) == config::RunToJson(kPlateauRun));
}

TEST_CASE("engine: the plateau columns follow the run and equal the JSON result's", "[engine]") {
  engine::Session session(kPlateauRun);
  const auto& early = session.PlateauHistory();
  CHECK(early.best.size() == 1);  // the evaluation at step 0
  session.Run(25);
  CHECK(session.PlateauHistory().best.size() == session.GetHistory().valSteps.size());
  session.Run(35);
  const auto& p = session.PlateauHistory();
  const Json plateau = config::ResultJson(session.GetTrainer())["plateau"];
  REQUIRE(plateau["best"].size() == p.best.size());
  for (std::size_t i = 0; i < p.best.size(); ++i) {
    INFO("evaluation " << i);
    if (plateau["best"][i].is_null())
      CHECK(std::isinf(p.best[i]));
    else
      CHECK(plateau["best"][i].get<double>() == p.best[i]);
    CHECK(plateau["num_bad"][i].get<double>() == p.numBad[i]);
    CHECK(plateau["cooldown"][i].get<double>() == p.cooldown[i]);
    CHECK(plateau["multiplier"][i].get<double>() == p.multiplier[i]);
  }
  std::vector<long> reducedAt(p.reducedAt.begin(), p.reducedAt.end());
  CHECK(plateau["reduced_at"].get<std::vector<long>>() == reducedAt);
  CHECK_FALSE(reducedAt.empty());  // the run does cut η
}

TEST_CASE("engine: a job cut into pieces of any size gives exactly the command's result", "[engine]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"run", kPlateauRun},
      {"run", R"({"problem": {"name": "quadratic", "diag": [1], "x0": [1e10]}, "optimizer": {"name": "sgd", "lr": 1e300}, "steps": 50})"},
      {"sweep", R"({"problem": {"name": "rosenbrock"}, "optimizer": {"name": "adam"}, "schedule": {"name": "cosine", "T_max": 30}, "steps": 30, "sweep": {"lr_min": 1e-4, "lr_max": 10, "num": 9}})"},
      {"range-test", R"({"problem": {"name": "rosenbrock"}, "optimizer": {"name": "sgd"}, "range_test": {"steps": 80}})"},
      {"grid", R"({"problem": {"name": "himmelblau"}, "grid": {"x": [-5, 5], "y": [-5, 5], "nx": 13, "ny": 7}})"},
      {"grid", R"({"problem": {"name": "double_well"}, "grid": {"x": [-3, 3], "nx": 9}})"},
      {"schema", ""},
  };
  for (const auto& [command, text] : cases) {
    const Json expected = engine::FindCommand(command)->run(text);
    for (long piece : {1L, 3L, 17L, 1000000L}) {
      INFO(command << " in pieces of " << piece << ": " << text);
      engine::Job job(command, text);
      long pieces = 0;
      while (!job.Advance(piece)) {
        CHECK_FALSE(job.Done());
        CHECK_THROWS(job.Result());
        REQUIRE(++pieces < 100000);
      }
      CHECK(job.Done());
      CHECK(job.Result() == expected);
    }
  }
  CHECK_THROWS_AS(engine::Job("run", R"({"optimizer": {"name": "sgd", "lr": -1}})"), config::ConfigError);
  CHECK_THROWS_AS(engine::Job("nope", "{}"), std::invalid_argument);
}
