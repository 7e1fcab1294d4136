#pragma once
// Basic numeric types shared by every layer.
#include <Eigen/Core>

namespace lrlab {

// Parameters, gradients and optimizer state are dense double vectors: the
// figures need exact agreement between native and WebAssembly builds more
// than they need the speed of float.
using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;
using Index = Eigen::Index;

}  // namespace lrlab
