// Problems by name: reading and validating their options. Every problem listed
// in AnyProblem is selectable here and documented in the README.
#include <cmath>

#include "config_internal.hpp"

namespace lrlab::config {

namespace {

constexpr Index kMaxDenseDim = 2000;

std::optional<Quadratic> ReadQuadratic(ObjectReader& in, Errors& errors) {
  const bool hasA = in.Has("A"), hasDiag = in.Has("diag");
  if (hasA && hasDiag) errors.Add(in.PathOf("A"), "give either A or diag, not both");
  std::optional<Matrix> a = in.Rows("A", kMaxDenseDim);
  std::optional<Vector> diag = in.NumberList("diag", Range::Positive(), std::nullopt, kMaxDim);
  if (!hasA && !hasDiag) diag = Vector{{1.0, 10.0}};
  if (a) {
    const double scale = a->cwiseAbs().maxCoeff();
    if ((*a - a->transpose()).cwiseAbs().maxCoeff() > 1e-12 * std::max(scale, 1.0)) {
      errors.Add(in.PathOf("A"), "must be symmetric");
      a.reset();
    }
  }
  const Index dim = a ? a->rows() : (diag ? diag->size() : 0);
  std::optional<Vector> b = in.NumberList("b", Range::Any(), dim > 0 ? std::optional<Index>(dim) : std::nullopt);
  if (dim == 0) return std::nullopt;
  if (!b) b = Vector::Zero(dim);
  if (diag) return Quadratic::Diagonal(*diag, *b);
  Quadratic q = Quadratic::Dense(*a, *b);
  if (!(q.LambdaMin() > 0.0)) {
    errors.Add(in.PathOf("A"), "must be positive-definite, smallest eigenvalue is " + FormatNumber(q.LambdaMin()));
    return std::nullopt;
  }
  return q;
}

}  // namespace

std::optional<ProblemChoice> ReadProblem(const Json* spec, std::uint64_t seed, Errors& errors) {
  (void)seed;  // no seeded problem yet
  ObjectReader in(spec, "problem", errors);
  const std::string name = in.Choice("name", "quadratic", {"quadratic"});
  std::optional<AnyProblem> problem;
  if (name == "quadratic") {
    if (auto q = ReadQuadratic(in, errors)) problem = std::move(*q);
  }
  const auto dim = problem ? std::optional<Index>(std::visit([](const auto& p) { return p.Dimension(); }, *problem))
                           : std::nullopt;
  std::optional<Vector> x0 = in.NumberList("x0", Range::Any(), dim, kMaxDim);
  in.RejectUnknownKeys();
  if (!problem) return std::nullopt;
  if (!x0) x0 = std::visit([](const auto& p) { return p.InitialPoint(); }, *problem);
  return ProblemChoice{std::move(*problem), std::move(*x0)};
}


Json ProblemInfo(const AnyProblem& problem) {
  return std::visit(
      [](const auto& p) {
        Json info{{"dim", p.Dimension()}};
        if constexpr (std::is_same_v<std::decay_t<decltype(p)>, Quadratic>) {
          info["lambda_min"] = p.LambdaMin();
          info["lambda_max"] = p.LambdaMax();
          info["minimum"] = p.MinimumValue();
          info["minimizer"] = std::vector<double>(p.Minimizer().begin(), p.Minimizer().end());
        }
        return info;
      },
      problem);
}

}  // namespace lrlab::config
