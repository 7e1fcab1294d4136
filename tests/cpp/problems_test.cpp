#include <catch2/catch.hpp>

#include "lrlab/problems/quadratic.hpp"
#include "test_util.hpp"

using lrlab::Matrix;
using lrlab::Quadratic;
using lrlab::Vector;

TEST_CASE("quadratic: analytic gradient matches finite differences", "[problem]") {
  const Quadratic diag = Quadratic::Diagonal(Vector{{1.0, 10.0, 0.5}}, Vector{{1.0, -2.0, 0.0}});
  Matrix a{{4.0, 1.0}, {1.0, 3.0}};
  const Quadratic dense = Quadratic::Dense(a, Vector{{1.0, 2.0}});
  for (const Vector& x : {Vector{{0.3, -1.2, 2.0}}, Vector{{-5.0, 4.0, 1e-3}}})
    CHECK(lrlab::testing::GradientError(diag, x) < 1e-8);
  for (const Vector& x : {Vector{{0.3, -1.2}}, Vector{{7.0, 1.0}}})
    CHECK(lrlab::testing::GradientError(dense, x) < 1e-8);
}

TEST_CASE("quadratic: knows its eigenvalues, minimizer and minimum", "[problem]") {
  // A = [[4,1],[1,3]] has eigenvalues (7 ± √5)/2.
  Matrix a{{4.0, 1.0}, {1.0, 3.0}};
  const Vector b{{1.0, 2.0}};
  const Quadratic q = Quadratic::Dense(a, b);
  CHECK(q.LambdaMin() == Approx((7.0 - std::sqrt(5.0)) / 2));
  CHECK(q.LambdaMax() == Approx((7.0 + std::sqrt(5.0)) / 2));
  // A x* = b  →  x* = (1/11)·[1, 7].
  CHECK(q.Minimizer()[0] == Approx(1.0 / 11));
  CHECK(q.Minimizer()[1] == Approx(7.0 / 11));
  Vector g;
  CHECK(q.ValueAndGradient(q.Minimizer(), g) == Approx(q.MinimumValue()));
  CHECK(g.norm() < 1e-12);
  CHECK(q.MinimumValue() == Approx(-0.5 * (1.0 / 11 + 14.0 / 11)));

  const Quadratic d = Quadratic::Diagonal(Vector{{2.0, 0.5}}, Vector{{4.0, 1.0}});
  CHECK(d.LambdaMin() == 0.5);
  CHECK(d.LambdaMax() == 2.0);
  CHECK(d.Minimizer()[0] == 2.0);
  CHECK(d.Minimizer()[1] == 2.0);
  CHECK(d.Value(Vector{{1.0, 1.0}}) == Approx(0.5 * (2.0 + 0.5) - 5.0));
}

// ---- the other problems ------------------------------------------------------

#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "lrlab/core/dataset.hpp"
#include "lrlab/problems/any_problem.hpp"
#include "lrlab/training/trainer.hpp"

