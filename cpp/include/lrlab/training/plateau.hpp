#pragma once
// Reduce-on-plateau: feedback, not a schedule. The controller watches a
// validation metric and cuts a learning-rate multiplier when the metric has
// stopped improving. The trainer applies the multiplier on top of whatever
// schedule runs: η_t = schedule(t) · multiplier.
//
// Semantics follow torch.optim.lr_scheduler.ReduceLROnPlateau (PyTorch 1.13),
// one Observe per scheduler.step(metric):
//   better(a)  = a < best·(1 − threshold)   mode min, threshold_mode rel
//              = a < best − threshold       mode min, abs
//              = a > best·(1 + threshold)   mode max, rel
//              = a > best + threshold       mode max, abs
//   if better: best ← a, bad ← 0, else bad ← bad + 1
//   if cooling down: cooldown ← cooldown − 1, bad ← 0
//   if bad > patience: η_new = max(η·factor, min_lr); apply it only when
//                      η − η_new > eps; then cooldown ← cooldown period, bad ← 0
// where η is the learning rate in force for the next step. (optax's
// reduce_on_plateau keeps the same idea apart from its schedules, too.)
#include <algorithm>
#include <limits>

namespace lrlab {

class Plateau {
 public:
  enum class Mode { kMin, kMax };
  enum class ThresholdMode { kRel, kAbs };

  struct Options {
    Mode mode = Mode::kMin;
    double factor = 0.1;
    long patience = 10;
    double threshold = 1e-4;
    ThresholdMode thresholdMode = ThresholdMode::kRel;
    long cooldown = 0;
    double minLr = 0.0;
    double eps = 1e-8;
  };

  // What the controller looked like after an observation (for figures).
  struct State {
    double best;
    long numBad;
    long cooldownLeft;
    double multiplier;
    bool reduced;  // this observation cut η
  };

  Plateau() : Plateau(Options{}) {}
  explicit Plateau(Options options) : options_(options) { best_ = WorstValue(); }

  const Options& GetOptions() const { return options_; }

  // Feeds one metric value; `lr` is the η that the next step would use with
  // the current multiplier. Returns the new state.
  State Observe(double metric, double lr) {
    bool reduced = false;
    if (IsBetter(metric)) {
      best_ = metric;
      numBad_ = 0;
    } else {
      ++numBad_;
    }
    if (cooldownLeft_ > 0) {
      --cooldownLeft_;
      numBad_ = 0;
    }
    if (numBad_ > options_.patience) {
      const double newLr = std::max(lr * options_.factor, options_.minLr);
      if (lr - newLr > options_.eps && lr > 0.0) {
        multiplier_ *= newLr / lr;
        reduced = true;
      }
      cooldownLeft_ = options_.cooldown;
      numBad_ = 0;
    }
    return Current(reduced);
  }

  double Multiplier() const { return multiplier_; }
  State Current(bool reduced = false) const { return {best_, numBad_, cooldownLeft_, multiplier_, reduced}; }

 private:
  double WorstValue() const {
    return options_.mode == Mode::kMin ? std::numeric_limits<double>::infinity()
                                       : -std::numeric_limits<double>::infinity();
  }

  // A NaN metric is never better (comparisons with NaN are false), as in PyTorch.
  bool IsBetter(double a) const {
    const double t = options_.threshold;
    const bool rel = options_.thresholdMode == ThresholdMode::kRel;
    if (options_.mode == Mode::kMin) return rel ? a < best_ * (1.0 - t) : a < best_ - t;
    return rel ? a > best_ * (1.0 + t) : a > best_ + t;
  }

  Options options_;
  double best_;
  long numBad_ = 0;
  long cooldownLeft_ = 0;
  double multiplier_ = 1.0;
};

}  // namespace lrlab
