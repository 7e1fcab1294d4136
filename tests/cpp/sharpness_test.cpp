// Hessian-vector products by central differences of the gradient, and the
// sharpness (λmax of the Hessian) by power iteration: exact on quadratics,
// equal to analytic Hessians on Rosenbrock and Himmelblau, right when the
// dominant eigenvalue is negative, and equal to the top eigenvalue of the
// dense Hessian of a small digits network.
#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>
#include <memory>

#include "lrlab/core/dataset.hpp"
#include "lrlab/core/rng.hpp"
#include "lrlab/problems/himmelblau.hpp"
#include "lrlab/problems/mlp.hpp"
#include "lrlab/problems/quadratic.hpp"
#include "lrlab/problems/rosenbrock.hpp"
#include "lrlab/training/sharpness.hpp"

namespace lrlab::testing {
std::shared_ptr<const Dataset> LoadDigitsForTests();  // problems_test.cpp
}

namespace {

using lrlab::Index;
using lrlab::Matrix;
using lrlab::Vector;

double TopEigenvalue(const Matrix& h) {
  Eigen::SelfAdjointEigenSolver<Matrix> eig(0.5 * (h + h.transpose()), Eigen::EigenvaluesOnly);
  return eig.eigenvalues().maxCoeff();
}

double RelativeError(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

// The Hessian column by column, from Hessian-vector products.
template <class P>
Matrix HessianByProducts(const P& p, const Vector& x) {
  const Index n = x.size();
  Matrix h(n, n);
  Vector out, plus, minus;
  for (Index j = 0; j < n; ++j) {
    lrlab::HessianVectorProduct(p, x, Vector::Unit(n, j), out, plus, minus);
    h.col(j) = out;
  }
  return h;
}

// f(x) = ½ xᵀ D x with D = diag(d), entries of any sign: an indefinite
// quadratic for the negative-eigenvalue case.
struct DiagonalForm {
  Vector d;
  Index Dimension() const { return d.size(); }
  double Value(const Vector& x) const { return 0.5 * x.dot(d.cwiseProduct(x)); }
  double ValueAndGradient(const Vector& x, Vector& g) const {
    g = d.cwiseProduct(x);
    return Value(x);
  }
};

}  // namespace

TEST_CASE("sharpness: λmax of quadratics, exactly", "[sharpness]") {
  lrlab::SharpnessTracker tracker(200);
  const auto diag = lrlab::Quadratic::Diagonal(Vector{{1.0, 10.0}}, Vector::Zero(2));
  CHECK(RelativeError(tracker.Estimate(diag, Vector{{1.0, 1.0}}), 10.0) < 1e-9);
  // Turned by 30°: a dense A with the same eigenvalues.
  const auto turned = lrlab::Quadratic::Diagonal(Vector{{3.0, 7.0}}, Vector::Zero(2)).Rotated(30.0);
  lrlab::SharpnessTracker fresh(200);
  CHECK(RelativeError(fresh.Estimate(turned, Vector{{0.3, -2.0}}), 7.0) < 1e-9);
  // 50 coordinates, the largest well apart from the next: the same at any point.
  Vector d = Vector::LinSpaced(50, 0.5, 25.0);
  d[17] = 40.0;
  const auto wide = lrlab::Quadratic::Diagonal(d, Vector::Zero(50));
  lrlab::SharpnessTracker wideTracker(300);
  CHECK(RelativeError(wideTracker.Estimate(wide, Vector::Constant(50, 3.0)), 40.0) < 1e-9);
  CHECK(RelativeError(wideTracker.Estimate(wide, Vector::Constant(50, -100.0)), 40.0) < 1e-9);
}

TEST_CASE("sharpness: Hessian-vector products equal analytic Hessians", "[sharpness]") {
  // Rosenbrock: f = (a − x)² + b (y − x²)², H = [[2 − 4b(y − x²) + 8bx², −4bx], [−4bx, 2b]].
  const lrlab::Rosenbrock rosenbrock;
  // Himmelblau: f = (x² + y − 11)² + (x + y² − 7)²,
  // H = [[12x² + 4y − 42, 4(x + y)], [4(x + y), 4x + 12y² − 26]].
  const lrlab::Himmelblau himmelblau;
  for (const Vector& p : {Vector{{-1.5, 2.0}}, Vector{{1.0, 1.0}}, Vector{{0.3, -0.7}}, Vector{{3.0, 2.0}}}) {
    INFO("at (" << p[0] << ", " << p[1] << ")");
    const double x = p[0], y = p[1], b = 100.0;
    const Matrix hr{{2 - 4 * b * (y - x * x) + 8 * b * x * x, -4 * b * x}, {-4 * b * x, 2 * b}};
    const Matrix hh{{12 * x * x + 4 * y - 42, 4 * (x + y)}, {4 * (x + y), 4 * x + 12 * y * y - 26}};
    for (const auto& [name, h, byProducts] : {std::tuple{"rosenbrock", hr, HessianByProducts(rosenbrock, p)},
                                              std::tuple{"himmelblau", hh, HessianByProducts(himmelblau, p)}}) {
      INFO(name);
      CHECK((byProducts - h).cwiseAbs().maxCoeff() / h.cwiseAbs().maxCoeff() < 1e-8);
    }
    lrlab::SharpnessTracker tracker(500);
    CHECK(RelativeError(tracker.Estimate(rosenbrock, p), TopEigenvalue(hr)) < 1e-7);
  }
}

TEST_CASE("sharpness: the top eigenvalue, also when the dominant one is negative", "[sharpness]") {
  lrlab::SharpnessTracker tracker(500);
  // Eigenvalues −5 and 2: power iteration alone would answer −5.
  const DiagonalForm saddle{Vector{{-5.0, 2.0}}};
  CHECK(RelativeError(tracker.Estimate(saddle, Vector{{0.4, 0.1}}), 2.0) < 1e-8);
  // All negative: the top is the least negative.
  const DiagonalForm cap{Vector{{-5.0, -1.0, -3.0}}};
  lrlab::SharpnessTracker second(500);
  CHECK(RelativeError(second.Estimate(cap, Vector{{1.0, 1.0, 1.0}}), -1.0) < 1e-8);
}

TEST_CASE("sharpness: warm-started, a nearby point costs fewer iterations", "[sharpness]") {
  Vector d = Vector::LinSpaced(30, 1.0, 20.0);
  d[29] = 24.0;
  const auto q = lrlab::Quadratic::Diagonal(d, Vector::Zero(30));
  lrlab::SharpnessTracker tracker(400, 1e-12);
  tracker.Estimate(q, Vector::Ones(30));
  const int cold = tracker.LastIterations();
  tracker.Estimate(q, Vector::Constant(30, 1.01));
  CHECK(tracker.LastIterations() < cold);
  CHECK(std::abs(std::abs(tracker.Eigenvector()[29]) - 1.0) < 1e-6);
}

TEST_CASE("sharpness: a digits network's λmax is the top eigenvalue of its dense Hessian", "[sharpness][data]") {
  const auto digits = lrlab::testing::LoadDigitsForTests();
  for (auto activation : {lrlab::Mlp::Activation::kTanh, lrlab::Mlp::Activation::kRelu}) {
    INFO((activation == lrlab::Mlp::Activation::kTanh ? "tanh" : "relu"));
    const lrlab::Mlp mlp(digits, {.hidden = 3, .activation = activation, .seed = 4});
    lrlab::Rng rng(9);
    Vector x = mlp.InitialPoint();
    for (Index i = 0; i < x.size(); ++i) x[i] += 0.1 * (rng.Uniform() - 0.5);
    const Matrix h = HessianByProducts(mlp, x);
    // Symmetric as a Hessian must be, to the differences' accuracy.
    CHECK((h - h.transpose()).cwiseAbs().maxCoeff() / h.cwiseAbs().maxCoeff() < 1e-6);
    lrlab::SharpnessTracker tracker(2000, 1e-14);
    CHECK(RelativeError(tracker.Estimate(mlp, x), TopEigenvalue(h)) < 1e-6);
  }
}

#include "lrlab/config/config.hpp"
#include "test_util.hpp"

TEST_CASE("sharpness: record.sharpness in a run, its result and its limits", "[sharpness][config]") {
  // A quadratic's Hessian is A everywhere: every estimate is λmax = 10.
  const auto result = lrlab::config::RunToJson(
      R"({"problem": {"name": "quadratic", "diag": [1, 10]}, "optimizer": {"name": "sgd", "lr": 0.05},
          "steps": 12, "record": {"sharpness": {"every": 5, "iterations": 50}}})");
  REQUIRE(result.contains("sharpness"));
  CHECK(result["sharpness"]["steps"] == lrlab::config::Json::array({0, 5, 10}));
  for (const auto& v : result["sharpness"]["values"]) CHECK(RelativeError(v.get<double>(), 10.0) < 1e-9);
  // The defaults: every 10 steps, 20 iterations; none without the key.
  const auto plain = lrlab::config::RunToJson(
      R"({"problem": {"name": "quadratic"}, "optimizer": {"name": "sgd", "lr": 0.05}, "steps": 25, "record": {"sharpness": {}}})");
  CHECK(plain["sharpness"]["steps"] == lrlab::config::Json::array({0, 10, 20}));
  CHECK_FALSE(lrlab::config::RunToJson(R"({"optimizer": {"name": "sgd", "lr": 0.05}, "steps": 3})").contains("sharpness"));

