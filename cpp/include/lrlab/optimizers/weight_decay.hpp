#pragma once
// Coupled (L2) weight decay, as torch.optim applies it in every optimizer but
// AdamW and Lion: the update uses g + λx in place of g. Shared by the
// optimizers so that the rule lives in one place.
#include "lrlab/core/types.hpp"

namespace lrlab {

// g itself when λ = 0; otherwise `scratch`, set to g + λx (no allocation once
// scratch has the right size).
inline const Vector& WithL2Decay(const Vector& grad, const Vector& x, double weightDecay, Vector& scratch) {
  if (weightDecay == 0.0) return grad;
  scratch.noalias() = grad + weightDecay * x;
  return scratch;
}

}  // namespace lrlab
