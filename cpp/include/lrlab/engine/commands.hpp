#pragma once
// The engine's commands by name: what `lrlab <command> FILE` prints and what
// the WebAssembly module's command(name, config) returns, for the same
// config text. The CLI and the bindings both dispatch through this table.
#include <span>
#include <string_view>

#include "lrlab/config/config.hpp"

namespace lrlab::engine {

struct Command {
  const char* name;
  const char* summary;
  bool takesConfig;  // false: the command ignores its config (schema)
  config::Json (*run)(std::string_view configText);
};

std::span<const Command> Commands();
const Command* FindCommand(std::string_view name);

}  // namespace lrlab::engine
