// lrlab_bench — timings for `npm run bench`, the same code natively and in
// WebAssembly under Node. Prints one JSON object per line:
//   {"case": "adam_step", "params": 1000, "ns_per_param": 1.2, "bytes_per_param": 56}
//   {"case": "hand_adam_step", "params": 1000, "ns_per_param": 1.1, "bytes_per_param": 56}
//   {"case": "copy", "bytes": 268435456, "gb_per_s": 12.3}
//   {"case": "mlp_step", "hidden": 64, "batch": 32, "us_per_step": 12.3}
//
//   lrlab_bench DIGITS_FILE [--quick]
//
// Each timing repeats its work until at least `gMinSeconds` have passed
// (after a warm-up, since V8 tiers WebAssembly up as it runs) and keeps the
// fastest of three such batches.
//
// Two yardsticks sit beside lrlab's optimizer steps:
// - hand_*_step: the same update written directly in SSE2 intrinsics, one
//   pass over the arrays (natively x86-64's SSE2; in WebAssembly Emscripten's
//   emmintrin.h, which maps them onto SIMD128). They are checked to give
//   exactly lrlab's numbers before they are timed. Builds without SSE2 (a
//   WebAssembly build with LRLAB_WASM_SIMD off, other CPUs) print no hand_*
//   lines.
// - copy: the bandwidth of memcpy from one array of doubles into another,
//   counted as STREAM counts a copy (8 bytes read and 8 written per element):
//   once with arrays far larger than the caches (main memory), once with the
//   footprint of an Adam step on 1e6 parameters (four 8 MB arrays), which on
//   the machines we ran stays in the last-level cache. bytes_per_param on a
//   step line counts the same way: every array the step reads (x, g and the
//   optimizer's state) and every array it writes, once each, which is what
//   one fused pass must move. The steps also run on 1e7 parameters, a
//   footprint that no cache holds, to compare with the main-memory copy.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// Bytes one step moves per parameter, counted as in the header comment.
constexpr int kAdamBytes = 8 * (4 + 3);         // reads x, g, m, v; writes x, m, v
constexpr int kSgdMomentumBytes = 8 * (3 + 2);  // reads x, g, b; writes x, b

// A tiny η keeps x from drifting anywhere numerically unusual.
constexpr double kBenchLr = 1e-9;

void PrintStep(const char* name, lrlab::Index n, double seconds, int bytesPerParam) {
  std::printf("{\"case\": \"%s\", \"params\": %ld, \"ns_per_param\": %.6g, \"bytes_per_param\": %d}\n", name,
              static_cast<long>(n), seconds * 1e9 / static_cast<double>(n), bytesPerParam);
}

// `Stepper` is anything with Step(Vector& x, const Vector& g, double lr),
// freshly reset for n parameters.
template <class Stepper>
void BenchStep(const char* name, Stepper stepper, lrlab::Index n, int bytesPerParam) {
  lrlab::Rng rng(1);
  lrlab::Vector x = RandomVector(n, rng);
  const lrlab::Vector g = RandomVector(n, rng) * 1e-3;
  const double seconds = TimePerCall([&] { stepper.Step(x, g, kBenchLr); });
  PrintStep(name, n, seconds, bytesPerParam);
}

template <class Optimizer>
Optimizer ResetFor(Optimizer optimizer, lrlab::Index n) {
  optimizer.Reset(n);
  return optimizer;
}

#if defined(__SSE2__)
#define LRLAB_BENCH_HAND_SSE2 1

// lrlab::Adam's update with its defaults (no weight decay, no AMSGrad), by
// hand: two doubles per instruction, each array read once and written once.
// The per-step scalars and the order of every operation are lrlab's, so the
// results are the same bits.
class HandAdam {
 public:
  explicit HandAdam(lrlab::Index n) : m_(lrlab::Vector::Zero(n)), v_(lrlab::Vector::Zero(n)) {}

  void Step(lrlab::Vector& xv, const lrlab::Vector& gv, double lr) {
    ++step_;
    const double t = static_cast<double>(step_);
    const double stepSize = lr / (1.0 - std::pow(kBeta1, t));
    const double invBias2Sqrt = 1.0 / std::sqrt(1.0 - std::pow(kBeta2, t));
    double* x = xv.data();
    const double* g = gv.data();
    double* m = m_.data();
    double* v = v_.data();
    const lrlab::Index n = xv.size();
    const __m128d beta1 = _mm_set1_pd(kBeta1), keep1 = _mm_set1_pd(1.0 - kBeta1);
    const __m128d beta2 = _mm_set1_pd(kBeta2), keep2 = _mm_set1_pd(1.0 - kBeta2);
    const __m128d scale = _mm_set1_pd(invBias2Sqrt), eps = _mm_set1_pd(kEps), size = _mm_set1_pd(stepSize);
    lrlab::Index i = 0;
    for (; i + 2 <= n; i += 2) {
      const __m128d gi = _mm_loadu_pd(g + i);
      const __m128d mi = _mm_add_pd(_mm_mul_pd(beta1, _mm_loadu_pd(m + i)), _mm_mul_pd(keep1, gi));
      const __m128d vi = _mm_add_pd(_mm_mul_pd(beta2, _mm_loadu_pd(v + i)), _mm_mul_pd(keep2, _mm_mul_pd(gi, gi)));
      _mm_storeu_pd(m + i, mi);
      _mm_storeu_pd(v + i, vi);
      const __m128d denom = _mm_add_pd(_mm_mul_pd(_mm_sqrt_pd(vi), scale), eps);
      _mm_storeu_pd(x + i, _mm_sub_pd(_mm_loadu_pd(x + i), _mm_div_pd(_mm_mul_pd(size, mi), denom)));
    }
    for (; i < n; ++i) {  // an odd last coordinate
      m[i] = kBeta1 * m[i] + (1.0 - kBeta1) * g[i];
      v[i] = kBeta2 * v[i] + (1.0 - kBeta2) * (g[i] * g[i]);
      x[i] -= stepSize * m[i] / (std::sqrt(v[i]) * invBias2Sqrt + kEps);
    }
  }

