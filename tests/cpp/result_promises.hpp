#pragma once
// What a command's result promises about its numbers, checked: before a run
// diverged (and everywhere when it did not) loss, lr, grad_norm and val_loss
// are numbers, never null (non-finite); a sweep's final, best and validation
// losses are numbers for every η that did not diverge; a range test's losses
// are numbers before it stopped. Used by the Catch2 regression test and the
// fuzz target (cpp/fuzz/fuzz_commands.cpp); no Catch2 here.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lrlab/config/config.hpp"

namespace lrlab::testing {

// The broken promises of `result`, a result of `command`; empty when it keeps them.
inline std::vector<std::string> BrokenPromises(std::string_view command, const config::Json& result) {
  using config::Json;
  std::vector<std::string> broken;
  const auto numbersBefore = [&](const char* key, std::size_t until) {
    if (!result.contains(key) || !result[key].is_array()) {
      broken.push_back(std::string(key) + " is missing");
      return;
    }
    const Json& list = result[key];
    for (std::size_t i = 0; i < list.size() && i < until; ++i)
      if (!list[i].is_number()) broken.push_back(std::string(key) + "[" + std::to_string(i) + "] is " + list[i].dump());
  };
  const auto until = [&](const char* key) {
    const Json& v = result.contains(key) ? result[key] : Json();
    return v.is_number() ? v.get<std::size_t>() : SIZE_MAX;
  };
  if (command == "run") {
    numbersBefore("loss", until("diverged_at"));
    numbersBefore("grad_norm", until("diverged_at"));
    numbersBefore("lr", until("diverged_at"));
    numbersBefore("val_loss", SIZE_MAX);
  } else if (command == "sweep") {
    const Json& diverged = result.contains("diverged_at") ? result["diverged_at"] : Json::array();
    for (std::size_t i = 0; i < diverged.size(); ++i) {
      if (!diverged[i].is_null()) continue;
      for (const char* key : {"final_loss", "best_loss", "final_val_loss"})
        if (!result.contains(key) || i >= result[key].size() || !result[key][i].is_number())
          broken.push_back(std::string(key) + "[" + std::to_string(i) + "] is not a number");
    }
  } else if (command == "range-test") {
    numbersBefore("loss", until("stopped_at"));
    numbersBefore("smoothed", until("stopped_at"));
  }
  return broken;
}

}  // namespace lrlab::testing
