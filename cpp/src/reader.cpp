#include "lrlab/config/reader.hpp"

#include <cmath>
#include <cstdio>

namespace lrlab::config {

namespace {
std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

std::string Describe(const Json& value) {
  if (value.is_string()) return value.dump();
  if (value.is_number()) return FormatNumber(value.get<double>());
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_null()) return "null";
  if (value.is_array()) return "a list";
  return "an object";
}
}  // namespace

ConfigError::ConfigError(std::vector<std::string> messages)
    : std::runtime_error(JoinLines(messages)), messages_(std::move(messages)) {}

void Errors::ThrowIfAny() const {
  if (!messages_.empty()) throw ConfigError(messages_);
}

std::string FormatNumber(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

bool Range::Contains(double v) const {
  if (std::isnan(v)) return false;
  if (loOpen ? !(v > lo) : !(v >= lo)) return false;
  if (hiOpen ? !(v < hi) : !(v <= hi)) return false;
  return true;
}

std::string Range::Describe() const {
  const bool noLo = std::isinf(lo), noHi = std::isinf(hi);
  if (noLo && noHi) return "must be a finite number";
  if (noHi) return std::string("must be ") + (loOpen ? "> " : ">= ") + FormatNumber(lo);
  if (noLo) return std::string("must be ") + (hiOpen ? "< " : "<= ") + FormatNumber(hi);
  return std::string("must be in ") + (loOpen ? "(" : "[") + FormatNumber(lo) + ", " + FormatNumber(hi) +
         (hiOpen ? ")" : "]");
}

ObjectReader::ObjectReader(const Json* object, std::string path, Errors& errors)
    : object_(object), path_(std::move(path)), errors_(errors) {
  if (object_ && !object_->is_object()) {
    errors_.Add(path_.empty() ? "config" : path_, "must be an object, got " + Describe(*object_));
    object_ = nullptr;
  }
}

std::string ObjectReader::PathOf(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

bool ObjectReader::Has(const std::string& key) const { return object_ && object_->contains(key); }

const Json* ObjectReader::Field(const std::string& key) {
  known_.insert(key);
  if (!object_) return nullptr;
  auto it = object_->find(key);
  return it == object_->end() ? nullptr : &*it;
}

double ObjectReader::Number(const std::string& key, double fallback, Range range) {
  const Json* v = Field(key);
  if (!v) return fallback;
  if (!v->is_number()) {
    errors_.Add(PathOf(key), "must be a number, got " + Describe(*v));
    return fallback;
  }
  const double x = v->get<double>();
  if (!std::isfinite(x) || !range.Contains(x)) {
    errors_.Add(PathOf(key), range.Describe() + ", got " + FormatNumber(x));
    return fallback;
  }
  return x;
}

std::optional<double> ObjectReader::RequiredNumber(const std::string& key, Range range) {
  if (!Has(key)) {
    Field(key);
    errors_.Add(PathOf(key), "is required (" + range.Describe() + ")");
    return std::nullopt;
  }
  const double before = std::numeric_limits<double>::quiet_NaN();
  const double x = Number(key, before, range);
  if (std::isnan(x)) return std::nullopt;
  return x;
}

std::int64_t ObjectReader::Integer(const std::string& key, std::int64_t fallback, std::int64_t lo,
                                   std::int64_t hi) {
  const Json* v = Field(key);
  if (!v) return fallback;
  const std::string range = "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  if (!v->is_number()) {
    errors_.Add(PathOf(key), range + ", got " + Describe(*v));
    return fallback;
  }
  const double x = v->get<double>();
  if (!std::isfinite(x) || std::floor(x) != x || x < static_cast<double>(lo) || x > static_cast<double>(hi)) {
    errors_.Add(PathOf(key), range + ", got " + FormatNumber(x));
    return fallback;
  }
  return static_cast<std::int64_t>(x);
}

bool ObjectReader::Boolean(const std::string& key, bool fallback) {
  const Json* v = Field(key);
  if (!v) return fallback;
  if (!v->is_boolean()) {
    errors_.Add(PathOf(key), "must be true or false, got " + Describe(*v));
    return fallback;
  }
  return v->get<bool>();
}

std::string ObjectReader::Choice(const std::string& key, const std::string& fallback,
                                 std::initializer_list<const char*> choices) {
  const Json* v = Field(key);
  if (!v) return fallback;
  std::string accepted;
  for (const char* c : choices) accepted += (accepted.empty() ? "" : ", ") + std::string(c);
  if (v->is_string()) {
    const auto s = v->get<std::string>();
    for (const char* c : choices)
      if (s == c) return s;
  }
  errors_.Add(PathOf(key), "must be one of " + accepted + ", got " + Describe(*v));
  return fallback;
}

std::optional<Vector> ObjectReader::NumberList(const std::string& key, Range range, std::optional<Index> size,
                                               Index maxSize) {
  const Json* v = Field(key);
  if (!v) return std::nullopt;
  const std::string path = PathOf(key);
  if (!v->is_array()) {
    errors_.Add(path, "must be a list of numbers, got " + Describe(*v));
    return std::nullopt;
  }
  const auto n = static_cast<Index>(v->size());
  if (size && n != *size) {
    errors_.Add(path, "must have " + std::to_string(*size) + " entries, got " + std::to_string(n));
    return std::nullopt;
  }
  if (n == 0 || n > maxSize) {
    errors_.Add(path, "must have between 1 and " + std::to_string(maxSize) + " entries, got " + std::to_string(n));
    return std::nullopt;
  }
  Vector out(n);
  bool ok = true;
  for (Index i = 0; i < n; ++i) {
    const Json& item = (*v)[static_cast<std::size_t>(i)];
    const std::string itemPath = path + "[" + std::to_string(i) + "]";
    if (!item.is_number()) {
      errors_.Add(itemPath, "must be a number, got " + Describe(item));
      ok = false;
      continue;
    }
    out[i] = item.get<double>();
    if (!std::isfinite(out[i]) || !range.Contains(out[i])) {
      errors_.Add(itemPath, range.Describe() + ", got " + FormatNumber(out[i]));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<Matrix> ObjectReader::Rows(const std::string& key, Index maxSize) {
  const Json* v = Field(key);
  if (!v) return std::nullopt;
  const std::string path = PathOf(key);
  if (!v->is_array() || v->empty() || static_cast<Index>(v->size()) > maxSize) {
    errors_.Add(path, "must be a list of 1 to " + std::to_string(maxSize) + " rows, got " + Describe(*v));
    return std::nullopt;
  }
  const auto n = static_cast<Index>(v->size());
  Matrix out(n, n);
  bool ok = true;
  for (Index r = 0; r < n; ++r) {
    const Json& row = (*v)[static_cast<std::size_t>(r)];
    const std::string rowPath = path + "[" + std::to_string(r) + "]";
    if (!row.is_array() || static_cast<Index>(row.size()) != n) {
      errors_.Add(rowPath, "must be a list of " + std::to_string(n) + " numbers (A is square)");
      ok = false;
      continue;
    }
    for (Index c = 0; c < n; ++c) {
      const Json& item = row[static_cast<std::size_t>(c)];
      if (!item.is_number() || !std::isfinite(item.get<double>())) {
        errors_.Add(rowPath + "[" + std::to_string(c) + "]", "must be a finite number, got " + Describe(item));
        ok = false;
        continue;
      }
      out(r, c) = item.get<double>();
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

const Json* ObjectReader::Object(const std::string& key) { return Field(key); }

void ObjectReader::RejectUnknownKeys() {
  if (!object_) return;
  std::string accepted;
  for (const auto& k : known_) accepted += (accepted.empty() ? "" : ", ") + k;
  for (const auto& [key, value] : object_->items())
    if (!known_.count(key)) errors_.Add(PathOf(key), "unknown option (accepted: " + accepted + ")");
}

}  // namespace lrlab::config
