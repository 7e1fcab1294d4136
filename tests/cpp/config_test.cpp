#include <catch2/catch.hpp>

#include "lrlab/config/config.hpp"
#include "test_util.hpp"

using namespace lrlab;
using config::ConfigError;
using testing::HasMessage;
using config::Json;

namespace {
std::vector<std::string> ErrorsOf(const std::string& text) { return testing::ConfigErrors(text); }

}  // namespace

TEST_CASE("a minimal config runs with documented defaults", "[config]") {
  const Json result = config::RunToJson(R"({"optimizer": {"name": "sgd", "lr": 0.1}})");
  CHECK(result["steps"] == 100);
  CHECK(result["loss"].size() == 101);
  CHECK(result["lr"].size() == 100);
  CHECK(result["lr"][0] == 0.1);
  CHECK(result["diverged_at"].is_null());
  CHECK(result["problem"]["dim"] == 2);
  CHECK(result["problem"]["lambda_max"] == 10.0);
  CHECK(result["params"].size() == 101);
  CHECK(result["params"][0] == Json::array({1.0, 1.0}));
  CHECK(result["val_steps"].size() == 11);
}

TEST_CASE("config options reach the problem, optimizer and trainer", "[config]") {
  const Json result = config::RunToJson(R"({
    "problem": {"name": "quadratic", "A": [[2, 0], [0, 4]], "b": [2, 4], "x0": [0, 0]},
    "optimizer": {"name": "sgd", "lr": 0.25, "momentum": 0.5, "nesterov": true},
    "steps": 3, "eval_every": 2, "record": {"params": false}})");
  CHECK(result["steps"] == 3);
  CHECK(result["val_steps"] == Json::array({0, 2}));
  CHECK_FALSE(result.contains("params"));
  CHECK(result["problem"]["minimizer"] == Json::array({1.0, 1.0}));
  CHECK(result["problem"]["minimum"] == -3.0);
  // First step from 0: g = -b = (-2, -4); nesterov d = g + 0.5 g; x1 = 0.375*(2, 4).
  const double x0 = 0.375 * 2, x1 = 0.375 * 4;
  CHECK(result["loss"][1].get<double>() == Approx(0.5 * (2 * x0 * x0 + 4 * x1 * x1) - (2 * x0 + 4 * x1)));
}

TEST_CASE("a diverged run reports its step and writes non-finite values as null", "[config]") {
  const Json result = config::RunToJson(R"({
    "problem": {"name": "quadratic", "diag": [1], "x0": [1e10]},
    "optimizer": {"name": "sgd", "lr": 1e300}, "steps": 50})");
  CHECK(result["diverged_at"] == 1);
  CHECK(result["steps"] == 1);
  CHECK(result["loss"][1].is_null());
}

TEST_CASE("every config error is reported at once by path with the accepted range", "[config]") {
  const auto errors = ErrorsOf(R"({
    "problem": {"name": "quadratic", "diag": [1, -2], "colour": 3},
    "optimizer": {"name": "sgd", "lr": -1, "momentum": 1.5, "nesterov": "yes"},
    "steps": 2.5, "seed": -1, "typo": 1})");
  CHECK(HasMessage(errors, "problem.diag[1]: must be > 0, got -2"));
  CHECK(HasMessage(errors, "problem.colour: unknown option (accepted: A, b, diag, name, rotation, x0)"));
  CHECK(HasMessage(errors, "optimizer.lr: must be >= 0, got -1"));
  CHECK(HasMessage(errors, "optimizer.momentum: must be in [0, 1), got 1.5"));
  CHECK(HasMessage(errors, "optimizer.nesterov: must be true or false, got \"yes\""));
  CHECK(HasMessage(errors, "steps: must be an integer in [0, 1000000], got 2.5"));
  CHECK(HasMessage(errors, "seed: must be an integer in [0, 9007199254740991], got -1"));
  CHECK(HasMessage(errors, "typo: unknown option (accepted: batch_size, eval_every, gradient_noise, optimizer, "
                         "plateau, problem, record, schedule, seed, steps)"));
  CHECK(errors.size() == 8);
}

