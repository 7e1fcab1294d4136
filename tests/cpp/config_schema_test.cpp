// The published schema against the readers it describes: every name and key
// it lists is accepted and no other, every default it states is the value
// the reader uses, and every range end it states is exactly where the reader
// starts to refuse. A schema that drifted from the readers fails here.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "lrlab/config/config.hpp"
#include "lrlab/core/dataset.hpp"
#include "test_util.hpp"

using namespace lrlab;
using config::ConfigError;
using config::Issue;
using config::Json;

namespace lrlab::testing {
std::shared_ptr<const Dataset> LoadDigitsForTests();  // problems_test.cpp
}

namespace {

const Json& Schema() {
  static const Json schema = config::ConfigSchema();
  return schema;
}

// A section of a config under test: where it sits in the config, how a
// config that holds it is checked, and a config it can be put into.
struct Section {
  std::string path;        // "optimizer", "schedule", "" for the run's own fields
  Json base;               // a valid config the section is inserted into
  Json fields;             // the schema's fields for it
  Json spec;               // the section with its required options filled in
  std::function<std::vector<Issue>(const Json& config)> check;
};

std::vector<Issue> IssuesOf(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const ConfigError& e) {
    return e.Issues();
  }
  return {};
}

std::vector<Issue> RunIssues(const Json& config) {
  return IssuesOf([&] { config::ParseRunConfig(config); });
}

// A valid value for a required field of the schema.
Json RequiredValue(const Json& field) {
  const std::string type = field["type"];
  if (type == "integer") return field["range"]["min"];
  if (type == "number") {
    const Json& r = field["range"];
    if (r["min"].is_null()) return 1.0;
    return r["min_open"].get<bool>() ? r["min"].get<double>() + 1.0 : r["min"].get<double>();
  }
  if (type == "integer_list") return Json::array();
  if (type == "list") return Json::array({{{"name", "constant"}}});
  FAIL("no value for a required " << type);
  return nullptr;
}

Json WithRequired(Json spec, const Json& fields) {
  for (const Json& f : fields)
    if (f["required"].get<bool>() && !spec.contains(f["key"].get<std::string>())) spec[f["key"].get<std::string>()] = RequiredValue(f);
  return spec;
}

const Json kRun = {{"optimizer", {{"name", "sgd"}, {"lr", 0.1}, {"momentum", 0.5}}}, {"steps", 5}};

// Every section the schema describes, each in a config that can hold it;
// with `withRun`, the run's own fields too (path "").
std::vector<Section> Sections(bool withRun = false) {
  lrlab::testing::LoadDigitsForTests();
  const Json& s = Schema();
  std::vector<Section> out;
  for (const auto& [name, kind] : s["problems"].items())
    out.push_back({"problem", kRun, kind["fields"], WithRequired({{"name", name}}, kind["fields"]), RunIssues});
  for (const auto& [name, kind] : s["optimizers"].items())
    out.push_back({"optimizer", kRun, kind["fields"], WithRequired({{"name", name}}, kind["fields"]), RunIssues});
  for (const auto& [name, kind] : s["schedules"].items())
    out.push_back({"schedule", kRun, kind["fields"], WithRequired({{"name", name}}, kind["fields"]), RunIssues});
  out.push_back({"plateau", kRun, s["plateau"]["fields"], Json::object(), RunIssues});
  out.push_back({"record", kRun, s["record"]["fields"], Json::object(), RunIssues});
  out.push_back({"sweep", kRun, s["sweep"]["fields"], Json::object(),
                 [](const Json& c) { return IssuesOf([&] { config::ParseSweepConfig(c); }); }});
  out.push_back({"range_test", kRun, s["range_test"]["fields"], Json::object(),
                 [](const Json& c) { return IssuesOf([&] { config::RangeTestToJson(c.dump()); }); }});
  const Json rosenbrock = {{"problem", {{"name", "rosenbrock"}}}};
  out.push_back({"grid", rosenbrock, s["grid"]["fields"], {{"x", {-1, 1}}, {"y", {-1, 1}}},
                 [](const Json& c) { return IssuesOf([&] { config::GridToJson(c.dump()); }); }});
  if (withRun) out.push_back({"", kRun, s["run"]["fields"], Json::object(), RunIssues});
  return out;
}

