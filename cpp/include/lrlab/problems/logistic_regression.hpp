#pragma once
// Binary logistic regression with mean cross-entropy on a real data set: the
// handwritten digits (lrlab::Dataset, web/data/digits.bin), task "is the digit
// 5 or more?" (digits 0–4 → class 0, 5–9 → class 1). No hyperplane separates
// the classes (the best fit classifies about 91 % of either split correctly).
//
// Parameters θ = (w, b): the 64 weights in pixel order, then the bias.
// With z = wᵀx + b, y ∈ {0, 1} and σ the logistic function,
//
//   f(θ) = (1/n) Σᵢ [log(1 + e^{zᵢ}) − yᵢ zᵢ] + (l2/2) ‖w‖²
//   ∇f   = (1/n) Σᵢ (σ(zᵢ) − yᵢ) (xᵢ, 1)   + l2 (w, 0)
//
// log(1 + e^z) is evaluated as max(z, 0) + log(1 + e^{−|z|}) so that it never
// overflows. The penalty leaves the bias out (as scikit-learn does; PyTorch's
// weight_decay would include it) and is part of every minibatch loss; the
// validation loss is the plain mean cross-entropy on the validation split.
//
// Features are standardised with the training split's mean and (population)
// standard deviation; a pixel that is constant over the training split is
// only centred (it stays 0).
//
// Known answers: the infimum of the training objective, found by Newton's
// method with backtracking (f is convex) when the problem is first built for
// a data set and penalty, and cached for later builds. With l2 > 0 it is a
// minimum, attained at Minimizer(). With l2 = 0 it is not attained: a few
// border pixels are non-zero in only a handful of training images, all of
// digits below 5, so the loss keeps falling as their weights go to −∞
// (quasi-separation). Minimizer() is then empty and MinimumValue() is the
// infimum, to about 1e-13.
#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include <Eigen/Cholesky>

#include "lrlab/core/dataset.hpp"
#include "lrlab/core/facts.hpp"
#include "lrlab/core/types.hpp"

namespace lrlab {

class LogisticRegression {
 public:
  struct Options {
    double l2 = 0.0;       // penalty on the weights (not the bias)
    int positiveFrom = 5;  // classes ≥ this are the positive class
  };

  LogisticRegression(std::shared_ptr<const Dataset> dataset, Options options)
      : options_(options), data_(PreparedFor(dataset, options)) {}

  const Options& GetOptions() const { return options_; }
  Index Dimension() const { return data_->trainX.rows(); }
  int NumSamples() const { return static_cast<int>(data_->trainX.cols()); }
  int NumValidation() const { return static_cast<int>(data_->valX.cols()); }

  double Value(const Vector& theta) const {
    return MeanLoss(theta, data_->trainX, data_->trainY) + Penalty(theta, options_.l2);
  }

  double ValueAndGradient(const Vector& theta, Vector& g) const { return FullObjective(*data_, options_.l2, theta, g); }

  // Mean over the training samples listed in `batch` (indices 0..NumSamples()−1).
  double ValueAndGradient(const Vector& theta, Vector& g, std::span<const int> batch) const {
    g = Vector::Zero(theta.size());
    double sum = 0.0;
    for (int i : batch) sum += Accumulate(*data_, theta, i, g);
    return Finish(options_.l2, theta, sum, static_cast<Index>(batch.size()), g);
  }

  double ValidationLoss(const Vector& theta) const { return MeanLoss(theta, data_->valX, data_->valY); }

  // Share of validation samples classified correctly (z > 0 ↔ class 1).
  double ValidationAccuracy(const Vector& theta) const {
    const Vector z = data_->valX.transpose() * theta;
    Index correct = 0;
    for (Index i = 0; i < z.size(); ++i) correct += (z[i] > 0.0) == (data_->valY[i] > 0.5);
    return static_cast<double>(correct) / static_cast<double>(z.size());
  }

  Vector InitialPoint() const { return Vector::Zero(Dimension()); }

  // Set when l2 > 0 (see above).
  const std::optional<Vector>& Minimizer() const { return data_->minimizer; }
  // The infimum of the training objective; nullopt only if Newton's method
  // did not converge (not seen on the digits).
  std::optional<double> MinimumValue() const { return data_->minimum; }
  // With l2 = 0 the minimum is an infimum and there is no minimizer.
  Facts Describe() const {
    Facts facts;
    facts.Count("n_train", NumSamples()).Count("n_val", NumValidation()).Count("classes", 2);
    if (MinimumValue()) facts.Number("minimum", *MinimumValue());
    if (Minimizer()) facts.Point("minimizer", *Minimizer());
    return facts;
  }

 private:
  struct Data {
    Matrix trainX, valX;  // (D + 1) × samples; the last row is 1 (the bias input)
    Vector trainY, valY;  // 0 or 1
    std::optional<Vector> minimizer;
    std::optional<double> minimum;
  };

  static double Sigmoid(double z) {
    if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
  }
  static double SampleLoss(double z, double y) {
    return std::max(z, 0.0) + std::log(1.0 + std::exp(-std::abs(z))) - y * z;
  }

  static double MeanLoss(const Vector& theta, const Matrix& x, const Vector& y) {
    const Vector z = x.transpose() * theta;
    double sum = 0.0;
    for (Index i = 0; i < z.size(); ++i) sum += SampleLoss(z[i], y[i]);
    return sum / static_cast<double>(z.size());
  }

