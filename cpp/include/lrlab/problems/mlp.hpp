#pragma once
// A one-hidden-layer classifier with softmax cross-entropy, trained on a
// registered data set (the 10-class handwritten digits, web/data/digits.bin):
//
//   h = act(W₁x + b₁),   z = W₂h + b₂,   ℓ = log Σ_c e^{z_c} − z_y
//   f(θ) = mean of ℓ over the samples (no penalty)
//
// act is tanh or ReLU (ReLU's derivative at 0 is taken as 0, as in PyTorch).
// Inputs are the pixel counts divided by the data set's maximum (16), so they
// lie in [0, 1].
//
// Parameters θ, flattened in the order of PyTorch's
// nn.Sequential(nn.Linear(D, H), act, nn.Linear(H, C)).parameters(), each
// weight matrix row-major as in torch.flatten:
//   W₁ (H × D), b₁ (H), W₂ (C × H), b₂ (C)    — dimension H(D + 1) + C(H + 1),
// 2410 for the digits with H = 32.
//
// Initial point: PyTorch's nn.Linear default, every weight and bias of a layer
// with fan-in m drawn from U(−1/√m, 1/√m) (kaiming_uniform_ with a = √5 gives
// exactly that bound for weights). The numbers come from lrlab::Rng seeded
// with the run's seed, drawn in the flattened order, so they are not
// PyTorch's numbers.
//
// Forward and backward on a batch are a few matrix products on reusable
// scratch matrices (mutable members): evaluating is not thread-safe for one
// object, copies are independent. The data themselves are shared between
// copies.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "lrlab/core/dataset.hpp"
#include "lrlab/core/rng.hpp"
#include "lrlab/core/facts.hpp"
#include "lrlab/core/types.hpp"

namespace lrlab {

class Mlp {
 public:
  enum class Activation { kTanh, kRelu };

  struct Options {
    int hidden = 32;
    Activation activation = Activation::kRelu;
    std::uint64_t seed = 0;  // seeds the initial point
  };

  Mlp(std::shared_ptr<const Dataset> dataset, Options options) : options_(options), data_(Prepare(dataset)) {}

  const Options& GetOptions() const { return options_; }
  Index Inputs() const { return data_->trainX.rows(); }
  Index Hidden() const { return options_.hidden; }
  Index Classes() const { return data_->classes; }
  Index Dimension() const { return Hidden() * (Inputs() + 1) + Classes() * (Hidden() + 1); }
  int NumSamples() const { return static_cast<int>(data_->trainX.cols()); }
  int NumValidation() const { return static_cast<int>(data_->valX.cols()); }
  Facts Describe() const {
    return Facts()
        .Count("n_train", NumSamples())
        .Count("n_val", NumValidation())
        .Count("classes", Classes())
        .Count("hidden", Hidden())
        .Text("activation", options_.activation == Activation::kTanh ? "tanh" : "relu");
  }

  double Value(const Vector& theta) const { return Evaluate(theta, data_->trainX, data_->trainLabels, nullptr); }

  double ValueAndGradient(const Vector& theta, Vector& g) const {
    return Evaluate(theta, data_->trainX, data_->trainLabels, &g);
  }

  // Mean over the training samples listed in `batch` (indices 0..NumSamples()−1).
  double ValueAndGradient(const Vector& theta, Vector& g, std::span<const int> batch) const {
    const auto count = static_cast<Index>(batch.size());
    batchX_.resize(Inputs(), count);
    batchLabels_.resize(batch.size());
    for (Index k = 0; k < count; ++k) {
      const int i = batch[static_cast<std::size_t>(k)];
      batchX_.col(k) = data_->trainX.col(i);
      batchLabels_[static_cast<std::size_t>(k)] = data_->trainLabels[static_cast<std::size_t>(i)];
    }
    return Evaluate(theta, batchX_, batchLabels_, &g);
  }

