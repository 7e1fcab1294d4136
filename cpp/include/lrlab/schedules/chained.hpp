#pragma once
// Several schedulers acting on the same η at once: PyTorch's ChainedScheduler
// (PyTorch 1.13), which calls every scheduler's step() in list order on each
// step. For the multiplicative schedulers (step, multistep, exponential,
// linear, constant, polynomial; schedule.hpp) each step multiplies η by the
// ratio of that scheduler's consecutive factors, so
//
//   η_t = η_0 · Π_i f_i(t).
//
// At most one CosineAnnealingLR with η_min = 0 may join them. Up to its
// T_max it is the factor (1 + cos(πt/T))/2 like the others. Its trough makes
// η exactly 0, and on the next step (s = T+1, 3T+1, …) PyTorch's cosine does
// not multiply but adds η_0 (1 − cos(π/T))/2 — η_0 being the optimizer's
// initial lr, not the chained value. What the other schedulers had
// contributed is lost there: schedulers listed before the cosine apply their
// step-s ratio to 0, those after it to the added term. From then on
//
//   η_t = η_0 · cos₁(t) · Π_{i before} f_i(t)/f_i(s) · Π_{i after} f_i(t)/f_i(s−1),
//
// with cos₁(t) = (1 + cos(πt/T))/2 (which PyTorch's restarted recursion
// follows to rounding, see cosine_annealing.hpp), and a ratio taken as 1 once
// f_i has reached 0 (PyTorch's recursion then leaves η unchanged).
//
// What cannot be chained exactly, and is rejected by the config: schedulers
// that set η outright instead of multiplying it (CosineAnnealingWarmRestarts,
// OneCycleLR, CyclicLR — chaining them discards the others' history and, for
// the last two, resets the optimizer's initial lr), a cosine with η_min ≠ 0
// (PyTorch scales η − η_min, which does not compose), and two cosines.
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "lrlab/schedules/cosine_annealing.hpp"
#include "lrlab/schedules/schedule.hpp"

namespace lrlab {

struct ChainLink {
  Factor factor;                   // a multiplicative scheduler's f(t)
  std::optional<long> cosineTMax;  // set instead: CosineAnnealingLR with this T_max and η_min = 0

  static ChainLink Multiply(Factor f) { return {std::move(f), std::nullopt}; }
  static ChainLink Cosine(long tMax) { return {nullptr, tMax}; }
};

inline Schedule Chained(double baseLr, std::vector<ChainLink> links) {
  std::optional<std::size_t> cosineAt;
  for (std::size_t i = 0; i < links.size(); ++i) {
    if (!links[i].cosineTMax) continue;
    if (cosineAt) throw std::invalid_argument("Chained: at most one cosine link");
    cosineAt = i;
  }
  std::optional<CosineAnnealing> cosine;
  if (cosineAt) cosine = CosineAnnealing{.baseLr = 1.0, .tMax = *links[*cosineAt].cosineTMax, .etaMin = 0.0};

  return Schedule([baseLr, links = std::move(links), cosineAt, cosine](long t) {
    double lr = baseLr;
    if (!cosine || t <= cosine->tMax) {
      for (const ChainLink& link : links) lr *= link.cosineTMax ? (*cosine)(t) : link.factor(t);
      return lr;
    }
    // The last restart: T + 1, 3T + 1, …
    const long tMax = cosine->tMax, restart = tMax + 1 + 2 * tMax * ((t - tMax - 1) / (2 * tMax));
    lr *= (*cosine)(t);
    for (std::size_t i = 0; i < links.size(); ++i) {
      if (i == *cosineAt) continue;
      const double since = links[i].factor(i < *cosineAt ? restart : restart - 1);
      if (since != 0.0) lr *= links[i].factor(t) / since;
    }
    return lr;
  });
}

}  // namespace lrlab
