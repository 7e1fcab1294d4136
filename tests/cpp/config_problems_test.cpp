// The problem section of the config: every problem by name, its options,
// its error messages and what it reports about itself.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "lrlab/config/config.hpp"
#include "lrlab/core/dataset.hpp"
#include "test_util.hpp"

using namespace lrlab;
using config::ConfigError;
using testing::HasMessage;
using config::Json;

namespace lrlab::testing {
std::shared_ptr<const Dataset> LoadDigitsForTests();  // problems_test.cpp
}

namespace {

std::vector<std::string> ProblemErrors(const std::string& problem) {
  return testing::ConfigErrors(R"({"optimizer": {"name": "sgd", "lr": 0.01}, "problem": )" + problem + "}");
}



Json Run(const std::string& problem, const std::string& rest = R"("steps": 5)") {
  return config::RunToJson(R"({"optimizer": {"name": "sgd", "lr": 0.001}, "problem": )" + problem + ", " + rest +
                           "}");
}

}  // namespace

TEST_CASE("config: the analytic problems run by name and report their known answers", "[config][problem]") {
  Json r = Run(R"({"name": "rosenbrock"})");
  CHECK(r["problem"]["dim"] == 2);
  CHECK(r["problem"]["minimizer"] == Json::array({1.0, 1.0}));
  CHECK(r["problem"]["minimum"] == 0.0);
  CHECK(r["params"][0] == Json::array({-1.5, 2.0}));
  CHECK(r["loss"][0].get<double>() == Approx(2.5 * 2.5 + 100 * 0.25 * 0.25));

  r = Run(R"({"name": "rosenbrock", "a": 2, "b": 5, "x0": [0, 0]})");
  CHECK(r["problem"]["minimizer"] == Json::array({2.0, 4.0}));
  CHECK(r["loss"][0] == 4.0);

  r = Run(R"({"name": "beale"})");
  CHECK(r["problem"]["minimizer"] == Json::array({3.0, 0.5}));
  CHECK(r["params"][0] == Json::array({1.0, 1.5}));

  r = Run(R"({"name": "himmelblau"})");
  CHECK(r["problem"]["minimizers"].size() == 4);
  CHECK(r["problem"]["minimizers"][0] == Json::array({3.0, 2.0}));
  CHECK(r["problem"]["minimum"] == 0.0);

  r = Run(R"({"name": "rastrigin", "dim": 5})");
  CHECK(r["problem"]["dim"] == 5);
  CHECK(r["problem"]["minimizer"] == Json(std::vector<double>(5, 0.0)));
  CHECK(r["params"][0] == Json(std::vector<double>(5, 2.2)));

  r = Run(R"({"name": "double_well", "x0": [0.5]})");
  CHECK(r["problem"]["dim"] == 1);
  CHECK(r["problem"]["minimizer"] == Json::array({-2.0}));
  CHECK(r["problem"]["shallow_minimizer"] == Json::array({1.0}));
  CHECK(r["problem"]["barrier"] == Json::array({0.0}));
  CHECK(r["problem"]["curvature"] == 6.0);
  CHECK(r["problem"]["shallow_curvature"] == 3.0);
  CHECK(r["params"][0] == Json::array({0.5}));
}

TEST_CASE("config: sparse_linear takes its data from the run's seed", "[config][problem]") {
  const std::string spec = R"({"name": "sparse_linear", "n_samples": 100, "dim": 6, "rare_fraction": 0.5,
                                "rare_prob": 0.1, "noise": 0.5})";
  const Json a = Run(spec, R"("steps": 5, "seed": 1)");
  const Json b = Run(spec, R"("steps": 5, "seed": 1)");
  const Json c = Run(spec, R"("steps": 5, "seed": 2)");
  CHECK(a == b);
  CHECK(a["problem"]["minimizer"] != c["problem"]["minimizer"]);
  CHECK(a["problem"]["dim"] == 6);
  CHECK(a["problem"]["n_train"] == 100);
  CHECK(a["problem"]["n_val"] == 25);
  CHECK(a["problem"]["feature_frequency"].size() == 6);
  CHECK(a["problem"]["feature_frequency"][0] == 1.0);
  CHECK(a["problem"]["lambda_max"].get<double>() >= a["problem"]["lambda_min"].get<double>());
  CHECK(a["val_loss"].size() == 1);
}

