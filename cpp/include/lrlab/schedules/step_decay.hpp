#pragma once
// Decay by a constant factor γ at given steps: PyTorch's StepLR, MultiStepLR
// and ExponentialLR (PyTorch 1.13), written as factors of the base η
// (schedule.hpp):
//
//   step         f(t) = γ^⌊t / step_size⌋
//   multistep    f(t) = γ^|{m ∈ milestones : m ≤ t}|
//   exponential  f(t) = γ^t
//
// The step-wise decay is the classic recipe of Krizhevsky et al. (2012) and
// He et al. (2016) ("divide by 10 when the error plateaus"), here on a fixed
// timetable.
//
// PyTorch's conventions: its get_lr() is recursive (it multiplies the current
// lr by γ when t reaches a boundary); the closed forms above equal it in exact
// arithmetic and to a few ulps in floating point (repeated multiplication
// against one pow). A milestone at 0 decays the very first value, as
// PyTorch's constructor does. PyTorch accepts repeated milestones (each
// occurrence decays once more); the config asks for strictly increasing ones.
#include <algorithm>
#include <cmath>
#include <vector>

#include "lrlab/schedules/schedule.hpp"

namespace lrlab {

struct StepFactor {
  long stepSize = 1;  // ≥ 1
  double gamma = 0.1;

  double operator()(long t) const { return std::pow(gamma, static_cast<double>(t / stepSize)); }
};

struct MultiStepFactor {
  std::vector<long> milestones;  // strictly increasing, ≥ 0
  double gamma = 0.1;

  double operator()(long t) const {
    const auto passed = std::upper_bound(milestones.begin(), milestones.end(), t) - milestones.begin();
    return std::pow(gamma, static_cast<double>(passed));
  }
};

struct ExponentialFactor {
  double gamma = 0.1;

  double operator()(long t) const { return std::pow(gamma, static_cast<double>(t)); }
};

inline Schedule StepDecay(double baseLr, long stepSize, double gamma) {
  return Scaled(baseLr, StepFactor{stepSize, gamma});
}
inline Schedule MultiStepDecay(double baseLr, std::vector<long> milestones, double gamma) {
  return Scaled(baseLr, MultiStepFactor{std::move(milestones), gamma});
}
inline Schedule ExponentialDecay(double baseLr, double gamma) { return Scaled(baseLr, ExponentialFactor{gamma}); }

}  // namespace lrlab
