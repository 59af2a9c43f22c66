#include "kernel/cli/data_dir.h"

#include <cstdlib>

namespace berth::cli {

std::string DefaultDataDir() {
  if (const char* env = std::getenv("BERTH_DATA_DIR")) return env;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : ".") + "/.berth";
}

}  // namespace berth::cli
