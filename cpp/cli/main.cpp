// lrlab — run a JSON config natively and print the JSON result.
//
//   lrlab run FILE      (FILE may be - for standard input)
//
// Exit codes: 0 success, 1 usage or I/O error, 2 invalid config (every
// problem is printed to standard error, one per line).
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "lrlab/config/config.hpp"

namespace {

int Usage() {
  std::cerr << "usage: lrlab run FILE   (FILE may be - for standard input)\n";
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

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return Usage();
  const std::string command = argv[1];
  if (command != "run") return Usage();
  std::string text;
  if (!ReadAll(argv[2], text)) {
    std::cerr << "lrlab: cannot read " << argv[2] << "\n";
    return 1;
  }
  try {
    std::cout << lrlab::config::RunToJson(text).dump() << "\n";
  } catch (const lrlab::config::ConfigError& e) {
    for (const auto& message : e.Messages()) std::cerr << message << "\n";
    return 2;
  }
  return 0;
}
