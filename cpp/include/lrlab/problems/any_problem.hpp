#pragma once
// The closed set of problems a run can be configured with. A std::variant keeps
// evaluation free of virtual calls; selection by name lives in the config layer.
#include <variant>

#include "lrlab/problems/quadratic.hpp"

namespace lrlab {

using AnyProblem = std::variant<Quadratic>;

}  // namespace lrlab
