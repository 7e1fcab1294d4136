// lrlab_bench — timings for `npm run bench`, the same code natively and in
// WebAssembly under Node. Prints one JSON object per line:
//   {"case": "adam_step", "params": 1000, "ns_per_param": 1.2}
//   {"case": "mlp_step", "hidden": 64, "batch": 32, "us_per_step": 12.3}
//
//   lrlab_bench DIGITS_FILE [--quick]
//
// Each timing repeats its work until at least `kMinSeconds` have passed
// (after a warm-up, since V8 tiers WebAssembly up as it runs) and keeps the
// fastest of three such batches.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "lrlab/core/dataset.hpp"
#include "lrlab/core/rng.hpp"
#include "lrlab/optimizers/adam.hpp"
#include "lrlab/optimizers/sgd.hpp"
#include "lrlab/problems/mlp.hpp"

namespace {

double gMinSeconds = 0.25;

// Seconds per call of `work`, the best of three batches.
double TimePerCall(const std::function<void()>& work) {
  using Clock = std::chrono::steady_clock;
  for (int i = 0; i < 3; ++i) work();  // warm-up
  long calls = 1;
  for (;;) {  // find a batch size that takes long enough
    const auto start = Clock::now();
    for (long i = 0; i < calls; ++i) work();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (seconds >= gMinSeconds) break;
    calls *= 2;
  }
  double best = 1e300;
  for (int batch = 0; batch < 3; ++batch) {
    const auto start = Clock::now();
    for (long i = 0; i < calls; ++i) work();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count() / static_cast<double>(calls));
  }
  return best;
}

lrlab::Vector RandomVector(lrlab::Index n, lrlab::Rng& rng) {
  lrlab::Vector v(n);
  for (lrlab::Index i = 0; i < n; ++i) v[i] = rng.Normal();
  return v;
}

template <class Optimizer>
void BenchStep(const char* name, Optimizer optimizer, lrlab::Index n) {
  lrlab::Rng rng(1);
  lrlab::Vector x = RandomVector(n, rng);
  const lrlab::Vector g = RandomVector(n, rng) * 1e-3;
  optimizer.Reset(n);
  // A tiny η keeps x from drifting anywhere numerically unusual.
  const double seconds = TimePerCall([&] { optimizer.Step(x, g, 1e-9); });
  std::printf("{\"case\": \"%s\", \"params\": %ld, \"ns_per_param\": %.6g}\n", name, static_cast<long>(n),
              seconds * 1e9 / static_cast<double>(n));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: lrlab_bench DIGITS_FILE [--quick]\n");
    return 1;
  }
  if (argc > 2 && std::string(argv[2]) == "--quick") gMinSeconds = 0.02;

  for (lrlab::Index n : {1'000L, 10'000L, 100'000L, 1'000'000L}) {
    BenchStep("adam_step", lrlab::Adam(), n);
    BenchStep("sgd_momentum_step", lrlab::Sgd({.momentum = 0.9}), n);
  }

  std::ifstream file(argv[1], std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "lrlab_bench: cannot read %s\n", argv[1]);
    return 1;
  }
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  auto digits = std::make_shared<const lrlab::Dataset>(lrlab::ParseDataset(bytes));
  // One training step of the digits MLP: forward, backward, Adam update.
  for (int hidden : {32, 64}) {
    constexpr int kBatch = 32;
    lrlab::Mlp mlp(digits, {.hidden = hidden, .activation = lrlab::Mlp::Activation::kRelu, .seed = 0});
    lrlab::Vector x = mlp.InitialPoint();
    lrlab::Vector g;
    lrlab::Adam adam;
    adam.Reset(x.size());
    std::vector<int> batch(kBatch);
    int offset = 0;
    const double seconds = TimePerCall([&] {
      for (int i = 0; i < kBatch; ++i) batch[static_cast<std::size_t>(i)] = (offset + i) % mlp.NumSamples();
      offset = (offset + kBatch) % mlp.NumSamples();
      mlp.ValueAndGradient(x, g, batch);
      adam.Step(x, g, 1e-3);
    });
    std::printf("{\"case\": \"mlp_step\", \"hidden\": %d, \"batch\": %d, \"params\": %ld, \"us_per_step\": %.6g}\n",
                hidden, kBatch, static_cast<long>(x.size()), seconds * 1e6);
  }
  return 0;
}
