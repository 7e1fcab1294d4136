#pragma once
// Cosine annealing, with and without warm restarts: PyTorch's
// CosineAnnealingLR and CosineAnnealingWarmRestarts (PyTorch 1.13), from
// Loshchilov & Hutter (2017), "SGDR: Stochastic Gradient Descent with Warm
// Restarts":
//
//   η_t = η_min + (η_0 − η_min) · (1 + cos(π · T_cur / T_i)) / 2
//
// η_0 is the optimizer's lr.
//
// CosineAnnealing (`cosine`, T_i = T_max, T_cur = t). PyTorch implements only
// the annealing half of SGDR, recursively: each step multiplies η − η_min by
// (1 + cos(πt/T))/(1 + cos(π(t−1)/T)), and on the step after each trough
// (t − 1 = T, 3T, 5T, …), where that ratio would divide by zero, it instead
// adds (η_0 − η_min)(1 − cos(π/T))/2 to η_min. In exact arithmetic that is
// the closed form above for every t: past T_max the cosine does not stop but
// climbs back to η_0 at 2·T_max and falls again (period 2·T_max), and so does
// this schedule. In floating point the recursion telescopes (consecutive
// ratios share their cosines), so with η_min = 0 it stays within a few ulps
// of the closed form (≤ 6e-15 relative over three periods for T_max up to
// 2000). With η_min > 0 PyTorch subtracts η_min from an η that is almost
// η_min near each trough, and the rounding carries over into the following
// periods: past T_max PyTorch then drifts from the formula by up to ~1e-13
// (T_max = 300) or ~1e-10 (T_max = 2000, η_min near η_0) relative; this
// schedule follows the formula.
//
// CosineWarmRestarts (`cosine_warm_restarts`): SGDR proper. T_cur counts
// steps since the last restart; the i-th period lasts T_i = T_0 · T_mult^i
// steps, and at T_cur = T_i η jumps back to η_0 (η_min itself is never
// reached). PyTorch computes this in closed form, as here.
#include <cmath>
#include <numbers>

#include "lrlab/schedules/schedule.hpp"

namespace lrlab {

// η_min + (η_0 − η_min)(1 + cos(π·cur/period))/2, written as PyTorch writes it
// so that the rounding agrees.
inline double CosineBetween(double baseLr, double etaMin, long cur, long period) {
  return etaMin + (baseLr - etaMin) *
                      (1.0 + std::cos(std::numbers::pi * static_cast<double>(cur) / static_cast<double>(period))) / 2.0;
}

struct CosineAnnealing {
  double baseLr = 0.1;
  long tMax = 1;  // ≥ 1
  double etaMin = 0.0;

  double operator()(long t) const { return CosineBetween(baseLr, etaMin, t, tMax); }
};

struct CosineWarmRestarts {
  double baseLr = 0.1;
  long t0 = 1;     // ≥ 1
  long tMult = 1;  // ≥ 1
  double etaMin = 0.0;

  double operator()(long t) const {
    long tCur = t, tI = t0;
    if (tMult == 1) {
      tCur = t % t0;
    } else {
      while (tCur >= tI) {
        tCur -= tI;
        tI *= tMult;
      }
    }
    return CosineBetween(baseLr, etaMin, tCur, tI);
  }
};

}  // namespace lrlab