 private:
  static constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEps = 1e-8;
  lrlab::Vector m_, v_;
  long step_ = 0;
};

// lrlab::Sgd's update with momentum μ = 0.9 and no dampening, by hand: the
// buffer starts as the first gradient, as in PyTorch.
class HandSgdMomentum {
 public:
  explicit HandSgdMomentum(lrlab::Index n) : b_(n) {}

  void Step(lrlab::Vector& xv, const lrlab::Vector& gv, double lr) {
    double* x = xv.data();
    const double* g = gv.data();
    double* b = b_.data();
    const lrlab::Index n = xv.size();
    const __m128d rate = _mm_set1_pd(lr), mu = _mm_set1_pd(kMomentum);
    lrlab::Index i = 0;
    if (first_) {
      first_ = false;
      for (; i + 2 <= n; i += 2) {
        const __m128d gi = _mm_loadu_pd(g + i);
        _mm_storeu_pd(b + i, gi);
        _mm_storeu_pd(x + i, _mm_sub_pd(_mm_loadu_pd(x + i), _mm_mul_pd(rate, gi)));
      }
      for (; i < n; ++i) x[i] -= lr * (b[i] = g[i]);
      return;
    }
    for (; i + 2 <= n; i += 2) {
      // (1 − τ) g with τ = 0 is g itself: lrlab's multiplication by 1 is exact.
      const __m128d bi = _mm_add_pd(_mm_mul_pd(mu, _mm_loadu_pd(b + i)), _mm_loadu_pd(g + i));
      _mm_storeu_pd(b + i, bi);
      _mm_storeu_pd(x + i, _mm_sub_pd(_mm_loadu_pd(x + i), _mm_mul_pd(rate, bi)));
    }
    for (; i < n; ++i) x[i] -= lr * (b[i] = kMomentum * b[i] + g[i]);
  }

 private:
  static constexpr double kMomentum = 0.9;
  lrlab::Vector b_;
  bool first_ = true;
};

// The hand loop must compute what lrlab computes, or its timing says
// nothing: a few steps of each from the same start, compared bit for bit.
template <class Hand, class Optimizer>
bool SameSteps(const char* name, Hand hand, Optimizer optimizer, lrlab::Index n) {
  lrlab::Rng rng(2);
  const lrlab::Vector start = RandomVector(n, rng);
  lrlab::Vector a = start, b = start;
  for (int step = 0; step < 5; ++step) {
    const lrlab::Vector g = RandomVector(n, rng);
    hand.Step(a, g, 1e-2);
    optimizer.Step(b, g, 1e-2);
  }
  if (a == b) return true;
  std::fprintf(stderr, "lrlab_bench: the hand-written %s differs from lrlab's by up to %g\n", name,
               (a - b).cwiseAbs().maxCoeff());
  return false;
}
#endif

// GB/s of copying one array of doubles into another, `bytes` per array.
void BenchCopy(std::size_t bytes) {
  const std::size_t n = bytes / sizeof(double);
  std::vector<double> from(n), to(n);
  for (std::size_t i = 0; i < n; ++i) from[i] = static_cast<double>(i);
  const double seconds = TimePerCall([&] {
    std::memcpy(to.data(), from.data(), n * sizeof(double));
    from[n / 2] = to[n / 3];  // reads the copy, so no compiler may drop it
  });
  std::printf("{\"case\": \"copy\", \"bytes\": %zu, \"gb_per_s\": %.6g}\n", bytes,
              2.0 * static_cast<double>(bytes) / seconds * 1e-9);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: lrlab_bench DIGITS_FILE [--quick]\n");
    return 1;
  }
  if (argc > 2 && std::string(argv[2]) == "--quick") gMinSeconds = 0.02;

  const lrlab::Sgd sgdMomentum({.momentum = 0.9});
#ifdef LRLAB_BENCH_HAND_SSE2
  // 1001: the odd last coordinate takes the scalar path too.
  if (!SameSteps("Adam", HandAdam(1001), ResetFor(lrlab::Adam(), 1001), 1001) ||
      !SameSteps("SGD-momentum", HandSgdMomentum(1001), ResetFor(sgdMomentum, 1001), 1001))
    return 1;
#endif
  const auto benchSteps = [&](lrlab::Index n) {
    BenchStep("adam_step", ResetFor(lrlab::Adam(), n), n, kAdamBytes);
    BenchStep("sgd_momentum_step", ResetFor(sgdMomentum, n), n, kSgdMomentumBytes);
#ifdef LRLAB_BENCH_HAND_SSE2
    BenchStep("hand_adam_step", HandAdam(n), n, kAdamBytes);
    BenchStep("hand_sgd_momentum_step", HandSgdMomentum(n), n, kSgdMomentumBytes);
#endif
  };
  for (lrlab::Index n : {1'000L, 10'000L, 100'000L, 1'000'000L}) benchSteps(n);
  benchSteps(10'000'000);  // past every cache: 320 MB for Adam
  BenchCopy(std::size_t{256} << 20);  // two 256 MiB arrays: main memory
  BenchCopy(std::size_t{16} << 20);   // 32 MiB in all, about Adam's footprint at 1e6

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