TEST_CASE("config: the digits problems run once the data set is registered", "[config][problem][data]") {
  lrlab::testing::LoadDigitsForTests();
  Json r = Run(R"({"name": "logistic_regression", "l2": 0.001})", R"("steps": 20, "eval_every": 10)");
  CHECK(r["problem"]["dim"] == 65);
  CHECK(r["problem"]["n_train"] == 1437);
  CHECK(r["problem"]["n_val"] == 360);
  CHECK(r["problem"]["classes"] == 2);
  CHECK(r["problem"]["minimizer"].size() == 65);
  CHECK(r["problem"]["minimum"].get<double>() < std::log(2.0));
  CHECK(r["val_loss"][0].get<double>() == Approx(std::log(2.0)));
  r = Run(R"({"name": "logistic_regression"})", R"("steps": 1)");
  CHECK(r["problem"]["minimum"].get<double>() > 0.2);  // the infimum: not attained without l2
  CHECK_FALSE(r["problem"].contains("minimizer"));

  r = Run(R"({"name": "mlp", "hidden": 8, "activation": "tanh"})", R"("steps": 3)");
  CHECK(r["problem"]["dim"] == 8 * 65 + 10 * 9);
  CHECK(r["problem"]["hidden"] == 8);
  CHECK(r["problem"]["activation"] == "tanh");
  CHECK(r["problem"]["classes"] == 10);
  CHECK_FALSE(r.contains("params"));  // more than 64 parameters: not recorded by default
  // The seed sets the initialisation.
  const std::string mlp = R"({"name": "mlp", "hidden": 4})";
  CHECK(Run(mlp, R"("steps": 0, "seed": 3, "record": {"params": true})")["params"][0] ==
        Run(mlp, R"("steps": 0, "seed": 3, "record": {"params": true})")["params"][0]);
  CHECK(Run(mlp, R"("steps": 0, "seed": 3, "record": {"params": true})")["params"][0] !=
        Run(mlp, R"("steps": 0, "seed": 4, "record": {"params": true})")["params"][0]);
  CHECK(HasMessage(ProblemErrors(R"({"name": "mlp", "hidden": 4, "x0": [1, 2]})"),
                 "problem.x0: must have 310 entries, got 2"));
}

TEST_CASE("config: the digits problems report a missing data set", "[config][problem][data]") {
  const auto digits = FindDataset(kDigitsDataset);
  RegisterDataset(kDigitsDataset, nullptr);
  CHECK(ProblemErrors(R"({"name": "mlp"})") ==
        std::vector<std::string>{"problem.name: the digits data set is not loaded"});
  // Options are still checked.
  const auto errors = ProblemErrors(R"({"name": "logistic_regression", "l2": -1})");
  CHECK(HasMessage(errors, "problem.name: the digits data set is not loaded"));
  CHECK(HasMessage(errors, "problem.l2: must be >= 0, got -1"));
  RegisterDataset(kDigitsDataset, digits);
}

TEST_CASE("config: the data problems train on the reader's own table with \"data\": \"local\"", "[config][problem][data]") {
  RegisterDataset(kLocalDataset, nullptr);
  CHECK(ProblemErrors(R"({"name": "mlp", "data": "local"})") ==
        std::vector<std::string>{
            "problem.data: no local data set is loaded: pick a CSV file in the lab (a link cannot carry one)"});
  CHECK(HasMessage(ProblemErrors(R"({"name": "mlp", "data": "mine"})"), "problem.data: must be one of digits, local, got \"mine\""));

  // 40 samples of 3 features in two classes, split by the first feature
  // (separable: logistic regression's infimum is 0 and Newton must stop).
  std::vector<double> features;
  std::vector<unsigned char> labels;
  for (int i = 0; i < 40; ++i) {
    const double x = (i % 2 ? 1.0 : -1.0) * (0.5 + 0.02 * i);
    features.insert(features.end(), {x, std::sin(i), std::cos(3.0 * i)});
    labels.push_back(static_cast<unsigned char>(i % 2));
  }
  RegisterDataset(kLocalDataset, std::make_shared<const Dataset>(ParseDataset(testing::MakeTableFile(40, 3, 2, 32, features, labels))));
  Json r = Run(R"({"name": "logistic_regression", "data": "local"})", R"("steps": 50, "eval_every": 50)");
  CHECK(r["problem"]["dim"] == 4);
  CHECK(r["problem"]["n_train"] == 32);
  CHECK(r["problem"]["n_val"] == 8);
  CHECK(r["loss"][0].get<double>() == Approx(std::log(2.0)));
  auto train = [](const std::string& problem, double lr, int steps) {
    return config::RunToJson(R"({"optimizer": {"name": "sgd", "lr": )" + std::to_string(lr) + R"(}, "problem": )" +
                             problem + R"(, "batch_size": 32, "steps": )" + std::to_string(steps) + "}");
  };
  r = train(R"({"name": "logistic_regression", "data": "local"})", 1.0, 100);
  CHECK(r["loss"].back().get<double>() < 0.1 * r["loss"][0].get<double>());
  r = train(R"({"name": "mlp", "data": "local", "hidden": 5})", 0.5, 200);
  CHECK(r["problem"]["dim"] == 5 * 4 + 2 * 6);
  CHECK(r["problem"]["classes"] == 2);
  CHECK(r["loss"].back().get<double>() < 0.2 * r["loss"][0].get<double>());

  // Three classes: the mlp takes them, logistic regression (binary) says why not.
  labels[0] = 2;
  RegisterDataset(kLocalDataset, std::make_shared<const Dataset>(ParseDataset(testing::MakeTableFile(40, 3, 3, 32, features, labels))));
  CHECK(Run(R"({"name": "mlp", "data": "local", "hidden": 5})")["problem"]["classes"] == 3);
  CHECK(ProblemErrors(R"({"name": "logistic_regression", "data": "local"})") ==
        std::vector<std::string>{"problem.data: logistic_regression needs a label with 2 classes; this data set has 3 "
                                 "(the mlp takes any number)"});
  RegisterDataset(kLocalDataset, nullptr);
}