  using lrlab::testing::ConfigErrors;
  using lrlab::testing::HasMessage;
  const auto bad = ConfigErrors(R"({"optimizer": {"name": "sgd", "lr": 0.1}, "record": {"sharpness": {"every": 0, "iterations": 5000, "k": 1}}})");
  const auto said = [&](const std::string& start, const std::string& part) {
    for (const auto& m : bad)
      if (m.rfind(start, 0) == 0 && m.find(part) != std::string::npos) return true;
    return false;
  };
  CHECK(said("record.sharpness.every: ", "got 0"));
  CHECK(said("record.sharpness.iterations: ", "1000], got 5000"));
  CHECK(said("record.sharpness.k: ", "unknown option (accepted: every, iterations)"));
  CHECK(HasMessage(ConfigErrors(R"({"optimizer": {"name": "sgd", "lr": 0.1}, "record": {"sharpness": 3}})"),
                   "record.sharpness: must be an object, got 3"));
  // Its cost counts against the work limit: the digits network, λmax at
  // every step with 1000 iterations, is refused with a way out.
  lrlab::testing::LoadDigitsForTests();
  const auto heavy = ConfigErrors(R"({"problem": {"name": "mlp"}, "optimizer": {"name": "sgd", "lr": 0.1}, "steps": 1000,
                                      "record": {"sharpness": {"every": 1, "iterations": 1000}}})");
  REQUIRE(heavy.size() == 1);
  CHECK(heavy[0].find("and sharpness estimates come to") != std::string::npos);
  CHECK(heavy[0].find("or estimate the sharpness less often") != std::string::npos);
}

