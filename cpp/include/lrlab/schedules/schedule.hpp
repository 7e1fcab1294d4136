#pragma once
// A learning-rate schedule: η as a pure function of the 0-based optimizer
// step t, i.e. the value PyTorch's optimizer holds after t calls of
// scheduler.step(). Schedules that also cycle momentum (one-cycle, cyclic)
// carry a second function for it.
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

 private:
  Fn lr_;
  Fn momentum_;
};

}  // namespace lrlab
