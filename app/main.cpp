#include "config/loader.hpp"

#include <iostream>

int main(int argc, char** argv) {
  std::optional<std::string> file;
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--config" && i + 1 < argc) file = argv[++i];
  auto r = vpnbot::config::load(file, vpnbot::config::process_environment());
  for (auto& e : r.errors) std::cerr << e << "\n";
  std::cout << vpnbot::config::describe(r.value);
  return r.ok() ? 0 : 2;
}
