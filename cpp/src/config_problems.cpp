// Problems by name: reading and validating their options. Every problem listed
// in AnyProblem is selectable here and documented in the README.
#include <cmath>
#include <memory>
#include <string>
#include <type_traits>

#include "config_internal.hpp"
#include "lrlab/core/dataset.hpp"

namespace lrlab::config {

namespace {

constexpr Index kMaxDenseDim = 2000;
constexpr std::int64_t kMaxRastriginDim = 1000;
constexpr std::int64_t kMaxHidden = 512;
// sparse_linear keeps its data dense and eigendecomposes a dim × dim Hessian
// once; these bounds keep that under half a second natively.
constexpr std::int64_t kMaxSparseSamples = 100'000;
constexpr std::int64_t kMaxSparseDim = 500;
constexpr std::int64_t kMaxSparseEntries = 2'000'000;

std::optional<Quadratic> ReadQuadratic(ObjectReader& in, Errors& errors) {
  const bool hasA = in.Has("A"), hasDiag = in.Has("diag");
  if (hasA && hasDiag) errors.Add(in.PathOf("A"), "give either A or diag, not both");
  Matrix dense;  // A when given and symmetric, else empty
  if (std::optional<Matrix> rows = in.Rows("A", kMaxDenseDim)) {
    const double scale = rows->cwiseAbs().maxCoeff();
    if ((*rows - rows->transpose()).cwiseAbs().maxCoeff() > 1e-12 * std::max(scale, 1.0))
      errors.Add(in.PathOf("A"), "must be symmetric");
    else
      dense = std::move(*rows);
  }
  std::optional<Vector> diag = in.NumberList("diag", Range::Positive(), std::nullopt, kMaxDim);
  if (!hasA && !hasDiag) diag = Vector{{1.0, 10.0}};
  const Index dim = dense.size() > 0 ? dense.rows() : (diag ? diag->size() : 0);
  std::optional<Vector> b = in.NumberList("b", Range::Any(), dim > 0 ? std::optional<Index>(dim) : std::nullopt);
  if (dim == 0 || (hasA && hasDiag)) return std::nullopt;
  if (!b) b = Vector::Zero(dim);
  if (diag) return Quadratic::Diagonal(*diag, *b);
  Quadratic q = Quadratic::Dense(std::move(dense), *b);
  if (!(q.LambdaMin() > 0.0)) {
    errors.Add(in.PathOf("A"), "must be positive-definite, smallest eigenvalue is " + FormatNumber(q.LambdaMin()));
    return std::nullopt;
  }
  return q;
}

// The digits data set, or an error on `name` when nobody registered it.
std::shared_ptr<const Dataset> Digits(ObjectReader& in, Errors& errors) {
  auto digits = FindDataset(kDigitsDataset);
  if (!digits) errors.Add(in.PathOf("name"), "the digits data set is not loaded");
  return digits;
}

std::optional<AnyProblem> ReadSparseLinear(ObjectReader& in, std::uint64_t seed, Errors& errors) {
  SparseLinear::Options o;
  o.numSamples = static_cast<int>(in.Integer("n_samples", o.numSamples, 10, kMaxSparseSamples));
  o.dim = static_cast<int>(in.Integer("dim", o.dim, 1, kMaxSparseDim));
  o.rareFraction = in.Number("rare_fraction", o.rareFraction, Range::Closed(0.0, 1.0));
  o.rareProb = in.Number("rare_prob", o.rareProb, {0.0, 1.0, true, false});
  o.noise = in.Number("noise", o.noise, Range::AtLeast(0.0));
  o.seed = seed;
  const std::int64_t entries = std::int64_t{o.numSamples} * o.dim;
  if (entries > kMaxSparseEntries) {
    errors.Add(in.PathOf("n_samples"), "n_samples × dim must be at most " + std::to_string(kMaxSparseEntries) +
                                           ", got " + std::to_string(entries));
    return std::nullopt;
  }
  return SparseLinear(o);
}

std::optional<AnyProblem> ReadMlp(ObjectReader& in, std::uint64_t seed, Errors& errors) {
  Mlp::Options o;
  o.hidden = static_cast<int>(in.Integer("hidden", o.hidden, 1, kMaxHidden));
  o.activation = in.Choice("activation", "relu", {"relu", "tanh"}) == "tanh" ? Mlp::Activation::kTanh
                                                                            : Mlp::Activation::kRelu;
  o.seed = seed;
  auto digits = Digits(in, errors);
  if (!digits) return std::nullopt;
  return Mlp(std::move(digits), o);
}

}  // namespace

std::optional<ProblemChoice> ReadProblem(const Json* spec, std::uint64_t seed, Errors& errors) {
  ObjectReader in(spec, "problem", errors);
  const std::string name =
      in.Choice("name", "quadratic",
                {"quadratic", "rosenbrock", "beale", "himmelblau", "rastrigin", "double_well", "saddle",
                 "sparse_linear", "logistic_regression", "mlp"});
  // A misspelt name has been reported; its options would only add noise.
  if (in.Has("name") && (*spec)["name"] != name) return std::nullopt;
  std::optional<AnyProblem> problem;
  if (name == "quadratic") {
    const double rotation = in.Number("rotation", 0.0, Range::Any());
    if (auto q = ReadQuadratic(in, errors)) {
      if (rotation == 0.0)
        problem = std::move(*q);
      else if (q->Dimension() == 2)
        problem = q->Rotated(rotation);
      else
        errors.Add(in.PathOf("rotation"), "needs a 2-D quadratic, this one has " + std::to_string(q->Dimension()) +
                                              " dimensions (leave rotation at 0)");
    }
  } else if (name == "rosenbrock") {
    Rosenbrock::Options o;
    o.a = in.Number("a", o.a, Range::Any());
    o.b = in.Number("b", o.b, Range::Positive());
    problem = Rosenbrock(o);
  } else if (name == "beale") {
    problem = Beale();
  } else if (name == "himmelblau") {
    problem = Himmelblau();
  } else if (name == "rastrigin") {
    problem = Rastrigin({.dim = static_cast<Index>(in.Integer("dim", 2, 1, kMaxRastriginDim))});
  } else if (name == "double_well") {
    problem = DoubleWell();
  } else if (name == "saddle") {
    problem = Saddle({.a = in.Number("a", Saddle::Options{}.a, Range::Positive())});
  } else if (name == "sparse_linear") {
    problem = ReadSparseLinear(in, seed, errors);
  } else if (name == "logistic_regression") {
    const double l2 = in.Number("l2", 0.0, Range::AtLeast(0.0));
    if (auto digits = Digits(in, errors)) problem = LogisticRegression(std::move(digits), {.l2 = l2});
  } else if (name == "mlp") {
    problem = ReadMlp(in, seed, errors);
  }
  const auto dim = problem ? std::optional<Index>(std::visit([](const auto& p) { return p.Dimension(); }, *problem))
                           : std::nullopt;
  std::optional<Vector> x0 = in.NumberList("x0", Range::Any(), dim, kMaxDim);
  in.RejectUnknownKeys();
  if (!problem) return std::nullopt;
  if (!x0) x0 = std::visit([](const auto& p) { return p.InitialPoint(); }, *problem);
  return ProblemChoice{std::move(*problem), std::move(*x0)};
}

namespace {

std::vector<double> List(const Vector& v) { return std::vector<double>(v.begin(), v.end()); }

template <class Points>
Json PointList(const Points& points) {
  Json all = Json::array();
  for (const Vector& m : points) all.push_back(List(m));
  return all;
}

}  // namespace

Json ProblemInfo(const AnyProblem& problem) {
  return std::visit(
      [](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        Json info{{"dim", p.Dimension()}};
        if constexpr (std::is_same_v<P, Quadratic>) {
          info["lambda_min"] = p.LambdaMin();
          info["lambda_max"] = p.LambdaMax();
          info["minimum"] = p.MinimumValue();
          info["minimizer"] = List(p.Minimizer());
        } else if constexpr (std::is_same_v<P, Rosenbrock> || std::is_same_v<P, Beale> ||
                             std::is_same_v<P, Rastrigin>) {
          info["minimum"] = p.MinimumValue();
          info["minimizer"] = List(p.Minimizer());
        } else if constexpr (std::is_same_v<P, Himmelblau>) {
          info["minimum"] = p.MinimumValue();
          info["minimizers"] = PointList(p.Minimizers());
        } else if constexpr (std::is_same_v<P, DoubleWell>) {
          info["minimum"] = p.MinimumValue();
          info["minimizer"] = List(p.Minimizer());
          info["curvature"] = p.MinimumCurvature();
          info["shallow_minimum"] = p.ShallowMinimumValue();
          info["shallow_minimizer"] = List(p.ShallowMinimizer());
          info["shallow_curvature"] = p.ShallowMinimumCurvature();
          info["barrier"] = List(p.Barrier());
          info["barrier_value"] = p.BarrierValue();
        } else if constexpr (std::is_same_v<P, Saddle>) {
          info["minimum"] = p.MinimumValue();
          info["minimizers"] = PointList(Saddle::Minimizers());
          info["minimum_eigenvalues"] = List(p.MinimumEigenvalues());
          info["saddle"] = List(Saddle::SaddlePoint());
          info["saddle_value"] = p.SaddleValue();
          info["saddle_eigenvalues"] = List(p.SaddleEigenvalues());
        } else if constexpr (std::is_same_v<P, SparseLinear>) {
          info["n_train"] = p.NumSamples();
          info["n_val"] = p.NumValidation();
          info["lambda_min"] = p.LambdaMin();
          info["lambda_max"] = p.LambdaMax();
          info["minimum"] = p.MinimumValue();
          info["minimizer"] = List(p.Minimizer());
          info["feature_frequency"] = List(p.FeatureFrequency());
        } else if constexpr (std::is_same_v<P, LogisticRegression>) {
          info["n_train"] = p.NumSamples();
          info["n_val"] = p.NumValidation();
          info["classes"] = 2;
          if (p.MinimumValue()) info["minimum"] = *p.MinimumValue();  // the infimum when l2 = 0
          if (p.Minimizer()) info["minimizer"] = List(*p.Minimizer());
        } else if constexpr (std::is_same_v<P, Mlp>) {
          info["n_train"] = p.NumSamples();
          info["n_val"] = p.NumValidation();
          info["classes"] = p.Classes();
          info["hidden"] = p.Hidden();
          info["activation"] = p.GetOptions().activation == Mlp::Activation::kTanh ? "tanh" : "relu";
        }
        return info;
      },
      problem);
}

}  // namespace lrlab::config
