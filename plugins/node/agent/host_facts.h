// HostFacts: what the node agent reports about the machine it runs on —
// CPUs, memory, the disk under its root dir, its addresses and the
// nodeInfo identifiers — read from the kernel (sysconf, /proc/meminfo,
// statvfs, uname, /etc/machine-id) the way the kubelet's cadvisor does.
//
// Thread safety: ReadHostFacts is safe from any thread; HostFacts is a value.
#ifndef BERTH_PLUGINS_NODE_AGENT_HOST_FACTS_H_
#define BERTH_PLUGINS_NODE_AGENT_HOST_FACTS_H_

#include <cstdint>
#include <string>

namespace berth::node {

struct HostFacts {
  int64_t cpus = 1;
  int64_t memory_bytes = 0;      // MemTotal
  int64_t memory_available = 0;  // MemAvailable
  int64_t ephemeral_bytes = 0;   // size of the filesystem of root_dir
  int64_t ephemeral_available = 0;
  std::string hostname;
  std::string internal_ip;  // first non-loopback IPv4, else 127.0.0.1
  std::string kernel_version;
  std::string os_image;  // PRETTY_NAME of /etc/os-release
  std::string machine_id;
  std::string boot_id;
};

// Reads the facts now. Missing sources leave their defaults; never fails.
HostFacts ReadHostFacts(const std::string& root_dir);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_HOST_FACTS_H_
