#pragma once
// Minibatches drawn without replacement from a reshuffled permutation each
// epoch. The sampler has its own generator, seeded only by the run's seed, so
// two runs with the same seed see the same minibatch sequence whatever the
// optimizer or schedule: comparisons between them are fair.
#include <cstdint>
#include <span>
#include <vector>

#include "lrlab/core/rng.hpp"

namespace lrlab {

class MinibatchSampler {
 public:
  MinibatchSampler(int numSamples, int batchSize, std::uint64_t seed)
      : order_(static_cast<std::size_t>(numSamples)),
        batchSize_(batchSize < 1 ? 1 : (batchSize > numSamples ? numSamples : batchSize)),
        rng_(seed ^ 0x6D696E6962617463ULL) {
    for (int i = 0; i < numSamples; ++i) order_[static_cast<std::size_t>(i)] = i;
    position_ = order_.size();  // forces a shuffle on the first call
  }

  // The next batch; a partial batch at the end of an epoch is skipped so that
  // every step averages over the same number of samples.
  std::span<const int> Next() {
    if (position_ + static_cast<std::size_t>(batchSize_) > order_.size()) {
      rng_.Shuffle(order_);
      position_ = 0;
    }
    std::span<const int> batch(order_.data() + position_, static_cast<std::size_t>(batchSize_));
    position_ += static_cast<std::size_t>(batchSize_);
    return batch;
  }

  int BatchSize() const { return batchSize_; }

 private:
  std::vector<int> order_;
  int batchSize_;
  Rng rng_;
  std::size_t position_ = 0;
};

}  // namespace lrlab
