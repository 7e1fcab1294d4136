#pragma once
// Polynomial decay to zero: PyTorch's PolynomialLR (PyTorch 1.13), as a factor
// of the base η (schedule.hpp). With T = total_iters and p = power,
//
//   f(t) = (1 − min(t, T) / T)^p
//
// so η reaches 0 at t = T and stays there. Polynomial ("poly") decay was
// popularised by DeepLab (Chen et al., 2017), with p = 0.9.
//
// PyTorch's conventions: its get_lr() multiplies by the ratio of consecutive
// closed-form values, which telescopes to the formula above; unlike the
// papers' variants it has no end value other than 0. total_iters = 0 leaves
// η at the base value for ever (PyTorch's recursion never changes it).
#include <algorithm>
#include <cmath>

#include "lrlab/schedules/schedule.hpp"

namespace lrlab {

struct PolynomialFactor {
  long totalIters = 5;
  double power = 1.0;

  double operator()(long t) const {
    if (totalIters == 0) return 1.0;
    const double done = static_cast<double>(std::min(t, totalIters));
    return std::pow(1.0 - done / static_cast<double>(totalIters), power);
  }
};

inline Schedule PolynomialDecay(double baseLr, long totalIters, double power) {
  return Scaled(baseLr, PolynomialFactor{totalIters, power});
}

}  // namespace lrlab
