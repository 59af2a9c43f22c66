#include "cgroups.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "files.h"

namespace berth::runtime {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

Status WriteValue(const std::string& file, const std::string& value) {
  std::ofstream out(file);
  if (!out) {
    return Status::Internal("cannot open " + file + ": " + strerror(errno));
  }
  out << value;
  out.flush();
  if (!out) {
    return Status::Internal("cannot write '" + value + "' to " + file + ": " +
                            strerror(errno));
  }
  return Status::Ok();
}

void CollectPids(const fs::path& dir, std::vector<int>& pids) {
  std::ifstream in(dir / "cgroup.procs");
  int pid = 0;
  while (in >> pid) pids.push_back(pid);
  std::error_code ec;
  for (auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_directory(ec)) CollectPids(e.path(), pids);
  }
}

// Removes `dir` and its sub-directories, deepest first (cgroup dirs are
// removed with rmdir; their control files go with them).
bool RemoveTree(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  for (auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_directory(ec)) RemoveTree(e.path());
  }
  return rmdir(dir.c_str()) == 0 || errno == ENOENT;
}

}  // namespace

Cgroups Cgroups::Detect() {
  Cgroups c;
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  std::string v2;
  while (std::getline(in, line)) {
    // "... mountpoint opts ... - fstype source superopts"
    auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    auto left = Split(line.substr(0, dash), ' ');
    auto right = Split(line.substr(dash + 3), ' ');
    if (left.size() < 5 || right.size() < 3) continue;
    const std::string& mount = left[4];
    if (right[0] == "cgroup2") {
      if (v2.empty()) v2 = mount;
      continue;
    }
    if (right[0] != "cgroup") continue;
    Hierarchy h;
    h.mount = mount;
    for (const auto& opt : Split(right[2], ',')) {
      if (opt == "rw" || opt == "ro" || opt.empty()) continue;
      h.controllers.push_back(opt);
    }
    bool seen = false;
    for (const auto& existing : c.v1_) {
      if (existing.controllers == h.controllers) seen = true;
    }
    if (!seen) c.v1_.push_back(std::move(h));
  }
  if (c.v1_.empty()) {
    c.v2_root_ = v2.empty() ? "/sys/fs/cgroup" : v2;
  } else {
    c.hybrid_v2_ = v2;
  }
  return c;
}

std::vector<std::string> Cgroups::Dirs(const std::string& path) const {
  std::vector<std::string> out;
  if (unified()) {
    out.push_back(v2_root_ + path);
    return out;
  }
  for (const auto& h : v1_) out.push_back(h.mount + path);
  return out;
}

std::vector<std::string> Cgroups::AllDirs(const std::string& path) const {
  std::vector<std::string> out = Dirs(path);
  if (!hybrid_v2_.empty()) out.push_back(hybrid_v2_ + path);
  return out;
}

std::string Cgroups::ControllerDir(const std::string& controller,
                                   const std::string& path) const {
  if (unified()) return v2_root_ + path;
  for (const auto& h : v1_) {
    if (std::find(h.controllers.begin(), h.controllers.end(), controller) !=
        h.controllers.end()) {
      return h.mount + path;
    }
  }
  return "";
}

Status Cgroups::Create(const std::string& path) const {
  if (unified()) {
    // Enable the controllers on the way down so the leaf has their files.
    fs::path cur = v2_root_;
    for (const auto& part : Split(path, '/')) {
      if (part.empty()) continue;
      (void)WriteValue((cur / "cgroup.subtree_control").string(),
                       "+cpu +memory +pids");
      cur /= part;
      std::error_code ec;
      fs::create_directory(cur, ec);
      if (ec) {
        return Status::Internal("cannot create cgroup " + cur.string() + ": " +
                                ec.message());
      }
    }
    return Status::Ok();
  }
  for (const auto& h : v1_) {
    bool cpuset = std::find(h.controllers.begin(), h.controllers.end(),
                            "cpuset") != h.controllers.end();
    fs::path cur = h.mount;
    for (const auto& part : Split(path, '/')) {
      if (part.empty()) continue;
      fs::path parent = cur;
      cur /= part;
      std::error_code ec;
      if (fs::exists(cur, ec)) continue;
      fs::create_directory(cur, ec);
      if (ec) {
        return Status::Internal("cannot create cgroup " + cur.string() + ": " +
                                ec.message());
      }
      // A new cpuset has no cpus or mems, and takes no process until it
      // has: inherit the parent's.
      if (cpuset) {
        for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
          auto value = ReadFile((parent / file).string());
          if (value.ok()) (void)WriteValue((cur / file).string(), *value);
        }
      }
    }
  }
  return Status::Ok();
}