  static double Accumulate(const Data& d, const Vector& theta, Index i, Vector& g) {
    const auto x = d.trainX.col(i);
    const double z = x.dot(theta), y = d.trainY[i];
    g.noalias() += (Sigmoid(z) - y) * x;
    return SampleLoss(z, y);
  }

  static double Penalty(const Vector& theta, double l2) {
    return l2 == 0.0 ? 0.0 : 0.5 * l2 * theta.head(theta.size() - 1).squaredNorm();
  }

  static double Finish(double l2, const Vector& theta, double sum, Index count, Vector& g) {
    g /= static_cast<double>(count);
    if (l2 != 0.0) g.head(g.size() - 1).noalias() += l2 * theta.head(theta.size() - 1);
    return sum / static_cast<double>(count) + Penalty(theta, l2);
  }

  static double FullObjective(const Data& d, double l2, const Vector& theta, Vector& g) {
    g = Vector::Zero(theta.size());
    double sum = 0.0;
    for (Index i = 0; i < d.trainX.cols(); ++i) sum += Accumulate(d, theta, i, g);
    return Finish(l2, theta, sum, d.trainX.cols(), g);
  }

  // The prepared data and answers for (data set, options), from a small
  // process-wide cache: Newton's method takes tens of milliseconds, and a
  // sweep builds the same problem once per run.
  static std::shared_ptr<const Data> PreparedFor(const std::shared_ptr<const Dataset>& dataset,
                                                 const Options& options) {
    if (!dataset) throw std::invalid_argument("logistic_regression: no data set");
    struct Entry {
      std::weak_ptr<const Dataset> dataset;
      double l2;
      int positiveFrom;
      std::shared_ptr<const Data> data;
    };
    static std::mutex mutex;
    static std::vector<Entry> cache;
    std::lock_guard lock(mutex);
    for (const Entry& e : cache)
      if (e.dataset.lock() == dataset && e.l2 == options.l2 && e.positiveFrom == options.positiveFrom) return e.data;
    auto data = Prepare(*dataset, options);
    std::erase_if(cache, [](const Entry& e) { return e.dataset.expired(); });
    if (cache.size() >= 16) cache.erase(cache.begin());
    cache.push_back({dataset, options.l2, options.positiveFrom, data});
    return data;
  }

  static std::shared_ptr<const Data> Prepare(const Dataset& dataset, const Options& options) {
    auto d = std::make_shared<Data>();
    const Index features = dataset.NumFeatures();
    const Matrix train = dataset.SamplesAsColumns(dataset.train);
    const Vector mean = train.rowwise().mean();
    Vector scale = ((train.colwise() - mean).rowwise().squaredNorm() / static_cast<double>(train.cols())).cwiseSqrt();
    for (Index j = 0; j < features; ++j)
      if (!(scale[j] > 0.0)) scale[j] = 1.0;
    auto standardise = [&](const std::vector<int>& rows, Matrix& x, Vector& y) {
      x.resize(features + 1, static_cast<Index>(rows.size()));
      x.topRows(features) = (dataset.SamplesAsColumns(rows).colwise() - mean).array().colwise() / scale.array();
      x.row(features).setOnes();
      y.resize(x.cols());
      for (Index i = 0; i < y.size(); ++i)
        y[i] = dataset.labels[static_cast<std::size_t>(rows[static_cast<std::size_t>(i)])] >= options.positiveFrom;
    };
    standardise(dataset.train, d->trainX, d->trainY);
    standardise(dataset.validation, d->valX, d->valY);
    SolveByNewton(*d, options.l2);
    return d;
  }

  static void SolveByNewton(Data& d, double l2) {
    const Index dim = d.trainX.rows(), n = d.trainX.cols();
    Vector theta = Vector::Zero(dim), g, trial, trialG, weight(n);
    Matrix weighted(dim, n), hessian(dim, dim);
    double f = FullObjective(d, l2, theta, g);
    for (int iteration = 0; iteration < 200 && g.lpNorm<Eigen::Infinity>() >= 1e-12; ++iteration) {
      const Vector z = d.trainX.transpose() * theta;
      for (Index i = 0; i < n; ++i) {
        const double s = Sigmoid(z[i]);
        weight[i] = s * (1.0 - s) / static_cast<double>(n);
      }
      weighted.noalias() = d.trainX * weight.asDiagonal();
      hessian.noalias() = weighted * d.trainX.transpose();
      // The ridge only keeps the factorisation defined in directions the data
      // never vary in (constant pixels); the gradient there is 0, so is the step.
      hessian.diagonal().array() += 1e-12;
      hessian.diagonal().head(dim - 1).array() += l2;
      const Vector step = hessian.ldlt().solve(g);
      // The Newton decrement gᵀH⁻¹g estimates twice the remaining decrease;
      // once it is at rounding level the line search cannot tell better from
      // worse, so stop.
      if (g.dot(step) < 1e-20) break;
      bool moved = false;
      for (double t = 1.0; t > 1e-12 && !moved; t *= 0.5) {
        trial = theta - t * step;
        const double trialF = FullObjective(d, l2, trial, trialG);
        if (trialF <= f - 1e-4 * t * g.dot(step)) {
          theta.swap(trial);
          g.swap(trialG);
          f = trialF;
          moved = true;
        }
      }
      if (!moved) break;  // at the floating-point floor
    }
    if (!(g.lpNorm<Eigen::Infinity>() < 1e-9)) return;
    d.minimum = f;
    if (l2 > 0.0) d.minimizer = theta;
  }

  Options options_;
  std::shared_ptr<const Data> data_;  // immutable: copies of the problem share it
};

}  // namespace lrlab
