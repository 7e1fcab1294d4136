// Optimizers by name: reading and validating their options (PyTorch's names
// and defaults).
#include "config_internal.hpp"

namespace lrlab::config {

namespace {

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

}  // namespace

OptimizerChoice ReadOptimizer(const Json* spec, Errors& errors) {
  ObjectReader in(spec, "optimizer", errors);
  const std::string name = in.Choice("name", "sgd", {"sgd"});
  // PyTorch's SGD has no default learning rate; neither do we.
  const double lr = in.RequiredNumber("lr", Range::AtLeast(0.0)).value_or(0.0);
  AnyOptimizer optimizer = ReadSgd(in, errors);
  in.RejectUnknownKeys();
  const bool hasMomentum = std::visit([](const auto& o) { return HasMomentum<std::decay_t<decltype(o)>>; }, optimizer);
  return {std::move(optimizer), lr, hasMomentum};
}

}  // namespace lrlab::config