  // out = H(θ) v, the Hessian of the full-batch loss times v, exactly: one
  // forward pass, its directional derivative along v and the backward pass
  // of both (Pearlmutter's R-operator, 1994). ReLU's second derivative is 0,
  // as torch's double backward takes it, so a ReLU network gets the Hessian
  // of its current linear pieces -- which differences of gradients cannot
  // give where a probe moves a unit across its kink (sharpness.hpp).
  void HessianVectorProduct(const Vector& theta, const Vector& v, Vector& out) const {
    const Matrix& x = data_->trainX;
    const Index h = Hidden(), d = Inputs(), c = Classes(), n = x.cols();
    const auto layers = [&](const double* p) {
      return std::tuple(Eigen::Map<const RowMajor>(p, h, d), Eigen::Map<const Vector>(p + h * d, h),
                        Eigen::Map<const RowMajor>(p + h * (d + 1), c, h),
                        Eigen::Map<const Vector>(p + h * (d + 1) + c * h, c));
    };
    const auto [w1, b1, w2, b2] = layers(theta.data());
    const auto [v1, c1, v2, c2] = layers(v.data());
    const bool tanh = options_.activation == Activation::kTanh;
    // Forward, and its derivative along v (prefix r).
    Matrix act = (w1 * x).colwise() + b1;
    Matrix ract = (v1 * x).colwise() + c1;
    act = tanh ? Matrix(act.array().tanh()) : Matrix(act.cwiseMax(0.0));
    const Matrix slope = tanh ? Matrix(1.0 - act.array().square()) : Matrix((act.array() > 0.0).cast<double>());
    const Matrix rhidden = slope.cwiseProduct(ract);
    Matrix logits = (w2 * act).colwise() + b2;
    const Matrix rlogits = ((v2 * act + w2 * rhidden).colwise() + c2);
    // ∂ℓ/∂z = (softmax − onehot)/n and its derivative (diag p − p pᵀ) Rz / n.
    Matrix delta(c, n), rdelta(c, n);
    const double inv = 1.0 / static_cast<double>(n);
    for (Index k = 0; k < n; ++k) {
      const Vector prob = (logits.col(k).array() - logits.col(k).maxCoeff()).exp().matrix();
      const Vector pk = prob / prob.sum();
      delta.col(k) = inv * pk;
      delta(data_->trainLabels[static_cast<std::size_t>(k)], k) -= inv;
      rdelta.col(k) = inv * (pk.cwiseProduct(rlogits.col(k)) - pk * pk.dot(rlogits.col(k)));
    }
    out.resize(theta.size());
    double* q = out.data();
    Eigen::Map<RowMajor> ow1(q, h, d);
    Eigen::Map<Vector> ob1(q + h * d, h);
    Eigen::Map<RowMajor> ow2(q + h * (d + 1), c, h);
    Eigen::Map<Vector> ob2(q + h * (d + 1) + c * h, c);
    ow2.noalias() = rdelta * act.transpose() + delta * rhidden.transpose();
    ob2 = rdelta.rowwise().sum();
    // Back through the activation: R(act'(a) ⊙ b) = act''(a) ⊙ Ra ⊙ b + act'(a) ⊙ Rb,
    // with tanh'' = −2 tanh · tanh' and relu'' = 0.
    const Matrix back = w2.transpose() * delta;
    Matrix rback = slope.cwiseProduct(v2.transpose() * delta + w2.transpose() * rdelta);
    if (tanh) rback.array() -= 2.0 * act.array() * slope.array() * ract.array() * back.array();
    ow1.noalias() = rback * x.transpose();
    ob1 = rback.rowwise().sum();
  }

  double ValidationLoss(const Vector& theta) const {
    return Evaluate(theta, data_->valX, data_->valLabels, nullptr);
  }

  // Share of validation samples whose largest output is the true class.
  double ValidationAccuracy(const Vector& theta) const {
    Evaluate(theta, data_->valX, data_->valLabels, nullptr);  // leaves the outputs in logits_
    Index correct = 0;
    for (Index k = 0; k < logits_.cols(); ++k) {
      Index best = 0;
      logits_.col(k).maxCoeff(&best);
      correct += best == data_->valLabels[static_cast<std::size_t>(k)];
    }
    return static_cast<double>(correct) / static_cast<double>(logits_.cols());
  }

  Vector InitialPoint() const {
    Rng rng(options_.seed ^ 0x6D6C70496E697421ULL);  // a salt keeps this stream apart from the sampler's
    Vector theta(Dimension());
    const Index h = Hidden(), d = Inputs();
    const double bound1 = 1.0 / std::sqrt(static_cast<double>(d)), bound2 = 1.0 / std::sqrt(static_cast<double>(h));
    Index k = 0;
    for (; k < h * (d + 1); ++k) theta[k] = rng.Uniform(-bound1, bound1);  // W₁, b₁
    for (; k < theta.size(); ++k) theta[k] = rng.Uniform(-bound2, bound2);  // W₂, b₂
    return theta;
  }

