// The "optimizer" section of the config: names, PyTorch's defaults, ranges and
// the exact error messages.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "lrlab/config/config.hpp"
#include "test_util.hpp"

using namespace lrlab;
using config::ConfigError;

namespace {

std::vector<std::string> ErrorsOf(const std::string& optimizer) {
  return testing::ConfigErrors(R"({"optimizer": )" + optimizer + "}");
}

// The optimizer a config builds, when it is valid.
AnyOptimizer OptimizerOf(const std::string& optimizer) {
  return config::ParseRunConfigText(R"({"optimizer": )" + optimizer + "}").optimizer;
}

// The learning rate a config runs at: the schedule's η at step 0.
double LrOf(const std::string& optimizer) {
  return config::ParseRunConfigText(R"({"optimizer": )" + optimizer + "}").schedule(0);
}

}  // namespace

TEST_CASE("optimizer config: every name builds its optimizer with PyTorch's defaults", "[config][optimizer]") {
  CHECK(std::holds_alternative<Sgd>(OptimizerOf(R"({"name": "sgd", "lr": 0.1})")));
  const auto adagrad = std::get<Adagrad>(OptimizerOf(R"({"name": "adagrad"})")).GetOptions();
  CHECK(adagrad.eps == 1e-10);
  CHECK(adagrad.lrDecay == 0.0);
  CHECK(adagrad.initialAccumulatorValue == 0.0);
  const auto rmsprop = std::get<Rmsprop>(OptimizerOf(R"({"name": "rmsprop"})")).GetOptions();
  CHECK(rmsprop.alpha == 0.99);
  CHECK(rmsprop.momentum == 0.0);
  CHECK_FALSE(rmsprop.centered);
  const auto adam = std::get<Adam>(OptimizerOf(R"({"name": "adam"})")).GetOptions();
  CHECK(adam.beta1 == 0.9);
  CHECK(adam.beta2 == 0.999);
  CHECK(adam.eps == 1e-8);
  CHECK(adam.weightDecay == 0.0);
  CHECK_FALSE(adam.amsgrad);
  CHECK(std::get<AdamW>(OptimizerOf(R"({"name": "adamw"})")).GetOptions().weightDecay == 1e-2);
  CHECK(std::get<Adadelta>(OptimizerOf(R"({"name": "adadelta"})")).GetOptions().rho == 0.9);
  CHECK(std::get<Adamax>(OptimizerOf(R"({"name": "adamax"})")).GetOptions().beta2 == 0.999);
  CHECK(std::get<Nadam>(OptimizerOf(R"({"name": "nadam"})")).GetOptions().momentumDecay == 4e-3);
  CHECK(std::get<Radam>(OptimizerOf(R"({"name": "radam"})")).GetOptions().eps == 1e-8);
  const auto lion = std::get<Lion>(OptimizerOf(R"({"name": "lion"})")).GetOptions();
  CHECK(lion.beta1 == 0.9);
  CHECK(lion.beta2 == 0.99);
}

TEST_CASE("optimizer config: default learning rates are PyTorch's", "[config][optimizer]") {
  CHECK(LrOf(R"({"name": "adagrad"})") == 1e-2);
  CHECK(LrOf(R"({"name": "rmsprop"})") == 1e-2);
  CHECK(LrOf(R"({"name": "adam"})") == 1e-3);
  CHECK(LrOf(R"({"name": "adamw"})") == 1e-3);
  CHECK(LrOf(R"({"name": "adadelta"})") == 1.0);
  CHECK(LrOf(R"({"name": "adamax"})") == 2e-3);
  CHECK(LrOf(R"({"name": "nadam"})") == 2e-3);
  CHECK(LrOf(R"({"name": "radam"})") == 1e-3);
  CHECK(LrOf(R"({"name": "lion"})") == 1e-4);
  CHECK(LrOf(R"({"name": "adam", "lr": 0.25})") == 0.25);
  CHECK(ErrorsOf(R"({"name": "sgd"})") == std::vector<std::string>{"optimizer.lr: is required (must be >= 0)"});
}

TEST_CASE("optimizer config: options reach the optimizer", "[config][optimizer]") {
  const auto adam = std::get<AdamW>(OptimizerOf(
                                        R"({"name": "adamw", "betas": [0.8, 0.95], "eps": 1e-6,
                                            "weight_decay": 0.1, "amsgrad": true})"))
                        .GetOptions();
  CHECK(adam.beta1 == 0.8);
  CHECK(adam.beta2 == 0.95);
  CHECK(adam.eps == 1e-6);
  CHECK(adam.weightDecay == 0.1);
  CHECK(adam.amsgrad);
  const auto rms = std::get<Rmsprop>(OptimizerOf(
                                         R"({"name": "rmsprop", "alpha": 0.9, "momentum": 0.5, "centered": true,
                                             "weight_decay": 0.01, "eps": 0})"))
                       .GetOptions();
  CHECK(rms.alpha == 0.9);
  CHECK(rms.momentum == 0.5);
  CHECK(rms.centered);
  CHECK(rms.weightDecay == 0.01);
  CHECK(rms.eps == 0.0);
  const auto adagrad = std::get<Adagrad>(OptimizerOf(
                                             R"({"name": "adagrad", "lr_decay": 0.1,
                                                 "initial_accumulator_value": 0.1})"))
                           .GetOptions();
  CHECK(adagrad.lrDecay == 0.1);
  CHECK(adagrad.initialAccumulatorValue == 0.1);
  CHECK(std::get<Nadam>(OptimizerOf(R"({"name": "nadam", "momentum_decay": 0})")).GetOptions().momentumDecay == 0.0);
  CHECK(std::get<Adadelta>(OptimizerOf(R"({"name": "adadelta", "rho": 1})")).GetOptions().rho == 1.0);
  CHECK(std::get<Lion>(OptimizerOf(R"({"name": "lion", "betas": [0, 0.5]})")).GetOptions().beta1 == 0.0);
}

