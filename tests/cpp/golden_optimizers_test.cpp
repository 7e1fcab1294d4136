// Trajectories of every optimizer against torch.optim (PyTorch 1.13, float64),
// from tests/golden/optimizers.json (made by tests/golden/make_optimizer_golden.py).
// Each optimizer is built through the config reader from the case's config
// object, so the config's defaults are checked against PyTorch's too.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <string>

#include "test_util.hpp"
#include "lrlab/config/config.hpp"
#include "lrlab/core/concepts.hpp"

using namespace lrlab;
using config::Json;

namespace {

// The golden script's function: ∇f(x)_i = (A x)_i − b_i + c x_i³, summed in
// the same order as the script so both sides see the same gradients.
struct GoldenProblem {
  Matrix a;
  Vector b;
  double c;

  void Gradient(const Vector& x, Vector& g) const {
    g.resize(x.size());
    for (Index i = 0; i < x.size(); ++i) {
      double s = 0.0;
      for (Index j = 0; j < x.size(); ++j) s += a(i, j) * x[j];
      g[i] = (s - b[i]) + c * x[i] * x[i] * x[i];
    }
  }
};

Vector ToVector(const Json& list) {
  Vector v(static_cast<Index>(list.size()));
  for (Index i = 0; i < v.size(); ++i) v[i] = list[static_cast<std::size_t>(i)].get<double>();
  return v;
}

// Largest |a − b| / max(|b|, 1e-3) over a trajectory: relative, with a floor
// so a coordinate passing near zero is not judged on its last few bits.
double RelativeError(const Vector& ours, const Vector& theirs) {
  double worst = 0.0;
  for (Index i = 0; i < ours.size(); ++i)
    worst = std::max(worst, std::abs(ours[i] - theirs[i]) / std::max(std::abs(theirs[i]), 1e-3));
  return worst;
}

}  // namespace

TEST_CASE("every optimizer follows torch.optim's trajectory to 1e-10", "[optimizer][golden]") {
  const Json golden = testing::ReadGolden("tests/golden/optimizers.json");
  const Json& problemSpec = golden["problem"];
  const Json& aRows = problemSpec["A"];
  GoldenProblem problem{Matrix(aRows.size(), aRows.size()), ToVector(problemSpec["b"]),
                        problemSpec["c"].get<double>()};
  for (Index r = 0; r < problem.a.rows(); ++r) problem.a.row(r) = ToVector(aRows[static_cast<std::size_t>(r)]);

  std::set<std::string> covered;
  const Json& cases = golden["cases"];
  REQUIRE(cases.size() >= 30);
  for (const Json& c : cases) {
    const std::string name = c["name"].get<std::string>();
    INFO("case " << name);
    covered.insert(c["optimizer"]["name"].get<std::string>());
    config::RunConfig run = config::ParseRunConfigText(Json{{"optimizer", c["optimizer"]}}.dump());
    const Json& lrs = c["lr"];
    const Json& trajectory = c["trajectory"];
    REQUIRE(trajectory.size() == lrs.size() + 1);

    Vector x = ToVector(trajectory[0]);
    Vector g;
    double worst = 0.0;
    for (std::size_t t = 0; t < lrs.size(); ++t) {
      if (c.contains("momentum")) {
        const double m = c["momentum"][t].get<double>();
        std::visit(
            [&](auto& o) {
              if constexpr (HasMomentum<std::decay_t<decltype(o)>>) o.SetMomentum(m);
            },
            run.optimizer);
      }
      problem.Gradient(x, g);
      std::visit([&](auto& o) { o.Step(x, g, lrs[t].get<double>()); }, run.optimizer);
      worst = std::max(worst, RelativeError(x, ToVector(trajectory[t + 1])));
    }
    INFO("worst relative error " << worst);
    CHECK(worst <= 1e-10);
    // The trajectory must go somewhere, or the case tests nothing.
    CHECK((x - ToVector(trajectory[0])).norm() > 0.05);
  }
  CHECK(covered == std::set<std::string>{"sgd", "adagrad", "rmsprop", "adam", "adamw", "adadelta", "adamax", "nadam",
                                         "radam"});
}
