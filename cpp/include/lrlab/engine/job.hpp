#pragma once
// One command on one config, computed a piece at a time, so that a caller
// that must stay responsive — the page's Worker — never blocks for long and
// can stop a job between pieces (a superseded or runaway computation).
// Advance(n) does at most n units of work — optimizer steps for run, sweep
// and range-test, grid points for grid — and says whether the job is done;
// Result() is then exactly what the command returns (commands.hpp) for the
// same config, however the work was cut up.
#include <memory>
#include <string_view>
#include <variant>

#include "lrlab/config/config.hpp"

namespace lrlab::engine {

class Job {
 public:
  // Parses the config for `command` ("run", "sweep", "range-test", "grid",
  // "schema"); throws config::ConfigError, or std::invalid_argument for a
  // command there is no such job for.
  Job(std::string_view command, std::string_view configText);
  ~Job();
  Job(Job&&) noexcept;
  Job& operator=(Job&&) noexcept;

  bool Advance(long n);
  bool Done() const;
  // The command's result; requires Done().
  config::Json Result() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace lrlab::engine
