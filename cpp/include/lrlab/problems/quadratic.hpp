#pragma once
// f(x) = ½ xᵀA x − bᵀx with A symmetric positive-definite.
//
// Gradient descent on it is the textbook case for the step size: with a fixed
// η the iteration x ← x − η(Ax − b) converges from every start exactly when
// 0 < η < 2/λmax(A), and the slowest direction contracts by |1 − ηλmin| per
// step (see e.g. Cohen et al., 2021, on the 2/λmax "edge of stability").
//
// Rotated (2-D only) turns the whole function about the origin, so that a
// narrow valley no longer lies along an axis — where per-coordinate adaptive
// methods have no built-in advantage.
#include <optional>
#include <stdexcept>

#include <Eigen/Eigenvalues>

#include "lrlab/core/portable_math.hpp"
#include "lrlab/core/facts.hpp"
#include "lrlab/core/types.hpp"

namespace lrlab {

class Quadratic {
 public:
  // A diagonal A, stored as its diagonal.
  static Quadratic Diagonal(Vector diag, Vector b) {
    if (diag.size() != b.size()) throw std::invalid_argument("quadratic: diag and b differ in size");
    Quadratic q;
    q.diag_ = std::move(diag);
    q.b_ = std::move(b);
    q.lambdaMin_ = q.diag_->minCoeff();
    q.lambdaMax_ = q.diag_->maxCoeff();
    q.minimizer_ = q.b_.cwiseQuotient(*q.diag_);
    return q;
  }

  // A dense symmetric A.
  static Quadratic Dense(Matrix a, Vector b) {
    if (a.rows() != a.cols() || a.rows() != b.size())
      throw std::invalid_argument("quadratic: A must be square and match b");
    Quadratic q;
    Eigen::SelfAdjointEigenSolver<Matrix> eig(a, Eigen::EigenvaluesOnly);
    q.lambdaMin_ = eig.eigenvalues().minCoeff();
    q.lambdaMax_ = eig.eigenvalues().maxCoeff();
    q.minimizer_ = a.ldlt().solve(b);
    q.dense_ = std::move(a);
    q.b_ = std::move(b);
    return q;
  }

  // This function turned counter-clockwise by `degrees` about the origin,
  // f_θ(x) = f(R(θ)ᵀx) with R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]]:
  // A ← R A Rᵀ, b ← R b, minimizer ← R x*; eigenvalues and minimum value are
  // unchanged (so with b = 0 the minimizer stays at the origin). 2-D only.
  // Computed with scalar arithmetic and portable sin/cos, so the result is
  // the same bits natively and in WebAssembly.
  Quadratic Rotated(double degrees) const {
    if (Dimension() != 2) throw std::invalid_argument("quadratic: only a 2-D quadratic can be rotated");
    const SinCos sc = PortableSinCosDegrees(degrees);
    const double r[2][2] = {{sc.cos, -sc.sin}, {sc.sin, sc.cos}};
    double a[2][2];
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j) a[i][j] = diag_ ? (i == j ? (*diag_)[i] : 0.0) : (*dense_)(i, j);
    // (R A Rᵀ)_ij = Σ_k Σ_l R_ik A_kl R_jl; the lower corner copies the upper
    // one so that A stays exactly symmetric.
    Matrix rotated(2, 2);
    for (int i = 0; i < 2; ++i)
      for (int j = i; j < 2; ++j) {
        double sum = 0.0;
        for (int k = 0; k < 2; ++k)
          for (int l = 0; l < 2; ++l) sum += r[i][k] * a[k][l] * r[j][l];
        rotated(i, j) = sum;
      }
    rotated(1, 0) = rotated(0, 1);
    const auto turn = [&](const Vector& v) {
      return Vector{{r[0][0] * v[0] + r[0][1] * v[1], r[1][0] * v[0] + r[1][1] * v[1]}};
    };
    Quadratic q;
    q.dense_ = std::move(rotated);
    q.b_ = turn(b_);
    q.minimizer_ = turn(minimizer_);
    q.lambdaMin_ = lambdaMin_;
    q.lambdaMax_ = lambdaMax_;
    return q;
  }

  Index Dimension() const { return b_.size(); }
  // What one gradient costs, in numbers touched: A·x is n² for a dense A.
  double GradientCost() const {
    const double n = static_cast<double>(Dimension());
    return dense_ ? n * n : n;
  }

  double Value(const Vector& x) const { return 0.5 * x.dot(Apply(x)) - b_.dot(x); }

  double ValueAndGradient(const Vector& x, Vector& g) const {
    g = Apply(x);
    const double value = 0.5 * x.dot(g) - b_.dot(x);
    g -= b_;
    return value;
  }

  // Where runs start unless the config says otherwise.
  Vector InitialPoint() const { return Vector::Ones(Dimension()); }

  // Known answers, used by tests and by figures (the 2/λmax line).
  double LambdaMin() const { return lambdaMin_; }
  double LambdaMax() const { return lambdaMax_; }
  const Vector& Minimizer() const { return minimizer_; }
  double MinimumValue() const { return -0.5 * b_.dot(minimizer_) + 0.0; }  // + 0.0: no "-0"
  Facts Describe() const {
    return Facts().Number("lambda_min", LambdaMin()).Number("lambda_max", LambdaMax()).Number("minimum", MinimumValue())
        .Point("minimizer", Minimizer());
  }

 private:
  Quadratic() = default;
  Vector Apply(const Vector& x) const {
    if (diag_) return diag_->cwiseProduct(x);
    return *dense_ * x;
  }

  std::optional<Vector> diag_;
  std::optional<Matrix> dense_;
  Vector b_;
  Vector minimizer_;
  double lambdaMin_ = 0.0;
  double lambdaMax_ = 0.0;
};

}  // namespace lrlab
