#pragma once
// A labelled data set with a fixed training/validation split, parsed from the
// bytes of a file, and a small process-wide registry of loaded data sets.
//
// The core never opens files: the native CLI and the JavaScript engine read
// the bytes (web/data/digits.bin) and register the parsed set under a name;
// the config layer looks it up when a problem needs it:
//
//   RegisterDataset(kDigitsDataset, std::make_shared<const Dataset>(ParseDataset(bytes)));
//
// File format (version 1, little-endian, written by scripts/make_digits.py):
//
//   offset       size  field
//   0            8     magic "LRLABDS1"
//   8            4     u32 N  samples
//   12           4     u32 D  features per sample
//   16           4     u32 C  classes (2..256)
//   20           4     u32 T  training samples: rows 0..T−1 train, T..N−1 validation
//   24           4     u32 M  every feature is an integer in [0, M], M in 1..255
//   28           N·D   u8 features, sample after sample
//   28+N·D       N     u8 labels in [0, C)
//   28+N·D+N     4     u32 FNV-1a (32-bit) hash of every byte before it
//
// The split is part of the file, so it never depends on a run's seed.
//
// Version 2 holds real-valued features (a reader's own table, already
// standardised and split by the page: web/src/model/csv.js):
//
//   offset       size  field
//   0            8     magic "LRLABDS2"
//   8            4     u32 N  samples
//   12           4     u32 D  features per sample (1..kMaxTableFeatures)
//   16           4     u32 C  classes (2..256)
//   20           4     u32 T  training samples, as in version 1
//   24           8·N·D f64 features, sample after sample, each finite
//   24+8·N·D     N     u8 labels in [0, C)
//   24+8·N·D+N   4     u32 FNV-1a hash of every byte before it
//
// N·D is at most kMaxTableEntries: the problems build on it at once
// (logistic regression solves it by Newton's method), so it stays small.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lrlab/core/types.hpp"

namespace lrlab {

// The name under which the handwritten-digits set is registered.
inline constexpr const char* kDigitsDataset = "digits";
// The name under which the page registers the reader's own table (version 2).
inline constexpr const char* kLocalDataset = "local";
inline constexpr std::uint64_t kMaxTableFeatures = 100;
inline constexpr std::uint64_t kMaxTableEntries = 500'000;

struct Dataset {
  Matrix features;           // N × D, the stored values (digits: pixel counts 0..16)
  std::vector<int> labels;   // N labels in [0, numClasses)
  int numClasses = 0;
  double featureMax = 0.0;   // M: features lie in [0, M]; dividing by it scales them to [0, 1] (1 for version 2)
  std::vector<int> train;       // row indices of the training samples
  std::vector<int> validation;  // row indices of the held-out samples

  Index NumFeatures() const { return features.cols(); }

  // The listed samples as the columns of a D × rows.size() matrix: the layout
  // the problems compute in (one sample contiguous in column-major storage).
  Matrix SamplesAsColumns(const std::vector<int>& rows) const {
    Matrix out(NumFeatures(), static_cast<Index>(rows.size()));
    for (Index k = 0; k < out.cols(); ++k) out.col(k) = features.row(rows[static_cast<std::size_t>(k)]).transpose();
    return out;
  }

  std::vector<int> LabelsOf(const std::vector<int>& rows) const {
    std::vector<int> out;
    out.reserve(rows.size());
    for (int r : rows) out.push_back(labels[static_cast<std::size_t>(r)]);
    return out;
  }
};

// Parses either version above. Throws std::invalid_argument naming the first
// problem found (wrong magic, size, hash, out-of-range value).
Dataset ParseDataset(std::string_view bytes);

// Registers (or replaces) a data set under `name`; nullptr removes it.
// Thread-safe.
void RegisterDataset(const std::string& name, std::shared_ptr<const Dataset> dataset);

// The data set registered under `name`, or nullptr.
std::shared_ptr<const Dataset> FindDataset(const std::string& name);

}  // namespace lrlab
