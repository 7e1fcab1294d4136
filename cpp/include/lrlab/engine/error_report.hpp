#pragma once
// What went wrong in a command, as data for the caller: a config error with
// every issue by path (ConfigError), or any other failure with its message.
// The bindings turn a report into a JavaScript Error with the same fields,
// so the page never parses a message to find the paths.
#include <exception>
#include <string>
#include <vector>

#include "lrlab/config/reader.hpp"

namespace lrlab::engine {

struct ErrorReport {
  std::string name;                   // "ConfigError" or "Error"
  std::string message;                // every issue on its own line, or the failure's message
  std::vector<config::Issue> issues;  // empty unless name is "ConfigError"
};

// The report of the exception being handled (call inside a catch block).
ErrorReport ReportCurrentException();

}  // namespace lrlab::engine
