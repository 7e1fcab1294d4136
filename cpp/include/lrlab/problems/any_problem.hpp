#pragma once
// The closed set of problems a run can be configured with. A std::variant keeps
// evaluation free of virtual calls; selection by name lives in the config layer.
#include <variant>

#include "lrlab/problems/beale.hpp"
#include "lrlab/problems/double_well.hpp"
#include "lrlab/problems/himmelblau.hpp"
#include "lrlab/problems/logistic_regression.hpp"
#include "lrlab/problems/mlp.hpp"
#include "lrlab/problems/quadratic.hpp"
#include "lrlab/problems/rastrigin.hpp"
#include "lrlab/problems/rosenbrock.hpp"
#include "lrlab/problems/saddle.hpp"
#include "lrlab/problems/sparse_linear.hpp"

namespace lrlab {

using AnyProblem = std::variant<Quadratic, Rosenbrock, Beale, Himmelblau, Rastrigin, DoubleWell, Saddle,
                                SparseLinear, LogisticRegression, Mlp>;

}  // namespace lrlab
