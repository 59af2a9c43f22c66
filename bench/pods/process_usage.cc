#include "bench/pods/process_usage.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace berth::bench {
namespace {

// The number after `key` on the first line starting with it, or 0.
int64_t KibField(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) == 0) return std::atoll(line.c_str() + key.size());
  }
  return 0;
}

}  // namespace

MemoryUsage MemoryOf(pid_t pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  return {KibField(proc + "/status", "VmRSS:"),
          KibField(proc + "/smaps_rollup", "Pss:")};
}

double CpuSecondsOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  // The command name may hold spaces and parentheses: fields count from
  // after its last ')'; utime and stime are fields 14 and 15.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  long ticks = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i >= 14) ticks += std::atol(f.c_str());
  }
  return static_cast<double>(ticks) / sysconf(_SC_CLK_TCK);
}

std::vector<pid_t> PidsMentioning(const std::string& needle,
                                  const std::string& also) {
  std::vector<pid_t> out;
  std::error_code ec;
  const pid_t self = getpid();
  for (std::filesystem::directory_iterator it("/proc", ec), end;
       !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() ||
        name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    const pid_t pid = std::atoi(name.c_str());
    if (pid == self) continue;
    std::ifstream in(it->path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), {});
    for (char& c : cmdline) {
      if (c == '\0') c = ' ';
    }
    if (cmdline.find(needle) != std::string::npos &&
        (also.empty() || cmdline.find(also) != std::string::npos)) {
      out.push_back(pid);
    }
  }
  return out;
}

}  // namespace berth::bench
