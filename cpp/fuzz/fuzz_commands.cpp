// A libFuzzer target (clang -fsanitize=fuzzer,address,undefined): the input
// is a config's text, and it goes through every command that takes one (run,
// sweep, range-test, grid), as the CLI and the page would send it. Each must
// either return a result that keeps the result's promises or refuse the
// config with a ConfigError, and the same command as a job computed in small
// pieces (the page's Worker) must give the very same result. Any other
// exception, a crash, a sanitizer report, a broken promise or a differing
// job (abort), or a run past libFuzzer's -timeout is a finding.
//
// The promises are tests/cpp/result_promises.hpp's (the regression test's too).
//
// The limits are smaller than the CLI's (a run the fuzzer tries costs at most
// ~0.05 s), so it explores instead of waiting; the digits data set is loaded
// so the data problems are reached. scripts/fuzz.mjs runs it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

#include "lrlab/config/config.hpp"
#include "lrlab/core/dataset.hpp"
#include "lrlab/engine/commands.hpp"
#include "lrlab/engine/job.hpp"
#include "../../tests/cpp/result_promises.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  lrlab::config::SetLimits({.work = 1e8, .recorded = 1e6});
  std::ifstream file(LRLAB_SOURCE_DIR "/web/data/digits.bin", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  lrlab::RegisterDataset(lrlab::kDigitsDataset, std::make_shared<const lrlab::Dataset>(lrlab::ParseDataset(bytes)));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& command : lrlab::engine::Commands()) {
    if (!command.takesConfig) continue;
    try {
      const lrlab::config::Json result = command.run(text);
      for (const auto& broken : lrlab::testing::BrokenPromises(command.name, result)) {
        std::fprintf(stderr, "lrlab_fuzz: %s broke a promise: %s\n", command.name, broken.c_str());
        std::abort();
      }
      lrlab::engine::Job job(command.name, text);
      while (!job.Advance(7)) {
      }
      if (job.Result() != result) {
        std::fprintf(stderr, "lrlab_fuzz: %s in pieces gave another result\n", command.name);
        std::abort();
      }
    } catch (const lrlab::config::ConfigError&) {
      // A refused config: what should happen to most inputs.
    }
  }
  return 0;
}