 private:
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  struct Data {
    Matrix trainX, valX;  // D × samples, in [0, 1]
    std::vector<int> trainLabels, valLabels;
    Index classes = 0;
  };

  // Mean cross-entropy of the samples in the columns of x; with `g`, also its
  // gradient. The scratch matrices keep their capacity between calls, so a
  // training step of constant batch size allocates nothing.
  double Evaluate(const Vector& theta, const Matrix& x, const std::vector<int>& labels, Vector* g) const {
    const Index h = Hidden(), d = Inputs(), c = Classes(), n = x.cols();
    const double* p = theta.data();
    const Eigen::Map<const RowMajor> w1(p, h, d);
    const Eigen::Map<const Vector> b1(p + h * d, h);
    const Eigen::Map<const RowMajor> w2(p + h * (d + 1), c, h);
    const Eigen::Map<const Vector> b2(p + h * (d + 1) + c * h, c);

    hidden_.resize(h, n);
    hidden_.noalias() = w1 * x;
    hidden_.colwise() += b1;
    if (options_.activation == Activation::kTanh)
      hidden_ = hidden_.array().tanh();
    else
      hidden_ = hidden_.cwiseMax(0.0);
    logits_.resize(c, n);
    logits_.noalias() = w2 * hidden_;
    logits_.colwise() += b2;

    double sum = 0.0;
    if (g) delta_.resize(c, n);
    for (Index k = 0; k < n; ++k) {
      const auto z = logits_.col(k);
      const double top = z.maxCoeff();
      double partition = 0.0;
      for (Index j = 0; j < c; ++j) partition += std::exp(z[j] - top);
      const double logPartition = top + std::log(partition);
      const int y = labels[static_cast<std::size_t>(k)];
      sum += logPartition - z[y];
      if (g) {
        // ∂ℓ/∂z = softmax(z) − onehot(y), divided by n for the mean.
        for (Index j = 0; j < c; ++j) delta_(j, k) = std::exp(z[j] - logPartition) / static_cast<double>(n);
        delta_(y, k) -= 1.0 / static_cast<double>(n);
      }
    }
    if (!g) return sum / static_cast<double>(n);

    g->resize(theta.size());
    double* q = g->data();
    Eigen::Map<RowMajor> gw1(q, h, d);
    Eigen::Map<Vector> gb1(q + h * d, h);
    Eigen::Map<RowMajor> gw2(q + h * (d + 1), c, h);
    Eigen::Map<Vector> gb2(q + h * (d + 1) + c * h, c);
    gw2.noalias() = delta_ * hidden_.transpose();
    gb2 = delta_.rowwise().sum();
    back_.resize(h, n);
    back_.noalias() = w2.transpose() * delta_;
    // The activation's derivative from its output: tanh' = 1 − a², relu' = [a > 0].
    if (options_.activation == Activation::kTanh)
      back_.array() *= 1.0 - hidden_.array().square();
    else
      back_.array() *= (hidden_.array() > 0.0).cast<double>();
    gw1.noalias() = back_ * x.transpose();
    gb1 = back_.rowwise().sum();
    return sum / static_cast<double>(n);
  }

  static std::shared_ptr<const Data> Prepare(const std::shared_ptr<const Dataset>& dataset) {
    if (!dataset) throw std::invalid_argument("mlp: no data set");
    auto d = std::make_shared<Data>();
    d->trainX = dataset->SamplesAsColumns(dataset->train) / dataset->featureMax;
    d->valX = dataset->SamplesAsColumns(dataset->validation) / dataset->featureMax;
    d->trainLabels = dataset->LabelsOf(dataset->train);
    d->valLabels = dataset->LabelsOf(dataset->validation);
    d->classes = dataset->numClasses;
    return d;
  }

  Options options_;
  std::shared_ptr<const Data> data_;
  // Scratch, reused across calls.
  mutable Matrix batchX_, hidden_, logits_, delta_, back_;
  mutable std::vector<int> batchLabels_;
};

}  // namespace lrlab