TEST_CASE("config: problem options are checked against their ranges", "[config][problem]") {
  CHECK(HasMessage(ProblemErrors(R"({"name": "rastrigin", "dim": 0})"),
                 "problem.dim: must be an integer in [1, 1000], got 0"));
  CHECK(HasMessage(ProblemErrors(R"({"name": "rastrigin", "dim": 2, "x0": [1, 2, 3]})"),
                 "problem.x0: must have 2 entries, got 3"));
  CHECK(HasMessage(ProblemErrors(R"({"name": "rosenbrock", "b": 0})"), "problem.b: must be > 0, got 0"));
  CHECK(HasMessage(ProblemErrors(R"({"name": "rosenbrock", "a": "one"})"),
                 "problem.a: must be a number, got \"one\""));
  CHECK(HasMessage(ProblemErrors(R"({"name": "double_well", "x0": [1, 2]})"),
                 "problem.x0: must have 1 entries, got 2"));
  CHECK(HasMessage(ProblemErrors(R"({"name": "mlp", "hidden": 1000})"),
                 "problem.hidden: must be an integer in [1, 512], got 1000"));
  CHECK(HasMessage(ProblemErrors(R"({"name": "mlp", "activation": "sigmoid"})"),
                 "problem.activation: must be one of relu, tanh, got \"sigmoid\""));
  CHECK(HasMessage(ProblemErrors(R"({"name": "sparse_linear", "rare_prob": 0})"),
                 "problem.rare_prob: must be in (0, 1], got 0"));
  CHECK(HasMessage(ProblemErrors(R"({"name": "sparse_linear", "rare_fraction": 1.5})"),
                 "problem.rare_fraction: must be in [0, 1], got 1.5"));
  CHECK(HasMessage(ProblemErrors(R"({"name": "sparse_linear", "noise": -0.1})"),
                 "problem.noise: must be >= 0, got -0.1"));
  CHECK(HasMessage(ProblemErrors(R"({"name": "sparse_linear", "n_samples": 5})"),
                 "problem.n_samples: must be an integer in [10, 100000], got 5"));
  CHECK(HasMessage(ProblemErrors(R"({"name": "sparse_linear", "dim": 501})"),
                 "problem.dim: must be an integer in [1, 500], got 501"));
  CHECK(ProblemErrors(R"({"name": "sparse_linear", "n_samples": 100000, "dim": 500})") ==
        std::vector<std::string>{"problem.n_samples: n_samples × dim must be at most 2000000, got 50000000"});
}

