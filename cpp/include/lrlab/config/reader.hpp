#pragma once
// Reading a JSON object field by field with validation. Every problem found is
// recorded with its path and the accepted range, and reading goes on, so one
// pass reports all errors at once:
//   optimizer.betas[1]: must be in [0, 1), got 1.5
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lrlab/core/types.hpp"

namespace lrlab::config {

using Json = nlohmann::json;

// All messages found in a config; thrown once reading is complete.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> messages);
  const std::vector<std::string>& Messages() const { return messages_; }

 private:
  std::vector<std::string> messages_;
};

class Errors {
 public:
  void Add(const std::string& path, const std::string& message) { messages_.push_back(path + ": " + message); }
  bool Empty() const { return messages_.empty(); }
  // Throws ConfigError when anything was recorded.
  void ThrowIfAny() const;

 private:
  std::vector<std::string> messages_;
};

// An interval of accepted numbers, printed in the usual notation.
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool loOpen = false;
  bool hiOpen = false;

  static Range Closed(double lo, double hi) { return {lo, hi, false, false}; }
  static Range ClosedOpen(double lo, double hi) { return {lo, hi, false, true}; }
  static Range Open(double lo, double hi) { return {lo, hi, true, true}; }
  static Range AtLeast(double lo) { return {lo, std::numeric_limits<double>::infinity(), false, true}; }
  static Range Positive() { return Open(0.0, std::numeric_limits<double>::infinity()); }
  static Range Any() { return Open(-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()); }

  bool Contains(double v) const;
  std::string Describe() const;
};

std::string FormatNumber(double v);

class ObjectReader {
 public:
  // `object` may be null (the field was absent): every read then returns its
  // default. A value that is not an object is reported.
  ObjectReader(const Json* object, std::string path, Errors& errors);

  const std::string& Path() const { return path_; }
  std::string PathOf(const std::string& key) const;
  bool Has(const std::string& key) const;

  // Each read marks the key as known; defaults are returned for absent or
  // invalid values (the error is recorded).
  double Number(const std::string& key, double fallback, Range range);
  std::optional<double> RequiredNumber(const std::string& key, Range range);
  std::int64_t Integer(const std::string& key, std::int64_t fallback, std::int64_t lo, std::int64_t hi);
  bool Boolean(const std::string& key, bool fallback);
  std::string Choice(const std::string& key, const std::string& fallback, std::initializer_list<const char*> choices);
  // A list of numbers, each in `range`; `size` (when given) is the required length.
  std::optional<Vector> NumberList(const std::string& key, Range range, std::optional<Index> size = std::nullopt,
                                   Index maxSize = 1'000'000);
  // A square matrix given as a list of rows.
  std::optional<Matrix> Rows(const std::string& key, Index maxSize);
  // A nested object (or null when absent); marks the key as known.
  const Json* Object(const std::string& key);

  // Records every key that no read asked for, naming the accepted ones.
  void RejectUnknownKeys();

 private:
  const Json* Field(const std::string& key);

  const Json* object_;
  std::string path_;
  Errors& errors_;
  std::set<std::string> known_;
};

}  // namespace lrlab::config
