#pragma once
// Linear warm-up followed by cosine decay — a convenience that PyTorch has no
// single scheduler for (it is SequentialLR([LinearLR, CosineAnnealingLR]) up
// to the end of the decay), and optax's warmup_cosine_decay_schedule. With
// W = warmup_steps, N = total_steps, s = warmup_start_factor:
//
//   η_t = η_0 · (s + (1 − s) · t/W)                                 0 ≤ t < W
//   η_t = η_min + (η_0 − η_min) · (1 + cos(π (t − W)/(N − W))) / 2    W ≤ t ≤ N
//   η_t = η_min                                                     t > N
//
// Warm-up as in Goyal et al. (2017); cosine decay as in Loshchilov & Hutter
// (2017), without restarts. η_0 is the optimizer's lr, reached at t = W; η_min
// at t = N. Unlike PyTorch's CosineAnnealingLR, η stays at η_min after N
// instead of rising again. Built as the join (join.hpp) of a LinearLR-style
// ramp and a cosine.
#include "lrlab/schedules/cosine_annealing.hpp"
#include "lrlab/schedules/join.hpp"
#include "lrlab/schedules/warmup_factors.hpp"

namespace lrlab {

struct WarmupCosineOptions {
  long warmupSteps = 0;  // W, 0 ≤ W < N (both required by the config)
  long totalSteps = 1;   // N
  double warmupStartFactor = 0.0;
  double etaMin = 0.0;
};

inline Schedule WarmupCosine(double baseLr, const WarmupCosineOptions& o) {
  Schedule ramp = LinearWarmup(baseLr, o.warmupStartFactor, 1.0, o.warmupSteps);
  const CosineAnnealing decay{.baseLr = baseLr, .tMax = o.totalSteps - o.warmupSteps, .etaMin = o.etaMin};
  Schedule cosine([decay](long u) { return u <= decay.tMax ? decay(u) : decay.etaMin; });
  return Join({std::move(ramp), std::move(cosine)}, {o.warmupSteps});
}

}  // namespace lrlab