TEST_CASE("sharpness: a sweep or range test refuses record.sharpness with a reason", "[sharpness][config]") {
  const auto errorsOf = [](auto parse, const char* text) {
    try {
      parse(lrlab::config::ParseJson(text));
    } catch (const lrlab::config::ConfigError& e) {
      return e.Messages();
    }
    return std::vector<std::string>{};
  };
  const char* sweep = R"({"optimizer": {"name": "sgd"}, "sweep": {"num": 3}, "record": {"sharpness": {"every": 1}}})";
  CHECK(errorsOf([](const auto& j) { lrlab::config::ParseSweepConfig(j); }, sweep) ==
        std::vector<std::string>{"record.sharpness: a sweep keeps no sharpness; remove it (lrlab run records it)"});
  const char* range = R"({"optimizer": {"name": "sgd"}, "range_test": {"steps": 10}, "record": {"sharpness": {}}})";
  CHECK(errorsOf([](const auto& j) { lrlab::config::ParseRangeTestConfig(j); }, range) ==
        std::vector<std::string>{"record.sharpness: a range test keeps no sharpness; remove it (lrlab run records it)"});
  // Without it, the same sweep is fine.
  CHECK(errorsOf([](const auto& j) { lrlab::config::ParseSweepConfig(j); },
                 R"({"optimizer": {"name": "sgd"}, "sweep": {"num": 3}, "record": {"params": true}})").empty());
}

