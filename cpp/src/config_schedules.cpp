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

// A required integer option in [lo, kMaxScheduleSteps]; nullopt (with the
// error recorded) when absent or invalid.
std::optional<long> RequiredCount(ObjectReader& in, const std::string& key, std::int64_t lo, Errors& errors) {
  if (!in.Has(key)) {
    in.Integer(key, lo, lo, kMaxScheduleSteps);  // marks the key as known
    errors.Add(in.PathOf(key),
               "is required (an integer in [" + std::to_string(lo) + ", " + std::to_string(kMaxScheduleSteps) + "])");
    return std::nullopt;
  }
  const std::int64_t v = in.Integer(key, lo - 1, lo, kMaxScheduleSteps);
  if (v < lo) return std::nullopt;
  return static_cast<long>(v);
}

long Count(ObjectReader& in, const std::string& key, long fallback, std::int64_t lo) {
  return static_cast<long>(in.Integer(key, fallback, lo, kMaxScheduleSteps));
}

// A list of strictly increasing integer steps, each ≥ lo; [] is accepted.
std::optional<std::vector<long>> ReadSteps(ObjectReader& in, const std::string& key, std::int64_t lo, Errors& errors) {
  const Json* raw = in.Object(key);
  const std::string path = in.PathOf(key);
  if (!raw) {
    errors.Add(path, "is required (a list of increasing integers >= " + std::to_string(lo) + ")");
    return std::nullopt;
  }
  if (raw->is_array() && raw->empty()) return std::vector<long>{};
  const std::optional<Vector> values =
      in.NumberList(key, Range::Closed(static_cast<double>(lo), static_cast<double>(kMaxScheduleSteps)));
  if (!values) return std::nullopt;
  std::vector<long> steps;
  bool ok = true;
  for (Index i = 0; i < values->size(); ++i) {
    const double v = (*values)[i];
    const std::string itemPath = path + "[" + std::to_string(i) + "]";
    if (std::floor(v) != v) {
      errors.Add(itemPath, "must be an integer, got " + FormatNumber(v));
      ok = false;
    } else if (!steps.empty() && static_cast<long>(v) <= steps.back()) {
      errors.Add(itemPath, "must be greater than the previous entry (" + std::to_string(steps.back()) + "), got " +
                               FormatNumber(v));
      ok = false;
    }
    steps.push_back(static_cast<long>(v));
  }
  if (!ok) return std::nullopt;
  return steps;
}

// A non-empty list of nested schedule specs.
const Json* ReadSchedulerList(ObjectReader& in, Errors& errors) {
  const Json* list = in.Object("schedulers");
  const std::string path = in.PathOf("schedulers");
  if (!list) {
    errors.Add(path, "is required (a list of 1 to " + std::to_string(kMaxNested) + " schedules)");
    return nullptr;
  }
  if (!list->is_array() || list->empty() || list->size() > kMaxNested) {
    errors.Add(path, "must be a list of 1 to " + std::to_string(kMaxNested) + " schedules");
    return nullptr;
  }
  return list;
}

void RequireMomentum(ObjectReader& in, bool cycleMomentum, bool optimizerHasMomentum, Errors& errors) {
  if (cycleMomentum && !optimizerHasMomentum)
    errors.Add(in.PathOf("cycle_momentum"), "the optimizer has no momentum or betas to cycle; set it to false");
}

std::optional<Piece> ReadPiece(const Json* spec, const std::string& path, double baseLr, bool optimizerHasMomentum,
                               Place place, Errors& errors);

// ---- one reader per schedule name --------------------------------------

std::optional<Piece> ReadStep(ObjectReader& in, double baseLr, Errors& errors) {
  const auto stepSize = RequiredCount(in, "step_size", 1, errors);
  const double gamma = in.Number("gamma", 0.1, Range::Positive());
  if (!stepSize) return std::nullopt;
  return Multiplicative(baseLr, StepFactor{*stepSize, gamma});
}

std::optional<Piece> ReadMultiStep(ObjectReader& in, double baseLr, Errors& errors) {
  auto milestones = ReadSteps(in, "milestones", 0, errors);
  const double gamma = in.Number("gamma", 0.1, Range::Positive());
  if (!milestones) return std::nullopt;
  return Multiplicative(baseLr, MultiStepFactor{std::move(*milestones), gamma});
}

std::optional<Piece> ReadExponential(ObjectReader& in, double baseLr) {
  const auto gamma = in.RequiredNumber("gamma", Range::Positive());
  if (!gamma) return std::nullopt;
  return Multiplicative(baseLr, ExponentialFactor{*gamma});
}

