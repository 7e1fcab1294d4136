// Problems by name: one table (kProblems) of names, what each problem needs
// and its option reader. Every problem listed in AnyProblem is selectable
// here and documented in the README; what a problem knows about itself comes
// from the problem (Describe()), not from here.
#include <algorithm>
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

using Read = std::optional<AnyProblem> (*)(ObjectReader& in, std::uint64_t seed, Errors& errors);

std::optional<Quadratic> ReadQuadraticMatrix(ObjectReader& in, Errors& errors) {
  const bool hasA = in.Has("A"), hasDiag = in.Has("diag");
  if (hasA && hasDiag) errors.Add(in.PathOf("A"), "give either A or diag, not both");
  Matrix dense;  // A when given and symmetric, else empty
  if (std::optional<Matrix> rows = in.Rows("A", kMaxDenseDim, {.note = "symmetric positive-definite; give A or diag"})) {
    const double scale = rows->cwiseAbs().maxCoeff();
    if ((*rows - rows->transpose()).cwiseAbs().maxCoeff() > 1e-12 * std::max(scale, 1.0))
      errors.Add(in.PathOf("A"), "must be symmetric");
    else
      dense = std::move(*rows);
  }
  const Vector defaultDiag{{1.0, 10.0}};
  std::optional<Vector> diag = in.NumberList("diag", Range::Positive(), std::nullopt, kMaxDim,
                                             {.fallback = {1.0, 10.0}, .note = "used when A is not given"});
  if (!hasA && !hasDiag) diag = defaultDiag;
  const Index dim = dense.size() > 0 ? dense.rows() : (diag ? diag->size() : 0);
  std::optional<Vector> b = in.NumberList("b", Range::Any(), dim > 0 ? std::optional<Index>(dim) : std::nullopt,
                                          kMaxDim, {.defaultText = "zeros", .length = "dim"});
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

std::optional<AnyProblem> ReadQuadratic(ObjectReader& in, std::uint64_t, Errors& errors) {
  std::optional<Quadratic> q = ReadQuadraticMatrix(in, errors);
  const double rotation = in.Number("rotation", 0.0, Range::Any(), {.note = "degrees; 2-D quadratics only, unless 0"});
  if (!q) return std::nullopt;
  if (rotation == 0.0) return std::move(*q);
  if (q->Dimension() == 2) return q->Rotated(rotation);
  errors.Add(in.PathOf("rotation"), "needs a 2-D quadratic, this one has " + std::to_string(q->Dimension()) +
                                        " dimensions (leave rotation at 0)");
  return std::nullopt;
}

std::optional<AnyProblem> ReadRosenbrock(ObjectReader& in, std::uint64_t, Errors&) {
  const Rosenbrock::Options d;
  return Rosenbrock({.a = in.Number("a", d.a, Range::Any()), .b = in.Number("b", d.b, Range::Positive())});
}

template <class P>
std::optional<AnyProblem> ReadWithoutOptions(ObjectReader&, std::uint64_t, Errors&) {
  return P();
}

std::optional<AnyProblem> ReadRastrigin(ObjectReader& in, std::uint64_t, Errors&) {
  return Rastrigin({.dim = static_cast<Index>(in.Integer("dim", Rastrigin::Options{}.dim, 1, kMaxRastriginDim))});
}

std::optional<AnyProblem> ReadSaddle(ObjectReader& in, std::uint64_t, Errors&) {
  return Saddle({.a = in.Number("a", Saddle::Options{}.a, Range::Positive())});
}

// The data set a problem trains on: `data`, the digits (default) or the
// reader's own table the page registered ("local"); an error when nobody
// registered it.
struct Data {
  std::string name;
  std::shared_ptr<const Dataset> set;
};

Data DataOf(ObjectReader& in, Errors& errors) {
  const std::string name =
      in.Choice("data", kDigitsDataset, {kDigitsDataset, kLocalDataset},
                {.note = "local: the reader's own table, registered by the page (the lab's CSV import)"});
  auto data = FindDataset(name);
  if (!data && !in.Describing()) {
    if (name == kLocalDataset)
      errors.Add(in.PathOf("data"), "no local data set is loaded: pick a CSV file in the lab (a link cannot carry one)");
    else
      errors.Add(in.PathOf("name"), "the digits data set is not loaded");
  }
  return {name, std::move(data)};
}

std::optional<AnyProblem> ReadSparseLinear(ObjectReader& in, std::uint64_t seed, Errors& errors) {
  SparseLinear::Options o;
  o.numSamples = static_cast<int>(in.Integer("n_samples", o.numSamples, 10, kMaxSparseSamples,
                                             {.note = "n_samples × dim at most 2000000"}));
  o.dim = static_cast<int>(in.Integer("dim", o.dim, 1, kMaxSparseDim));
  o.rareFraction = in.Number("rare_fraction", o.rareFraction, Range::Closed(0.0, 1.0));
  o.rareProb = in.Number("rare_prob", o.rareProb, Range::OpenClosed(0.0, 1.0));
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

std::optional<AnyProblem> ReadLogisticRegression(ObjectReader& in, std::uint64_t, Errors& errors) {
  const double l2 = in.Number("l2", LogisticRegression::Options{}.l2, Range::AtLeast(0.0));
  auto data = DataOf(in, errors);
  if (!data.set || in.Describing()) return std::nullopt;
  if (data.name == kDigitsDataset) return LogisticRegression(std::move(data.set), {.l2 = l2});  // "5 or more?"
  // A table: binary, so its label must have two classes (class 1 the positive one).
  if (data.set->numClasses != 2) {
    errors.Add(in.PathOf("data"), "logistic_regression needs a label with 2 classes; this data set has " +
                                      std::to_string(data.set->numClasses) + " (the mlp takes any number)");
    return std::nullopt;
  }
  return LogisticRegression(std::move(data.set), {.l2 = l2, .positiveFrom = 1});
}

constexpr Named<Mlp::Activation> kActivations[] = {{"relu", Mlp::Activation::kRelu}, {"tanh", Mlp::Activation::kTanh}};

std::optional<AnyProblem> ReadMlp(ObjectReader& in, std::uint64_t seed, Errors& errors) {
  Mlp::Options o;
  o.hidden = static_cast<int>(in.Integer("hidden", o.hidden, 1, kMaxHidden));
  o.activation = in.Enum("activation", o.activation, kActivations);
  o.seed = seed;
  auto data = DataOf(in, errors);
  if (!data.set || in.Describing()) return std::nullopt;
  return Mlp(std::move(data.set), o);
}

struct ProblemKind {
  const char* name;
  const char* dataset;  // the registered data set it trains on, or null
  bool minibatch;       // a sum over samples: minibatches of batch_size, a validation loss
  Read read;
};

template <class P>
constexpr ProblemKind Kind(const char* name, Read read, const char* dataset = nullptr) {
  return {name, dataset, SeparableObjective<P>, read};
}

const ProblemKind kProblems[] = {
    Kind<Quadratic>("quadratic", ReadQuadratic),
    Kind<Rosenbrock>("rosenbrock", ReadRosenbrock),
    Kind<Beale>("beale", ReadWithoutOptions<Beale>),
    Kind<Himmelblau>("himmelblau", ReadWithoutOptions<Himmelblau>),
    Kind<Rastrigin>("rastrigin", ReadRastrigin),
    Kind<DoubleWell>("double_well", ReadWithoutOptions<DoubleWell>),
    Kind<Saddle>("saddle", ReadSaddle),
    Kind<SparseLinear>("sparse_linear", ReadSparseLinear),
    Kind<LogisticRegression>("logistic_regression", ReadLogisticRegression, kDigitsDataset),
    Kind<Mlp>("mlp", ReadMlp, kDigitsDataset),
};

// The kind's options, then the start every problem accepts.
std::optional<ProblemChoice> ReadProblemOf(const ProblemKind& kind, ObjectReader& in, std::uint64_t seed,
                                           Errors& errors) {
  std::optional<AnyProblem> problem = kind.read(in, seed, errors);
  const auto dim = problem ? std::optional<Index>(std::visit([](const auto& p) { return p.Dimension(); }, *problem))
                           : std::nullopt;
  std::optional<Vector> x0 =
      in.NumberList("x0", Range::Any(), dim, kMaxDim, {.defaultText = "the problem's start", .length = "dim"});
  in.RejectUnknownKeys();
  if (!problem) return std::nullopt;
  if (!x0) x0 = std::visit([](const auto& p) { return p.InitialPoint(); }, *problem);
  return ProblemChoice{std::move(*problem), std::move(*x0)};
}

}  // namespace

std::optional<ProblemChoice> ReadProblem(const Json* spec, std::uint64_t seed, Errors& errors) {
  ObjectReader in(spec, "problem", errors);
  const std::string name = in.Choice("name", kProblems[0].name, NamesOf(kProblems));
  // A misspelt name has been reported; its options would only add noise.
  if (in.Has("name") && (*spec)["name"] != name) return std::nullopt;
  return ReadProblemOf(*FindByName(kProblems, name), in, seed, errors);
}

namespace {

Json FactValue(const Facts::Value& value) {
  return std::visit(
      [](const auto& v) -> Json {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, Vector>) {
          return std::vector<double>(v.begin(), v.end());
        } else if constexpr (std::is_same_v<V, std::vector<Vector>>) {
          Json all = Json::array();
          for (const Vector& p : v) all.push_back(std::vector<double>(p.begin(), p.end()));
          return all;
        } else {
          return v;
        }
      },
      value);
}

}  // namespace