TEST_CASE("sharpness: the digits network agrees with PyTorch's Hessian (tests/golden/sharpness.json)", "[sharpness][data][golden]") {
  const auto digits = lrlab::testing::LoadDigitsForTests();
  const auto golden = lrlab::testing::ReadGolden("tests/golden/sharpness.json");
  REQUIRE(golden["cases"].size() == 2);
  for (const auto& c : golden["cases"]) {
    INFO("case " << c["name"].get<std::string>());
    const std::string activation = c["activation"];
    const int hidden = c["hidden"];
    const lrlab::Mlp mlp(digits, {.hidden = hidden,
                                  .activation = activation == "tanh" ? lrlab::Mlp::Activation::kTanh
                                                                     : lrlab::Mlp::Activation::kRelu});
    const auto vec = [](const lrlab::config::Json& j) {
      Vector out(static_cast<Index>(j.size()));
      for (Index i = 0; i < out.size(); ++i) out[i] = j[static_cast<size_t>(i)].get<double>();
      return out;
    };
    const Vector x = vec(c["x"]);
    REQUIRE(x.size() == mlp.Dimension());
    CHECK(RelativeError(mlp.Value(x), c["loss"].get<double>()) < 1e-12);
    // One Hessian-vector product against torch's double backward.
    Vector hv, plus, minus;
    lrlab::HessianVectorProduct(mlp, x, vec(c["v"]), hv, plus, minus);
    const Vector expected = vec(c["hvp"]);
    CHECK((hv - expected).norm() / expected.norm() < 1e-6);
    // λmax against the top eigenvalue of torch's dense Hessian.
    lrlab::SharpnessTracker tracker(2000, 1e-14);
    CHECK(RelativeError(tracker.Estimate(mlp, x), c["lambda_max"].get<double>()) < 1e-6);
    // record.sharpness along a full-batch gradient-descent run from x.
    const auto& run = c["run"];
    const lrlab::config::Json config = {
        {"problem", {{"name", "mlp"}, {"hidden", hidden}, {"activation", activation}, {"x0", c["x"]}}},
        {"optimizer", {{"name", "sgd"}, {"lr", run["lr"]}}},
        {"steps", run["steps"]},
        {"batch_size", 1437},
        {"record", {{"params", false}, {"sharpness", {{"every", run["every"]}, {"iterations", 200}}}}}};
    const auto result = lrlab::config::RunToJson(config.dump());
    REQUIRE(result["sharpness"]["steps"] == run["sharpness_steps"]);
    const auto& values = result["sharpness"]["values"];
    REQUIRE(values.size() == run["sharpness"].size());
    for (size_t k = 0; k < values.size(); ++k) {
      INFO("step " << run["sharpness_steps"][k]);
      CHECK(RelativeError(values[k].get<double>(), run["sharpness"][k].get<double>()) < 1e-6);
    }
    // Progressive sharpening: the run ends sharper than it starts.
    CHECK(run["sharpness"].back().get<double>() > 2.0 * run["sharpness"].front().get<double>());
  }
}
