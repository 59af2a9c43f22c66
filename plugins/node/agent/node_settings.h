// NodeSettings: the node agent's `settings:` block from conf/berth.yaml —
// which node it is, which runtime and pod network it drives, where it keeps
// pod directories and logs, and the limits and periods a kubelet takes as
// flags (maxPods, heartbeats, cluster DNS, image GC thresholds).
//
// Thread safety: a value type; ParseNodeSettings is a pure function.
#ifndef BERTH_PLUGINS_NODE_AGENT_NODE_SETTINGS_H_
#define BERTH_PLUGINS_NODE_AGENT_NODE_SETTINGS_H_

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "berth/status.h"

namespace berth::node {

struct NodeSettings {
  std::string node_name;         // default: the host name
  std::string runtime = "runc";  // ContainerRuntime::Name()
  std::string network = "cni";   // PodNetwork::Name(); "none": hostNetwork
  std::string root_dir;          // default: <data dir>/node
  int64_t max_pods = 110;
  // Quantity text per resource ("cpu": "2", "memory": "4Gi") replacing
  // what the host reports.
  std::map<std::string, std::string> capacity;
  std::chrono::seconds heartbeat{10};       // Lease renewal
  std::chrono::seconds status_report{300};  // status re-post when unchanged
  std::vector<std::string> cluster_dns;     // pod resolv.conf nameservers
  std::string cluster_domain = "cluster.local";
  // Image garbage collection (image_gc.h): kubelet's thresholds and
  // minimum age; the period is kubelet's fixed 5 minutes, settable here.
  int image_gc_high_percent = 85;
  int image_gc_low_percent = 80;
  std::chrono::seconds image_minimum_gc_age{120};
  std::chrono::seconds image_gc_period{300};
  int workers = 8;  // pods synced in parallel
  // Container log rotation (kubelet's containerLogMaxSize/MaxFiles).
  int64_t log_max_bytes = 10 << 20;
  int log_max_files = 5;
  // The kubelet port published in the Node's daemonEndpoints: the
  // process's kubelet port when it serves one (Host::kubelet_port), else
  // kubelet's default.
  int kubelet_port = 10250;
  // serveConnectLocally: whether the API server of this process serves
  // this node's pods' logs/exec/attach/port-forward from the agent
  // directly (true) or proxies them to the kubelet port like any remote
  // node's (false; needs `berth server --kubelet-port`).
  bool serve_connect_locally = true;
};

// Parses `settings_json` (the plugin's settings as JSON, "{}" when none).
// `data_dir` fills the default rootDir. Invalid names the bad key.
StatusOr<NodeSettings> ParseNodeSettings(const std::string& settings_json,
                                         const std::string& data_dir);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_AGENT_NODE_SETTINGS_H_
