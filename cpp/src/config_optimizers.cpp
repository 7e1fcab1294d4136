// Optimizers by name: reading and validating their options (PyTorch's names
// and defaults). Ranges are PyTorch's own checks, tightened where its accepted
// values can only diverge or stall (momentum and the smoothing constants
// below 1).
#include <optional>
#include <string>

#include "config_internal.hpp"

namespace lrlab::config {

namespace {

// Shared by every optimizer: the same option name means the same range.
double ReadEps(ObjectReader& in, double fallback) { return in.Number("eps", fallback, Range::AtLeast(0.0)); }
double ReadWeightDecay(ObjectReader& in, double fallback) {
  return in.Number("weight_decay", fallback, Range::AtLeast(0.0));
}

struct Betas {
  double beta1;
  double beta2;
};

// `betas`: [β₁, β₂], each in [0, 1) as torch.optim checks (β = 1 would divide
// by zero in the bias corrections or freeze the average).
Betas ReadBetas(ObjectReader& in, Betas fallback) {
  const auto list =
      in.NumberList("betas", Range::ClosedOpen(0.0, 1.0), 2, 2, {.fallback = {fallback.beta1, fallback.beta2}});
  if (!list) return fallback;
  return {(*list)[0], (*list)[1]};
}

AnyOptimizer ReadSgd(ObjectReader& in, Errors& errors) {
  const Sgd::Options d;
  Sgd::Options o{
      .momentum = in.Number("momentum", d.momentum, Range::ClosedOpen(0.0, 1.0)),
      .dampening = in.Number("dampening", d.dampening, Range::Closed(0.0, 1.0)),
      .nesterov = in.Boolean("nesterov", d.nesterov, {.note = "requires momentum > 0 and dampening = 0"}),
      .weightDecay = ReadWeightDecay(in, d.weightDecay),
  };
  if (o.nesterov && (o.momentum <= 0.0 || o.dampening != 0.0))
    errors.Add(in.PathOf("nesterov"), "requires momentum > 0 and dampening = 0");
  return Sgd(o);
}

AnyOptimizer ReadAdagrad(ObjectReader& in, Errors&) {
  const Adagrad::Options d;
  return Adagrad({
      .lrDecay = in.Number("lr_decay", d.lrDecay, Range::AtLeast(0.0)),
      .weightDecay = ReadWeightDecay(in, d.weightDecay),
      .initialAccumulatorValue = in.Number("initial_accumulator_value", d.initialAccumulatorValue, Range::AtLeast(0.0)),
      .eps = ReadEps(in, d.eps),
  });
}

AnyOptimizer ReadRmsprop(ObjectReader& in, Errors&) {
  const Rmsprop::Options d;
  return Rmsprop({
      .alpha = in.Number("alpha", d.alpha, Range::Closed(0.0, 1.0)),
      .eps = ReadEps(in, d.eps),
      .weightDecay = ReadWeightDecay(in, d.weightDecay),
      .momentum = in.Number("momentum", d.momentum, Range::ClosedOpen(0.0, 1.0)),
      .centered = in.Boolean("centered", d.centered),
  });
}

template <class AdamKind>
AnyOptimizer ReadAdamKind(ObjectReader& in, Errors&) {
  const typename AdamKind::Options d;
  const Betas betas = ReadBetas(in, {d.beta1, d.beta2});
  return AdamKind({
      .beta1 = betas.beta1,
      .beta2 = betas.beta2,
      .eps = ReadEps(in, d.eps),
      .weightDecay = ReadWeightDecay(in, d.weightDecay),
      .amsgrad = in.Boolean("amsgrad", d.amsgrad),
  });
}

AnyOptimizer ReadAdadelta(ObjectReader& in, Errors&) {
  const Adadelta::Options d;
  return Adadelta({
      .rho = in.Number("rho", d.rho, Range::Closed(0.0, 1.0)),
      .eps = ReadEps(in, d.eps),
      .weightDecay = ReadWeightDecay(in, d.weightDecay),
  });
}

AnyOptimizer ReadAdamax(ObjectReader& in, Errors&) {
  const Adamax::Options d;
  const Betas betas = ReadBetas(in, {d.beta1, d.beta2});
  return Adamax({
      .beta1 = betas.beta1,
      .beta2 = betas.beta2,
      .eps = ReadEps(in, d.eps),
      .weightDecay = ReadWeightDecay(in, d.weightDecay),
  });
}

AnyOptimizer ReadNadam(ObjectReader& in, Errors&) {
  const Nadam::Options d;
  const Betas betas = ReadBetas(in, {d.beta1, d.beta2});
  return Nadam({
      .beta1 = betas.beta1,
      .beta2 = betas.beta2,
      .eps = ReadEps(in, d.eps),
      .weightDecay = ReadWeightDecay(in, d.weightDecay),
      .momentumDecay = in.Number("momentum_decay", d.momentumDecay, Range::AtLeast(0.0)),
  });
}

AnyOptimizer ReadRadam(ObjectReader& in, Errors&) {
  const Radam::Options d;
  const Betas betas = ReadBetas(in, {d.beta1, d.beta2});
  return Radam({
      .beta1 = betas.beta1,
      .beta2 = betas.beta2,
      .eps = ReadEps(in, d.eps),
      .weightDecay = ReadWeightDecay(in, d.weightDecay),
  });
}

AnyOptimizer ReadLion(ObjectReader& in, Errors&) {
  const Lion::Options d;
  const Betas betas = ReadBetas(in, {d.beta1, d.beta2});
  return Lion({
      .beta1 = betas.beta1,
      .beta2 = betas.beta2,
      .weightDecay = ReadWeightDecay(in, d.weightDecay),
  });
}

using Read = AnyOptimizer (*)(ObjectReader& in, Errors& errors);

// Each optimizer's name, its torch.optim class (null where PyTorch 1.13 has
// none), PyTorch's default lr (none for sgd: PyTorch has no default and
// neither do we), what a schedule may do with it, and its option reader.
struct OptimizerKind {
  const char* name;
  const char* torch;
  std::optional<double> defaultLr;
  bool momentum;     // HasMomentum: a schedule may cycle its momentum or β₁
  bool effectiveLr;  // HasEffectiveLr: reports a per-coordinate step size
  Read read;
};

template <class O>
constexpr OptimizerKind Kind(const char* name, const char* torch, std::optional<double> defaultLr, Read read) {
  return {name, torch, defaultLr, HasMomentum<O>, HasEffectiveLr<O>, read};
}

const OptimizerKind kOptimizers[] = {
    Kind<Sgd>("sgd", "SGD", std::nullopt, ReadSgd),
    Kind<Adagrad>("adagrad", "Adagrad", 1e-2, ReadAdagrad),
    Kind<Rmsprop>("rmsprop", "RMSprop", 1e-2, ReadRmsprop),
    Kind<Adam>("adam", "Adam", 1e-3, ReadAdamKind<Adam>),
    Kind<AdamW>("adamw", "AdamW", 1e-3, ReadAdamKind<AdamW>),
    Kind<Adadelta>("adadelta", "Adadelta", 1.0, ReadAdadelta),
    Kind<Adamax>("adamax", "Adamax", 2e-3, ReadAdamax),
    Kind<Nadam>("nadam", "NAdam", 2e-3, ReadNadam),
    Kind<Radam>("radam", "RAdam", 1e-3, ReadRadam),
    Kind<Lion>("lion", nullptr, 1e-4, ReadLion),
};

// η, then the kind's own options.
OptimizerChoice ReadOptimizerOf(const OptimizerKind& kind, ObjectReader& in, Errors& errors) {
  const Range lrRange = Range::AtLeast(0.0);
  const double lr = kind.defaultLr ? in.Number("lr", *kind.defaultLr, lrRange)
                                   : in.RequiredNumber("lr", lrRange).value_or(0.0);
  AnyOptimizer optimizer = kind.read(in, errors);
  in.RejectUnknownKeys();
  return {std::move(optimizer), lr, kind.momentum};
}

}  // namespace

OptimizerChoice ReadOptimizer(const Json* spec, Errors& errors) {
  ObjectReader in(spec, "optimizer", errors);
  const std::string name = in.Choice("name", kOptimizers[0].name, NamesOf(kOptimizers));
  // Choice falls back to "sgd" on an unknown name (already reported): then the
  // other options cannot be checked against the right optimizer, so only lr is.
  if (in.Has("name") && spec->at("name") != name) {
    const double lr = in.Number("lr", 0.0, Range::AtLeast(0.0));
    // hasMomentum = true keeps the schedule from adding a second, misleading
    // error about momentum; the config is rejected anyway.
    return {Sgd(), lr, true};
  }
  return ReadOptimizerOf(*FindByName(kOptimizers, name), in, errors);
}

Json DescribeOptimizers() {
  Json out = Json::object();
  for (const auto& kind : kOptimizers) {
    const Schema schema =
        DescribeReads("optimizer", [&](ObjectReader& in, Errors& errors) { ReadOptimizerOf(kind, in, errors); });
    out[kind.name] = {{"torch", kind.torch ? Json(kind.torch) : Json(nullptr)},
                      {"momentum", kind.momentum},
                      {"effective_lr", kind.effectiveLr},
                      {"fields", schema.Fields("optimizer")}};
  }
  return out;
}

}  // namespace lrlab::config
