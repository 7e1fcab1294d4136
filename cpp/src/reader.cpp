#include "lrlab/config/reader.hpp"

#include <cmath>
#include <cstdio>

namespace lrlab::config {

namespace {
std::string JoinTexts(const std::vector<Issue>& issues) {
  std::string out;
  for (const auto& issue : issues) {
    if (!out.empty()) out += '\n';
    out += issue.Text();
  }
  return out;
}

std::string DescribeValue(const Json& value) {
  if (value.is_string()) return value.dump();
  if (value.is_number()) return FormatNumber(value.get<double>());
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_null()) return "null";
  if (value.is_array()) return "a list";
  return "an object";
}

Json IntegerRange(std::int64_t lo, std::int64_t hi) { return {{"min", lo}, {"max", hi}, {"min_open", false}, {"max_open", false}}; }

std::string IntegerRangeText(std::int64_t lo, std::int64_t hi) {
  return "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}
}  // namespace

ConfigError::ConfigError(std::vector<Issue> issues) : std::runtime_error(JoinTexts(issues)), issues_(std::move(issues)) {}

std::vector<std::string> ConfigError::Messages() const {
  std::vector<std::string> out;
  for (const auto& issue : issues_) out.push_back(issue.Text());
  return out;
}

void Schema::Add(const std::string& path, Json field) {
  Json& list = fields_[path];
  if (list.is_null()) list = Json::array();
  for (const auto& f : list)
    if (f["key"] == field["key"]) return;
  list.push_back(std::move(field));
}

Json Schema::Fields(const std::string& path) const {
  const auto it = fields_.find(path);
  return it == fields_.end() ? Json::array() : it->second;
}

void Errors::ThrowIfAny() const {
  if (!issues_.empty()) throw ConfigError(issues_);
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

Json Range::ToJson() const {
  const auto end = [](double v) { return std::isinf(v) ? Json(nullptr) : Json(v); };
  // An infinite end is never reached: open, whatever was written.
  return {{"min", end(lo)}, {"max", end(hi)}, {"min_open", loOpen || std::isinf(lo)}, {"max_open", hiOpen || std::isinf(hi)}};
}

ObjectReader::ObjectReader(const Json* object, std::string path, Errors& errors)
    : object_(errors.Sink() ? nullptr : object), path_(std::move(path)), errors_(errors) {
  if (object_ && !object_->is_object()) {
    errors_.Add(path_.empty() ? "config" : path_, "must be an object, got " + DescribeValue(*object_));
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

void ObjectReader::Describe(const std::string& key, const char* type, Json details, const Doc& doc) {
  Schema* schema = errors_.Sink();
  if (!schema) return;
  Json field{{"key", key}, {"type", type}};
  if (!details.contains("default")) details["default"] = nullptr;
  if (!details.contains("required")) details["required"] = false;
  field.update(details);
  if (!doc.fallback.is_null()) field["default"] = doc.fallback;
  if (!doc.defaultText.empty()) {
    field["default"] = nullptr;
    field["default_text"] = doc.defaultText;
  }
  if (!doc.note.empty()) field["note"] = doc.note;
  if (!doc.when.is_null()) field["when"] = doc.when;
  if (!doc.section.empty()) field["section"] = doc.section;
  if (!doc.length.is_null()) field["length"] = doc.length;
  if (doc.required) field["required"] = true;
  schema->Add(path_, std::move(field));
}

double ObjectReader::Number(const std::string& key, double fallback, Range range, const Doc& doc) {
  Describe(key, "number", {{"default", fallback}, {"range", range.ToJson()}}, doc);
  const Json* v = Field(key);
  if (!v) return fallback;
  if (!v->is_number()) {
    errors_.Add(PathOf(key), "must be a number, got " + DescribeValue(*v));
    return fallback;
  }
  const double x = v->get<double>();
  if (!std::isfinite(x) || !range.Contains(x)) {
    errors_.Add(PathOf(key), range.Describe() + ", got " + FormatNumber(x));
    return fallback;
  }
  return x;
}

std::optional<double> ObjectReader::RequiredNumber(const std::string& key, Range range, const Doc& doc) {
  Describe(key, "number", {{"required", true}, {"range", range.ToJson()}}, doc);
  if (!Has(key)) {
    Field(key);
    errors_.Add(PathOf(key), "is required (" + range.Describe() + ")");
    return std::nullopt;
  }
  const double x = Number(key, std::numeric_limits<double>::quiet_NaN(), range);
  if (std::isnan(x)) return std::nullopt;
  return x;
}

std::int64_t ObjectReader::Integer(const std::string& key, std::int64_t fallback, std::int64_t lo, std::int64_t hi,
                                   const Doc& doc) {
  Describe(key, "integer", {{"default", fallback}, {"range", IntegerRange(lo, hi)}}, doc);
  const Json* v = Field(key);
  if (!v) return fallback;
  const std::string range = "must be " + IntegerRangeText(lo, hi);
  if (!v->is_number()) {
    errors_.Add(PathOf(key), range + ", got " + DescribeValue(*v));
    return fallback;
  }
  const double x = v->get<double>();
  if (!std::isfinite(x) || std::floor(x) != x || x < static_cast<double>(lo) || x > static_cast<double>(hi)) {
    errors_.Add(PathOf(key), range + ", got " + FormatNumber(x));
    return fallback;
  }
  return static_cast<std::int64_t>(x);
}

std::optional<std::int64_t> ObjectReader::RequiredInteger(const std::string& key, std::int64_t lo, std::int64_t hi,
                                                          const Doc& doc) {
  Describe(key, "integer", {{"required", true}, {"range", IntegerRange(lo, hi)}}, doc);
  if (!Has(key)) {
    Field(key);
    errors_.Add(PathOf(key), "is required (" + IntegerRangeText(lo, hi) + ")");
    return std::nullopt;
  }
  return OptionalInteger(key, lo, hi);
}

std::optional<std::int64_t> ObjectReader::OptionalInteger(const std::string& key, std::int64_t lo, std::int64_t hi,
                                                          const Doc& doc) {
  Describe(key, "integer", {{"nullable", true}, {"range", IntegerRange(lo, hi)}}, doc);
  const Json* v = Field(key);
  if (!v || v->is_null()) return std::nullopt;
  // lo - 1 marks an invalid value (already reported); lo is never INT64_MIN here.
  const std::int64_t x = Integer(key, lo - 1, lo, hi);
  if (x < lo) return std::nullopt;
  return x;
}

bool ObjectReader::Boolean(const std::string& key, bool fallback, const Doc& doc) {
  Describe(key, "boolean", {{"default", fallback}}, doc);
  const Json* v = Field(key);
  if (!v) return fallback;
  if (!v->is_boolean()) {
    errors_.Add(PathOf(key), "must be true or false, got " + DescribeValue(*v));
    return fallback;
  }
  return v->get<bool>();
}

std::string ObjectReader::Choice(const std::string& key, const std::string& fallback,
                                 const std::vector<std::string>& choices, const Doc& doc) {
  Describe(key, "choice", {{"default", fallback}, {"values", choices}}, doc);
  const Json* v = Field(key);
  if (!v) return fallback;
  std::string accepted;
  for (const auto& c : choices) accepted += (accepted.empty() ? "" : ", ") + c;
  if (v->is_string()) {
    const auto s = v->get<std::string>();
    for (const auto& c : choices)
      if (s == c) return s;
  }
  errors_.Add(PathOf(key), "must be one of " + accepted + ", got " + DescribeValue(*v));
  return fallback;
}

std::optional<Vector> ObjectReader::NumberList(const std::string& key, Range range, std::optional<Index> size,
                                               Index maxSize, const Doc& doc) {
  Describe(key, "number_list",
           {{"items", {{"range", range.ToJson()}}}, {"length", size ? Json(*size) : Json(nullptr)}, {"max_length", maxSize}},
           doc);
  const Json* v = Field(key);
  if (!v) return std::nullopt;
  const std::string path = PathOf(key);
  if (!v->is_array()) {
    errors_.Add(path, "must be a list of numbers, got " + DescribeValue(*v));
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
      errors_.Add(itemPath, "must be a number, got " + DescribeValue(item));
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

std::optional<std::vector<long>> ObjectReader::IntegerList(const std::string& key, std::int64_t lo, std::int64_t hi,
                                                           Index maxSize, bool required, const Doc& doc) {
  Describe(key, "integer_list",
           {{"required", required}, {"items", {{"range", IntegerRange(lo, hi)}}}, {"increasing", true}, {"max_length", maxSize}},
           doc);
  const Json* v = Field(key);
  const std::string path = PathOf(key);
  if (!v) {
    if (required) errors_.Add(path, "is required (a list of increasing integers >= " + std::to_string(lo) + ")");
    return std::nullopt;
  }
  if (!v->is_array()) {
    errors_.Add(path, "must be a list of numbers, got " + DescribeValue(*v));
    return std::nullopt;
  }
  if (static_cast<Index>(v->size()) > maxSize) {
    errors_.Add(path, "must have at most " + std::to_string(maxSize) + " entries, got " + std::to_string(v->size()));
    return std::nullopt;
  }
  std::vector<long> steps;
  bool ok = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    const std::string itemPath = path + "[" + std::to_string(i) + "]";
    if (!item.is_number()) {
      errors_.Add(itemPath, "must be a number, got " + DescribeValue(item));
      ok = false;
      continue;
    }
    const double x = item.get<double>();
    if (!std::isfinite(x) || x < static_cast<double>(lo) || x > static_cast<double>(hi)) {
      errors_.Add(itemPath, Range::Closed(static_cast<double>(lo), static_cast<double>(hi)).Describe() + ", got " +
                                FormatNumber(x));
      ok = false;
    } else if (std::floor(x) != x) {
      errors_.Add(itemPath, "must be an integer, got " + FormatNumber(x));
      ok = false;
    } else if (!steps.empty() && static_cast<long>(x) <= steps.back()) {
      errors_.Add(itemPath, "must be greater than the previous entry (" + std::to_string(steps.back()) + "), got " +
                                FormatNumber(x));
      ok = false;
    }
    if (std::isfinite(x)) steps.push_back(static_cast<long>(x));
  }
  if (!ok) return std::nullopt;
  return steps;
}

std::optional<Matrix> ObjectReader::Rows(const std::string& key, Index maxSize, const Doc& doc) {
  Describe(key, "matrix", {{"max_size", maxSize}}, doc);
  const Json* v = Field(key);
  if (!v) return std::nullopt;
  const std::string path = PathOf(key);
  if (!v->is_array() || v->empty() || static_cast<Index>(v->size()) > maxSize) {
    errors_.Add(path, "must be a list of 1 to " + std::to_string(maxSize) + " rows, got " + DescribeValue(*v));
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
        errors_.Add(rowPath + "[" + std::to_string(c) + "]", "must be a finite number, got " + DescribeValue(item));
        ok = false;
        continue;
      }
      out(r, c) = item.get<double>();
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

const Json* ObjectReader::Object(const std::string& key, const Doc& doc) {
  Describe(key, "object", {}, doc);
  return Field(key);
}

const Json* ObjectReader::List(const std::string& key, Index minSize, Index maxSize, bool required, const Doc& doc) {
  Describe(key, "list", {{"required", required}, {"min_length", minSize}, {"max_length", maxSize}}, doc);
  const Json* list = Field(key);
  const std::string path = PathOf(key);
  const std::string what = "a list of " + std::to_string(minSize) + " to " + std::to_string(maxSize) + " " +
                           (doc.section.empty() ? "objects" : doc.section);
  if (!list) {
    if (required) errors_.Add(path, "is required (" + what + ")");
    return nullptr;
  }
  const auto n = static_cast<Index>(list->is_array() ? list->size() : 0);
  if (!list->is_array() || n < minSize || n > maxSize) {
    errors_.Add(path, "must be " + what);
    return nullptr;
  }
  return list;
}

void ObjectReader::RejectUnknownKeys() {
  if (!object_) return;
  std::string accepted;
  for (const auto& k : known_) accepted += (accepted.empty() ? "" : ", ") + k;
  for (const auto& [key, value] : object_->items())
    if (!known_.count(key)) errors_.Add(PathOf(key), "unknown option (accepted: " + accepted + ")");
}

}  // namespace lrlab::config