std::optional<Piece> ReadCosine(ObjectReader& in, double baseLr, Place place, Errors& errors) {
  const auto tMax = RequiredCount(in, "T_max", 1, errors);
  const double etaMin = in.Number("eta_min", 0.0, Range::AtLeast(0.0));
  if (place == Place::kChained && etaMin != 0.0) {
    errors.Add(in.PathOf("eta_min"),
               "must be 0 inside chained (PyTorch's CosineAnnealingLR scales lr - eta_min, which does not "
               "multiply with the other schedulers), got " +
                   FormatNumber(etaMin));
    return std::nullopt;
  }
  if (!tMax) return std::nullopt;
  return Piece{Schedule(CosineAnnealing{.baseLr = baseLr, .tMax = *tMax, .etaMin = etaMin}), ChainLink::Cosine(*tMax)};
}

std::optional<Piece> ReadWarmRestarts(ObjectReader& in, double baseLr, Errors& errors) {
  const auto t0 = RequiredCount(in, "T_0", 1, errors);
  const long tMult = static_cast<long>(in.Integer("T_mult", 1, 1, kMaxTMult));
  const double etaMin = in.Number("eta_min", 0.0, Range::AtLeast(0.0));
  if (!t0) return std::nullopt;
  return Piece{Schedule(CosineWarmRestarts{.baseLr = baseLr, .t0 = *t0, .tMult = tMult, .etaMin = etaMin}),
               std::nullopt};
}

// PyTorch divides by start_factor / factor in its recursion: (0, 1].
const Range kPositiveFraction{0.0, 1.0, true, false};

// SequentialLR starts a later scheduler with its closed form, which divides
// by total_iters.
void RequireItersAtMilestone(ObjectReader& in, long totalIters, Place place, Errors& errors) {
  if (place == Place::kSequentialLater && totalIters == 0)
    errors.Add(in.PathOf("total_iters"),
               "must be >= 1 for a scheduler that starts at a milestone (PyTorch's closed form divides by "
               "total_iters), got 0");
}

std::optional<Piece> ReadLinear(ObjectReader& in, double baseLr, Place place, Errors& errors) {
  const LinearFactor f{.startFactor = in.Number("start_factor", 1.0 / 3, kPositiveFraction),
                       .endFactor = in.Number("end_factor", 1.0, Range::Closed(0.0, 1.0)),
                       .totalIters = Count(in, "total_iters", 5, 0)};
  RequireItersAtMilestone(in, f.totalIters, place, errors);
  return Multiplicative(baseLr, f);
}

std::optional<Piece> ReadConstant(ObjectReader& in, double baseLr, Place place) {
  const ConstantFactor f{.factor = in.Number("factor", 1.0 / 3, kPositiveFraction),
                         .totalIters = Count(in, "total_iters", 5, 0),
                         .startedAtMilestone = place == Place::kSequentialLater};
  return Multiplicative(baseLr, f);
}

std::optional<Piece> ReadPolynomial(ObjectReader& in, double baseLr, Place place, Errors& errors) {
  const PolynomialFactor f{.totalIters = Count(in, "total_iters", 5, 0),
                           .power = in.Number("power", 1.0, Range::AtLeast(0.0))};
  RequireItersAtMilestone(in, f.totalIters, place, errors);
  return Multiplicative(baseLr, f);
}

