#include "lrlab/core/dataset.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>

namespace lrlab {

namespace {

constexpr std::string_view kMagic = "LRLABDS1";
constexpr std::size_t kHeaderSize = 8 + 5 * 4;

std::uint32_t ReadU32(std::string_view bytes, std::size_t offset) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[offset + static_cast<std::size_t>(i)]);
  return v;
}

std::uint32_t Fnv1a32(std::string_view bytes) {
  std::uint32_t h = 0x811C9DC5u;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x01000193u;
  }
  return h;
}

[[noreturn]] void Fail(const std::string& what) { throw std::invalid_argument("data set file: " + what); }

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<const Dataset>> sets;
};

Registry& TheRegistry() {
  static Registry registry;
  return registry;
}

}  // namespace

Dataset ParseDataset(std::string_view bytes) {
  if (bytes.size() < kHeaderSize || bytes.substr(0, kMagic.size()) != kMagic)
    Fail("not an lrlab data set (expected the magic \"LRLABDS1\")");
  const std::uint64_t n = ReadU32(bytes, 8), d = ReadU32(bytes, 12), classes = ReadU32(bytes, 16),
                      numTrain = ReadU32(bytes, 20), maxValue = ReadU32(bytes, 24);
  // Bounds keep the size arithmetic below far from overflow.
  if (n < 2 || n > 10'000'000) Fail("sample count " + std::to_string(n) + " is not in [2, 10000000]");
  if (d < 1 || d > 100'000) Fail("feature count " + std::to_string(d) + " is not in [1, 100000]");
  if (classes < 2 || classes > 256) Fail("class count " + std::to_string(classes) + " is not in [2, 256]");
  if (numTrain < 1 || numTrain >= n) Fail("training count " + std::to_string(numTrain) + " is not in [1, N-1]");
  if (maxValue < 1 || maxValue > 255) Fail("feature maximum " + std::to_string(maxValue) + " is not in [1, 255]");
  const std::uint64_t expected = kHeaderSize + n * d + n + 4;
  if (bytes.size() != expected)
    Fail("size is " + std::to_string(bytes.size()) + " bytes, expected " + std::to_string(expected) +
         " (truncated or corrupted)");
  const std::size_t hashOffset = bytes.size() - 4;
  if (Fnv1a32(bytes.substr(0, hashOffset)) != ReadU32(bytes, hashOffset)) Fail("checksum mismatch (corrupted)");

  Dataset out;
  out.numClasses = static_cast<int>(classes);
  out.featureMax = static_cast<double>(maxValue);
  out.features.resize(static_cast<Index>(n), static_cast<Index>(d));
  const auto* pixels = reinterpret_cast<const unsigned char*>(bytes.data() + kHeaderSize);
  for (Index i = 0; i < out.features.rows(); ++i)
    for (Index j = 0; j < out.features.cols(); ++j) {
      const unsigned v = pixels[static_cast<std::size_t>(i) * d + static_cast<std::size_t>(j)];
      if (v > maxValue) Fail("feature value " + std::to_string(v) + " exceeds the maximum " + std::to_string(maxValue));
      out.features(i, j) = static_cast<double>(v);
    }
  const auto* labels = pixels + n * d;
  out.labels.resize(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < n; ++i) {
    if (labels[i] >= classes) Fail("label " + std::to_string(labels[i]) + " is not below the class count");
    out.labels[i] = labels[i];
  }
  for (int i = 0; i < static_cast<int>(n); ++i)
    (static_cast<std::uint64_t>(i) < numTrain ? out.train : out.validation).push_back(i);
  return out;
}

void RegisterDataset(const std::string& name, std::shared_ptr<const Dataset> dataset) {
  Registry& r = TheRegistry();
  std::lock_guard lock(r.mutex);
  r.sets[name] = std::move(dataset);
}

std::shared_ptr<const Dataset> FindDataset(const std::string& name) {
  Registry& r = TheRegistry();
  std::lock_guard lock(r.mutex);
  auto it = r.sets.find(name);
  return it == r.sets.end() ? nullptr : it->second;
}

}  // namespace lrlab
