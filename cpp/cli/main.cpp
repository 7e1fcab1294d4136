// lrlab — run a JSON config natively and print the JSON result.
//
//   lrlab run FILE          one run: the history of loss, η, gradient norm, …
//   lrlab sweep FILE        the run repeated over many η ("sweep": {…})
//   lrlab range-test FILE   Smith's LR range test ("range_test": {…})
//   lrlab grid FILE         a 1-D/2-D problem's loss on a grid ("grid": {…})
//   lrlab schema            the config language: every section, name and option
//
// FILE may be - for standard input. Data sets (web/data/*.bin) are read from
// $LRLAB_DATA_DIR, or from the source tree's web/data by default.
// Exit codes: 0 success, 1 usage, I/O or any other error (said on standard
// error, never an abort), 2 invalid config (every problem is printed to
// standard error, one per line).
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "lrlab/core/dataset.hpp"
#include "lrlab/engine/commands.hpp"

namespace {

int Usage() {
  std::cerr << "usage: lrlab COMMAND [FILE]   (FILE may be - for standard input)\n";
  for (const auto& c : lrlab::engine::Commands())
    std::cerr << "  " << c.name << (c.takesConfig ? " FILE" : "") << "\t" << c.summary << "\n";
  return 1;
}

bool ReadAll(const std::string& path, std::string& text) {
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  std::ostringstream buffer;
  buffer << file.rdbuf();
  text = buffer.str();
  return true;
}

// Registers every data set whose file is present; a config that needs a
// missing one gets a config error naming it.
void LoadDatasets() {
  const char* env = std::getenv("LRLAB_DATA_DIR");
  const std::string dir = env && *env ? env : LRLAB_DEFAULT_DATA_DIR;
  for (const char* name : {lrlab::kDigitsDataset}) {
    std::string bytes;
    if (!ReadAll(dir + "/" + name + ".bin", bytes)) continue;
    try {
      lrlab::RegisterDataset(name, std::make_shared<const lrlab::Dataset>(lrlab::ParseDataset(bytes)));
    } catch (const std::exception& e) {
      std::cerr << "lrlab: ignoring " << dir << "/" << name << ".bin: " << e.what() << "\n";
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const lrlab::engine::Command* command = argc >= 2 ? lrlab::engine::FindCommand(argv[1]) : nullptr;
  if (!command || argc != (command->takesConfig ? 3 : 2)) return Usage();
  std::string text;
  if (command->takesConfig) {
    LoadDatasets();
    if (!ReadAll(argv[2], text)) {
      std::cerr << "lrlab: cannot read " << argv[2] << "\n";
      return 1;
    }
  }
  try {
    std::cout << command->run(text).dump() << "\n";
  } catch (const lrlab::config::ConfigError& e) {
    for (const auto& message : e.Messages()) std::cerr << message << "\n";
    return 2;
  } catch (const std::exception& e) {
    // Not expected (every problem with a config is a ConfigError): said, not aborted.
    std::cerr << "lrlab: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
