#pragma once
// Smith's learning-rate range test (Smith, 2017, "Cyclical Learning Rates for
// Training Neural Networks", §3.3): train once while η grows exponentially
// from lrMin to lrMax, watch the loss, and stop when it blows up. The loss is
// smoothed with a bias-corrected exponential moving average (as popularised
// by fastai's lr_find); the run stops when the smoothed loss exceeds
// stopFactor × its best value, or the trainer reports divergence.
//
// Suggested η: the η where the smoothed loss falls fastest per unit of log η
// (steepest negative slope, by central differences), a common reading of the
// plot; the η of the lowest smoothed loss is reported too.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "lrlab/training/trainer.hpp"

namespace lrlab {

struct RangeTestOptions {
  double lrMin = 1e-6;
  double lrMax = 10.0;
  long steps = 100;
  double smoothing = 0.98;  // EMA factor β
  double stopFactor = 4.0;
};

// η at step t of the ramp (t = 0..steps−1).
inline double RangeTestLr(const RangeTestOptions& o, long t) {
  if (o.steps <= 1) return o.lrMin;
  return o.lrMin * std::pow(o.lrMax / o.lrMin, static_cast<double>(t) / static_cast<double>(o.steps - 1));
}

struct RangeTestResult {
  std::vector<double> lr;        // η of step t
  std::vector<double> loss;      // loss after step t, i.e. at x_{t+1}
  std::vector<double> smoothed;  // bias-corrected EMA of loss
  std::optional<long> stoppedAt; // the step whose loss ended the test
  std::optional<double> suggestedLr;
  std::optional<double> minLossLr;
};

// The test taken a piece at a time: Advance(n) takes at most n more steps
// and says whether the test is over (the ramp's end, a blow-up, or a run
// that diverged); Result() is the outcome so far, with the suggestion once
// it is over. `trainer` must have been built with the ramp as its schedule
// (see RangeTestLr) and outlive the test; it is run one step at a time.
class RangeTest {
 public:
  RangeTest(Trainer& trainer, const RangeTestOptions& options) : trainer_(trainer), o_(options) {}

  bool Advance(long n) {
    for (; n > 0 && !over_; --n) {
      if (t_ >= o_.steps) {
        Finish();
        break;
      }
      const double lr = trainer_.LearningRate(trainer_.Steps());
      if (trainer_.Run(1) == 0) {
        Finish();
        break;
      }
      const double loss = trainer_.GetHistory().loss.back();
      out_.lr.push_back(lr);
      out_.loss.push_back(loss);
      average_ = o_.smoothing * average_ + (1.0 - o_.smoothing) * loss;
      const double smooth = average_ / (1.0 - std::pow(o_.smoothing, static_cast<double>(t_ + 1)));
      out_.smoothed.push_back(smooth);
      if (trainer_.Diverged() || !std::isfinite(smooth) || (t_ > 0 && smooth > o_.stopFactor * best_)) {
        out_.stoppedAt = t_;
        Finish();
        break;
      }
      best_ = std::min(best_, smooth);
      ++t_;
    }
    if (!over_ && t_ >= o_.steps) Finish();
    return over_;
  }

  bool Done() const { return over_; }
  const RangeTestResult& Result() const { return out_; }

 private:
  // Only points before the blow-up inform the suggestion.
  void Finish() {
    over_ = true;
    const std::size_t n = out_.stoppedAt ? out_.smoothed.size() - 1 : out_.smoothed.size();
    double lowest = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i)
      if (out_.smoothed[i] < lowest) {
        lowest = out_.smoothed[i];
        out_.minLossLr = out_.lr[i];
      }
    double steepest = 0.0;
    for (std::size_t i = 1; i + 1 < n; ++i) {
      const double slope = (out_.smoothed[i + 1] - out_.smoothed[i - 1]) / std::log(out_.lr[i + 1] / out_.lr[i - 1]);
      if (slope < steepest) {
        steepest = slope;
        out_.suggestedLr = out_.lr[i];
      }
    }
  }

  Trainer& trainer_;
  RangeTestOptions o_;
  RangeTestResult out_;
  double average_ = 0.0;
  double best_ = std::numeric_limits<double>::infinity();
  long t_ = 0;
  bool over_ = false;
};

// The whole test at once.
inline RangeTestResult RunRangeTest(Trainer& trainer, const RangeTestOptions& o) {
  RangeTest test(trainer, o);
  while (!test.Advance(std::numeric_limits<long>::max())) {
  }
  return test.Result();
}

}  // namespace lrlab
