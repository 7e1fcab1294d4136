// Every schedule against torch.optim.lr_scheduler (PyTorch 1.13): the
// sequences in tests/golden/schedules.json were recorded from real PyTorch
// schedulers by tests/golden/make_schedule_golden.py. Each case is built
// through the config layer, so names, defaults and nesting are checked too.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <string>

#include "test_util.hpp"
#include "lrlab/config/config.hpp"

using namespace lrlab;
using config::Json;

namespace {

// Agreement to 1e-12 relative; exact zeros must be reproduced exactly.
bool Close(double actual, double expected) {
  return std::abs(actual - expected) <= 1e-12 * std::max(std::abs(actual), std::abs(expected));
}

std::string RunConfig(const Json& c) {
  return Json{{"problem", {{"name", "quadratic"}, {"diag", {1.0}}}},
              {"optimizer", c["optimizer"]},
              {"schedule", c["schedule"]},
              {"steps", c["steps"]},
              {"record", {{"params", false}}}}
      .dump();
}

}  // namespace

TEST_CASE("every schedule matches torch.optim.lr_scheduler step by step", "[schedule][golden]") {
  const Json golden = testing::ReadGolden("tests/golden/schedules.json");
  REQUIRE(golden["cases"].size() >= 30);
  for (const Json& c : golden["cases"]) {
    const std::string id = c["id"];
    INFO("case " << id << ": " << c["schedule"].dump());
    const std::string text = RunConfig(c);
    const Json& expectedLr = c["expected_lr"];

    // The η the trainer used at each step, as the CLI and the page see it.
    const Json result = config::RunToJson(text);
    REQUIRE(result["lr"].size() == expectedLr.size());
    for (std::size_t t = 0; t < expectedLr.size(); ++t) {
      const double actual = result["lr"][t], expected = expectedLr[t];
      INFO("t = " << t << ": lrlab " << actual << ", PyTorch " << expected);
      CHECK(Close(actual, expected));
    }

    // Momentum: driven exactly when PyTorch cycles it.
    const Schedule schedule = config::ParseRunConfigText(text).schedule;
    const Json& expectedMomentum = c["expected_momentum"];
    REQUIRE(schedule.HasMomentum() == !expectedMomentum.is_null());
    if (expectedMomentum.is_null()) continue;
    for (std::size_t t = 0; t < expectedMomentum.size(); ++t) {
      const double actual = *schedule.Momentum(static_cast<long>(t)), expected = expectedMomentum[t];
      INFO("t = " << t << ": momentum lrlab " << actual << ", PyTorch " << expected);
      CHECK(Close(actual, expected));
    }
  }
}