// The config with the section's spec in place, one key set to `value`
// (a top-level key when the section is the run itself).
Json ConfigWith(const Section& section, const std::string& key, const Json& value) {
  Json config = section.base;
  Json spec = section.spec;
  if (!key.empty()) spec[key] = value;
  if (section.path.empty()) {
    config.update(spec);
  } else {
    config[section.path] = spec;
  }
  return config;
}

std::string PathOf(const Section& section, const std::string& key) {
  return section.path.empty() ? key : section.path + "." + key;
}

bool AtPath(const Issue& issue, const std::string& path) {
  return issue.path == path || issue.path.rfind(path + "[", 0) == 0;
}

bool HasIssueAt(const std::vector<Issue>& issues, const std::string& path) {
  for (const auto& i : issues)
    if (AtPath(i, path)) return true;
  return false;
}

// The reader's words for a value outside a schema range.
std::string RangeText(const Json& range, bool integer, bool item) {
  const auto end = [&](const char* side, double inf) { return range[side].is_null() ? inf : range[side].get<double>(); };
  const double inf = std::numeric_limits<double>::infinity();
  const config::Range r{end("min", -inf), end("max", inf), range["min_open"].get<bool>(), range["max_open"].get<bool>()};
  if (integer && !item)
    return "must be an integer in [" + std::to_string(static_cast<std::int64_t>(r.lo)) + ", " +
           std::to_string(static_cast<std::int64_t>(r.hi)) + "]";
  return r.Describe();
}

bool HasRangeIssueAt(const std::vector<Issue>& issues, const std::string& path, const std::string& rangeText) {
  for (const auto& i : issues)
    if (AtPath(i, path) && i.message.rfind(rangeText + ", got ", 0) == 0) return true;
  return false;
}

std::string Describe(const std::vector<Issue>& issues) {
  std::string out;
  for (const auto& i : issues) out += "\n  " + i.Text();
  return out;
}

// The values just inside and just outside one end of a range.
struct End {
  double at, inside, outside;
  bool open;
};

std::vector<End> EndsOf(const Json& range, bool integer) {
  std::vector<End> ends;
  const double inf = std::numeric_limits<double>::infinity();
  for (const char* side : {"min", "max"}) {
    if (range[side].is_null()) continue;
    const double at = range[side].get<double>();
    const bool low = std::string(side) == "min";
    const bool open = range[std::string(side) + "_open"].get<bool>();
    const double inward = low ? inf : -inf, outward = -inward;
    if (integer)
      ends.push_back({at, low ? at + 1 : at - 1, low ? at - 1 : at + 1, open});
    else
      ends.push_back({at, std::nextafter(at, inward), std::nextafter(at, outward), open});
  }
  return ends;
}

// A list holding `v` where the field's items go (of the field's length).
Json ListWith(const Json& field, double v) {
  const Json length = field.contains("length") ? field["length"] : Json();
  const std::size_t n = length.is_number() ? length.get<std::size_t>() : 1;
  Json list = Json::array();
  list.push_back(v);
  // The other entries sit well inside: the middle of the item range, or 0.5.
  for (std::size_t i = 1; i < n; ++i) list.push_back(0.5);
  return list;
}

}  // namespace

TEST_CASE("schema: its names are the readers' names, no more and no fewer", "[config][schema]") {
  const Json& s = Schema();
  for (const char* kind : {"problems", "optimizers", "schedules"}) {
    const std::string section = std::string(kind) == "problems"     ? "problem"
                                : std::string(kind) == "optimizers" ? "optimizer"
                                                                    : "schedule";
    std::vector<std::string> names;
    for (const auto& [name, entry] : s[kind].items()) names.push_back(name);
    REQUIRE(!names.empty());
    // An unknown name is refused with the list of accepted ones: the schema's, in order.
    Json config = kRun;
    config[section] = {{"name", "no-such-name"}};
    const auto issues = RunIssues(config);
    REQUIRE(!issues.empty());
    std::string expected;
    for (const auto& n : names) expected += (expected.empty() ? "" : ", ") + n;
    CHECK(issues[0].message == "must be one of " + expected + ", got \"no-such-name\"");
  }
}