Status Cgroups::Apply(const std::string& path, const LinuxResources& r) const {
  auto write = [&](const std::string& controller, const std::string& file,
                   const std::string& value) -> Status {
    std::string dir = ControllerDir(controller, path);
    if (dir.empty()) return Status::Ok();  // controller not on this machine
    return WriteValue(dir + "/" + file, value);
  };
  Status s;
  if (unified()) {
    int64_t shares = std::max<int64_t>(2, r.cpu_shares);
    int64_t weight = 1 + ((shares - 2) * 9999) / 262142;
    s = write("cpu", "cpu.weight", std::to_string(weight));
    if (!s.ok()) return s;
    s = write("cpu", "cpu.max",
              (r.cpu_quota_us > 0 ? std::to_string(r.cpu_quota_us) : "max") +
                  std::string(" ") + std::to_string(r.cpu_period_us));
    if (!s.ok()) return s;
    s = write("memory", "memory.max",
              r.memory_limit_bytes > 0 ? std::to_string(r.memory_limit_bytes)
                                       : "max");
    if (!s.ok()) return s;
    return write("pids", "pids.max",
                 r.pids_limit > 0 ? std::to_string(r.pids_limit) : "max");
  }
  s = write("cpu", "cpu.shares",
            std::to_string(std::max<int64_t>(2, r.cpu_shares)));
  if (!s.ok()) return s;
  if (r.cpu_period_us > 0) {
    s = write("cpu", "cpu.cfs_period_us", std::to_string(r.cpu_period_us));
    if (!s.ok()) return s;
  }
  s = write("cpu", "cpu.cfs_quota_us",
            r.cpu_quota_us > 0 ? std::to_string(r.cpu_quota_us) : "-1");
  if (!s.ok()) return s;
  s = write(
      "memory", "memory.limit_in_bytes",
      r.memory_limit_bytes > 0 ? std::to_string(r.memory_limit_bytes) : "-1");
  if (!s.ok()) return s;
  return write("pids", "pids.max",
               r.pids_limit > 0 ? std::to_string(r.pids_limit) : "max");
}

Status Cgroups::AddProcess(const std::string& path, int pid) const {
  for (const auto& dir : Dirs(path)) {
    Status s = WriteValue(dir + "/cgroup.procs", std::to_string(pid));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

std::vector<int> Cgroups::Pids(const std::string& path) const {
  std::vector<int> pids;
  for (const auto& dir : AllDirs(path)) {
    std::error_code ec;
    if (fs::exists(dir, ec)) CollectPids(dir, pids);
  }
  std::sort(pids.begin(), pids.end());
  pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
  return pids;
}

Status Cgroups::Remove(const std::string& path) const {
  if (path.empty() || path == "/") {
    return Status::Invalid("refusing to remove the root cgroup");
  }
  for (int attempt = 0; attempt < 100; ++attempt) {
    for (int pid : Pids(path)) kill(pid, SIGKILL);
    bool all = true;
    for (const auto& dir : AllDirs(path)) all = RemoveTree(dir) && all;
    if (all) return Status::Ok();
    // Killed processes leave their cgroup only once they are reaped.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status::Internal("cgroup " + path + " stays busy");
}

int64_t Cgroups::OomKillCount(const std::string& path) const {
  std::string dir = ControllerDir("memory", path);
  if (dir.empty()) return 0;
  std::ifstream in(dir +
                   (unified() ? "/memory.events" : "/memory.oom_control"));
  std::string key;
  int64_t value = 0;
  while (in >> key >> value) {
    if (key == "oom_kill") return value;
  }
  return 0;
}

bool Cgroups::Exists(const std::string& path) const {
  for (const auto& dir : AllDirs(path)) {
    std::error_code ec;
    if (fs::exists(dir, ec)) return true;
  }
  return false;
}

}  // namespace berth::runtime
