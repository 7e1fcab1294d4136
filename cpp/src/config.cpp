#include "lrlab/config/config.hpp"

#include <cmath>
#include <cstdio>

#include "config_internal.hpp"
#include "lrlab/core/dataset.hpp"

namespace lrlab::config {

namespace {

Json Finite(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json FiniteList(const std::vector<double>& values) {
  Json out = Json::array();
  for (double v : values) out.push_back(Finite(v));
  return out;
}

// A flat history of `dim` numbers per step as one list per step.
Json FiniteRows(const std::vector<double>& flat, std::size_t dim) {
  Json rows = Json::array();
  for (std::size_t i = 0; dim > 0 && i + dim <= flat.size(); i += dim) {
    Json row = Json::array();
    for (std::size_t j = i; j < i + dim; ++j) row.push_back(Finite(flat[j]));
    rows.push_back(std::move(row));
  }
  return rows;
}

// Per-step vectors (effective_lr) are kept only for problems this small,
// the size below which params are recorded by default.
constexpr Index kMaxRecordedDim = 64;

}  // namespace

namespace {

constexpr Named<Plateau::Mode> kPlateauModes[] = {{"min", Plateau::Mode::kMin}, {"max", Plateau::Mode::kMax}};
constexpr Named<Plateau::ThresholdMode> kThresholdModes[] = {{"rel", Plateau::ThresholdMode::kRel},
                                                            {"abs", Plateau::ThresholdMode::kAbs}};

// The controller's options; its defaults are the controller's own.
Plateau::Options ReadPlateauOptions(ObjectReader& in) {
  const Plateau::Options d;
  Plateau::Options o;
  o.mode = in.Enum("mode", d.mode, kPlateauModes);
  // PyTorch rejects factor >= 1; 0 would zero η for good.
  o.factor = in.Number("factor", d.factor, Range::Open(0.0, 1.0));
  o.patience = in.Integer("patience", d.patience, 0, kMaxSteps);
  o.threshold = in.Number("threshold", d.threshold, Range::AtLeast(0.0));
  o.thresholdMode = in.Enum("threshold_mode", d.thresholdMode, kThresholdModes);
  o.cooldown = in.Integer("cooldown", d.cooldown, 0, kMaxSteps);
  o.minLr = in.Number("min_lr", d.minLr, Range::AtLeast(0.0));
  o.eps = in.Number("eps", d.eps, Range::AtLeast(0.0));
  in.RejectUnknownKeys();
  return o;
}

std::optional<Plateau::Options> ReadPlateau(const Json* spec, Errors& errors) {
  if (!spec) return std::nullopt;
  ObjectReader in(spec, "plateau", errors);
  return ReadPlateauOptions(in);
}

// record.sharpness: λmax of the Hessian every `every` steps (sharpness.hpp).
constexpr int kMaxSharpnessIterations = 1000;
Trainer::Options::Sharpness ReadSharpnessOptions(ObjectReader& in) {
  const Trainer::Options::Sharpness defaults;
  return {.every = static_cast<long>(in.Integer("every", defaults.every, 1, kMaxSteps, {.note = "steps between estimates, from step 0"})),
          .iterations = static_cast<int>(in.Integer("iterations", defaults.iterations, 1, kMaxSharpnessIterations,
                                                    {.note = "power iterations per estimate, at most (two full-batch gradients each)"}))};
}

// The run's seed: it seeds synthetic data, initialisation and minibatches.
std::uint64_t ReadSeed(ObjectReader& top) {
  return static_cast<std::uint64_t>(top.Integer("seed", 0, 0, (std::int64_t{1} << 53) - 1));
}

const Trainer::Options kTrainerDefaults;

Limits limits;

// Three significant digits: 2.65e+11.
std::string Amount(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}

// The work of one run of `steps` steps (see Limits), sharpness estimates
// included: each power iteration two full-batch gradients, and at worst
// twice the iterations (a second, shifted pass; sharpness.hpp).
double RunWork(long steps, const AnyProblem& problem, const Trainer::Options& options) {
  const double evaluations = std::floor(static_cast<double>(steps) / static_cast<double>(options.evalEvery)) + 1.0;
  double work = static_cast<double>(steps) * StepWork(problem, options.batchSize) + evaluations * EvaluationWork(problem);
  if (options.sharpness) {
    const double estimates = std::floor(static_cast<double>(steps) / static_cast<double>(options.sharpness->every)) + 1.0;
    work += estimates * 4.0 * options.sharpness->iterations * StepWork(problem, std::numeric_limits<int>::max());
  }
  return work;
}

// Refuses a run that would take too long or record too much.
void CheckRunLimits(long steps, const AnyProblem& problem, Index dim, const Trainer::Options& options, Errors& errors) {
  const double work = RunWork(steps, problem, options);
  if (work > limits.work)
    errors.Add("steps", "too much work: " + std::to_string(steps) + " steps of " + Amount(StepWork(problem, options.batchSize)) +
                            " numbers each (parameters × batch size) and the evaluations" +
                            (options.sharpness ? " and sharpness estimates" : "") + " come to " + Amount(work) +
                            ", at most " + Amount(limits.work) + " (README \"Reliability\"); run fewer steps" +
                            (options.sharpness ? " or estimate the sharpness less often" : ""));
  const double perStep = 3.0 + (options.recordParams ? static_cast<double>(dim) : 0.0) +
                         (options.recordEffectiveLr ? static_cast<double>(dim) : 0.0);
  const double recorded = static_cast<double>(steps + 1) * perStep;
  if (recorded > limits.recorded)
    errors.Add(options.recordParams ? "record.params" : "steps",
               "the history would hold " + Amount(recorded) + " numbers, at most " + Amount(limits.recorded) +
                   (options.recordParams ? "; set record.params to false or run fewer steps" : "; run fewer steps"));
}

// Reads every run option from `top`; the caller reads its own extra keys
// (sweep, range_test) from the same reader and then rejects unknown ones.
// `optimizerHasMomentum`, when given, receives whether a schedule may cycle
// the optimizer's momentum (needed to read the schedule again).
std::optional<RunConfig> ReadRunConfig(ObjectReader& top, Errors& errors, bool* optimizerHasMomentum = nullptr) {
  Trainer::Options options;
  options.seed = ReadSeed(top);
  std::optional<ProblemChoice> problem =
      ReadProblem(top.Object("problem", {.section = "problems"}), options.seed, errors);
  OptimizerChoice optimizer = ReadOptimizer(top.Object("optimizer", {.section = "optimizers"}), errors);
  if (optimizerHasMomentum) *optimizerHasMomentum = optimizer.hasMomentum;
  std::optional<Schedule> schedule = ReadSchedule(top.Object("schedule", {.section = "schedules"}), optimizer.lr,
                                                  optimizer.hasMomentum, errors);

  const long steps = top.Integer("steps", 100, 0, kMaxSteps);
  options.batchSize = static_cast<int>(top.Integer("batch_size", kTrainerDefaults.batchSize, 1, 1'000'000,
                                                   {.note = "problems with minibatches only"}));
  options.evalEvery = top.Integer("eval_every", kTrainerDefaults.evalEvery, 1, kMaxSteps,
                                  {.note = "steps between validation losses (and plateau observations)"});
  options.plateau = ReadPlateau(top.Object("plateau", {.section = "plateau"}), errors);
  options.gradientNoise = top.Number("gradient_noise", kTrainerDefaults.gradientNoise, Range::AtLeast(0.0));
  {
    ObjectReader record(top.Object("record", {.section = "record"}), "record", errors);
    const Index dim = problem ? problem->x0.size() : 0;
    const std::string atMost = "problems with at most " + std::to_string(kMaxRecordedDim) + " parameters";
    options.recordParams = record.Boolean("params", dim <= kMaxRecordedDim, {.defaultText = "true for " + atMost});
    options.recordEffectiveLr = record.Boolean("effective_lr", kTrainerDefaults.recordEffectiveLr, {.note = atMost});
    if (options.recordEffectiveLr && dim > kMaxRecordedDim)
      errors.Add(record.PathOf("effective_lr"), "is recorded only for problems with at most " +
                                                    std::to_string(kMaxRecordedDim) + " parameters, this one has " +
                                                    std::to_string(dim));
    if (const Json* spec = record.Object("sharpness", {.section = "sharpness"})) {
      ObjectReader sharpness(spec, "record.sharpness", errors);
      options.sharpness = ReadSharpnessOptions(sharpness);
      sharpness.RejectUnknownKeys();
    }
    record.RejectUnknownKeys();
  }
  if (!problem && errors.Empty()) errors.Add("problem", "could not be built");
  if (problem) CheckRunLimits(steps, problem->problem, problem->x0.size(), options, errors);
  if (!problem || !schedule) return std::nullopt;
  return RunConfig{.problem = std::move(problem->problem),
                   .x0 = std::move(problem->x0),
                   .optimizer = std::move(optimizer.optimizer),
                   .schedule = std::move(*schedule),
                   .options = options,
                   .steps = steps};
}

// A sweep or range-test config is a run config plus one section of its own.
// Returns the run part (without `section`) with optimizer.lr set to `lr` —
// always when `replace`, otherwise only where the config gives none — and
// reads it, recording errors. An optimizer that is not an object is left for
// the reader to report.
struct EmbeddedRun {
  Json base;
  std::optional<RunConfig> run;
  bool optimizerHasMomentum = false;
};
EmbeddedRun ReadEmbeddedRun(const Json& config, const std::string& section, double lr, bool replace, Errors& errors) {
  EmbeddedRun out{config, std::nullopt, false};
  out.base.erase(section);
  // Its result keeps no sharpness: say so rather than compute it for nothing.
  if (auto record = out.base.find("record"); record != out.base.end() && record->is_object() && record->contains("sharpness")) {
    errors.Add("record.sharpness", "a " + std::string(section == "sweep" ? "sweep" : "range test") +
                                       " keeps no sharpness; remove it (lrlab run records it)");
    record->erase("sharpness");
  }
  Json& optimizer = out.base["optimizer"];
  if (optimizer.is_null()) optimizer = Json::object();
  if (optimizer.is_object() && (replace || !optimizer.contains("lr"))) optimizer["lr"] = lr;
  ObjectReader top(&out.base, "", errors);
  out.run = ReadRunConfig(top, errors, &out.optimizerHasMomentum);
  top.RejectUnknownKeys();
  // A sweep's or range test's result keeps none of a run's records (params,
  // effective η): its runs need not compute them.
  if (out.run) {
    out.run->options.recordParams = false;
    out.run->options.recordEffectiveLr = false;
  }
  return out;
}

constexpr int kMaxSweepPoints = 1000;

// The η values of "sweep": {"lrs": […]} or {"lr_min", "lr_max", "num"} (log-spaced).
std::vector<double> ReadSweepLrs(ObjectReader& in, Errors& errors) {
  const char* const either = "give lrs, or lr_min, lr_max and num";
  const auto list = in.NumberList("lrs", Range::AtLeast(0.0), std::nullopt, kMaxSweepPoints, {.note = either});
  const double lo = in.Number("lr_min", 1e-4, Range::Positive(), {.note = either});
  const double hi = in.Number("lr_max", 10.0, Range::Positive(), {.note = either});
  const auto num = static_cast<int>(in.Integer("num", 50, 1, kMaxSweepPoints, {.note = either}));
  std::vector<double> lrs;
  if (in.Has("lrs")) {
    for (const char* key : {"lr_min", "lr_max", "num"})
      if (in.Has(key)) errors.Add(in.PathOf(key), std::string("is not used with lrs; ") + either);
    if (list) lrs.assign(list->begin(), list->end());
  } else {
    if (lo > hi) errors.Add(in.PathOf("lr_min"), "must not exceed lr_max");
    lrs = LogSpace(lo, hi, num);
  }
  in.RejectUnknownKeys();
  return lrs;
}

RangeTestOptions ReadRangeTestOptions(ObjectReader& in, Errors& errors) {
  RangeTestOptions o;
  o.lrMin = in.Number("lr_min", o.lrMin, Range::Positive(), {.note = "below lr_max"});
  o.lrMax = in.Number("lr_max", o.lrMax, Range::Positive(), {.note = "above lr_min"});
  o.steps = in.Integer("steps", o.steps, 2, 100'000);
  o.smoothing = in.Number("smoothing", o.smoothing, Range::ClosedOpen(0.0, 1.0));
  o.stopFactor = in.Number("stop_factor", o.stopFactor, Range::Open(1.0, std::numeric_limits<double>::infinity()));
  if (o.lrMin >= o.lrMax) errors.Add(in.PathOf("lr_min"), "must be below lr_max");
  in.RejectUnknownKeys();
  return o;
}

struct GridSpec {
  std::optional<Vector> x, y;
  Index nx = 0, ny = 1;
};

constexpr Index kMaxGridPoints = 250'000;

// "grid": {"x": [min, max], "nx": …, and for a 2-D problem "y", "ny"}.
GridSpec ReadGrid(ObjectReader& in, Index dim, Errors& errors) {
  const char* const twoD = "2-D problems only";
  GridSpec g;
  g.x = in.NumberList("x", Range::Any(), Index{2}, 2, {.note = "[min, max]", .required = true});
  g.y = in.NumberList("y", Range::Any(), Index{2}, 2, {.note = "[min, max]; required for a 2-D problem, not accepted otherwise"});
  g.nx = static_cast<Index>(in.Integer("nx", 101, 2, 2000));
  const auto ny = static_cast<Index>(in.Integer("ny", 101, 2, 2000, {.note = twoD}));
  if (!in.Has("x")) errors.Add(in.PathOf("x"), "is required: [min, max]");
  if (dim == 2) {
    g.ny = ny;
    if (!in.Has("y")) errors.Add(in.PathOf("y"), "is required for a 2-D problem: [min, max]");
  } else {
    g.y.reset();
    for (const char* key : {"y", "ny"})
      if (in.Has(key)) errors.Add(in.PathOf(key), std::string("is for 2-D problems only, this one has ") +
                                                      std::to_string(dim) + (dim == 1 ? " dimension" : " dimensions"));
  }
  for (const auto& [key, range] : {std::pair{"x", g.x}, std::pair{"y", g.y}})
    if (range && !((*range)[0] < (*range)[1])) errors.Add(in.PathOf(key), "must be [min, max] with min < max");
  if (g.nx * g.ny > kMaxGridPoints)
    errors.Add(in.Path(), "at most " + std::to_string(kMaxGridPoints) + " points (nx × ny)");
  in.RejectUnknownKeys();
  return g;
}

}  // namespace

Json ParseJson(std::string_view text) {
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) throw ConfigError({Issue{"config", "not valid JSON"}});
  return parsed;
}

RunConfig ParseRunConfig(const Json& config) {
  Errors errors;
  ObjectReader top(&config, "", errors);
  errors.ThrowIfAny();  // not an object: nothing else can be read
  std::optional<RunConfig> run = ReadRunConfig(top, errors);
  top.RejectUnknownKeys();
  errors.ThrowIfAny();
  return std::move(*run);
}

RunConfig ParseRunConfigText(std::string_view text) { return ParseRunConfig(ParseJson(text)); }

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
  if (!h.plateau.empty()) {
    Json best = Json::array(), bad = Json::array(), cooldown = Json::array(), multiplier = Json::array(),
         reducedAt = Json::array();
    for (std::size_t i = 0; i < h.plateau.size(); ++i) {
      const Plateau::State& p = h.plateau[i];
      best.push_back(Finite(p.best));
      bad.push_back(p.numBad);
      cooldown.push_back(p.cooldownLeft);
      multiplier.push_back(p.multiplier);
      if (p.reduced) reducedAt.push_back(h.valSteps[i]);
    }
    out["plateau"] = {{"best", best},         {"num_bad", bad},          {"cooldown", cooldown},
                      {"multiplier", multiplier}, {"reduced_at", reducedAt}};
  }
  const auto dim = static_cast<std::size_t>(trainer.Dimension());
  if (!h.params.empty()) out["params"] = FiniteRows(h.params, dim);
  if (trainer.RecordsEffectiveLr()) out["effective_lr"] = FiniteRows(h.effectiveLr, dim);
  if (trainer.RecordsSharpness()) out["sharpness"] = {{"steps", h.sharpnessSteps}, {"values", h.sharpness}};
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

namespace lrlab::config {

SweepConfig ParseSweepConfig(const Json& config) {
  Errors errors;
  ObjectReader top(&config, "", errors);
  errors.ThrowIfAny();
  std::vector<double> lrs;
  {
    ObjectReader in(top.Object("sweep"), "sweep", errors);
    lrs = ReadSweepLrs(in, errors);
  }
  // Read and validate the run once, with the first η standing in for
  // optimizer.lr: only the schedule depends on η (optimizers take η on every
  // step), so each run copies this one and reads the schedule again.
  EmbeddedRun embedded = ReadEmbeddedRun(config, "sweep", lrs.empty() ? 0.0 : lrs.front(), true, errors);
  std::optional<RunConfig>& parsed = embedded.run;
  if (const char* name = ScheduleSettingLr(top.Object("schedule")))
    errors.Add("schedule.name", std::string("the ") + name + " schedule sets η itself, so an η sweep does not apply to it");
  if (parsed) {
    const double work = static_cast<double>(lrs.size()) * RunWork(parsed->steps, parsed->problem, parsed->options);
    if (work > limits.work)
      errors.Add("sweep", "too much work: " + std::to_string(lrs.size()) + " runs of " +
                              Amount(work / static_cast<double>(lrs.size())) + " numbers each come to " + Amount(work) +
                              ", at most " + Amount(limits.work) + " (README \"Reliability\"); use fewer η values or steps");
  }
  errors.ThrowIfAny();
  const long steps = parsed->steps;
  const auto spec = embedded.base.find("schedule");
  auto scheduleFor = [spec = spec == embedded.base.end() ? std::nullopt : std::optional<Json>(*spec),
                      hasMomentum = embedded.optimizerHasMomentum](double lr) {
    Errors scheduleErrors;
    std::optional<Schedule> schedule = ReadSchedule(spec ? &*spec : nullptr, lr, hasMomentum, scheduleErrors);
    scheduleErrors.ThrowIfAny();  // not expected: no schedule check depends on η
    return std::move(*schedule);
  };
  return SweepConfig{.run = std::move(*parsed), .lrs = std::move(lrs), .steps = steps, .scheduleFor = scheduleFor};
}

Json SweepResultJson(const SweepResult& r, long steps) {
  Json diverged = Json::array();
  for (long d : r.divergedAt) diverged.push_back(d < 0 ? Json(nullptr) : Json(d));
  return {{"lr", r.lr},
          {"final_loss", FiniteList(r.finalLoss)},
          {"best_loss", FiniteList(r.bestLoss)},
          {"final_val_loss", FiniteList(r.finalValLoss)},
          {"diverged_at", diverged},
          {"steps", steps}};
}

std::unique_ptr<Trainer> SweepConfig::MakeTrainerFor(double lr) const {
  RunConfig copy = run;
  copy.schedule = scheduleFor(lr);
  return MakeTrainer(std::move(copy));
}

Json SweepToJson(std::string_view configText) {
  const SweepConfig sweep = ParseSweepConfig(ParseJson(configText));
  const SweepResult r = RunSweep([&](double lr) { return sweep.MakeTrainerFor(lr); }, sweep.lrs, sweep.steps);
  return SweepResultJson(r, sweep.steps);
}

RangeTestConfig ParseRangeTestConfig(const Json& config) {
  Errors errors;
  ObjectReader top(&config, "", errors);
  errors.ThrowIfAny();
  RangeTestOptions o;
  {
    ObjectReader in(top.Object("range_test"), "range_test", errors);
    o = ReadRangeTestOptions(in, errors);
  }
  if (top.Has("schedule")) errors.Add("schedule", "the range test sets η itself; remove the schedule");
  if (top.Has("plateau")) errors.Add("plateau", "the range test sets η itself; remove the plateau controller");
  // optimizer.lr is not used (the ramp replaces it) but sgd requires one.
  std::optional<RunConfig> parsed = ReadEmbeddedRun(config, "range_test", o.lrMin, false, errors).run;
  if (parsed) {
    const double work = RunWork(o.steps, parsed->problem, parsed->options);
    if (work > limits.work)
      errors.Add("range_test.steps", "too much work: " + std::to_string(o.steps) + " steps come to " + Amount(work) +
                                         ", at most " + Amount(limits.work) + " (README \"Reliability\")");
  }
  errors.ThrowIfAny();
  parsed->schedule = Schedule([o](long t) { return RangeTestLr(o, t); });
  return {std::move(*parsed), o};
}

Json RangeTestResultJson(const RangeTestResult& r) {
  auto optional = [](const auto& v) { return v ? Json(*v) : Json(nullptr); };
  return {{"lr", r.lr},
          {"loss", FiniteList(r.loss)},
          {"smoothed", FiniteList(r.smoothed)},
          {"stopped_at", optional(r.stoppedAt)},
          {"suggested_lr", optional(r.suggestedLr)},
          {"min_loss_lr", optional(r.minLossLr)}};
}

Json RangeTestToJson(std::string_view configText) {
  RangeTestConfig test = ParseRangeTestConfig(ParseJson(configText));
  auto trainer = MakeTrainer(std::move(test.run));
  return RangeTestResultJson(RunRangeTest(*trainer, test.options));
}

GridConfig ParseGridConfig(const Json& config) {
  Errors errors;
  ObjectReader top(&config, "", errors);
  errors.ThrowIfAny();
  std::optional<ProblemChoice> problem = ReadProblem(top.Object("problem"), ReadSeed(top), errors);
  const Index dim = problem ? problem->x0.size() : 0;
  if (problem && dim != 1 && dim != 2)
    errors.Add("problem", "a grid needs a 1-D or 2-D problem, this one has " + std::to_string(dim) + " dimensions");
  ObjectReader in(top.Object("grid"), "grid", errors);
  const GridSpec g = ReadGrid(in, dim, errors);
  top.RejectUnknownKeys();
  errors.ThrowIfAny();
  GridConfig out{std::move(problem->problem), {}, {}};
  const auto at = [](const Vector& r, Index i, Index n) {
    return r[0] + (r[1] - r[0]) * static_cast<double>(i) / static_cast<double>(n - 1);
  };
  for (Index i = 0; i < g.nx; ++i) out.x.push_back(at(*g.x, i, g.nx));
  if (dim == 2)
    for (Index j = 0; j < g.ny; ++j) out.y.push_back(at(*g.y, j, g.ny));
  return out;
}

bool GridValues::Advance(long n) {
  const std::size_t nx = grid_.x.size(), ny = std::max<std::size_t>(1, grid_.y.size());
  const bool twoD = !grid_.y.empty();
  Vector point(twoD ? 2 : 1);
  std::visit(
      [&](const auto& p) {
        for (; n > 0 && values_.size() < nx * ny; --n) {
          const std::size_t k = values_.size();
          point[0] = grid_.x[k % nx];
          if (twoD) point[1] = grid_.y[k / nx];
          values_.push_back(p.Value(point));
        }
      },
      grid_.problem);
  return Done();
}

bool GridValues::Done() const { return values_.size() >= grid_.x.size() * std::max<std::size_t>(1, grid_.y.size()); }

Json GridValues::ToJson() const {
  Json out{{"x", grid_.x}, {"values", FiniteList(values_)}, {"nx", grid_.x.size()},
           {"ny", std::max<std::size_t>(1, grid_.y.size())}};
  if (!grid_.y.empty()) out["y"] = grid_.y;
  return out;
}

Json GridToJson(std::string_view configText) {
  GridValues grid(ParseGridConfig(ParseJson(configText)));
  grid.Advance(std::numeric_limits<long>::max());
  return grid.ToJson();
}

Limits GetLimits() { return limits; }
void SetLimits(const Limits& l) { limits = l; }

Json ConfigSchema() {
  // The run's own fields (and record's), read from an empty config; its
  // sections are described one kind at a time below.
  const Schema run = DescribeReads("", [](ObjectReader& top, Errors& errors) { ReadRunConfig(top, errors); });
  const auto fields = [](const std::string& path, auto read) {
    return Json{{"fields", DescribeReads(path, read).Fields(path)}};
  };
  Json plateau = fields("plateau", [](ObjectReader& in, Errors&) { ReadPlateauOptions(in); });
  plateau["torch"] = "ReduceLROnPlateau";
  return {
      {"schema_version", 1},
      {"run", {{"fields", run.Fields("")}}},
      {"record", {{"fields", run.Fields("record")}}},
      {"problems", DescribeProblems()},
      {"optimizers", DescribeOptimizers()},
      {"schedules", DescribeSchedules()},
      {"plateau", std::move(plateau)},
      {"sharpness", fields("record.sharpness", [](ObjectReader& in, Errors&) { ReadSharpnessOptions(in); })},
      {"sweep", fields("sweep", [](ObjectReader& in, Errors& errors) { ReadSweepLrs(in, errors); })},
      {"range_test", fields("range_test", [](ObjectReader& in, Errors& errors) { ReadRangeTestOptions(in, errors); })},
      {"grid", fields("grid", [](ObjectReader& in, Errors& errors) { ReadGrid(in, 2, errors); })},
      {"datasets", Json::array({kDigitsDataset, kLocalDataset})},
      {"limits", {{"work", limits.work}, {"recorded", limits.recorded}}},
  };
}

}  // namespace lrlab::config
