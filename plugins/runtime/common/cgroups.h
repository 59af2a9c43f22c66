// Cgroups: the machine's cgroup hierarchies as the runtimes use them — a
// pod's cgroup parent and each container's leaf created in every cgroup v1
// hierarchy (or in the one cgroup2 tree on a pure-v2 machine), limits from
// LinuxResources, the OOM-kill count, and removal that kills stragglers.
// Paths are cgroup paths ("/berth/pod<uid>/<container>"), the same in every
// hierarchy, as runc's cgroupsPath.
//
// Thread safety: immutable after Detect(); every method is safe from any
// thread (they only touch the cgroup filesystem).
#ifndef BERTH_PLUGINS_RUNTIME_COMMON_CGROUPS_H_
#define BERTH_PLUGINS_RUNTIME_COMMON_CGROUPS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "berth/runtime.h"
#include "berth/status.h"

namespace berth::runtime {

class Cgroups {
 public:
  // Reads /proc/self/mountinfo. With no cgroup v1 hierarchy mounted, the
  // cgroup2 mount is used as a pure v2 tree; hybrid machines use v1 only
  // (the v2 mount there holds no controllers the runtimes need).
  static Cgroups Detect();

  bool unified() const { return !v2_root_.empty(); }
  // The directory of `path` in each hierarchy.
  std::vector<std::string> Dirs(const std::string& path) const;
  // Dirs plus the cgroup2 directory on a hybrid machine, where runc
  // creates the container's cgroup too.
  std::vector<std::string> AllDirs(const std::string& path) const;
  // The directory of `path` in the hierarchy holding `controller`
  // ("memory"), or "" when no hierarchy has it.
  std::string ControllerDir(const std::string& controller,
                            const std::string& path) const;

  // Creates `path` in every hierarchy (parents too). Internal on failure.
  Status Create(const std::string& path) const;
  // Writes the limits of `r` to `path` (which must exist).
  Status Apply(const std::string& path, const LinuxResources& r) const;
  // Moves `pid` into `path` in every hierarchy.
  Status AddProcess(const std::string& path, int pid) const;
  // Pids in `path` (any hierarchy), including its descendants.
  std::vector<int> Pids(const std::string& path) const;
  // Kills (SIGKILL) every process under `path`, then removes its
  // directories depth first in every hierarchy. Missing: OK. Internal when
  // a directory stays busy.
  Status Remove(const std::string& path) const;
  // How many processes the OOM killer killed in `path` (memory.oom_control
  // `oom_kill`, or memory.events on v2); 0 when unknown.
  int64_t OomKillCount(const std::string& path) const;
  // True when `path` exists in at least one hierarchy.
  bool Exists(const std::string& path) const;

 private:
  struct Hierarchy {
    std::string mount;
    std::vector<std::string> controllers;
  };
  std::vector<Hierarchy> v1_;
  std::string v2_root_;
  std::string hybrid_v2_;  // the cgroup2 mount next to v1 hierarchies
};

}  // namespace berth::runtime

#endif  // BERTH_PLUGINS_RUNTIME_COMMON_CGROUPS_H_
