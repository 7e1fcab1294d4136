#include "lrlab/training/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "lrlab/core/concepts.hpp"

namespace lrlab {

Trainer::Trainer(AnyProblem problem, AnyOptimizer optimizer, Schedule schedule, Vector x0, Options options)
    : problem_(std::move(problem)),
      optimizer_(std::move(optimizer)),
      schedule_(std::move(schedule)),
      options_(options),
      noise_(options.seed ^ 0x6772616469656E74ULL),  // a salt keeps this stream apart from the others
      x_(std::move(x0)) {
  if (options_.evalEvery < 1) options_.evalEvery = 1;
  if (options_.plateau) plateau_.emplace(*options_.plateau);
  if (options_.sharpness) {
    if (options_.sharpness->every < 1) options_.sharpness->every = 1;
    sharpness_.emplace(options_.sharpness->iterations);
  }
  std::visit(
      [&](const auto& p) {
        if constexpr (SeparableObjective<std::decay_t<decltype(p)>>)
          sampler_.emplace(p.NumSamples(), options_.batchSize, options_.seed);
      },
      problem_);
  std::visit([&](auto& o) { o.Reset(x_.size()); }, optimizer_);
  Observe();
  initialLoss_ = history_.loss.front();
}

void Trainer::Observe() {
  const double loss = std::visit(
      [&](const auto& p) {
        if constexpr (SeparableObjective<std::decay_t<decltype(p)>>)
          return p.ValueAndGradient(x_, grad_, sampler_->Next());
        else
          return p.ValueAndGradient(x_, grad_);
      },
      problem_);
  const double gradNorm = grad_.norm();
  history_.loss.push_back(loss);
  history_.gradNorm.push_back(gradNorm);
  if (options_.recordParams) history_.params.insert(history_.params.end(), x_.data(), x_.data() + x_.size());

  const bool blewUp = step_ > 0 && loss > kDivergenceFactor * std::max(std::abs(initialLoss_), 1e-300);
  if (!std::isfinite(loss) || !std::isfinite(gradNorm) || blewUp) {
    history_.divergedAt = step_;
    return;
  }
  if (step_ % options_.evalEvery == 0) {
    const double val = std::visit(
        [&](const auto& p) {
          if constexpr (SeparableObjective<std::decay_t<decltype(p)>>)
            return p.ValidationLoss(x_);
          else
            return loss;
        },
        problem_);
    // A validation loss that overflowed ends the run as a training loss would.
    if (!std::isfinite(val)) {
      history_.divergedAt = step_;
      return;
    }
    history_.valSteps.push_back(step_);
    history_.valLoss.push_back(val);
    // The controller sees each validation loss after the step that produced
    // it (not the starting one), like a scheduler.step(val_loss) per epoch.
    if (plateau_)
      history_.plateau.push_back(step_ > 0 ? plateau_->Observe(val, LearningRate(step_)) : plateau_->Current());
  }
  if (sharpness_ && step_ % options_.sharpness->every == 0) {
    // On the full-batch loss, whatever the run's batches.
    const double lambda = std::visit([&](const auto& p) { return sharpness_->Estimate(p, x_); }, problem_);
    if (std::isfinite(lambda)) {
      history_.sharpnessSteps.push_back(step_);
      history_.sharpness.push_back(lambda);
    }
  }
}

void Trainer::RecordEffectiveLr(double lr) {
  std::visit(
      [&](const auto& o) {
        if constexpr (HasEffectiveLr<std::decay_t<decltype(o)>>)
          o.EffectiveLr(lr, effectiveLr_);
        else
          effectiveLr_.setConstant(x_.size(), lr);
      },
      optimizer_);
  history_.effectiveLr.insert(history_.effectiveLr.end(), effectiveLr_.data(), effectiveLr_.data() + effectiveLr_.size());
}

long Trainer::Run(long n) {
  long taken = 0;
  for (; taken < n && !Diverged(); ++taken) {
    const double lr = LearningRate(step_);
    // A schedule (or plateau cut) that gives no finite η ends the run before
    // the step: nothing non-finite enters the history.
    if (!std::isfinite(lr)) {
      history_.divergedAt = step_;
      break;
    }
    if (const auto momentum = schedule_.Momentum(step_))
      std::visit(
          [&](auto& o) {
            if constexpr (HasMomentum<std::decay_t<decltype(o)>>) o.SetMomentum(*momentum);
          },
          optimizer_);
    history_.lr.push_back(lr);
    // grad_ is overwritten by the next Observe, so the noise can go in place.
    if (options_.gradientNoise > 0.0)
      for (Index i = 0; i < grad_.size(); ++i) grad_[i] += options_.gradientNoise * noise_.PortableNormal();
    std::visit([&](auto& o) { o.Step(x_, grad_, lr); }, optimizer_);
    if (options_.recordEffectiveLr) RecordEffectiveLr(lr);
    ++step_;
    Observe();
  }
  return taken;
}

}  // namespace lrlab
