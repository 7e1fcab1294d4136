// Inputs that once broke a command (tests/fuzz/regressions/): each goes
// through every command and must be refused with a ConfigError or give a
// result that keeps its promises (result_promises.hpp) — not abort, not
// hang, not hand a non-finite number to a chart.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "lrlab/config/config.hpp"
#include "lrlab/core/dataset.hpp"
#include "lrlab/engine/commands.hpp"
#include "result_promises.hpp"

using namespace lrlab;

namespace lrlab::testing {
std::shared_ptr<const Dataset> LoadDigitsForTests();  // problems_test.cpp
}

TEST_CASE("fuzz regressions: every input that once broke a command is refused or kept to its promises", "[config][fuzz]") {
  lrlab::testing::LoadDigitsForTests();
  const std::filesystem::path dir = std::filesystem::path(LRLAB_SOURCE_DIR) / "tests/fuzz/regressions";
  int inputs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream file(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    ++inputs;
    for (const auto& command : engine::Commands()) {
      if (!command.takesConfig) continue;
      INFO(entry.path().filename().string() << " through " << command.name);
      try {
        const auto broken = lrlab::testing::BrokenPromises(command.name, command.run(text));
        CHECK(broken == std::vector<std::string>{});
      } catch (const config::ConfigError&) {
        SUCCEED("refused");
      }
    }
  }
  CHECK(inputs >= 4);
}
