// SimSettings: the `sim` plugin's settings — the groups of simulated nodes
// to register (count, name prefix, capacity, labels, taints), how often
// they heartbeat, how long run-to-completion pods run, the pod address
// range — and the flat list of nodes they describe.
//
// Thread safety: values.
#ifndef BERTH_PLUGINS_RUNTIME_SIM_SIM_SETTINGS_H_
#define BERTH_PLUGINS_RUNTIME_SIM_SIM_SETTINGS_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "berth/status.h"

namespace berth::sim {

struct NodeGroup {
  int count = 3;
  std::string name_prefix = "sim-";
  // Resource name -> quantity text, in a fixed order.
  std::vector<std::pair<std::string, std::string>> capacity = {
      {"cpu", "8"},
      {"ephemeral-storage", "100Gi"},
      {"memory", "32Gi"},
      {"pods", "110"}};
  std::vector<std::pair<std::string, std::string>> labels;
  std::string taints_json = "[]";  // spec.taints as given
};

// One node to register, numbered across groups.
struct SimNodeSpec {
  std::string name;
  size_t index = 0;  // position across all groups: picks its addresses
  const NodeGroup* group = nullptr;
  uint32_t pod_cidr = 0;  // network of its /24, host order
  uint32_t node_ip = 0;
};

struct SimSettings {
  std::vector<NodeGroup> groups = {NodeGroup{}};
  // Lease renewal period (kubelet: 10s, a quarter of the lease duration).
  std::chrono::seconds heartbeat{10};
  // How often node status is posted when nothing changed (kubelet's
  // nodeStatusReportFrequency).
  std::chrono::seconds status_report{300};
  // How long a pod with restartPolicy Never/OnFailure runs.
  int64_t pod_run_seconds = 1;
  // Each node gets a /24 of this range as spec.podCIDR, in order.
  std::string cluster_cidr = "10.128.0.0/9";
  uint32_t cluster_network = 0x0a800000;
  int cluster_prefix = 9;
  // Threads writing pod status and registering nodes.
  int workers = 8;

  // The nodes of every group, named <namePrefix><i> (i from 0 in each
  // group).
  std::vector<SimNodeSpec> Nodes() const;
};

// Parses the settings JSON ("{}" gives the defaults). Invalid values, two
// nodes with one name, or more nodes than clusterCIDR has /24s give
// Status::Invalid naming the setting.
StatusOr<SimSettings> ParseSimSettings(const std::string& settings_json);

std::string FormatIpv4(uint32_t ip);

}  // namespace berth::sim

#endif  // BERTH_PLUGINS_RUNTIME_SIM_SIM_SETTINGS_H_
