#pragma once
// The trainer owns one run: problem, optimizer, schedule, minibatch sampler
// and the history of what happened. It is resumable — Run(n) takes n more
// steps and appends to the history — so a live figure can stream a run.
//
// Indexing (the same as the JSON result):
//   loss[t]      f(x_t) for t = 0..steps, x_0 the start. For problems that
//                are sums over samples it is the minibatch loss whose gradient
//                drives step t (the number a PyTorch training loop logs).
//   gradNorm[t]  ‖g_t‖₂ of that same gradient.
//   lr[t]        η used for the step from x_t to x_{t+1}.
//   valSteps/valLoss  validation loss at t = 0, evalEvery, 2·evalEvery, …;
//                equal to loss[t] for deterministic problems.
//   params       x_0, x_1, … concatenated, when recorded.
//   effectiveLr  per step t, the per-coordinate step size the optimizer
//                applied (HasEffectiveLr; η where it has none), dim numbers
//                per step concatenated, when recorded.
//   plateau      the reduce-on-plateau controller's state after each
//                validation loss (aligned with valSteps), when configured.
//                It observes every validation loss after step 0 and its
//                multiplier scales the schedule: lr[t] = schedule(t)·m.
//   sharpnessSteps/sharpness  λmax of the full-batch loss's Hessian at
//                x_t for t = 0, every, 2·every, … (sharpness.hpp), when
//                configured; a step whose estimate is not finite is left out.
// Divergence: a non-finite loss, gradient or validation loss, a loss above
// kDivergenceFactor × |loss[0]|, or a non-finite η for the next step stops
// the run at that step for good. So a run's loss, lr, gradNorm and valLoss
// are finite before divergedAt (and everywhere when it did not diverge);
// only loss[divergedAt] and gradNorm[divergedAt] may be non-finite.
//
// Gradient noise (Options::gradientNoise = σ > 0): before each optimizer
// step, σ·N(0, 1) is added independently to every coordinate of the
// gradient the step uses — a stand-in for minibatch noise on deterministic
// problems (Langevin-like dynamics). loss and gradNorm stay those of the true
// gradient. The draws come from their own generator, seeded only by the run's
// seed and computed without libm (Rng::PortableNormal), so a noisy run is the
// same bits natively and in WebAssembly and sees the same minibatches as a
// run without noise.
#include <cstdint>
#include <optional>
#include <vector>

#include "lrlab/core/rng.hpp"
#include "lrlab/optimizers/any_optimizer.hpp"
#include "lrlab/problems/any_problem.hpp"
#include "lrlab/schedules/schedule.hpp"
#include "lrlab/training/minibatch_sampler.hpp"
#include "lrlab/training/plateau.hpp"
#include "lrlab/training/sharpness.hpp"

namespace lrlab {

struct History {
  std::vector<double> loss;
  std::vector<double> lr;
  std::vector<double> gradNorm;
  std::vector<long> valSteps;
  std::vector<double> valLoss;
  std::vector<double> params;
  std::vector<double> effectiveLr;
  std::vector<Plateau::State> plateau;
  std::vector<long> sharpnessSteps;
  std::vector<double> sharpness;
  std::optional<long> divergedAt;
};

class Trainer {
 public:
  static constexpr double kDivergenceFactor = 1e6;

  struct Options {
    long evalEvery = 10;
    int batchSize = 32;
    std::uint64_t seed = 0;
    bool recordParams = true;
    bool recordEffectiveLr = false;
    double gradientNoise = 0.0;  // σ ≥ 0
    std::optional<Plateau::Options> plateau;
    // λmax every `every` steps, by at most `iterations` power iterations
    // (each two full-batch gradients), warm-started from the last estimate.
    struct Sharpness {
      long every = 10;
      int iterations = 20;
    };
    std::optional<Sharpness> sharpness;
  };

  Trainer(AnyProblem problem, AnyOptimizer optimizer, Schedule schedule, Vector x0, Options options);

  // Takes up to n more steps; returns how many were taken (fewer once the run
  // has diverged).
  long Run(long n);

  long Steps() const { return step_; }
  bool Diverged() const { return history_.divergedAt.has_value(); }
  const History& GetHistory() const { return history_; }
  bool RecordsEffectiveLr() const { return options_.recordEffectiveLr; }
  bool HasPlateau() const { return plateau_.has_value(); }
  bool RecordsSharpness() const { return sharpness_.has_value(); }
  const Vector& Parameters() const { return x_; }
  const AnyProblem& Problem() const { return problem_; }
  Index Dimension() const { return x_.size(); }
  // η for the step from x_t, with the plateau multiplier applied.
  double LearningRate(long step) const { return schedule_(step) * (plateau_ ? plateau_->Multiplier() : 1.0); }

 private:
  // Evaluates loss and gradient at x_ (on the next minibatch where the
  // problem has samples), records them and checks for divergence.
  void Observe();
  // Appends the effective learning rate of the step just taken with η = lr.
  void RecordEffectiveLr(double lr);

  AnyProblem problem_;
  AnyOptimizer optimizer_;
  Schedule schedule_;
  Options options_;
  std::optional<MinibatchSampler> sampler_;
  std::optional<Plateau> plateau_;
  std::optional<SharpnessTracker> sharpness_;
  Rng noise_;
  Vector x_;
  Vector grad_;
  Vector effectiveLr_;  // scratch for RecordEffectiveLr
  long step_ = 0;
  double initialLoss_ = 0.0;
  History history_;
};

}  // namespace lrlab
