#pragma once
// An η sweep: the same run repeated for many learning rates, summarised by
// its final and best loss and whether (and when) it diverged — the data of
// the "loss against η" figures.
#include <algorithm>
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

// The sweep taken a piece at a time: Advance(n) takes at most n more
// optimizer steps (across the η values, in order) and says whether every η
// is done, so a caller can stay responsive between pieces. makeTrainer(lr)
// builds a fresh run with that base learning rate; each run takes `steps`.
class Sweep {
 public:
  Sweep(std::function<std::unique_ptr<Trainer>(double)> makeTrainer, std::vector<double> lrs, long steps)
      : makeTrainer_(std::move(makeTrainer)), lrs_(std::move(lrs)), steps_(steps) {}

  bool Advance(long n) {
    while (n > 0 && next_ < lrs_.size()) {
      if (!trainer_) trainer_ = makeTrainer_(lrs_[next_]);
      const long left = steps_ - trainer_->Steps();
      const long taken = trainer_->Run(std::min(n, left));
      n -= std::max(taken, 1L);  // a diverged run takes none but is finished
      if (trainer_->Diverged() || trainer_->Steps() >= steps_) Finish();
    }
    return Done();
  }

  bool Done() const { return next_ >= lrs_.size(); }
  const SweepResult& Result() const { return out_; }

 private:
  void Finish() {
    const History& h = trainer_->GetHistory();
    double best = std::numeric_limits<double>::infinity();
    const std::size_t usable = h.divergedAt ? h.loss.size() - 1 : h.loss.size();
    for (std::size_t i = 0; i < usable; ++i) best = std::min(best, h.loss[i]);
    out_.lr.push_back(lrs_[next_]);
    out_.finalLoss.push_back(h.loss.back());
    out_.bestLoss.push_back(best);
    out_.finalValLoss.push_back(h.valLoss.empty() ? h.loss.back() : h.valLoss.back());
    out_.divergedAt.push_back(h.divergedAt.value_or(-1));
    trainer_.reset();
    ++next_;
  }

  std::function<std::unique_ptr<Trainer>(double)> makeTrainer_;
  std::vector<double> lrs_;
  long steps_;
  std::size_t next_ = 0;
  std::unique_ptr<Trainer> trainer_;
  SweepResult out_;
};

// The whole sweep at once.
inline SweepResult RunSweep(const std::function<std::unique_ptr<Trainer>(double)>& makeTrainer,
                            const std::vector<double>& lrs, long steps) {
  Sweep sweep(makeTrainer, lrs, steps);
  while (!sweep.Advance(std::numeric_limits<long>::max())) {
  }
  return sweep.Result();
}

}  // namespace lrlab
