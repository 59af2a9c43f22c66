#include "kernel/cli/config_file.h"

#include <filesystem>
#include <system_error>
#include <vector>

namespace berth::cli {
namespace {

namespace fs = std::filesystem;

std::string ExeDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "." : exe.parent_path().string();
}

}  // namespace

std::string FindConfigFile(const std::string& file_name) {
  const std::vector<std::string> candidates = {
      "conf/" + file_name, ExeDir() + "/../conf/" + file_name,
      ExeDir() + "/conf/" + file_name,
      std::string(BERTH_SOURCE_CONF_DIR) + "/" + file_name};
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::exists(c, ec)) return c;
  }
  return "";
}

}  // namespace berth::cli
