#pragma once
// A small seeded random number generator whose output is identical on every
// platform. std::normal_distribution and friends are implementation-defined
// (libstdc++ natively, libc++ under Emscripten), so the distributions are
// written here on top of xoshiro256** (Blackman & Vigna, 2018) seeded through
// splitmix64.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "lrlab/core/portable_math.hpp"

namespace lrlab {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) { Seed(seed); }

  void Seed(std::uint64_t seed) {
    std::uint64_t s = seed;
    for (auto& word : state_) word = SplitMix64(s);
    hasSpareNormal_ = false;
    hasSparePortable_ = false;
  }

  std::uint64_t NextU64() {
    const std::uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }

  // Uniform integer in [0, n), without modulo bias (Lemire's method would be
  // faster; rejection keeps the code obvious and n is small here).
  std::uint64_t Below(std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t r;
    do r = NextU64();
    while (r >= limit);
    return r % n;
  }

  // Standard normal by the Box-Muller transform; the second value of each
  // pair is kept for the next call. It calls libm's log, sin and cos, whose
  // last bit can differ between glibc and musl: use PortableNormal where
  // native and WebAssembly runs must agree bit for bit.
  double Normal() {
    if (hasSpareNormal_) {
      hasSpareNormal_ = false;
      return spareNormal_;
    }
    double u1;
    do u1 = Uniform();
    while (u1 <= 0.0);
    const double u2 = Uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 2.0 * std::numbers::pi * u2;
    spareNormal_ = radius * std::sin(angle);
    hasSpareNormal_ = true;
    return radius * std::cos(angle);
  }

  // Standard normal by Marsaglia's polar method (Marsaglia & Bray, 1964) with
  // the logarithm from portable_math.hpp: the same bits on every platform.
  // Each accepted pair gives two values; the second is kept for the next call.
  double PortableNormal() {
    if (hasSparePortable_) {
      hasSparePortable_ = false;
      return sparePortable_;
    }
    double u, v, s;
    do {
      u = 2.0 * Uniform() - 1.0;
      v = 2.0 * Uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * PortableLog(s) / s);  // sqrt is correctly rounded everywhere
    sparePortable_ = v * factor;
    hasSparePortable_ = true;
    return u * factor;
  }

  // Fisher-Yates shuffle with this generator.
  template <class T>
  void Shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(Below(i));
      std::swap(items[i - 1], items[j]);
    }
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t SplitMix64(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  std::uint64_t state_[4]{};
  double spareNormal_ = 0.0;
  bool hasSpareNormal_ = false;
  double sparePortable_ = 0.0;
  bool hasSparePortable_ = false;
};

}  // namespace lrlab