TEST_CASE("optimizer config: bad betas", "[config][optimizer]") {
  CHECK(ErrorsOf(R"({"name": "adam", "betas": [0.9, 1.5]})") ==
        std::vector<std::string>{"optimizer.betas[1]: must be in [0, 1), got 1.5"});
  CHECK(ErrorsOf(R"({"name": "radam", "betas": [1, 0.999]})") ==
        std::vector<std::string>{"optimizer.betas[0]: must be in [0, 1), got 1"});
  CHECK(ErrorsOf(R"({"name": "lion", "betas": [-0.1, 0.99]})") ==
        std::vector<std::string>{"optimizer.betas[0]: must be in [0, 1), got -0.1"});
  CHECK(ErrorsOf(R"({"name": "nadam", "betas": [0.9]})") ==
        std::vector<std::string>{"optimizer.betas: must have 2 entries, got 1"});
  CHECK(ErrorsOf(R"({"name": "adamax", "betas": 0.9})") ==
        std::vector<std::string>{"optimizer.betas: must be a list of numbers, got 0.9"});
  CHECK(ErrorsOf(R"({"name": "adamw", "betas": [0.9, "x"]})") ==
        std::vector<std::string>{"optimizer.betas[1]: must be a number, got \"x\""});
}

TEST_CASE("optimizer config: negative or out-of-range numbers", "[config][optimizer]") {
  CHECK(ErrorsOf(R"({"name": "adam", "eps": -1e-8})") ==
        std::vector<std::string>{"optimizer.eps: must be >= 0, got -1e-08"});
  CHECK(ErrorsOf(R"({"name": "adam", "lr": -0.1})") ==
        std::vector<std::string>{"optimizer.lr: must be >= 0, got -0.1"});
  CHECK(ErrorsOf(R"({"name": "adamw", "weight_decay": -0.01})") ==
        std::vector<std::string>{"optimizer.weight_decay: must be >= 0, got -0.01"});
  CHECK(ErrorsOf(R"({"name": "adagrad", "lr_decay": -1, "initial_accumulator_value": -0.1})") ==
        std::vector<std::string>{"optimizer.lr_decay: must be >= 0, got -1",
                                 "optimizer.initial_accumulator_value: must be >= 0, got -0.1"});
  CHECK(ErrorsOf(R"({"name": "rmsprop", "alpha": 1.5, "momentum": 1})") ==
        std::vector<std::string>{"optimizer.alpha: must be in [0, 1], got 1.5",
                                 "optimizer.momentum: must be in [0, 1), got 1"});
  CHECK(ErrorsOf(R"({"name": "adadelta", "rho": -0.5})") ==
        std::vector<std::string>{"optimizer.rho: must be in [0, 1], got -0.5"});
  CHECK(ErrorsOf(R"({"name": "nadam", "momentum_decay": -0.004})") ==
        std::vector<std::string>{"optimizer.momentum_decay: must be >= 0, got -0.004"});
  CHECK(ErrorsOf(R"({"name": "rmsprop", "centered": 1})") ==
        std::vector<std::string>{"optimizer.centered: must be true or false, got 1"});
  CHECK(ErrorsOf(R"({"name": "adam", "amsgrad": "yes"})") ==
        std::vector<std::string>{"optimizer.amsgrad: must be true or false, got \"yes\""});
}

TEST_CASE("optimizer config: options of another optimizer are unknown", "[config][optimizer]") {
  CHECK(ErrorsOf(R"({"name": "rmsprop", "amsgrad": true})") ==
        std::vector<std::string>{"optimizer.amsgrad: unknown option (accepted: alpha, centered, eps, lr, momentum, "
                                 "name, weight_decay)"});
  CHECK(ErrorsOf(R"({"name": "adam", "momentum": 0.9})") ==
        std::vector<std::string>{"optimizer.momentum: unknown option (accepted: amsgrad, betas, eps, lr, name, "
                                 "weight_decay)"});
  CHECK(ErrorsOf(R"({"name": "lion", "eps": 1e-8})") ==
        std::vector<std::string>{"optimizer.eps: unknown option (accepted: betas, lr, name, weight_decay)"});
  CHECK(ErrorsOf(R"({"name": "sgd", "lr": 1, "betas": [0.9, 0.99]})") ==
        std::vector<std::string>{"optimizer.betas: unknown option (accepted: dampening, lr, momentum, name, "
                                 "nesterov, weight_decay)"});
  CHECK(ErrorsOf(R"({"name": "adagrad", "initial_accumulator": 0.1})") ==
        std::vector<std::string>{"optimizer.initial_accumulator: unknown option (accepted: eps, "
                                 "initial_accumulator_value, lr, lr_decay, name, weight_decay)"});
}

TEST_CASE("optimizer config: an unknown name is the only error reported for it", "[config][optimizer]") {
  // The other options cannot be checked against an optimizer that does not exist.
  CHECK(ErrorsOf(R"({"name": "adamx", "lr": 1, "betas": [0.9, 0.99]})") ==
        std::vector<std::string>{"optimizer.name: must be one of sgd, adagrad, rmsprop, adam, adamw, adadelta, "
                                 "adamax, nadam, radam, lion, got \"adamx\""});
  CHECK(ErrorsOf(R"({"name": 3, "lr": -1})") ==
        std::vector<std::string>{"optimizer.name: must be one of sgd, adagrad, rmsprop, adam, adamw, adadelta, "
                                 "adamax, nadam, radam, lion, got 3",
                                 "optimizer.lr: must be >= 0, got -1"});
}