Json ProblemInfo(const AnyProblem& problem) {
  return std::visit(
      [](const auto& p) {
        Json info{{"dim", p.Dimension()}};
        const Facts facts = p.Describe();
        for (const auto& [name, value] : facts.Items()) info[name] = FactValue(value);
        return info;
      },
      problem);
}

// Measured natively, one work unit is 0.4 to 0.6 ns for every problem (the
// MLP's products, Rastrigin's sines, a 2-D quadratic's per-step bookkeeping).
constexpr double kUpdateCost = 8.0;     // an optimizer's update, per parameter
constexpr double kStepOverhead = 500.0;  // the trainer's bookkeeping, per step

double StepWork(const AnyProblem& problem, int batchSize) {
  return std::visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        const double dim = static_cast<double>(p.Dimension());
        double gradient = dim;
        if constexpr (SeparableObjective<P>)
          gradient = dim * static_cast<double>(std::min(batchSize, p.NumSamples()));
        else if constexpr (requires { p.GradientCost(); })
          gradient = p.GradientCost();
        return gradient + kUpdateCost * dim + kStepOverhead;
      },
      problem);
}

double EvaluationWork(const AnyProblem& problem) {
  return std::visit(
      [](const auto& p) {
        if constexpr (SeparableObjective<std::decay_t<decltype(p)>>)
          return static_cast<double>(p.Dimension()) * static_cast<double>(p.NumValidation());
        else
          return 0.0;  // the validation loss is the step's own
      },
      problem);
}

Json DescribeProblems() {
  Json out = Json::object();
  for (const auto& kind : kProblems) {
    const Schema schema =
        DescribeReads("problem", [&](ObjectReader& in, Errors& errors) { ReadProblemOf(kind, in, 0, errors); });
    Json entry{{"fields", schema.Fields("problem")},
               {"dataset", kind.dataset ? Json(kind.dataset) : Json(nullptr)},
               {"minibatch", kind.minibatch}};
    // A deterministic problem built from its defaults, as a run reports it.
    if (!kind.minibatch) {
      Errors errors;
      const Json spec{{"name", kind.name}};
      if (auto built = ReadProblem(&spec, 0, errors)) {
        Json defaults = ProblemInfo(built->problem);
        defaults["start"] = std::vector<double>(built->x0.begin(), built->x0.end());
        entry["defaults"] = std::move(defaults);
      }
    }
    out[kind.name] = std::move(entry);
  }
  return out;
}

}  // namespace lrlab::config