std::optional<Piece> ReadOneCycle(ObjectReader& in, bool optimizerHasMomentum, Errors& errors) {
  const auto maxLr = in.RequiredNumber("max_lr", Range::Positive());
  const auto totalSteps = RequiredCount(in, "total_steps", 1, errors);
  OneCycleOptions o{
      .pctStart = in.Number("pct_start", 0.3, Range::Open(0.0, 1.0)),
      .annealCos = in.Choice("anneal_strategy", "cos", {"cos", "linear"}) == "cos",
      .divFactor = in.Number("div_factor", 25.0, Range::Positive()),
      .finalDivFactor = in.Number("final_div_factor", 1e4, Range::Positive()),
      .threePhase = in.Boolean("three_phase", false),
      .cycleMomentum = in.Boolean("cycle_momentum", true),
      .baseMomentum = in.Number("base_momentum", 0.85, Range::ClosedOpen(0.0, 1.0)),
      .maxMomentum = in.Number("max_momentum", 0.95, Range::ClosedOpen(0.0, 1.0)),
  };
  RequireMomentum(in, o.cycleMomentum, optimizerHasMomentum, errors);
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

std::optional<Piece> ReadCyclic(ObjectReader& in, bool optimizerHasMomentum, Errors& errors) {
  const auto baseLr = in.RequiredNumber("base_lr", Range::AtLeast(0.0));
  const auto maxLr = in.RequiredNumber("max_lr", Range::AtLeast(0.0));
  CyclicOptions o;
  o.stepSizeUp = Count(in, "step_size_up", 2000, 1);
  const Json* down = in.Object("step_size_down");
  if (down && !down->is_null()) o.stepSizeDown = Count(in, "step_size_down", o.stepSizeUp, 0);
  const std::string mode = in.Choice("mode", "triangular", {"triangular", "triangular2", "exp_range"});
  o.mode = mode == "triangular2" ? CyclicOptions::Mode::kTriangular2
           : mode == "exp_range" ? CyclicOptions::Mode::kExpRange
                                 : CyclicOptions::Mode::kTriangular;
  o.gamma = in.Number("gamma", 1.0, Range::Positive());
  o.cycleMomentum = in.Boolean("cycle_momentum", true);
  o.baseMomentum = in.Number("base_momentum", 0.8, Range::ClosedOpen(0.0, 1.0));
  o.maxMomentum = in.Number("max_momentum", 0.9, Range::ClosedOpen(0.0, 1.0));
  RequireMomentum(in, o.cycleMomentum, optimizerHasMomentum, errors);
  if (!baseLr || !maxLr) return std::nullopt;
  o.baseLr = *baseLr;
  o.maxLr = *maxLr;
  return Piece{Cyclic(o), std::nullopt};
}

std::optional<Piece> ReadSequential(ObjectReader& in, double baseLr, bool optimizerHasMomentum, Errors& errors) {
  const Json* list = ReadSchedulerList(in, errors);
  std::optional<std::vector<long>> milestones;
  if ((!list || list->size() == 1) && !in.Has("milestones")) {
    // Not needed for one scheduler; not worth a second error without a list.
    in.Object("milestones");
    milestones.emplace();
  } else {
    // Milestone 0 would let the first scheduler set t = 0 and hand the second
    // its lr (see join.hpp); PyTorch does not check the order.
    milestones = ReadSteps(in, "milestones", 1, errors);
  }
  if (list && milestones && milestones->size() + 1 != list->size()) {
    errors.Add(in.PathOf("milestones"), "must have one entry fewer than schedulers (" +
                                            std::to_string(list->size() - 1) + "), got " +
                                            std::to_string(milestones->size()));
    milestones.reset();
  }
  if (!list) return std::nullopt;
  std::vector<Schedule> pieces;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto piece = ReadPiece(&(*list)[i], in.PathOf("schedulers") + "[" + std::to_string(i) + "]", baseLr,
                           optimizerHasMomentum, i == 0 ? Place::kSequentialFirst : Place::kSequentialLater, errors);
    if (piece) pieces.push_back(std::move(piece->schedule));
  }
  if (!milestones || pieces.size() != list->size()) return std::nullopt;
  return Piece{Join(std::move(pieces), std::move(*milestones)), std::nullopt};
}

std::optional<Piece> ReadChained(ObjectReader& in, double baseLr, bool optimizerHasMomentum, Errors& errors) {
  const Json* list = ReadSchedulerList(in, errors);
  if (!list) return std::nullopt;
  std::vector<ChainLink> links;
  bool ok = true, haveCosine = false;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = in.PathOf("schedulers") + "[" + std::to_string(i) + "]";
    auto piece = ReadPiece(&(*list)[i], path, baseLr, optimizerHasMomentum, Place::kChained, errors);
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
  return Piece{Chained(baseLr, std::move(links)), std::nullopt};
}

std::optional<Piece> ReadWarmupCosine(ObjectReader& in, double baseLr, Errors& errors) {
  const auto warmupSteps = RequiredCount(in, "warmup_steps", 0, errors);
  const auto totalSteps = RequiredCount(in, "total_steps", 1, errors);
  const double startFactor = in.Number("warmup_start_factor", 0.0, Range::Closed(0.0, 1.0));
  const double etaMin = in.Number("eta_min", 0.0, Range::AtLeast(0.0));
  if (!warmupSteps || !totalSteps) return std::nullopt;
  if (*warmupSteps >= *totalSteps) {
    errors.Add(in.PathOf("warmup_steps"), "must be less than total_steps (" + std::to_string(*totalSteps) + "), got " +
                                              std::to_string(*warmupSteps));
    return std::nullopt;
  }
  return Piece{WarmupCosine(baseLr, *warmupSteps, *totalSteps, startFactor, etaMin), std::nullopt};
}