TEST_CASE("schema: each section's keys are exactly what its reader accepts", "[config][schema]") {
  for (const Section& section : Sections()) {
    INFO("section " << section.path << " " << section.spec.dump());
    // A valid spec is accepted as it stands.
    const auto valid = section.check(ConfigWith(section, "", nullptr));
    INFO(Describe(valid));
    CHECK(valid.empty());
    // An unknown key is refused, naming the accepted keys: the schema's (and name).
    const auto issues = section.check(ConfigWith(section, "no_such_key", 1));
    std::set<std::string> accepted;
    for (const Json& f : section.fields) accepted.insert(f["key"].get<std::string>());
    if (section.spec.contains("name")) accepted.insert("name");
    std::string expected;
    for (const auto& k : accepted) expected += (expected.empty() ? "" : ", ") + k;
    bool found = false;
    for (const auto& i : issues)
      if (i.path == PathOf(section, "no_such_key")) {
        found = true;
        CHECK(i.message == "unknown option (accepted: " + expected + ")");
      }
    CHECK(found);
  }
}

TEST_CASE("schema: the run's own keys are what the top level accepts", "[config][schema]") {
  std::set<std::string> keys;
  for (const Json& f : Schema()["run"]["fields"]) keys.insert(f["key"].get<std::string>());
  std::string expected;
  for (const auto& k : keys) expected += (expected.empty() ? "" : ", ") + k;
  Json config = kRun;
  config["no_such_key"] = 1;
  CHECK(testing::ConfigErrors(config.dump()) ==
        std::vector<std::string>{"no_such_key: unknown option (accepted: " + expected + ")"});
}

TEST_CASE("schema: every stated default is the value the reader uses", "[config][schema]") {
  int compared = 0;
  for (const Section& section : Sections(/*withRun=*/true)) {
    for (const Json& f : section.fields) {
      const std::string key = f["key"];
      if (f["default"].is_null() || f["type"] == "object") continue;
      INFO(section.path << "." << key << " = " << f["default"].dump());
      const Json implicit = ConfigWith(section, "", nullptr);
      const Json explicit_ = ConfigWith(section, key, f["default"]);
      CHECK(section.check(explicit_).empty());
      if (f["type"] == "choice") {
        const auto& values = f["values"];
        CHECK(std::find(values.begin(), values.end(), f["default"]) != values.end());
      }
      // The same result, bit for bit, with the default left out or written out.
      if (section.path == "sweep") {
        CHECK(config::SweepToJson(implicit.dump()) == config::SweepToJson(explicit_.dump()));
      } else if (section.path == "range_test") {
        CHECK(config::RangeTestToJson(implicit.dump()) == config::RangeTestToJson(explicit_.dump()));
      } else if (section.path == "grid") {
        CHECK(config::GridToJson(implicit.dump()) == config::GridToJson(explicit_.dump()));
      } else {
        Json a = implicit, b = explicit_;
        // Long runs are cut short: the default is compared, not the run.
        for (Json* c : {&a, &b}) (*c)["steps"] = std::min<long>(5, (*c)["steps"].get<long>());
        CHECK(config::RunToJson(a.dump()) == config::RunToJson(b.dump()));
      }
      ++compared;
    }
  }
  CHECK(compared > 80);
}

