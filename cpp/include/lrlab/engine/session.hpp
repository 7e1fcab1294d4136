#pragma once
// A resumable run for a live figure: a config parsed once, then run a few
// steps at a time, with the history readable after every call. The plateau
// controller's history is kept as well in columns (one vector per field),
// the form typed arrays need, converted as the run advances.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "lrlab/config/config.hpp"

namespace lrlab::engine {

class Session {
 public:
  // The plateau controller's state after each validation loss (aligned with
  // History::valSteps), and the steps whose evaluation cut η.
  struct PlateauColumns {
    std::vector<double> best, numBad, cooldown, multiplier;
    std::vector<std::int32_t> reducedAt;
  };

  // Parses `configText`; throws config::ConfigError.
  explicit Session(std::string_view configText);

  // Takes up to n more steps; returns how many were taken.
  long Run(long n) { return trainer_->Run(n); }
  // The config's `steps`.
  long ConfiguredSteps() const { return configuredSteps_; }
  const Trainer& GetTrainer() const { return *trainer_; }
  const History& GetHistory() const { return trainer_->GetHistory(); }
  // Columns up to the current step. They only grow (the history is
  // append-only), so each call converts just the new entries; a reference
  // handed out earlier stays valid until the run advances.
  const PlateauColumns& PlateauHistory();

 private:
  std::unique_ptr<Trainer> trainer_;
  long configuredSteps_ = 0;
  std::size_t plateauSynced_ = 0;
  PlateauColumns plateau_;
};

}  // namespace lrlab::engine
