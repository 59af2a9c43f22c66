#include "bench/pods/node_leftovers.h"

#include <signal.h>
#include <sys/mount.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "bench/pods/process_usage.h"
#include "berth/json.h"

namespace berth::bench {
namespace {

namespace fs = std::filesystem;

// Mount points of /proc/self/mountinfo with their file system type.
std::vector<std::pair<std::string, std::string>> Mounts() {
  std::vector<std::pair<std::string, std::string>> out;
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);) {
    // id parent major:minor root mount-point options [optional...] - type
    std::istringstream fields(line);
    std::string id, parent, dev, root, point, word;
    fields >> id >> parent >> dev >> root >> point;
    while (fields >> word && word != "-") {
    }
    std::string type;
    fields >> type;
    // Octal escapes (\040 for a space) as the kernel writes them.
    std::string unescaped;
    for (size_t i = 0; i < point.size(); ++i) {
      if (point[i] == '\\' && i + 3 < point.size() &&
          point.find_first_not_of("01234567", i + 1) >= i + 4) {
        unescaped += static_cast<char>(
            std::strtol(point.substr(i + 1, 3).c_str(), nullptr, 8));
        i += 3;
      } else {
        unescaped += point[i];
      }
    }
    out.emplace_back(unescaped, type);
  }
  return out;
}

std::vector<std::string> MountsUnder(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& [point, type] : Mounts()) {
    if (point.rfind(dir + "/", 0) == 0) out.push_back(point);
  }
  return out;
}

std::vector<std::string> CgroupRoots() {
  std::vector<std::string> out;
  for (const auto& [point, type] : Mounts()) {
    if (type == "cgroup" || type == "cgroup2") out.push_back(point);
  }
  return out;
}

// The cgroup paths ("/berth/pod<uid>") the runtimes recorded under `dir`:
// each sandbox's cgroupParent and each container's cgroup. Records sit at
// <runtime root>/<runtime>/{sandboxes,containers}/<id>/, four levels down;
// the walk goes no deeper (container root file systems lie below).
std::set<std::string> RecordedCgroups(const std::string& dir) {
  std::set<std::string> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(
      dir, fs::directory_options::skip_permission_denied, ec);
  for (fs::recursive_directory_iterator end; !ec && it != end;
       it.increment(ec)) {
    if (it.depth() >= 4) it.disable_recursion_pending();
    const std::string name = it->path().filename().string();
    if (name != "sandbox.json" && name != "container.json") continue;
    std::ifstream in(it->path());
    std::string text((std::istreambuf_iterator<char>(in)), {});
    auto doc = ParseJson(text);
    if (!doc.ok()) continue;
    const std::string path =
        GetString(*doc, {name == "sandbox.json" ? "cgroupParent" : "cgroup"});
    // Only what a runtime made for a pod: never a hierarchy's root.
    if (path.size() > 1 && path[0] == '/') out.insert(path);
  }
  return out;
}

// Every existing directory of `paths` in every hierarchy, deepest first.
std::vector<std::string> CgroupDirs(const std::set<std::string>& paths) {
  std::set<std::string> dirs;
  for (const std::string& root : CgroupRoots()) {
    for (const std::string& path : paths) {
      std::error_code ec;
      const fs::path top = root + path;
      if (!fs::is_directory(top, ec)) continue;
      dirs.insert(top.string());
      for (fs::recursive_directory_iterator it(top, ec), end; !ec && it != end;
           it.increment(ec)) {
        if (it->is_directory(ec)) dirs.insert(it->path().string());
      }
    }
  }
  std::vector<std::string> out(dirs.begin(), dirs.end());
  std::sort(out.begin(), out.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() > b.size();
            });
  return out;
}

std::set<pid_t> PidsIn(const std::vector<std::string>& cgroup_dirs) {
  std::set<pid_t> out;
  for (const std::string& d : cgroup_dirs) {
    std::ifstream in(d + "/cgroup.procs");
    for (pid_t pid; in >> pid;) out.insert(pid);
  }
  return out;
}

}  // namespace

std::string Leftovers::ToString() const {
  return std::to_string(processes) + " processes, " + std::to_string(cgroups) +
         " cgroup dirs, " + std::to_string(mounts) + " mounts";
}

Leftovers CountLeftovers(const std::string& dir) {
  Leftovers l;
  const auto cgroup_dirs = CgroupDirs(RecordedCgroups(dir));
  std::set<pid_t> pids = PidsIn(cgroup_dirs);
  for (pid_t pid : PidsMentioning(dir)) pids.insert(pid);
  l.processes = static_cast<int>(pids.size());
  l.cgroups = static_cast<int>(cgroup_dirs.size());
  l.mounts = static_cast<int>(MountsUnder(dir).size());
  return l;
}

Leftovers RemoveLeftovers(const std::string& dir) {
  const Leftovers before = CountLeftovers(dir);
  const std::set<std::string> cgroups = RecordedCgroups(dir);
  // Processes first: a live shim would restart or report what is killed
  // under it, and a busy mount cannot go. Killed processes take a moment
  // to leave their cgroups, hence the rounds.
  for (int round = 0; round < 100; ++round) {
    std::set<pid_t> pids = PidsIn(CgroupDirs(cgroups));
    for (pid_t pid : PidsMentioning(dir)) pids.insert(pid);
    if (pids.empty()) break;
    for (pid_t pid : pids) kill(pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (int round = 0; round < 50; ++round) {
    bool busy = false;
    for (const std::string& d : CgroupDirs(cgroups)) {
      std::error_code ec;
      if (!fs::remove(d, ec) && ec) busy = true;
    }
    if (!busy) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Deepest first; a path mounted twice shows twice and goes in two rounds.
  for (int round = 0; round < 10; ++round) {
    std::vector<std::string> mounts = MountsUnder(dir);
    if (mounts.empty()) break;
    std::sort(mounts.begin(), mounts.end(),
              [](const std::string& a, const std::string& b) {
                return a.size() > b.size();
              });
    for (const std::string& m : mounts) umount2(m.c_str(), MNT_DETACH);
  }
  return before;
}

}  // namespace berth::bench
