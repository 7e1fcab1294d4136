// Schedules by name: reading and validating their options (PyTorch 1.13's
// lr_scheduler names and defaults). Ranges mirror PyTorch's own ValueErrors,
// tightened where PyTorch would divide by zero, switch schedulers wrongly or
// produce a negative η (each noted where checked), so that every accepted
// config is one PyTorch runs, with the same η.
#include <cmath>
#include <string>
#include <vector>

#include "config_internal.hpp"
#include "lrlab/schedules/chained.hpp"
#include "lrlab/schedules/cosine_annealing.hpp"
#include "lrlab/schedules/cyclic.hpp"
#include "lrlab/schedules/join.hpp"
#include "lrlab/schedules/one_cycle.hpp"
#include "lrlab/schedules/polynomial.hpp"
#include "lrlab/schedules/step_decay.hpp"
#include "lrlab/schedules/warmup_cosine.hpp"
#include "lrlab/schedules/warmup_factors.hpp"

namespace lrlab::config {

namespace {

// Step counts in schedule options (milestones, periods, total_steps): far
// beyond any run (kMaxSteps) but small enough for exact integer arithmetic.
constexpr std::int64_t kMaxScheduleSteps = 1'000'000'000;
constexpr std::int64_t kMaxTMult = 1'000'000;
constexpr std::size_t kMaxNested = 100;

// Where a schedule spec sits: PyTorch's SequentialLR and ChainedScheduler
// accept only some schedulers, and SequentialLR starts the later ones
// differently from the first.
enum class Place { kTop, kSequentialFirst, kSequentialLater, kChained };

struct Piece {
  Schedule schedule;
  std::optional<ChainLink> link;  // how the scheduler enters a chained one, if it can
};

Piece Multiplicative(double baseLr, Factor factor) { return {Scaled(baseLr, factor), ChainLink::Multiply(factor)}; }

// The context a schedule spec is read in: the optimizer's η (the base of the
// multiplicative schedulers), whether it has a momentum to cycle, and where
// the spec sits.
struct Context {
  double baseLr;
  bool optimizerHasMomentum;
  Place place;
};

using Read = std::optional<Piece> (*)(ObjectReader& in, const Context& at, Errors& errors);

std::optional<long> RequiredCount(ObjectReader& in, const std::string& key, std::int64_t lo, const Doc& doc = {}) {
  return in.RequiredInteger(key, lo, kMaxScheduleSteps, doc);
}

long Count(ObjectReader& in, const std::string& key, long fallback, std::int64_t lo, const Doc& doc = {}) {
  return static_cast<long>(in.Integer(key, fallback, lo, kMaxScheduleSteps, doc));
}

std::optional<std::vector<long>> Milestones(ObjectReader& in, std::int64_t lo, bool required, const Doc& doc = {}) {
  return in.IntegerList("milestones", lo, kMaxScheduleSteps, 1'000'000, required, doc);
}

const Json* SchedulerList(ObjectReader& in) {
  return in.List("schedulers", 1, kMaxNested, true, {.section = "schedules"});
}

const char* const kCycleMomentumNote = "needs an optimizer with momentum or betas (the schema's optimizers[…].momentum)";

void RequireMomentum(ObjectReader& in, bool cycleMomentum, const Context& at, Errors& errors) {
  if (cycleMomentum && !at.optimizerHasMomentum)
    errors.Add(in.PathOf("cycle_momentum"), "the optimizer has no momentum or betas to cycle; set it to false");
}

std::optional<Piece> ReadPiece(const Json* spec, const std::string& path, const Context& at, Errors& errors);

// ---- one reader per schedule name --------------------------------------

std::optional<Piece> ReadNone(ObjectReader&, const Context& at, Errors&) {
  return Piece{Schedule::Constant(at.baseLr), std::nullopt};
}

std::optional<Piece> ReadStep(ObjectReader& in, const Context& at, Errors&) {
  const StepFactor d;
  const auto stepSize = RequiredCount(in, "step_size", 1);
  const double gamma = in.Number("gamma", d.gamma, Range::Positive());
  if (!stepSize) return std::nullopt;
  return Multiplicative(at.baseLr, StepFactor{*stepSize, gamma});
}

std::optional<Piece> ReadMultiStep(ObjectReader& in, const Context& at, Errors&) {
  const MultiStepFactor d;
  auto milestones = Milestones(in, 0, true);
  const double gamma = in.Number("gamma", d.gamma, Range::Positive());
  if (!milestones) return std::nullopt;
  return Multiplicative(at.baseLr, MultiStepFactor{std::move(*milestones), gamma});
}

std::optional<Piece> ReadExponential(ObjectReader& in, const Context& at, Errors&) {
  const auto gamma = in.RequiredNumber("gamma", Range::Positive());
  if (!gamma) return std::nullopt;
  return Multiplicative(at.baseLr, ExponentialFactor{*gamma});
}

std::optional<Piece> ReadCosine(ObjectReader& in, const Context& at, Errors& errors) {
  const CosineAnnealing d;
  const auto tMax = RequiredCount(in, "T_max", 1);
  const double etaMin = in.Number("eta_min", d.etaMin, Range::AtLeast(0.0), {.note = "0 inside chained"});
  if (at.place == Place::kChained && etaMin != 0.0) {
    errors.Add(in.PathOf("eta_min"),
               "must be 0 inside chained (PyTorch's CosineAnnealingLR scales lr - eta_min, which does not "
               "multiply with the other schedulers), got " +
                   FormatNumber(etaMin));
    return std::nullopt;
  }
  if (!tMax) return std::nullopt;
  return Piece{Schedule(CosineAnnealing{.baseLr = at.baseLr, .tMax = *tMax, .etaMin = etaMin}),
               ChainLink::Cosine(*tMax)};
}

std::optional<Piece> ReadWarmRestarts(ObjectReader& in, const Context& at, Errors&) {
  const CosineWarmRestarts d;
  const auto t0 = RequiredCount(in, "T_0", 1);
  const long tMult = static_cast<long>(in.Integer("T_mult", d.tMult, 1, kMaxTMult));
  const double etaMin = in.Number("eta_min", d.etaMin, Range::AtLeast(0.0));
  if (!t0) return std::nullopt;
  return Piece{Schedule(CosineWarmRestarts{.baseLr = at.baseLr, .t0 = *t0, .tMult = tMult, .etaMin = etaMin}),
               std::nullopt};
}

// PyTorch divides by start_factor / factor in its recursion: (0, 1].
const Range kPositiveFraction = Range::OpenClosed(0.0, 1.0);

// SequentialLR starts a later scheduler with its closed form, which divides
// by total_iters.
const char* const kItersAtMilestoneNote = ">= 1 when a later scheduler of sequential";
void RequireItersAtMilestone(ObjectReader& in, long totalIters, const Context& at, Errors& errors) {
  if (at.place == Place::kSequentialLater && totalIters == 0)
    errors.Add(in.PathOf("total_iters"),
               "must be >= 1 for a scheduler that starts at a milestone (PyTorch's closed form divides by "
               "total_iters), got 0");
}

std::optional<Piece> ReadLinear(ObjectReader& in, const Context& at, Errors& errors) {
  const LinearFactor d;
  const LinearFactor f{.startFactor = in.Number("start_factor", d.startFactor, kPositiveFraction),
                       .endFactor = in.Number("end_factor", d.endFactor, Range::Closed(0.0, 1.0)),
                       .totalIters = Count(in, "total_iters", d.totalIters, 0, {.note = kItersAtMilestoneNote})};
  RequireItersAtMilestone(in, f.totalIters, at, errors);
  return Multiplicative(at.baseLr, f);
}

std::optional<Piece> ReadConstant(ObjectReader& in, const Context& at, Errors&) {
  const ConstantFactor d;
  const ConstantFactor f{.factor = in.Number("factor", d.factor, kPositiveFraction),
                         .totalIters = Count(in, "total_iters", d.totalIters, 0),
                         .startedAtMilestone = at.place == Place::kSequentialLater};
  return Multiplicative(at.baseLr, f);
}

std::optional<Piece> ReadPolynomial(ObjectReader& in, const Context& at, Errors& errors) {
  const PolynomialFactor d;
  const PolynomialFactor f{.totalIters = Count(in, "total_iters", d.totalIters, 0, {.note = kItersAtMilestoneNote}),
                           .power = in.Number("power", d.power, Range::AtLeast(0.0))};
  RequireItersAtMilestone(in, f.totalIters, at, errors);
  return Multiplicative(at.baseLr, f);
}

constexpr Named<bool> kAnnealStrategies[] = {{"cos", true}, {"linear", false}};

std::optional<Piece> ReadOneCycle(ObjectReader& in, const Context& at, Errors& errors) {
  const OneCycleOptions d;
  const Json cycling{{"cycle_momentum", true}};
  const auto maxLr = in.RequiredNumber("max_lr", Range::Positive());
  const auto totalSteps = RequiredCount(in, "total_steps", 1);
  OneCycleOptions o{
      .pctStart = in.Number("pct_start", d.pctStart, Range::Open(0.0, 1.0),
                            {.note = "at most 0.5 with three_phase; pct_start × total_steps must not be 1"}),
      .annealCos = in.Enum("anneal_strategy", d.annealCos, kAnnealStrategies),
      .divFactor = in.Number("div_factor", d.divFactor, Range::Positive()),
      .finalDivFactor = in.Number("final_div_factor", d.finalDivFactor, Range::Positive()),
      .threePhase = in.Boolean("three_phase", d.threePhase),
      .cycleMomentum = in.Boolean("cycle_momentum", d.cycleMomentum, {.note = kCycleMomentumNote}),
      .baseMomentum = in.Number("base_momentum", d.baseMomentum, Range::ClosedOpen(0.0, 1.0), {.when = cycling}),
      .maxMomentum = in.Number("max_momentum", d.maxMomentum, Range::ClosedOpen(0.0, 1.0), {.when = cycling}),
  };
  RequireMomentum(in, o.cycleMomentum, at, errors);
  if (!maxLr || !totalSteps) return std::nullopt;
  o.maxLr = *maxLr;
  o.totalSteps = *totalSteps;
  bool ok = true;
  if (o.threePhase && o.pctStart > 0.5) {
    // Beyond 0.5 the second phase would end after the third: PyTorch divides
    // by zero or anneals backwards.
    errors.Add(in.PathOf("pct_start"),
               "must be in (0, 0.5] with three_phase (phases 1 and 2 each take pct_start of the cycle), got " +
                   FormatNumber(o.pctStart));
    ok = false;
  }
  if (o.pctStart * static_cast<double>(o.totalSteps) - 1.0 == 0.0) {
    errors.Add(in.PathOf("pct_start"),
               "pct_start * total_steps = 1 gives a first phase of zero length (PyTorch divides by zero at the "
               "first step); choose another pct_start");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return Piece{OneCycle(o), std::nullopt};
}

constexpr Named<CyclicOptions::Mode> kCyclicModes[] = {{"triangular", CyclicOptions::Mode::kTriangular},
                                                       {"triangular2", CyclicOptions::Mode::kTriangular2},
                                                       {"exp_range", CyclicOptions::Mode::kExpRange}};

std::optional<Piece> ReadCyclic(ObjectReader& in, const Context& at, Errors& errors) {
  const CyclicOptions d;
  const Json cycling{{"cycle_momentum", true}};
  const auto baseLr = in.RequiredNumber("base_lr", Range::AtLeast(0.0));
  const auto maxLr = in.RequiredNumber("max_lr", Range::AtLeast(0.0));
  CyclicOptions o;
  o.stepSizeUp = Count(in, "step_size_up", d.stepSizeUp, 1);
  const auto down = in.OptionalInteger("step_size_down", 0, kMaxScheduleSteps, {.defaultText = "step_size_up"});
  if (down) o.stepSizeDown = static_cast<long>(*down);
  o.mode = in.Enum("mode", d.mode, kCyclicModes);
  o.gamma = in.Number("gamma", d.gamma, Range::Positive(), {.when = {{"mode", "exp_range"}}});
  o.cycleMomentum = in.Boolean("cycle_momentum", d.cycleMomentum, {.note = kCycleMomentumNote});
  o.baseMomentum = in.Number("base_momentum", d.baseMomentum, Range::ClosedOpen(0.0, 1.0), {.when = cycling});
  o.maxMomentum = in.Number("max_momentum", d.maxMomentum, Range::ClosedOpen(0.0, 1.0), {.when = cycling});
  RequireMomentum(in, o.cycleMomentum, at, errors);
  if (!baseLr || !maxLr) return std::nullopt;
  o.baseLr = *baseLr;
  o.maxLr = *maxLr;
  return Piece{Cyclic(o), std::nullopt};
}

std::optional<Piece> ReadSequential(ObjectReader& in, const Context& at, Errors& errors) {
  const Json* list = SchedulerList(in);
  // Not needed for one scheduler, and not worth a second error without a list.
  const bool single = (!list || list->size() == 1) && !in.Has("milestones");
  // Milestone 0 would let the first scheduler set t = 0 and hand the second
  // its lr (see join.hpp); PyTorch does not check the order.
  std::optional<std::vector<long>> milestones =
      Milestones(in, 1, !single, {.note = "one fewer than schedulers; may be left out with one scheduler"});
  if (single) milestones.emplace();
  if (list && milestones && milestones->size() + 1 != list->size()) {
    errors.Add(in.PathOf("milestones"), "must have one entry fewer than schedulers (" +
                                            std::to_string(list->size() - 1) + "), got " +
                                            std::to_string(milestones->size()));
    milestones.reset();
  }
  if (!list) return std::nullopt;
  std::vector<Schedule> pieces;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Context inner{at.baseLr, at.optimizerHasMomentum, i == 0 ? Place::kSequentialFirst : Place::kSequentialLater};
    auto piece = ReadPiece(&(*list)[i], in.PathOf("schedulers") + "[" + std::to_string(i) + "]", inner, errors);
    if (piece) pieces.push_back(std::move(piece->schedule));
  }
  if (!milestones || pieces.size() != list->size()) return std::nullopt;
  return Piece{Join(std::move(pieces), std::move(*milestones)), std::nullopt};
}

std::optional<Piece> ReadChained(ObjectReader& in, const Context& at, Errors& errors) {
  const Json* list = SchedulerList(in);
  if (!list) return std::nullopt;
  std::vector<ChainLink> links;
  bool ok = true, haveCosine = false;
  const Context inner{at.baseLr, at.optimizerHasMomentum, Place::kChained};
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = in.PathOf("schedulers") + "[" + std::to_string(i) + "]";
    auto piece = ReadPiece(&(*list)[i], path, inner, errors);
    if (!piece) {
      ok = false;
      continue;
    }
    if (piece->link->cosineTMax) {
      if (haveCosine) {
        errors.Add(path + ".name",
                   "at most one cosine can be chained (each restarts lr from the optimizer's initial lr after its "
                   "trough, which does not compose)");
        ok = false;
      }
      haveCosine = true;
    }
    links.push_back(std::move(*piece->link));
  }
  if (!ok) return std::nullopt;
  return Piece{Chained(at.baseLr, std::move(links)), std::nullopt};
}

std::optional<Piece> ReadWarmupCosine(ObjectReader& in, const Context& at, Errors& errors) {
  const WarmupCosineOptions d;
  const auto warmupSteps = RequiredCount(in, "warmup_steps", 0, {.note = "less than total_steps"});
  const auto totalSteps = RequiredCount(in, "total_steps", 1);
  const double startFactor = in.Number("warmup_start_factor", d.warmupStartFactor, Range::Closed(0.0, 1.0));
  const double etaMin = in.Number("eta_min", d.etaMin, Range::AtLeast(0.0));
  if (!warmupSteps || !totalSteps) return std::nullopt;
  if (*warmupSteps >= *totalSteps) {
    errors.Add(in.PathOf("warmup_steps"), "must be less than total_steps (" + std::to_string(*totalSteps) + "), got " +
                                              std::to_string(*warmupSteps));
    return std::nullopt;
  }
  return Piece{WarmupCosine(at.baseLr, {.warmupSteps = *warmupSteps,
                                        .totalSteps = *totalSteps,
                                        .warmupStartFactor = startFactor,
                                        .etaMin = etaMin}),
               std::nullopt};
}

// ---- the table -------------------------------------------------------------

// Why a scheduler cannot be nested, by the reason PyTorch gives none.
const char* const kOwnSchedule = "it is an lrlab convenience, not a PyTorch scheduler";
const char* const kSetsMomentum =
    "PyTorch's OneCycleLR and CyclicLR overwrite the optimizer's initial lr and momentum when constructed, which "
    "changes the other schedulers";
const char* const kNestedInSequential =
    "PyTorch's SequentialLR fails on a nested ChainedScheduler and mis-steps a nested SequentialLR";
const char* const kNestedInChained = "list its schedulers in this chained instead";
const char* const kRestartsInChained =
    "PyTorch's CosineAnnealingWarmRestarts sets lr outright on every step, so the chain's result is not a product "
    "of the schedulers";

struct ScheduleKind {
  const char* name;
  const char* torch;            // its torch.optim.lr_scheduler class, or null (lrlab's own)
  bool setsLr;                  // sets η itself, whatever the optimizer's lr
  const char* notInSequential;  // why it cannot be a scheduler of sequential, or null
  const char* notInChained;     // … of chained
  Read read;
};

const ScheduleKind kSchedules[] = {
    {"none", nullptr, false, kOwnSchedule, kOwnSchedule, ReadNone},
    {"step", "StepLR", false, nullptr, nullptr, ReadStep},
    {"multistep", "MultiStepLR", false, nullptr, nullptr, ReadMultiStep},
    {"exponential", "ExponentialLR", false, nullptr, nullptr, ReadExponential},
    {"cosine", "CosineAnnealingLR", false, nullptr, nullptr, ReadCosine},
    {"cosine_warm_restarts", "CosineAnnealingWarmRestarts", false, nullptr, kRestartsInChained, ReadWarmRestarts},
    {"linear", "LinearLR", false, nullptr, nullptr, ReadLinear},
    {"constant", "ConstantLR", false, nullptr, nullptr, ReadConstant},
    {"polynomial", "PolynomialLR", false, nullptr, nullptr, ReadPolynomial},
    {"one_cycle", "OneCycleLR", true, kSetsMomentum, kSetsMomentum, ReadOneCycle},
    {"cyclic", "CyclicLR", true, kSetsMomentum, kSetsMomentum, ReadCyclic},
    {"sequential", "SequentialLR", false, kNestedInSequential, kNestedInChained, ReadSequential},
    {"chained", "ChainedScheduler", false, kNestedInSequential, kNestedInChained, ReadChained},
    {"warmup_cosine", nullptr, false, kOwnSchedule, kOwnSchedule, ReadWarmupCosine},
};

// Why `kind` cannot sit at `place`; null when it can.
const char* WhyNotNested(const ScheduleKind& kind, Place place) {
  if (place == Place::kTop) return nullptr;
  return place == Place::kChained ? kind.notInChained : kind.notInSequential;
}

std::string AcceptedAt(Place place) {
  std::string out;
  for (const auto& kind : kSchedules)
    if (!WhyNotNested(kind, place)) out += (out.empty() ? "" : ", ") + std::string(kind.name);
  return out;
}

std::optional<Piece> ReadPiece(const Json* spec, const std::string& path, const Context& at, Errors& errors) {
  ObjectReader in(spec, path, errors);
  if (at.place != Place::kTop && spec && spec->is_object() && !in.Has("name")) {
    in.Object("name");
    errors.Add(in.PathOf("name"),
               "is required inside " + std::string(at.place == Place::kChained ? "chained" : "sequential"));
    return std::nullopt;
  }
  if (spec && !spec->is_object()) return std::nullopt;  // reported by the reader
  const std::string name = in.Choice("name", kSchedules[0].name, NamesOf(kSchedules));
  if (in.Has("name") && spec->at("name") != name) return std::nullopt;  // reported by Choice
  const ScheduleKind& kind = *FindByName(kSchedules, name);
  if (const char* why = WhyNotNested(kind, at.place)) {
    const bool chained = at.place == Place::kChained;
    errors.Add(in.PathOf("name"), name + " cannot be used inside " + (chained ? "chained" : "sequential") + ": " +
                                      why + "; accepted here: " + AcceptedAt(at.place));
    return std::nullopt;
  }
  std::optional<Piece> piece = kind.read(in, at, errors);
  in.RejectUnknownKeys();
  return piece;
}

}  // namespace

