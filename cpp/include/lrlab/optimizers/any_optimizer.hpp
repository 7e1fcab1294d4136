#pragma once
// The closed set of update rules; see problems/any_problem.hpp for why a variant.
#include <variant>

#include "lrlab/optimizers/sgd.hpp"

namespace lrlab {

using AnyOptimizer = std::variant<Sgd>;

}  // namespace lrlab
