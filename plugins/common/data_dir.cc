#include "plugins/common/data_dir.h"

#include <cstdlib>

namespace berth {

std::string PluginDataDir() {
  if (const char* env = std::getenv("BERTH_DATA_DIR"); env && *env) return env;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : ".") + "/.berth";
}

}  // namespace berth