std::optional<Schedule> ReadSchedule(const Json* spec, double baseLr, bool optimizerHasMomentum, Errors& errors) {
  std::optional<Piece> piece = ReadPiece(spec, "schedule", {baseLr, optimizerHasMomentum, Place::kTop}, errors);
  if (!piece) {
    if (errors.Empty()) errors.Add("schedule", "could not be built");
    return std::nullopt;
  }
  return std::move(piece->schedule);
}

const char* ScheduleSettingLr(const Json* spec) {
  if (!spec || !spec->is_object()) return nullptr;
  const auto name = spec->find("name");
  if (name == spec->end() || !name->is_string()) return nullptr;
  const ScheduleKind* kind = FindByName(kSchedules, name->get<std::string>());
  return kind && kind->setsLr ? kind->name : nullptr;
}

Json DescribeSchedules() {
  Json out = Json::object();
  for (const auto& kind : kSchedules) {
    const Schema schema = DescribeReads("schedule", [&](ObjectReader& in, Errors& errors) {
      kind.read(in, {1.0, true, Place::kTop}, errors);
    });
    const auto reason = [](const char* why) { return why ? Json(why) : Json(nullptr); };
    out[kind.name] = {{"torch", kind.torch ? Json(kind.torch) : Json(nullptr)},
                      {"sets_lr", kind.setsLr},
                      {"not_in_sequential", reason(kind.notInSequential)},
                      {"not_in_chained", reason(kind.notInChained)},
                      {"fields", schema.Fields("schedule")}};
  }
  return out;
}

}  // namespace lrlab::config
