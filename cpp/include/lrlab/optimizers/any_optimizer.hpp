#pragma once
// The closed set of update rules; see problems/any_problem.hpp for why a variant.
#include <variant>

#include "lrlab/optimizers/adadelta.hpp"
#include "lrlab/optimizers/adagrad.hpp"
#include "lrlab/optimizers/adam.hpp"
#include "lrlab/optimizers/adamax.hpp"
#include "lrlab/optimizers/lion.hpp"
#include "lrlab/optimizers/nadam.hpp"
#include "lrlab/optimizers/radam.hpp"
#include "lrlab/optimizers/rmsprop.hpp"
#include "lrlab/optimizers/sgd.hpp"

namespace lrlab {

using AnyOptimizer = std::variant<Sgd, Adagrad, Rmsprop, Adam, AdamW, Adadelta, Adamax, Nadam, Radam, Lion>;

}  // namespace lrlab