TEST_CASE("schema: every stated range ends exactly where the reader starts to refuse", "[config][schema]") {
  int ends = 0;
  for (const Section& section : Sections(/*withRun=*/true)) {
    for (const Json& f : section.fields) {
      const std::string key = f["key"], type = f["type"];
      const bool list = type == "number_list" || type == "integer_list";
      const Json range = list ? f["items"]["range"] : f.value("range", Json());
      if (range.is_null() || key == "x0") continue;
      const bool integer = type == "integer" || type == "integer_list";
      const std::string path = PathOf(section, key);
      // A documented extra condition (the field's note) may refuse a value the
      // range accepts; the range check itself must still pass.
      const bool conditional = f.contains("note");
      for (const End& e : EndsOf(range, integer)) {
        const auto value = [&](double v) {
          if (!list) return integer ? Json(static_cast<std::int64_t>(v)) : Json(v);
          Json l = ListWith(f, v);
          if (integer) l = Json::array({static_cast<std::int64_t>(v)});
          return l;
        };
        const auto check = [&](double v) { return section.check(ConfigWith(section, key, value(v))); };
        INFO(path << " at " << e.at << (e.open ? " (open)" : " (closed)"));
        const auto atEnd = check(e.at), outside = check(e.outside), inside = check(e.inside);
        INFO("at the end:" << Describe(atEnd) << "\noutside:" << Describe(outside) << "\ninside:" << Describe(inside));
        const std::string text = RangeText(range, integer, list);
        CHECK(HasRangeIssueAt(outside, path, text));
        CHECK(HasRangeIssueAt(atEnd, path, text) == e.open);
        CHECK_FALSE(HasRangeIssueAt(inside, path, text));
        // Without a documented extra condition, inside the range is valid.
        if (!conditional) {
          CHECK(inside.empty());
          if (!e.open) CHECK(atEnd.empty());
        }
        ++ends;
      }
    }
  }
  CHECK(ends > 60);
}

TEST_CASE("schema: what it says of each kind holds", "[config][schema]") {
  const Json& s = Schema();
  // Momentum: exactly the optimizers a one-cycle schedule may cycle.
  for (const auto& [name, kind] : s["optimizers"].items()) {
    Json config = kRun;
    config["optimizer"] = WithRequired({{"name", name}}, kind["fields"]);
    config["schedule"] = {{"name", "one_cycle"}, {"max_lr", 0.1}, {"total_steps", 10}};
    INFO(name);
    CHECK(RunIssues(config).empty() == kind["momentum"].get<bool>());
  }
  // Schedules that set η: refused by a sweep.
  for (const auto& [name, kind] : s["schedules"].items()) {
    Json config = kRun;
    config["schedule"] = WithRequired({{"name", name}}, kind["fields"]);
    config["sweep"] = {{"lrs", {0.1, 0.2}}};
    INFO(name);
    const auto issues = IssuesOf([&] { config::ParseSweepConfig(config); });
    CHECK(HasIssueAt(issues, "schedule.name") == kind["sets_lr"].get<bool>());
  }
  // Nesting: accepted inside sequential and chained exactly where no reason is given.
  for (const auto& [name, kind] : s["schedules"].items()) {
    for (const char* outer : {"sequential", "chained"}) {
      Json config = kRun;
      config["schedule"] = {{"name", outer},
                            {"schedulers", {WithRequired({{"name", name}}, kind["fields"])}}};
      INFO(name << " inside " << outer);
      const bool refused = HasIssueAt(RunIssues(config), "schedule.schedulers[0].name");
      CHECK(refused == !kind[std::string("not_in_") + outer].is_null());
    }
  }
  // Data sets and minibatches: a run's result says the same.
  lrlab::testing::LoadDigitsForTests();
  for (const auto& [name, kind] : s["problems"].items()) {
    Json config = kRun;
    config["problem"] = {{"name", name}};
    config["steps"] = 1;
    config["eval_every"] = 1;
    const Json r = config::RunToJson(config.dump());
    INFO(name);
    CHECK(r["problem"].contains("n_train") == kind["minibatch"].get<bool>());
    if (kind.contains("defaults")) {
      Json facts = kind["defaults"];
      facts.erase("start");
      CHECK(r["problem"] == facts);
      CHECK(r["params"][0] == kind["defaults"]["start"]);
    }
  }
}

TEST_CASE("schema: the same text every time, and valid JSON", "[config][schema]") {
  CHECK(config::ConfigSchema().dump() == Schema().dump());
  CHECK(Json::parse(Schema().dump()) == Schema());
}
