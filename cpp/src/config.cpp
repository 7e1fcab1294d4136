#include "lrlab/config/config.hpp"

#include <cmath>

namespace lrlab::config {

namespace {

constexpr Index kMaxDenseDim = 2000;
constexpr Index kMaxDim = 1'000'000;

// ---- problems -------------------------------------------------------------

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

struct ProblemChoice {
  AnyProblem problem;
  Vector x0;
};

std::optional<ProblemChoice> ReadProblem(const Json* spec, Errors& errors) {
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

// ---- optimizers -----------------------------------------------------------

AnyOptimizer ReadSgd(ObjectReader& in, Errors& errors) {
  Sgd::Options o{
      .momentum = in.Number("momentum", 0.0, Range::ClosedOpen(0.0, 1.0)),
      .dampening = in.Number("dampening", 0.0, Range::Closed(0.0, 1.0)),
      .nesterov = in.Boolean("nesterov", false),
      .weightDecay = in.Number("weight_decay", 0.0, Range::AtLeast(0.0)),
  };
  if (o.nesterov && (o.momentum <= 0.0 || o.dampening != 0.0))
    errors.Add(in.PathOf("nesterov"), "requires momentum > 0 and dampening = 0");
  return Sgd(o);
}

struct OptimizerChoice {
  AnyOptimizer optimizer;
  double lr;
};

OptimizerChoice ReadOptimizer(const Json* spec, Errors& errors) {
  ObjectReader in(spec, "optimizer", errors);
  const std::string name = in.Choice("name", "sgd", {"sgd"});
  // PyTorch's SGD has no default learning rate; neither do we.
  const double lr = in.RequiredNumber("lr", Range::AtLeast(0.0)).value_or(0.0);
  AnyOptimizer optimizer = ReadSgd(in, errors);
  in.RejectUnknownKeys();
  return {std::move(optimizer), lr};
}

// ---- schedules ------------------------------------------------------------

Schedule ReadSchedule(const Json* spec, double lr, Errors& errors) {
  ObjectReader in(spec, "schedule", errors);
  in.Choice("name", "none", {"none"});
  in.RejectUnknownKeys();
  return Schedule::Constant(lr);
}

Json Finite(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json FiniteList(const std::vector<double>& values) {
  Json out = Json::array();
  for (double v : values) out.push_back(Finite(v));
  return out;
}

}  // namespace

RunConfig ParseRunConfig(const Json& config) {
  Errors errors;
  ObjectReader top(&config, "", errors);
  errors.ThrowIfAny();  // not an object: nothing else can be read
  std::optional<ProblemChoice> problem = ReadProblem(top.Object("problem"), errors);
  OptimizerChoice optimizer = ReadOptimizer(top.Object("optimizer"), errors);
  Schedule schedule = ReadSchedule(top.Object("schedule"), optimizer.lr, errors);

  Trainer::Options options;
  const long steps = top.Integer("steps", 100, 0, kMaxSteps);
  options.seed = static_cast<std::uint64_t>(top.Integer("seed", 0, 0, (std::int64_t{1} << 53) - 1));
  options.batchSize = static_cast<int>(top.Integer("batch_size", 32, 1, 1'000'000));
  options.evalEvery = top.Integer("eval_every", 10, 1, kMaxSteps);
  {
    ObjectReader record(top.Object("record"), "record", errors);
    const Index dim = problem ? problem->x0.size() : 0;
    options.recordParams = record.Boolean("params", dim <= 64);
    record.RejectUnknownKeys();
  }
  top.RejectUnknownKeys();
  if (!problem && errors.Empty()) errors.Add("problem", "could not be built");
  errors.ThrowIfAny();
  return RunConfig{.problem = std::move(problem->problem),
                   .x0 = std::move(problem->x0),
                   .optimizer = std::move(optimizer.optimizer),
                   .schedule = std::move(schedule),
                   .options = options,
                   .steps = steps};
}

RunConfig ParseRunConfigText(std::string_view text) {
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) throw ConfigError({"config: not valid JSON"});
  return ParseRunConfig(parsed);
}

std::unique_ptr<Trainer> MakeTrainer(RunConfig config) {
  return std::make_unique<Trainer>(std::move(config.problem), std::move(config.optimizer),
                                   std::move(config.schedule), std::move(config.x0), config.options);
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

Json ResultJson(const Trainer& trainer) {
  const History& h = trainer.GetHistory();
  Json out{{"steps", trainer.Steps()},
           {"loss", FiniteList(h.loss)},
           {"lr", FiniteList(h.lr)},
           {"grad_norm", FiniteList(h.gradNorm)},
           {"val_steps", h.valSteps},
           {"val_loss", FiniteList(h.valLoss)},
           {"diverged_at", h.divergedAt ? Json(*h.divergedAt) : Json(nullptr)},
           {"problem", ProblemInfo(trainer.Problem())}};
  if (!h.params.empty()) {
    const auto dim = static_cast<std::size_t>(trainer.Dimension());
    Json params = Json::array();
    for (std::size_t i = 0; i + dim <= h.params.size(); i += dim)
      params.push_back(FiniteList(std::vector<double>(h.params.begin() + static_cast<long>(i),
                                                      h.params.begin() + static_cast<long>(i + dim))));
    out["params"] = std::move(params);
  }
  return out;
}

Json RunToJson(std::string_view configText) {
  RunConfig config = ParseRunConfigText(configText);
  const long steps = config.steps;
  auto trainer = MakeTrainer(std::move(config));
  trainer->Run(steps);
  return ResultJson(*trainer);
}

}  // namespace lrlab::config