TEST_CASE("config: unknown problem options and names are rejected", "[config][problem]") {
  CHECK(ProblemErrors(R"({"name": "beale", "a": 1})") ==
        std::vector<std::string>{"problem.a: unknown option (accepted: name, x0)"});
  CHECK(ProblemErrors(R"({"name": "rastrigin", "A": 5})") ==
        std::vector<std::string>{"problem.A: unknown option (accepted: dim, name, x0)"});
  CHECK(HasMessage(ProblemErrors(R"({"name": "mlp", "hiden": 5})"),
                 "problem.hiden: unknown option (accepted: activation, data, hidden, name, x0)"));
  // A misspelt name is one error, not one per option meant for that problem.
  CHECK(ProblemErrors(R"({"name": "rosenbrok", "a": 1, "b": 2})") ==
        std::vector<std::string>{"problem.name: must be one of quadratic, rosenbrock, beale, himmelblau, rastrigin, "
                                 "double_well, saddle, sparse_linear, logistic_regression, mlp, got \"rosenbrok\""});
  CHECK(ProblemErrors(R"({"name": 3})") ==
        std::vector<std::string>{"problem.name: must be one of quadratic, rosenbrock, beale, himmelblau, rastrigin, "
                                 "double_well, saddle, sparse_linear, logistic_regression, mlp, got 3"});
}

TEST_CASE("config: a quadratic given both A and diag is one error and no crash", "[config][problem]") {
  CHECK(ProblemErrors(R"({"name": "quadratic", "A": [[1]], "diag": [1, 2]})") ==
        std::vector<std::string>{"problem.A: give either A or diag, not both"});
}

TEST_CASE("config: saddle runs by name and reports its minima and saddle", "[config][problem]") {
  Json r = Run(R"({"name": "saddle"})");
  CHECK(r["problem"]["dim"] == 2);
  CHECK(r["problem"]["minimizers"] == Json::array({Json::array({0.0, 1.0}), Json::array({0.0, -1.0})}));
  CHECK(r["problem"]["minimum"] == 0.0);
  CHECK(r["problem"]["saddle"] == Json::array({0.0, 0.0}));
  CHECK(r["problem"]["saddle_value"] == 0.25);
  CHECK(r["problem"]["saddle_eigenvalues"] == Json::array({1.0, -1.0}));
  CHECK(r["problem"]["minimum_eigenvalues"] == Json::array({1.0, 2.0}));
  CHECK(r["params"][0] == Json::array({1.5, 1e-3}));
  r = Run(R"({"name": "saddle", "a": 4, "x0": [1, 0]})");
  CHECK(r["problem"]["saddle_eigenvalues"] == Json::array({4.0, -1.0}));
  CHECK(r["loss"][0] == 0.5 * 4 + 0.25);
  CHECK(HasMessage(ProblemErrors(R"({"name": "saddle", "a": 0})"), "problem.a: must be > 0, got 0"));
  CHECK(ProblemErrors(R"({"name": "saddle", "b": 1})") ==
        std::vector<std::string>{"problem.b: unknown option (accepted: a, name, x0)"});
}

TEST_CASE("config: a rotated 2-D quadratic keeps its eigenvalues and minimizer", "[config][problem]") {
  const Json plain = Run(R"({"name": "quadratic", "diag": [1, 100]})");
  CHECK(Run(R"({"name": "quadratic", "diag": [1, 100], "rotation": 0})") == plain);
  const Json r = Run(R"({"name": "quadratic", "diag": [1, 100], "rotation": 30})");
  CHECK(r["problem"]["lambda_min"] == 1.0);
  CHECK(r["problem"]["lambda_max"] == 100.0);
  CHECK(r["problem"]["minimizer"] == Json::array({0.0, 0.0}));
  CHECK(r["problem"]["minimum"] == 0.0);
  // f(1, 1) = ½ (1,1) R diag Rᵀ (1,1)ᵀ with Rᵀ(1,1) = (cos 30 + sin 30, cos 30 − sin 30).
  const double c = std::sqrt(3.0) / 2, s = 0.5;
  CHECK(r["loss"][0].get<double>() == Approx(0.5 * ((c + s) * (c + s) + 100 * (c - s) * (c - s))).epsilon(1e-14));
  CHECK(r["loss"][0] != plain["loss"][0]);

  CHECK(ProblemErrors(R"({"name": "quadratic", "diag": [1, 2, 3], "rotation": 45})") ==
        std::vector<std::string>{"problem.rotation: needs a 2-D quadratic, this one has 3 dimensions (leave rotation at 0)"});
  CHECK(ProblemErrors(R"({"name": "quadratic", "diag": [1, 2, 3], "rotation": 0})").empty());
  CHECK(HasMessage(ProblemErrors(R"({"name": "quadratic", "rotation": "45"})"),
                   "problem.rotation: must be a number, got \"45\""));
}
