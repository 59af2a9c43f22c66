#include "kernel/cli/extensions.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <set>

namespace berth::cli {
namespace fs = std::filesystem;

namespace {

constexpr char kPrefix[] = "berth-";

// The berth binary's directory first, then $PATH's.
std::vector<std::string> SearchDirs() {
  std::vector<std::string> dirs;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back(self.parent_path().string());
  if (const char* path = std::getenv("PATH")) {
    std::string p = path;
    size_t start = 0;
    while (start <= p.size()) {
      size_t end = p.find(':', start);
      if (end == std::string::npos) end = p.size();
      if (end > start) dirs.push_back(p.substr(start, end - start));
      start = end + 1;
    }
  }
  return dirs;
}

bool IsExecutableFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0;
}

}  // namespace

std::optional<std::string> FindExtension(const std::string& word) {
  if (word.empty() || word.find('/') != std::string::npos) return std::nullopt;
  for (const auto& dir : SearchDirs()) {
    fs::path p = fs::path(dir) / (kPrefix + word);
    if (IsExecutableFile(p)) return p.string();
  }
  return std::nullopt;
}

std::vector<std::string> ListExtensions() {
  std::set<std::string> words;
  for (const auto& dir : SearchDirs()) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      std::string name = e.path().filename().string();
      if (name.rfind(kPrefix, 0) == 0 && name.size() > sizeof(kPrefix) - 1 &&
          IsExecutableFile(e.path())) {
        words.insert(name.substr(sizeof(kPrefix) - 1));
      }
    }
  }
  return {words.begin(), words.end()};
}

int ExecExtension(const std::string& path,
                  const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(path.c_str(), argv.data());
  std::cerr << "berth: cannot run " << path << ": " << std::strerror(errno)
            << "\n";
  return 126;
}

}  // namespace berth::cli
