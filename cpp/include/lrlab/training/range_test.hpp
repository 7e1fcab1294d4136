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

// `trainer` must have been built with the ramp as its schedule (see
// RangeTestLr); it is run one step at a time.
inline RangeTestResult RunRangeTest(Trainer& trainer, const RangeTestOptions& o) {
  RangeTestResult out;
  double average = 0.0;
  double best = std::numeric_limits<double>::infinity();
  for (long t = 0; t < o.steps; ++t) {
    const double lr = trainer.LearningRate(trainer.Steps());
    if (trainer.Run(1) == 0) break;
    const double loss = trainer.GetHistory().loss.back();
    out.lr.push_back(lr);
    out.loss.push_back(loss);
    average = o.smoothing * average + (1.0 - o.smoothing) * loss;
    const double smooth = average / (1.0 - std::pow(o.smoothing, static_cast<double>(t + 1)));
    out.smoothed.push_back(smooth);
    if (trainer.Diverged() || !std::isfinite(smooth) || (t > 0 && smooth > o.stopFactor * best)) {
      out.stoppedAt = t;
      break;
    }
    best = std::min(best, smooth);
  }
  // Only points before the blow-up inform the suggestion.
  const std::size_t n = out.stoppedAt ? out.smoothed.size() - 1 : out.smoothed.size();
  double lowest = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i)
    if (out.smoothed[i] < lowest) {
      lowest = out.smoothed[i];
      out.minLossLr = out.lr[i];
    }
  double steepest = 0.0;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const double slope = (out.smoothed[i + 1] - out.smoothed[i - 1]) / std::log(out.lr[i + 1] / out.lr[i - 1]);
    if (slope < steepest) {
      steepest = slope;
      out.suggestedLr = out.lr[i];
    }
  }
  return out;
}

}  // namespace lrlab
