#pragma once
// Joining schedules one after another (optax's join_schedules; PyTorch's
// SequentialLR):
//
//   η_t = piece_k(t − b_k)   for b_k ≤ t < b_{k+1},   b_0 = 0,
//
// so every piece sees its own step count from 0. Momentum is joined the same
// way when every piece drives it.
//
// SequentialLR (PyTorch 1.13) matches this join for the schedulers the config
// accepts in it: the first scheduler runs from t = 0; at milestone b_k PyTorch
// calls scheduler k's step(0), i.e. its closed form at 0 relative to the
// optimizer's initial lr, and steps it normally afterwards. The one place
// where that start differs from constructing the scheduler afresh is
// total_iters = 0 of ConstantLR/LinearLR (warmup_factors.hpp). A milestone at
// 0 is not a join in PyTorch (the first scheduler still sets t = 0, and the
// second then starts from the first one's lr), so the config asks for
// milestones ≥ 1.
#include <algorithm>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "lrlab/schedules/schedule.hpp"

namespace lrlab {

// `boundaries` must be non-decreasing with one entry fewer than `pieces`; a
// piece between two equal boundaries is never used.
inline Schedule Join(std::vector<Schedule> pieces, std::vector<long> boundaries) {
  if (pieces.empty() || boundaries.size() + 1 != pieces.size() || !std::is_sorted(boundaries.begin(), boundaries.end()))
    throw std::invalid_argument("Join: needs n pieces and n - 1 non-decreasing boundaries");
  const auto withMomentum =
      std::count_if(pieces.begin(), pieces.end(), [](const Schedule& s) { return s.HasMomentum(); });
  if (withMomentum != 0 && withMomentum != static_cast<long>(pieces.size()))
    throw std::invalid_argument("Join: either every piece drives momentum or none does");

  struct Parts {
    std::vector<Schedule> pieces;
    std::vector<long> boundaries;
    // The piece in force at step t and the step it started at.
    std::pair<const Schedule*, long> At(long t) const {
      const auto k = std::upper_bound(boundaries.begin(), boundaries.end(), t) - boundaries.begin();
      return {&pieces[static_cast<std::size_t>(k)], k == 0 ? 0 : boundaries[static_cast<std::size_t>(k - 1)]};
    }
  };
  auto parts = std::make_shared<const Parts>(Parts{std::move(pieces), std::move(boundaries)});
  Schedule::Fn lr = [parts](long t) {
    const auto [piece, start] = parts->At(t);
    return (*piece)(t - start);
  };
  Schedule::Fn momentum = nullptr;
  if (withMomentum != 0)
    momentum = [parts](long t) {
      const auto [piece, start] = parts->At(t);
      return *piece->Momentum(t - start);
    };
  return Schedule(std::move(lr), std::move(momentum));
}

}  // namespace lrlab