// ---- dispatch ------------------------------------------------------------

// Why a schedule cannot sit inside sequential or chained; empty when it can.
std::string WhyNotNested(const std::string& name, Place place) {
  if (place == Place::kTop) return "";
  const bool chained = place == Place::kChained;
  if (name == "none" || name == "warmup_cosine") return "it is an lrlab convenience, not a PyTorch scheduler";
  if (name == "one_cycle" || name == "cyclic")
    return "PyTorch's OneCycleLR and CyclicLR overwrite the optimizer's initial lr and momentum when constructed, "
           "which changes the other schedulers";
  if (name == "sequential" || name == "chained")
    return chained ? "list its schedulers in this chained instead"
                   : "PyTorch's SequentialLR fails on a nested ChainedScheduler and mis-steps a nested "
                     "SequentialLR";
  if (chained && name == "cosine_warm_restarts")
    return "PyTorch's CosineAnnealingWarmRestarts sets lr outright on every step, so the chain's result is not a "
           "product of the schedulers";
  return "";
}

std::optional<Piece> ReadPiece(const Json* spec, const std::string& path, double baseLr, bool optimizerHasMomentum,
                               Place place, Errors& errors) {
  ObjectReader in(spec, path, errors);
  if (place != Place::kTop && spec && spec->is_object() && !in.Has("name")) {
    in.Object("name");
    errors.Add(in.PathOf("name"),
               "is required inside " + std::string(place == Place::kChained ? "chained" : "sequential"));
    return std::nullopt;
  }
  if (spec && !spec->is_object()) return std::nullopt;  // reported by the reader
  const std::string name =
      in.Choice("name", "none",
                {"none", "step", "multistep", "exponential", "cosine", "cosine_warm_restarts", "linear", "constant",
                 "polynomial", "one_cycle", "cyclic", "sequential", "chained", "warmup_cosine"});
  if (in.Has("name") && spec->at("name") != name) return std::nullopt;  // reported by Choice
  if (const std::string why = WhyNotNested(name, place); !why.empty()) {
    const bool chained = place == Place::kChained;
    errors.Add(in.PathOf("name"), name + " cannot be used inside " + (chained ? "chained" : "sequential") + ": " + why +
                                      "; accepted here: step, multistep, exponential, cosine, " +
                                      (chained ? "" : "cosine_warm_restarts, ") + "linear, constant, polynomial");
    return std::nullopt;
  }
  std::optional<Piece> piece;
  if (name == "none") piece = Piece{Schedule::Constant(baseLr), std::nullopt};
  if (name == "step") piece = ReadStep(in, baseLr, errors);
  if (name == "multistep") piece = ReadMultiStep(in, baseLr, errors);
  if (name == "exponential") piece = ReadExponential(in, baseLr);
  if (name == "cosine") piece = ReadCosine(in, baseLr, place, errors);
  if (name == "cosine_warm_restarts") piece = ReadWarmRestarts(in, baseLr, errors);
  if (name == "linear") piece = ReadLinear(in, baseLr, place, errors);
  if (name == "constant") piece = ReadConstant(in, baseLr, place);
  if (name == "polynomial") piece = ReadPolynomial(in, baseLr, place, errors);
  if (name == "one_cycle") piece = ReadOneCycle(in, optimizerHasMomentum, errors);
  if (name == "cyclic") piece = ReadCyclic(in, optimizerHasMomentum, errors);
  if (name == "sequential") piece = ReadSequential(in, baseLr, optimizerHasMomentum, errors);
  if (name == "chained") piece = ReadChained(in, baseLr, optimizerHasMomentum, errors);
  if (name == "warmup_cosine") piece = ReadWarmupCosine(in, baseLr, errors);
  in.RejectUnknownKeys();
  return piece;
}

}  // namespace

std::optional<Schedule> ReadSchedule(const Json* spec, double baseLr, bool optimizerHasMomentum, Errors& errors) {
  std::optional<Piece> piece = ReadPiece(spec, "schedule", baseLr, optimizerHasMomentum, Place::kTop, errors);
  if (!piece) {
    if (errors.Empty()) errors.Add("schedule", "could not be built");
    return std::nullopt;
  }
  return std::move(piece->schedule);
}

}  // namespace lrlab::config
