#pragma once
// A learning-rate schedule: η as a pure function of the 0-based optimizer
// step t, i.e. the value PyTorch's optimizer holds after t calls of
// scheduler.step() (one scheduler.step() per optimizer step; t = 0 is the
// value right after the scheduler is constructed). Schedules that also cycle
// momentum (one-cycle, cyclic) carry a second function for it, whose value at
// t = 0 is what PyTorch's constructor writes into the optimizer.
//
// The schedules themselves live one family per header next to this one
// (step_decay, warmup_factors, polynomial, cosine_annealing, warmup_cosine,
// one_cycle, cyclic, join, chained); they build a Schedule from a closed form
// or by joining simpler schedules (join.hpp), as optax does.
#include <functional>
#include <optional>
#include <utility>

namespace lrlab {

class Schedule {
 public:
  using Fn = std::function<double(long)>;

  explicit Schedule(Fn lr, Fn momentum = nullptr) : lr_(std::move(lr)), momentum_(std::move(momentum)) {}

  static Schedule Constant(double lr) {
    return Schedule([lr](long) { return lr; });
  }

  double operator()(long step) const { return lr_(step); }

  // The momentum (or Adam's β₁) to use at a step, when the schedule drives it.
  std::optional<double> Momentum(long step) const {
    if (!momentum_) return std::nullopt;
    return momentum_(step);
  }
  bool HasMomentum() const { return static_cast<bool>(momentum_); }

 private:
  Fn lr_;
  Fn momentum_;
};

// A multiplier of the base learning rate as a function of the step. PyTorch's
// chainable schedulers (StepLR, LinearLR, …) are defined relative to the
// optimizer's lr, so they are written here as factors: η_t = baseLr · f(t).
// Keeping the factor separate lets chained.hpp multiply them.
using Factor = std::function<double(long)>;

inline Schedule Scaled(double baseLr, Factor factor) {
  return Schedule([baseLr, factor = std::move(factor)](long t) { return baseLr * factor(t); });
}

}  // namespace lrlab
