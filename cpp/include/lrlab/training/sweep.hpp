#pragma once
// An η sweep: the same run repeated for many learning rates, summarised by
// its final and best loss and whether (and when) it diverged — the data of
// the "loss against η" figures.
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "lrlab/training/trainer.hpp"

namespace lrlab {

struct SweepResult {
  std::vector<double> lr;
  std::vector<double> finalLoss;     // loss[steps], or the loss at divergence
  std::vector<double> bestLoss;      // min over the run (before divergence)
  std::vector<double> finalValLoss;  // last validation loss recorded
  std::vector<long> divergedAt;      // -1 when the run did not diverge
};

// Learning rates spaced evenly in log10 between lo and hi (inclusive).
inline std::vector<double> LogSpace(double lo, double hi, int num) {
  std::vector<double> out(static_cast<std::size_t>(num));
  const double a = std::log10(lo), b = std::log10(hi);
  for (int i = 0; i < num; ++i)
    out[static_cast<std::size_t>(i)] = num == 1 ? lo : std::pow(10.0, a + (b - a) * i / (num - 1));
  return out;
}

// makeTrainer(lr) builds a fresh run with that base learning rate.
inline SweepResult RunSweep(const std::function<std::unique_ptr<Trainer>(double)>& makeTrainer,
                            const std::vector<double>& lrs, long steps) {
  SweepResult out;
  for (double lr : lrs) {
    auto trainer = makeTrainer(lr);
    trainer->Run(steps);
    const History& h = trainer->GetHistory();
    double best = std::numeric_limits<double>::infinity();
    const std::size_t usable = h.divergedAt ? h.loss.size() - 1 : h.loss.size();
    for (std::size_t i = 0; i < usable; ++i) best = std::min(best, h.loss[i]);
    out.lr.push_back(lr);
    out.finalLoss.push_back(h.loss.back());
    out.bestLoss.push_back(best);
    out.finalValLoss.push_back(h.valLoss.empty() ? h.loss.back() : h.valLoss.back());
    out.divergedAt.push_back(h.divergedAt.value_or(-1));
  }
  return out;
}

}  // namespace lrlab