TEST_CASE("config errors: types and shapes and required options", "[config]") {
  CHECK(ErrorsOf("[1, 2]") == std::vector<std::string>{"config: must be an object, got a list"});
  CHECK(ErrorsOf("{not json") == std::vector<std::string>{"config: not valid JSON"});
  CHECK(HasMessage(ErrorsOf(R"({"optimizer": {"name": "sgd"}})"), "optimizer.lr: is required (must be >= 0)"));
  CHECK(HasMessage(ErrorsOf(R"({"optimizer": {"name": "adamx", "lr": 1}})"),
                 "optimizer.name: must be one of sgd, adagrad, rmsprop, adam, adamw, adadelta, adamax, nadam, radam, "
                 "lion, got \"adamx\""));
  CHECK(HasMessage(ErrorsOf(R"({"optimizer": {"lr": 1}, "problem": {"A": [[1, 2], [0, 1]]}})"),
                 "problem.A: must be symmetric"));
  CHECK(HasMessage(ErrorsOf(R"({"optimizer": {"lr": 1}, "problem": {"A": [[1, 2], [2, 1]]}})"),
                 "problem.A: must be positive-definite, smallest eigenvalue is -1"));
  CHECK(HasMessage(ErrorsOf(R"({"optimizer": {"lr": 1}, "problem": {"diag": [1, 2], "x0": [0]}})"),
                 "problem.x0: must have 2 entries, got 1"));
  CHECK(HasMessage(ErrorsOf(R"({"optimizer": {"lr": 1, "nesterov": true}})"),
                 "optimizer.nesterov: requires momentum > 0 and dampening = 0"));
  CHECK(HasMessage(ErrorsOf(R"({"optimizer": {"lr": 1}, "problem": {"diag": [1], "b": [1, 2]}})"),
                 "problem.b: must have 1 entries, got 2"));
  CHECK(HasMessage(ErrorsOf(R"({"optimizer": {"lr": 1}, "schedule": {"name": "cosinus"}})"),
                 "schedule.name: must be one of none, step, multistep, exponential, cosine, cosine_warm_restarts, "
                 "linear, constant, polynomial, one_cycle, cyclic, sequential, chained, warmup_cosine, got \"cosinus\""));
  CHECK(ErrorsOf(R"({"optimizer": {"lr": 1}, "problem": "quadratic"})") ==
        std::vector<std::string>{"problem: must be an object, got \"quadratic\""});
}

TEST_CASE("the same config gives the same result", "[config]") {
  const std::string text = R"({"optimizer": {"name": "sgd", "lr": 0.15, "momentum": 0.9}, "steps": 200})";
  CHECK(config::RunToJson(text) == config::RunToJson(text));
}

TEST_CASE("a problem's loss on a grid", "[config][grid]") {
  // Himmelblau: f(x, y) = (x² + y − 11)² + (x + y² − 7)².
  const Json g = config::GridToJson(R"({"problem": {"name": "himmelblau"},
    "grid": {"x": [-5, 5], "y": [-4, 4], "nx": 11, "ny": 9}})");
  REQUIRE(g["values"].size() == 99);
  CHECK(g["x"][10] == 5.0);
  CHECK(g["y"][0] == -4.0);
  for (int j = 0; j < 9; ++j)
    for (int i = 0; i < 11; ++i) {
      const double x = g["x"][i], y = g["y"][j];
      const double expected = std::pow(x * x + y - 11, 2) + std::pow(x + y * y - 7, 2);
      CHECK(g["values"][j * 11 + i].get<double>() == Approx(expected));
    }
  const Json curve = config::GridToJson(R"({"problem": {"name": "quadratic", "diag": [2]},
    "grid": {"x": [-1, 1], "nx": 3}})");
  CHECK(curve["values"] == Json::array({1.0, 0.0, 1.0}));
  CHECK_FALSE(curve.contains("y"));
}

TEST_CASE("grid config errors", "[config][grid]") {
  try {
    config::GridToJson(R"({"problem": {"name": "rastrigin", "dim": 3}, "grid": {"x": [2, -2], "nx": 1, "z": 0}})");
    FAIL("accepted");
  } catch (const ConfigError& e) {
    CHECK(e.Messages() == std::vector<std::string>{
                              "problem: a grid needs a 1-D or 2-D problem, this one has 3 dimensions",
                              "grid.nx: must be an integer in [2, 2000], got 1",
                              "grid.x: must be [min, max] with min < max",
                              "grid.z: unknown option (accepted: nx, ny, x, y)"});
  }
  CHECK_THROWS_WITH(config::GridToJson(R"({"problem": {"name": "beale"}, "grid": {"x": [0, 1]}})"),
                    "grid.y: is required for a 2-D problem: [min, max]");
  CHECK_THROWS_WITH(config::GridToJson(R"({"problem": {"name": "double_well"}, "grid": {"x": [0, 1], "y": [0, 1]}})"),
                    "grid.y: is for 2-D problems only, this one has 1 dimension");
}
