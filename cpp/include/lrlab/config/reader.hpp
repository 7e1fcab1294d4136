#pragma once
// Reading a JSON object field by field with validation. Every problem found is
// recorded with its path and the accepted range, and reading goes on, so one
// pass reports all errors at once:
//   optimizer.betas[1]: must be in [0, 1), got 1.5
//
// The same reader describes what it reads. Given describing Errors
// (Errors::Describing), a reader holds no object: every read returns its
// default, and each field read (key, type, default, accepted range or values,
// and whatever its Doc adds) is written to the Schema under the reader's
// path. Running the very code that reads a section in this mode gives that
// section's schema, so what `lrlab schema` publishes is what the reader
// accepts.
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "lrlab/core/types.hpp"

namespace lrlab::config {

// Objects keep the order their keys were written in: a config's, and the
// schema's (which lists names and fields in the readers' order).
using Json = nlohmann::ordered_json;

// One thing wrong with a config: where (a path like "optimizer.betas[1]") and what.
struct Issue {
  std::string path;
  std::string message;

  std::string Text() const { return path + ": " + message; }
};

// Every issue found in a config; thrown once reading is complete.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<Issue> issues);
  const std::vector<Issue>& Issues() const { return issues_; }
  // "path: message", one per issue.
  std::vector<std::string> Messages() const;

 private:
  std::vector<Issue> issues_;
};

// Fields by the path of the reader that read them ("" is the top level).
class Schema {
 public:
  // Appends a field; a key already recorded at `path` keeps its first record.
  void Add(const std::string& path, Json field);
  // The fields read at `path`, in reading order (an empty list if none).
  Json Fields(const std::string& path) const;
  void Clear() { fields_.clear(); }

 private:
  std::map<std::string, Json> fields_;
};

class Errors {
 public:
  Errors() = default;
  // Errors for describing: nothing is reported, fields go to `schema`.
  static Errors Describing(Schema& schema) {
    Errors e;
    e.schema_ = &schema;
    return e;
  }

  void Add(const std::string& path, const std::string& message) {
    if (!schema_) issues_.push_back({path, message});
  }
  bool Empty() const { return issues_.empty(); }
  // Throws ConfigError when anything was recorded.
  void ThrowIfAny() const;
  // The schema fields go to, or null when reading for real.
  Schema* Sink() const { return schema_; }

 private:
  std::vector<Issue> issues_;
  Schema* schema_ = nullptr;
};

// An interval of accepted numbers, printed in the usual notation.
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool loOpen = false;
  bool hiOpen = false;

  static Range Closed(double lo, double hi) { return {lo, hi, false, false}; }
  static Range ClosedOpen(double lo, double hi) { return {lo, hi, false, true}; }
  static Range OpenClosed(double lo, double hi) { return {lo, hi, true, false}; }
  static Range Open(double lo, double hi) { return {lo, hi, true, true}; }
  static Range AtLeast(double lo) { return {lo, std::numeric_limits<double>::infinity(), false, true}; }
  static Range Positive() { return Open(0.0, std::numeric_limits<double>::infinity()); }
  static Range Any() { return Open(-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()); }

  bool Contains(double v) const;
  std::string Describe() const;
  // {"min", "max", "min_open", "max_open"}; an infinite end is null.
  Json ToJson() const;
};

std::string FormatNumber(double v);

// What the schema says about a field beyond its type, default and range.
// Every member is optional; reading for real ignores them all.
struct Doc {
  Json fallback = {};            // the default to publish, where the read's own fallback stands in for it
  std::string defaultText = {};  // a default that is not one value, in words (published with "default": null)
  std::string note = {};         // further conditions, in words
  Json when = {};                // applies only when sibling keys have these values, e.g. {"mode": "exp_range"}
  std::string section = {};      // an object (or list of objects) another part reads: its key in the schema
  Json length = {};              // a list's required length when it is not a constant, e.g. "dim"
  bool required = false;         // the caller requires it (published as required)
};

// A name for each value of an enumeration, for ObjectReader::Enum.
template <class T>
struct Named {
  const char* name;
  T value;
};

class ObjectReader {
 public:
  // `object` may be null (the field was absent): every read then returns its
  // default. A value that is not an object is reported.
  ObjectReader(const Json* object, std::string path, Errors& errors);

  const std::string& Path() const { return path_; }
  std::string PathOf(const std::string& key) const;
  bool Has(const std::string& key) const;
  // Whether this reader describes instead of reading.
  bool Describing() const { return errors_.Sink() != nullptr; }

  // Each read marks the key as known; defaults are returned for absent or
  // invalid values (the error is recorded).
  double Number(const std::string& key, double fallback, Range range, const Doc& doc = {});
  std::optional<double> RequiredNumber(const std::string& key, Range range, const Doc& doc = {});
  std::int64_t Integer(const std::string& key, std::int64_t fallback, std::int64_t lo, std::int64_t hi,
                       const Doc& doc = {});
  std::optional<std::int64_t> RequiredInteger(const std::string& key, std::int64_t lo, std::int64_t hi,
                                              const Doc& doc = {});
  // An integer that may be absent or null (nullopt then).
  std::optional<std::int64_t> OptionalInteger(const std::string& key, std::int64_t lo, std::int64_t hi,
                                              const Doc& doc = {});
  bool Boolean(const std::string& key, bool fallback, const Doc& doc = {});
  std::string Choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& choices,
                     const Doc& doc = {});
  // One of the names of `names`, as its value.
  template <class T, std::size_t N>
  T Enum(const std::string& key, T fallback, const Named<T> (&names)[N], const Doc& doc = {}) {
    std::vector<std::string> choices;
    std::string fallbackName;
    for (const auto& n : names) {
      choices.emplace_back(n.name);
      if (n.value == fallback) fallbackName = n.name;
    }
    const std::string chosen = Choice(key, fallbackName, choices, doc);
    for (const auto& n : names)
      if (chosen == n.name) return n.value;
    return fallback;
  }
  // A list of numbers, each in `range`; `size` (when given) is the required length.
  std::optional<Vector> NumberList(const std::string& key, Range range, std::optional<Index> size = std::nullopt,
                                   Index maxSize = 1'000'000, const Doc& doc = {});
  // A list of strictly increasing integers in [lo, hi] (may be empty); nullopt
  // when absent (reported when `required`) or invalid.
  std::optional<std::vector<long>> IntegerList(const std::string& key, std::int64_t lo, std::int64_t hi,
                                               Index maxSize, bool required, const Doc& doc = {});
  // A square matrix given as a list of rows.
  std::optional<Matrix> Rows(const std::string& key, Index maxSize, const Doc& doc = {});
  // A nested object (or null when absent); marks the key as known.
  const Json* Object(const std::string& key, const Doc& doc = {});
  // A list of minSize to maxSize objects, each read by another part (doc.section);
  // null when absent (reported when `required`) or not such a list.
  const Json* List(const std::string& key, Index minSize, Index maxSize, bool required, const Doc& doc = {});

  // Records every key that no read asked for, naming the accepted ones.
  void RejectUnknownKeys();

 private:
  const Json* Field(const std::string& key);
  // While describing: records a field of `type` with `details` and `doc`.
  void Describe(const std::string& key, const char* type, Json details, const Doc& doc);

  const Json* object_;
  std::string path_;
  Errors& errors_;
  std::set<std::string> known_;
};

}  // namespace lrlab::config
