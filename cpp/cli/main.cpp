// lrlab — run a JSON config natively and print the JSON result.
//
//   lrlab run FILE          one run: the history of loss, η, gradient norm, …
//   lrlab sweep FILE        the run repeated over many η ("sweep": {…})
//   lrlab range-test FILE   Smith's LR range test ("range_test": {…})
//   lrlab grid FILE         a 1-D/2-D problem's loss on a grid ("grid": {…})
//
// FILE may be - for standard input. Data sets (web/data/*.bin) are read from
// $LRLAB_DATA_DIR, or from the source tree's web/data by default.
// Exit codes: 0 success, 1 usage or I/O error, 2 invalid config (every
// problem is printed to standard error, one per line).
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "lrlab/config/config.hpp"
#include "lrlab/core/dataset.hpp"

namespace {

int Usage() {
  std::cerr << "usage: lrlab run|sweep|range-test|grid FILE   (FILE may be - for standard input)\n";
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
  if (argc != 3) return Usage();
  const std::string command = argv[1];
  lrlab::config::Json (*handler)(std::string_view) = nullptr;
  if (command == "run") handler = lrlab::config::RunToJson;
  if (command == "sweep") handler = lrlab::config::SweepToJson;
  if (command == "range-test") handler = lrlab::config::RangeTestToJson;
  if (command == "grid") handler = lrlab::config::GridToJson;
  if (!handler) return Usage();
  LoadDatasets();
  std::string text;
  if (!ReadAll(argv[2], text)) {
    std::cerr << "lrlab: cannot read " << argv[2] << "\n";
    return 1;
  }
  try {
    std::cout << handler(text).dump() << "\n";
  } catch (const lrlab::config::ConfigError& e) {
    for (const auto& message : e.Messages()) std::cerr << message << "\n";
    return 2;
  }
  return 0;
}
