#include "lrlab/config/config.hpp"

#include <cmath>

#include "config_internal.hpp"

namespace lrlab::config {

namespace {

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
  Trainer::Options options;
  options.seed = static_cast<std::uint64_t>(top.Integer("seed", 0, 0, (std::int64_t{1} << 53) - 1));
  std::optional<ProblemChoice> problem = ReadProblem(top.Object("problem"), options.seed, errors);
  OptimizerChoice optimizer = ReadOptimizer(top.Object("optimizer"), errors);
  std::optional<Schedule> schedule =
      ReadSchedule(top.Object("schedule"), optimizer.lr, optimizer.hasMomentum, errors);

  const long steps = top.Integer("steps", 100, 0, kMaxSteps);
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
                   .schedule = std::move(*schedule),
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