namespace lrlab::testing {

std::string ReadDigitsBytes() {
  std::ifstream file(LRLAB_SOURCE_DIR "/web/data/digits.bin", std::ios::binary);
  REQUIRE(file.good());
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// The digits set, parsed once and registered under "digits" (the config tests
// use it too).
std::shared_ptr<const Dataset> LoadDigitsForTests() {
  static const std::shared_ptr<const Dataset> digits = std::make_shared<const Dataset>(ParseDataset(ReadDigitsBytes()));
  RegisterDataset(kDigitsDataset, digits);
  return digits;
}

}  // namespace lrlab::testing

namespace {

using namespace lrlab;
using lrlab::testing::GradientError;
using lrlab::testing::LoadDigitsForTests;

// Like GradientError, for the mean over a minibatch; `stride` checks every
// stride-th coordinate only (for problems with thousands of parameters).
template <SeparableObjective P>
double BatchGradientError(const P& problem, const Vector& x, std::span<const int> batch, Index stride = 1,
                          double h = 1e-6) {
  Vector g, unused;
  problem.ValueAndGradient(x, g, batch);
  double worst = 0.0;
  for (Index i = 0; i < x.size(); i += stride) {
    Vector plus = x, minus = x;
    plus[i] += h;
    minus[i] -= h;
    const double numeric =
        (problem.ValueAndGradient(plus, unused, batch) - problem.ValueAndGradient(minus, unused, batch)) / (2 * h);
    const double scale = std::max({1.0, std::abs(numeric), std::abs(g[i])});
    worst = std::max(worst, std::abs(numeric - g[i]) / scale);
  }
  return worst;
}

Vector RandomPoint(Index dim, std::uint64_t seed, double scale) {
  Rng rng(seed);
  Vector x(dim);
  for (Index i = 0; i < dim; ++i) x[i] = scale * rng.Normal();
  return x;
}

std::vector<int> AllSamples(int n) {
  std::vector<int> all(static_cast<std::size_t>(n));
  std::iota(all.begin(), all.end(), 0);
  return all;
}

template <SeparableObjective P>
void CheckFullBatchEqualsMean(const P& problem, const Vector& x) {
  Vector gFull, gBatch;
  const double full = problem.ValueAndGradient(x, gFull);
  const std::vector<int> all = AllSamples(problem.NumSamples());
  const double batch = problem.ValueAndGradient(x, gBatch, all);
  CHECK(batch == Approx(full).epsilon(1e-12));
  CHECK((gBatch - gFull).norm() <= 1e-12 * std::max(1.0, gFull.norm()));
  CHECK(problem.Value(x) == Approx(full).epsilon(1e-12));
}

// The full gradient and a minibatch gradient against finite differences, and
// the batch of everything against the full objective.
template <SeparableObjective P>
void CheckSeparableGradients(const P& problem, const Vector& x, const std::vector<int>& batch) {
  CHECK(GradientError(problem, x) < 1e-7);
  CHECK(BatchGradientError(problem, x, batch) < 1e-7);
  CheckFullBatchEqualsMean(problem, x);
}

// Gradient descent with a fixed η for `steps` steps.
template <DifferentiableObjective P>
Vector Descend(const P& problem, Vector x, double lr, int steps) {
  Vector g;
  for (int t = 0; t < steps && x.allFinite() && x.norm() < 1e6; ++t) {
    problem.ValueAndGradient(x, g);
    x -= lr * g;
  }
  return x;
}

}  // namespace

TEST_CASE("analytic test functions: gradients match finite differences", "[problem]") {
  const std::vector<Vector> points2 = {Vector{{-1.5, 2.0}}, Vector{{0.3, -0.7}}, Vector{{2.1, 1.4}},
                                       Vector{{-3.0, -2.5}}};
  for (const Vector& x : points2) {
    INFO("x = " << x.transpose());
    CHECK(GradientError(Rosenbrock(), x) < 1e-7);
    CHECK(GradientError(Rosenbrock({.a = 2.0, .b = 10.0}), x) < 1e-7);
    CHECK(GradientError(Beale(), x) < 1e-7);
    CHECK(GradientError(Himmelblau(), x) < 1e-7);
    CHECK(GradientError(Rastrigin(), x) < 1e-7);
  }
  for (std::uint64_t seed : {1u, 2u, 3u}) CHECK(GradientError(Rastrigin({.dim = 7}), RandomPoint(7, seed, 2.0)) < 1e-7);
  for (double t : {-3.0, -2.0, -0.5, 0.0, 0.7, 1.0, 2.5})
    CHECK(GradientError(DoubleWell(), Vector::Constant(1, t)) < 1e-7);
}

TEST_CASE("analytic test functions: known minimizers have the minimum value and zero gradient", "[problem]") {
  Vector g;
  for (const Rosenbrock& r : {Rosenbrock(), Rosenbrock({.a = -2.0, .b = 3.0})}) {
    CHECK(r.ValueAndGradient(r.Minimizer(), g) == r.MinimumValue());
    CHECK(g.norm() == 0.0);
  }
  CHECK(Rosenbrock().Minimizer() == Vector{{1.0, 1.0}});
  CHECK(Beale().ValueAndGradient(Beale().Minimizer(), g) == 0.0);
  CHECK(g.norm() == 0.0);
  for (const Vector& m : Himmelblau::Minimizers()) {
    INFO("minimizer " << m.transpose());
    CHECK(Himmelblau().ValueAndGradient(m, g) < 1e-24);
    CHECK(g.norm() < 1e-12);
  }
  Himmelblau().ValueAndGradient(Himmelblau::LocalMaximizer(), g);
  CHECK(g.norm() < 1e-12);
  CHECK(Himmelblau().Value(Himmelblau::LocalMaximizer()) == Approx(181.617).epsilon(1e-5));
  const Rastrigin rastrigin({.dim = 5});
  CHECK(rastrigin.ValueAndGradient(rastrigin.Minimizer(), g) == 0.0);
  CHECK(g.norm() == 0.0);
  CHECK(rastrigin.InitialPoint() == Vector::Constant(5, 2.2));

  const DoubleWell well;
  CHECK(well.ValueAndGradient(well.Minimizer(), g) == Approx(0.0).margin(1e-15));
  CHECK(g[0] == 0.0);
  CHECK(well.ValueAndGradient(well.ShallowMinimizer(), g) == Approx(2.25));
  CHECK(g[0] == 0.0);
  CHECK(well.ValueAndGradient(well.Barrier(), g) == Approx(8.0 / 3.0));
  CHECK(g[0] == 0.0);
  // The documented curvatures, by central differences of the gradient.
  auto curvature = [&](double t) {
    Vector gp, gm;
    well.ValueAndGradient(Vector::Constant(1, t + 1e-5), gp);
    well.ValueAndGradient(Vector::Constant(1, t - 1e-5), gm);
    return (gp[0] - gm[0]) / 2e-5;
  };
  CHECK(curvature(-2.0) == Approx(well.MinimumCurvature()).epsilon(1e-8));
  CHECK(curvature(1.0) == Approx(well.ShallowMinimumCurvature()).epsilon(1e-8));
}

TEST_CASE("double well: small steps stay in the shallow basin and larger ones hop to the deep one", "[problem]") {
  const DoubleWell well;
  for (double lr : {0.01, 0.1, 0.14}) {
    INFO("lr = " << lr);
    CHECK(Descend(well, well.InitialPoint(), lr, 5000)[0] == Approx(1.0));
  }
  for (double lr : {0.15, 0.2, 0.25, 0.31}) {
    INFO("lr = " << lr);
    CHECK(Descend(well, well.InitialPoint(), lr, 5000)[0] == Approx(-2.0));
  }
  const Vector far = Descend(well, well.InitialPoint(), 0.34, 5000);
  CHECK_FALSE((far.allFinite() && far.norm() < 1e6));
}

TEST_CASE("beale: gradient descent from the default start converges at 0.01 and blows up at 0.05", "[problem]") {
  const Beale beale;
  CHECK((Descend(beale, beale.InitialPoint(), 0.01, 20000) - beale.Minimizer()).norm() < 1e-8);
  const Vector far = Descend(beale, beale.InitialPoint(), 0.05, 20000);
  CHECK_FALSE((far.allFinite() && far.norm() < 1e6));
}

TEST_CASE("sparse_linear: gradients and minibatches", "[problem]") {
  const SparseLinear problem({.numSamples = 200, .dim = 12, .rareFraction = 0.5, .rareProb = 0.05, .seed = 3});
  CHECK(problem.NumSamples() == 200);
  CHECK(problem.NumValidation() == 50);
  CHECK(problem.FirstRareFeature() == 6);
  for (std::uint64_t seed : {1u, 2u})
    CheckSeparableGradients(problem, RandomPoint(12, seed, 1.0), {3, 17, 17, 150, 199, 0});
  // Frequent features occur in every sample, rare ones in a few (but at least one).
  const Vector& freq = problem.FeatureFrequency();
  CHECK(freq.head(6).minCoeff() == 1.0);
  CHECK(freq.tail(6).maxCoeff() < 0.2);
  CHECK(freq.tail(6).minCoeff() > 0.0);
}

TEST_CASE("sparse_linear: knows its minimizer and Hessian spectrum", "[problem]") {
  // Few samples and very rare features: some features occur once, so H is
  // badly conditioned but still regular after the repair step.
  for (const SparseLinear& problem : {SparseLinear({.seed = 0}),
                                      SparseLinear({.numSamples = 30, .dim = 10, .rareProb = 0.01, .seed = 5})}) {
    Vector g;
    CHECK(problem.ValueAndGradient(problem.Minimizer(), g) == Approx(problem.MinimumValue()));
    CHECK(g.norm() < 1e-10);
    CHECK(problem.LambdaMin() > 0.0);
    CHECK(problem.LambdaMin() <= problem.LambdaMax());
    // f is quadratic with Hessian H: f(x* + t v) = f* + ½ t² vᵀHv ≤ f* + ½ t² λmax.
    const Vector v = RandomPoint(problem.Dimension(), 9, 1.0).normalized();
    const double rise = problem.Value(problem.Minimizer() + v) - problem.MinimumValue();
    CHECK(rise <= 0.5 * problem.LambdaMax() * (1 + 1e-9));
    CHECK(rise >= 0.5 * problem.LambdaMin() * (1 - 1e-9));
  }
  // Full-batch gradient descent converges below 2/λmax.
  const SparseLinear problem({.numSamples = 300, .dim = 8, .rareProb = 0.2, .seed = 1});
  const Vector end = Descend(problem, problem.InitialPoint(), 1.9 / problem.LambdaMax(), 20000);
  CHECK((end - problem.Minimizer()).norm() < 1e-6);
}

TEST_CASE("sparse_linear: the same seed gives the same data and another seed other data", "[problem]") {
  const SparseLinear a({.seed = 7}), b({.seed = 7}), c({.seed = 8});
  CHECK(a.TrainFeatures() == b.TrainFeatures());
  CHECK(a.TrainTargets() == b.TrainTargets());
  CHECK(a.ValidationLoss(Vector::Ones(20)) == b.ValidationLoss(Vector::Ones(20)));
  CHECK(a.TrainFeatures() != c.TrainFeatures());
  CHECK(a.TrueWeights() != c.TrueWeights());
}

TEST_CASE("dataset: the digits file holds 1797 samples of 64 pixels in 10 classes", "[problem][data]") {
  const auto digits = LoadDigitsForTests();
  CHECK(digits->features.rows() == 1797);
  CHECK(digits->NumFeatures() == 64);
  CHECK(digits->numClasses == 10);
  CHECK(digits->featureMax == 16.0);
  CHECK(digits->train.size() == 1437);
  CHECK(digits->validation.size() == 360);
  CHECK(digits->features.minCoeff() == 0.0);
  CHECK(digits->features.maxCoeff() == 16.0);
  std::vector<int> perClass(10, 0);
  for (int label : digits->labels) ++perClass[static_cast<std::size_t>(label)];
  for (int count : perClass) CHECK((count >= 170 && count <= 190));
  // The split is a partition of the samples.
  std::vector<int> seen(1797, 0);
  for (int i : digits->train) ++seen[static_cast<std::size_t>(i)];
  for (int i : digits->validation) ++seen[static_cast<std::size_t>(i)];
  CHECK(std::all_of(seen.begin(), seen.end(), [](int s) { return s == 1; }));
  CHECK(FindDataset(kDigitsDataset) == digits);
  CHECK(FindDataset("no such set") == nullptr);
}

namespace {
// A well-formed file in the documented format, with a correct checksum.
std::string MakeDatasetFile(std::uint32_t n, std::uint32_t d, std::uint32_t classes, std::uint32_t numTrain,
                            std::uint32_t maxValue, const std::vector<unsigned char>& features,
                            const std::vector<unsigned char>& labels) {
  std::string out = "LRLABDS1";
  for (std::uint32_t v : {n, d, classes, numTrain, maxValue})
    for (int byte = 0; byte < 4; ++byte) out.push_back(static_cast<char>((v >> (8 * byte)) & 0xFF));
  out.append(features.begin(), features.end());
  out.append(labels.begin(), labels.end());
  std::uint32_t h = 0x811C9DC5u;
  for (char c : out) h = (h ^ static_cast<unsigned char>(c)) * 0x01000193u;
  for (int byte = 0; byte < 4; ++byte) out.push_back(static_cast<char>((h >> (8 * byte)) & 0xFF));
  return out;
}
}  // namespace

TEST_CASE("dataset: the parser reads a small file and rejects malformed ones", "[problem][data]") {
  using Catch::Matchers::Contains;
  const Dataset small = ParseDataset(MakeDatasetFile(3, 2, 2, 2, 4, {0, 1, 2, 3, 4, 0}, {1, 0, 1}));
  CHECK(small.features == Matrix{{0.0, 1.0}, {2.0, 3.0}, {4.0, 0.0}});
  CHECK(small.labels == std::vector<int>{1, 0, 1});
  CHECK(small.train == std::vector<int>{0, 1});
  CHECK(small.validation == std::vector<int>{2});
  CHECK(small.featureMax == 4.0);

  const std::string digits = lrlab::testing::ReadDigitsBytes();
  CHECK_THROWS_WITH(ParseDataset(""), Contains("not an lrlab data set"));
  CHECK_THROWS_WITH(ParseDataset("PK\x03\x04 a zip file, not a data set"), Contains("not an lrlab data set"));
  CHECK_THROWS_WITH(ParseDataset(digits.substr(0, digits.size() - 1)), Contains("truncated"));
  CHECK_THROWS_WITH(ParseDataset(digits.substr(0, 1000)), Contains("truncated"));
  CHECK_THROWS_AS(ParseDataset(digits + "x"), std::invalid_argument);
  std::string garbled = digits;
  garbled[5000] = static_cast<char>(garbled[5000] ^ 0x10);
  CHECK_THROWS_WITH(ParseDataset(garbled), Contains("checksum"));
  CHECK_THROWS_WITH(ParseDataset(MakeDatasetFile(3, 2, 2, 2, 4, {0, 1, 2, 3, 5, 0}, {1, 0, 1})),
                    Contains("feature value 5 exceeds the maximum 4"));
  CHECK_THROWS_WITH(ParseDataset(MakeDatasetFile(3, 2, 2, 2, 4, {0, 1, 2, 3, 4, 0}, {1, 2, 1})),
                    Contains("label 2"));
  CHECK_THROWS_WITH(ParseDataset(MakeDatasetFile(3, 2, 2, 3, 4, {0, 1, 2, 3, 4, 0}, {1, 0, 1})),
                    Contains("training count 3"));
  CHECK_THROWS_WITH(ParseDataset(MakeDatasetFile(3, 2, 1, 2, 4, {0, 1, 2, 3, 4, 0}, {0, 0, 0})),
                    Contains("class count 1"));
}

TEST_CASE("dataset: version 2 holds a reader's real-valued table, finite and bounded", "[problem][data]") {
  using Catch::Matchers::Contains;
  using lrlab::testing::MakeTableFile;
  const Dataset table = ParseDataset(MakeTableFile(3, 2, 3, 2, {0.5, -1.25, 2e10, 3.0, -4.0, 1e-300}, {2, 0, 1}));
  CHECK(table.features == Matrix{{0.5, -1.25}, {2e10, 3.0}, {-4.0, 1e-300}});
  CHECK(table.labels == std::vector<int>{2, 0, 1});
  CHECK(table.numClasses == 3);
  CHECK(table.train == std::vector<int>{0, 1});
  CHECK(table.validation == std::vector<int>{2});
  CHECK(table.featureMax == 1.0);

  const std::string good = MakeTableFile(3, 2, 2, 2, {0, 1, 2, 3, 4, 5}, {1, 0, 1});
  CHECK_THROWS_WITH(ParseDataset(good.substr(0, good.size() - 1)), Contains("truncated"));
  CHECK_THROWS_WITH(ParseDataset(good.substr(0, 12)), Contains("truncated"));
  std::string garbled = good;
  garbled[30] = static_cast<char>(garbled[30] ^ 0x01);
  CHECK_THROWS_WITH(ParseDataset(garbled), Contains("checksum"));
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(ParseDataset(MakeTableFile(3, 2, 2, 2, {0, 1, nan, 3, 4, 5}, {1, 0, 1})),
                    Contains("feature 0 of sample 1 is not a finite number"));
  CHECK_THROWS_WITH(ParseDataset(MakeTableFile(3, 2, 2, 2, {0, 1, 2, 3, 4, -inf}, {1, 0, 1})),
                    Contains("not a finite number"));
  CHECK_THROWS_WITH(ParseDataset(MakeTableFile(3, 2, 2, 2, {0, 1, 2, 3, 4, 5}, {1, 2, 1})), Contains("label 2"));
  CHECK_THROWS_WITH(ParseDataset(MakeTableFile(3, 2, 2, 3, {0, 1, 2, 3, 4, 5}, {1, 0, 1})),
                    Contains("training count 3"));
  CHECK_THROWS_WITH(ParseDataset(MakeTableFile(1, 2, 2, 1, {0, 1}, {1})), Contains("sample count 1"));
  // The bounds are read from the header, before the size is: a forged count
  // is refused without a huge allocation.
  CHECK_THROWS_WITH(ParseDataset(MakeTableFile(3, 101, 2, 2, {}, {})), Contains("feature count 101"));
  CHECK_THROWS_WITH(ParseDataset(MakeTableFile(500'001, 1, 2, 2, {}, {})), Contains("more than 500000 values"));
  CHECK_THROWS_WITH(ParseDataset(MakeTableFile(4'000'000'000u, 100, 2, 2, {}, {})), Contains("more than 500000"));
}

TEST_CASE("logistic_regression: gradients and minibatches on the digits", "[problem][data]") {
  const auto digits = LoadDigitsForTests();
  for (double l2 : {0.0, 0.1}) {
    const LogisticRegression problem(digits, {.l2 = l2});
    INFO("l2 = " << l2);
    CHECK(problem.Dimension() == 65);
    CHECK(problem.NumSamples() == 1437);
    CHECK(problem.NumValidation() == 360);
    for (std::uint64_t seed : {1u, 2u})
      CheckSeparableGradients(problem, RandomPoint(65, seed, 0.3), {0, 5, 5, 800, 1436});
  }
  // At θ = 0 every prediction is ½: the loss is ln 2 on both splits.
  const LogisticRegression problem(digits, {});
  CHECK(problem.Value(problem.InitialPoint()) == Approx(std::log(2.0)));
  CHECK(problem.ValidationLoss(problem.InitialPoint()) == Approx(std::log(2.0)));
}

TEST_CASE("logistic_regression: the minimum is found and the task is not separable", "[problem][data]") {
  const auto digits = LoadDigitsForTests();
  for (double l2 : {0.01, 0.1}) {
    INFO("l2 = " << l2);
    const LogisticRegression problem(digits, {.l2 = l2});
    REQUIRE(problem.Minimizer().has_value());
    REQUIRE(problem.MinimumValue().has_value());
    Vector g;
    CHECK(problem.ValueAndGradient(*problem.Minimizer(), g) == Approx(*problem.MinimumValue()));
    CHECK(g.lpNorm<Eigen::Infinity>() < 1e-9);
    CHECK(problem.ValidationAccuracy(*problem.Minimizer()) > 0.85);
  }
  // Without a penalty the infimum is not attained (see the header), but known.
  const LogisticRegression plain(digits, {});
  CHECK_FALSE(plain.Minimizer().has_value());
  REQUIRE(plain.MinimumValue().has_value());
  const double infimum = *plain.MinimumValue();
  // Well above zero: no weight vector separates the classes.
  CHECK(infimum > 0.2);
  CHECK(infimum < LogisticRegression(digits, {.l2 = 0.01}).MinimumValue().value());
  // Gradient descent approaches it from above.
  const Vector end = Descend(plain, plain.InitialPoint(), 2.0, 3000);
  CHECK(plain.Value(end) >= infimum);
  CHECK(plain.Value(end) - infimum < 1e-3);
  CHECK(plain.ValidationAccuracy(end) > 0.85);
  CHECK(plain.ValidationAccuracy(end) < 0.97);
}

TEST_CASE("mlp: gradients match finite differences for tanh and relu", "[problem][data]") {
  const auto digits = LoadDigitsForTests();
  for (Mlp::Activation activation : {Mlp::Activation::kTanh, Mlp::Activation::kRelu}) {
    INFO("activation " << (activation == Mlp::Activation::kTanh ? "tanh" : "relu"));
    // Small: the full-batch check evaluates the whole training set 2·dim times.
    const Mlp small(digits, {.hidden = 3, .activation = activation, .seed = 4});
    CHECK(small.Dimension() == 3 * 65 + 10 * 4);
    const Vector x = small.InitialPoint() + RandomPoint(small.Dimension(), 5, 0.1);
    CHECK(GradientError(small, x) < 1e-6);
    CheckFullBatchEqualsMean(small, x);

    const Mlp mlp(digits, {.hidden = 32, .activation = activation, .seed = 4});
    CHECK(mlp.Dimension() == 2410);
    const std::vector<int> batch = {7, 100, 100, 1000, 1436, 42, 3, 9};
    CHECK(BatchGradientError(mlp, mlp.InitialPoint(), batch, 7) < 1e-6);
    CheckFullBatchEqualsMean(mlp, mlp.InitialPoint());
  }
}

TEST_CASE("mlp: the initial point follows nn.Linear's bounds and the seed", "[problem][data]") {
  const auto digits = LoadDigitsForTests();
  const Mlp a(digits, {.seed = 1}), b(digits, {.seed = 1}), c(digits, {.seed = 2});
  const Vector x = a.InitialPoint();
  CHECK(x == b.InitialPoint());
  CHECK(x != c.InitialPoint());
  const Index first = 32 * 65;  // W₁ and b₁: fan-in 64
  CHECK(x.head(first).cwiseAbs().maxCoeff() <= 1.0 / 8.0);
  CHECK(x.head(first).cwiseAbs().maxCoeff() > 0.95 / 8.0);
  CHECK(x.tail(x.size() - first).cwiseAbs().maxCoeff() <= 1.0 / std::sqrt(32.0));
  CHECK(x.tail(x.size() - first).cwiseAbs().maxCoeff() > 0.9 / std::sqrt(32.0));
  // Near-uniform outputs at the start: the loss is close to ln 10.
  CHECK(a.Value(x) == Approx(std::log(10.0)).epsilon(0.05));
}

TEST_CASE("mlp: a few hundred SGD steps bring the validation loss well below ln 10", "[problem][data][training]") {
  const auto digits = LoadDigitsForTests();
  const Mlp mlp(digits, {.hidden = 32, .activation = Mlp::Activation::kTanh, .seed = 0});
  Trainer::Options options;
  options.batchSize = 32;
  options.evalEvery = 100;
  options.recordParams = false;
  Trainer trainer(mlp, Sgd({.momentum = 0.9}), Schedule::Constant(0.05), mlp.InitialPoint(), options);
  trainer.Run(300);
  const History& h = trainer.GetHistory();
  REQUIRE_FALSE(trainer.Diverged());
  CHECK(h.valLoss.front() == Approx(std::log(10.0)).epsilon(0.05));
  CHECK(h.valLoss.back() < 0.5);
  CHECK(mlp.ValidationAccuracy(trainer.Parameters()) > 0.85);
}

// ---- saddle ------------------------------------------------------------------

TEST_CASE("saddle: gradients match finite differences and the known points are stationary", "[problem]") {
  for (const Saddle& s : {Saddle(), Saddle({.a = 3.0})}) {
    for (const Vector& x : {Vector{{1.5, 1e-3}}, Vector{{-0.7, 0.4}}, Vector{{2.0, -1.7}}, Vector{{0.1, 1.2}}}) {
      INFO("x = " << x.transpose());
      CHECK(GradientError(s, x) < 1e-7);
    }
    Vector g;
    for (const Vector& m : Saddle::Minimizers()) {
      CHECK(s.ValueAndGradient(m, g) == s.MinimumValue());
      CHECK(g.norm() == 0.0);
    }
    CHECK(s.ValueAndGradient(Saddle::SaddlePoint(), g) == s.SaddleValue());
    CHECK(g.norm() == 0.0);
    // Away from the three points the function is above its minimum.
    CHECK(s.Value(Vector{{0.3, 0.9}}) > 0.0);
  }
  // The documented Hessian eigenvalues, by central differences of the gradient.
  const Saddle s({.a = 3.0});
  auto hessianDiagonal = [&](const Vector& at) {
    Vector out(2), gp, gm;
    for (int i = 0; i < 2; ++i) {
      Vector plus = at, minus = at;
      plus[i] += 1e-5;
      minus[i] -= 1e-5;
      s.ValueAndGradient(plus, gp);
      s.ValueAndGradient(minus, gm);
      out[i] = (gp[i] - gm[i]) / 2e-5;
    }
    return out;
  };
  CHECK((hessianDiagonal(Saddle::SaddlePoint()) - s.SaddleEigenvalues()).norm() < 1e-8);
  CHECK((hessianDiagonal(Saddle::Minimizers()[1]) - s.MinimumEigenvalues()).norm() < 1e-8);
}

TEST_CASE("saddle: gradient descent lingers at the saddle and momentum and adam leave sooner", "[problem][training]") {
  // Steps until |y| > 0.5, from the default start (1.5, 1e-3), η = 0.05.
  auto stepsToLeave = [](AnyOptimizer optimizer) {
    Trainer t(Saddle(), std::move(optimizer), Schedule::Constant(0.05), Saddle().InitialPoint(), {});
    for (long s = 0; s < 2000; ++s) {
      if (std::abs(t.Parameters()[1]) > 0.5) return s;
      t.Run(1);
    }
    return 2000L;
  };
  const long gd = stepsToLeave(Sgd());
  const long momentum = stepsToLeave(Sgd({.momentum = 0.9}));
  const long adam = stepsToLeave(Adam());
  // Plain descent grows y by (1 + η) per step near the saddle: ≈ ln(500)/ln(1.05) ≈ 127.
  CHECK(gd == Approx(127).margin(10));
  CHECK(momentum < gd / 2);
  CHECK(adam < gd / 2);
  // Meanwhile x has long converged: the point sits on the saddle's ridge.
  Trainer t(Saddle(), Sgd(), Schedule::Constant(0.05), Saddle().InitialPoint(), {});
  t.Run(90);
  CHECK(std::abs(t.Parameters()[0]) < 0.02);
  CHECK(std::abs(t.Parameters()[1]) < 0.1);
  t.Run(400);
  CHECK((t.Parameters() - Vector{{0.0, 1.0}}).norm() < 1e-6);
}

// ---- rotated quadratic ----------------------------------------------------------

TEST_CASE("quadratic: rotation turns the function about the origin", "[problem]") {
  const Quadratic q = Quadratic::Diagonal(Vector{{1.0, 100.0}}, Vector::Zero(2));
  const Quadratic r = q.Rotated(30.0);
  CHECK(r.LambdaMin() == 1.0);
  CHECK(r.LambdaMax() == 100.0);
  CHECK(r.Minimizer() == Vector::Zero(2));
  CHECK(r.MinimumValue() == 0.0);
  // f_θ(x) = f(Rᵀx) at a few points, and the gradient is still right.
  const double c = std::sqrt(3.0) / 2, s = 0.5;
  for (const Vector& x : {Vector{{1.0, 1.0}}, Vector{{-0.3, 2.0}}, Vector{{4.0, -1.0}}}) {
    const Vector back{{c * x[0] + s * x[1], -s * x[0] + c * x[1]}};
    CHECK(r.Value(x) == Approx(q.Value(back)).epsilon(1e-13));
    CHECK(GradientError(r, x) < 1e-8);
  }
  // The valley's axis: the eigenvector of λmin is (cos 30°, sin 30°).
  Vector g;
  r.ValueAndGradient(Vector{{c, s}}, g);
  CHECK((g - Vector{{c, s}}).norm() < 1e-13);
  // 90° swaps the axes exactly; 360° changes nothing.
  Vector x{{0.7, -0.2}};
  CHECK(q.Rotated(90.0).Value(x) == q.Value(Vector{{-0.2, -0.7}}));
  CHECK(q.Rotated(360.0).Value(x) == q.Value(x));
  // With b ≠ 0 the minimizer turns with the function and the minimum stays.
  const Quadratic shifted = Quadratic::Diagonal(Vector{{2.0, 5.0}}, Vector{{2.0, 5.0}});  // x* = (1, 1)
  const Quadratic turned = shifted.Rotated(90.0);
  CHECK(turned.Minimizer() == Vector{{-1.0, 1.0}});
  CHECK(turned.MinimumValue() == Approx(shifted.MinimumValue()));
  turned.ValueAndGradient(turned.Minimizer(), g);
  CHECK(g.norm() < 1e-14);
  CHECK_THROWS_AS(Quadratic::Diagonal(Vector::Ones(3), Vector::Zero(3)).Rotated(10.0), std::invalid_argument);
}
