// NodeLeftovers: what a node (agent, runtime, CNI) whose every file lives
// under one directory can leave on the machine when it stops with pods
// still there, crashes, or loses a deletion: processes whose command line
// names the directory (berth-shim, the pause shims, runc, the server), the
// pods' cgroups in every hierarchy (the cgroupParent of each sandbox record
// under the directory, with the container processes in them), and mounts
// under the directory (overlay roots, bind-mounted pod network namespaces).
// The benchmark counts them after a clean shutdown (a count above zero is a
// bug worth reporting) and removes them in any case, so a failed or
// interrupted run leaves the machine as it was.
//
// Thread safety: free functions; not to be run twice at once for one
// directory.
#ifndef BERTH_BENCH_PODS_NODE_LEFTOVERS_H_
#define BERTH_BENCH_PODS_NODE_LEFTOVERS_H_

#include <string>

namespace berth::bench {

struct Leftovers {
  int processes = 0;
  int cgroups = 0;  // pod cgroup directories, summed over the hierarchies
  int mounts = 0;

  bool none() const { return processes == 0 && cgroups == 0 && mounts == 0; }
  // "2 processes, 18 cgroup dirs, 4 mounts".
  std::string ToString() const;
};

// Counts what is left of the node under `dir` (an absolute path).
Leftovers CountLeftovers(const std::string& dir);

// SIGKILLs the processes (those in the pod cgroups too), removes the pod
// cgroups depth first and lazily unmounts everything under `dir`, in that
// order, retrying for a few seconds while the kernel lets go. Returns what
// was there before; what could not be removed shows in a later
// CountLeftovers.
Leftovers RemoveLeftovers(const std::string& dir);

}  // namespace berth::bench

#endif  // BERTH_BENCH_PODS_NODE_LEFTOVERS_H_
