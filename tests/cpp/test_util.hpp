#pragma once
// Helpers shared by the Catch2 suites.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "lrlab/config/config.hpp"
#include "lrlab/core/concepts.hpp"

namespace lrlab::testing {

// A committed golden file, e.g. "tests/golden/plateau.json" (written by the
// PyTorch script beside it).
inline config::Json ReadGolden(const std::string& relative) {
  std::ifstream file(std::string(LRLAB_SOURCE_DIR) + "/" + relative);
  REQUIRE(file.good());
  return config::Json::parse(file);
}

// Largest relative difference between the analytic gradient and central
// finite differences at x.
template <DifferentiableObjective P>
double GradientError(const P& problem, const Vector& x, double h = 1e-6) {
  Vector g;
  problem.ValueAndGradient(x, g);
  double worst = 0.0;
  for (Index i = 0; i < x.size(); ++i) {
    Vector plus = x, minus = x;
    plus[i] += h;
    minus[i] -= h;
    const double numeric = (problem.Value(plus) - problem.Value(minus)) / (2 * h);
    const double scale = std::max({1.0, std::abs(numeric), std::abs(g[i])});
    worst = std::max(worst, std::abs(numeric - g[i]) / scale);
  }
  return worst;
}

// The messages a config text is rejected with (empty when it is accepted).
inline std::vector<std::string> ConfigErrors(const std::string& text) {
  try {
    config::ParseRunConfigText(text);
  } catch (const config::ConfigError& e) {
    return e.Messages();
  }
  return {};
}

inline bool HasMessage(const std::vector<std::string>& messages, const std::string& expected) {
  for (const auto& m : messages)
    if (m == expected) return true;
  return false;
}

// A well-formed data set file of version 2 (real-valued features, as the
// page's CSV import writes one; dataset.hpp), with a correct checksum.
inline std::string MakeTableFile(std::uint32_t n, std::uint32_t d, std::uint32_t classes, std::uint32_t numTrain,
                                 const std::vector<double>& features, const std::vector<unsigned char>& labels) {
  std::string out = "LRLABDS2";
  auto put = [&out](std::uint64_t v, int bytes) {
    for (int byte = 0; byte < bytes; ++byte) out.push_back(static_cast<char>((v >> (8 * byte)) & 0xFF));
  };
  for (std::uint32_t v : {n, d, classes, numTrain}) put(v, 4);
  for (double v : features) {
    std::uint64_t bits;  // std::bit_cast is missing from Emscripten 3.1.6's libc++
    std::memcpy(&bits, &v, sizeof bits);
    put(bits, 8);
  }
  out.append(labels.begin(), labels.end());
  std::uint32_t h = 0x811C9DC5u;
  for (char c : out) h = (h ^ static_cast<unsigned char>(c)) * 0x01000193u;
  put(h, 4);
  return out;
}

}  // namespace lrlab::testing
