#include "lrlab/core/dataset.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>

namespace lrlab {

namespace {

constexpr std::string_view kMagic = "LRLABDS1";
constexpr std::string_view kTableMagic = "LRLABDS2";
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

// The counts every version starts with (after the magic).
struct Counts {
  std::uint64_t n, d, classes, numTrain;
};

Counts ReadCounts(std::string_view bytes) {
  return {ReadU32(bytes, 8), ReadU32(bytes, 12), ReadU32(bytes, 16), ReadU32(bytes, 20)};
}

// The checks both versions share once N and D are known to be in bounds:
// classes, split, total size (`expected` bytes) and checksum.
void CheckFile(std::string_view bytes, const Counts& c, std::uint64_t expected) {
  if (c.classes < 2 || c.classes > 256) Fail("class count " + std::to_string(c.classes) + " is not in [2, 256]");
  if (c.numTrain < 1 || c.numTrain >= c.n)
    Fail("training count " + std::to_string(c.numTrain) + " is not in [1, N-1]");
  if (bytes.size() != expected)
    Fail("size is " + std::to_string(bytes.size()) + " bytes, expected " + std::to_string(expected) +
         " (truncated or corrupted)");
  const std::size_t hashOffset = bytes.size() - 4;
  if (Fnv1a32(bytes.substr(0, hashOffset)) != ReadU32(bytes, hashOffset)) Fail("checksum mismatch (corrupted)");
}

// The labels (N bytes from `labels`) and the split; features read already.
void ReadLabels(const unsigned char* labels, const Counts& c, Dataset& out) {
  out.numClasses = static_cast<int>(c.classes);
  out.labels.resize(static_cast<std::size_t>(c.n));
  for (std::size_t i = 0; i < c.n; ++i) {
    if (labels[i] >= c.classes) Fail("label " + std::to_string(labels[i]) + " is not below the class count");
    out.labels[i] = labels[i];
  }
  for (int i = 0; i < static_cast<int>(c.n); ++i)
    (static_cast<std::uint64_t>(i) < c.numTrain ? out.train : out.validation).push_back(i);
}

// Version 1: byte features in [0, M].
Dataset ParsePixels(std::string_view bytes) {
  const Counts c = ReadCounts(bytes);
  const std::uint64_t maxValue = ReadU32(bytes, 24);
  // Bounds keep the size arithmetic below far from overflow.
  if (c.n < 2 || c.n > 10'000'000) Fail("sample count " + std::to_string(c.n) + " is not in [2, 10000000]");
  if (c.d < 1 || c.d > 100'000) Fail("feature count " + std::to_string(c.d) + " is not in [1, 100000]");
  if (maxValue < 1 || maxValue > 255) Fail("feature maximum " + std::to_string(maxValue) + " is not in [1, 255]");
  CheckFile(bytes, c, kHeaderSize + c.n * c.d + c.n + 4);

  Dataset out;
  out.featureMax = static_cast<double>(maxValue);
  out.features.resize(static_cast<Index>(c.n), static_cast<Index>(c.d));
  const auto* pixels = reinterpret_cast<const unsigned char*>(bytes.data() + kHeaderSize);
  for (Index i = 0; i < out.features.rows(); ++i)
    for (Index j = 0; j < out.features.cols(); ++j) {
      const unsigned v = pixels[static_cast<std::size_t>(i) * c.d + static_cast<std::size_t>(j)];
      if (v > maxValue) Fail("feature value " + std::to_string(v) + " exceeds the maximum " + std::to_string(maxValue));
      out.features(i, j) = static_cast<double>(v);
    }
  ReadLabels(pixels + c.n * c.d, c, out);
  return out;
}

// Version 2: real-valued features (dataset.hpp).
Dataset ParseTable(std::string_view bytes) {
  constexpr std::size_t kHeader = 8 + 4 * 4;
  if (bytes.size() < kHeader) Fail("shorter than its header (truncated)");
  const Counts c = ReadCounts(bytes);
  if (c.n < 2) Fail("sample count " + std::to_string(c.n) + " is below 2");
  if (c.d < 1 || c.d > kMaxTableFeatures)
    Fail("feature count " + std::to_string(c.d) + " is not in [1, " + std::to_string(kMaxTableFeatures) + "]");
  if (c.n * c.d > kMaxTableEntries)
    Fail(std::to_string(c.n) + " samples × " + std::to_string(c.d) + " features is more than " +
         std::to_string(kMaxTableEntries) + " values");
  CheckFile(bytes, c, kHeader + 8 * c.n * c.d + c.n + 4);

  Dataset out;
  out.featureMax = 1.0;
  out.features.resize(static_cast<Index>(c.n), static_cast<Index>(c.d));
  for (Index i = 0; i < out.features.rows(); ++i)
    for (Index j = 0; j < out.features.cols(); ++j) {
      std::uint64_t raw = 0;
      const std::size_t at = kHeader + 8 * (static_cast<std::size_t>(i) * c.d + static_cast<std::size_t>(j));
      for (int b = 7; b >= 0; --b) raw = (raw << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(b)]);
      double v;  // std::bit_cast is missing from Emscripten 3.1.6's libc++
      std::memcpy(&v, &raw, sizeof v);
      if (!std::isfinite(v))
        Fail("feature " + std::to_string(j) + " of sample " + std::to_string(i) + " is not a finite number");
      out.features(i, j) = v;
    }
  ReadLabels(reinterpret_cast<const unsigned char*>(bytes.data() + kHeader + 8 * c.n * c.d), c, out);
  return out;
}

}  // namespace

Dataset ParseDataset(std::string_view bytes) {
  if (bytes.substr(0, kTableMagic.size()) == kTableMagic) return ParseTable(bytes);
  if (bytes.size() < kHeaderSize || bytes.substr(0, kMagic.size()) != kMagic)
    Fail("not an lrlab data set (expected the magic \"LRLABDS1\" or \"LRLABDS2\")");
  return ParsePixels(bytes);
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
