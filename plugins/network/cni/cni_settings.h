// CniSettings: the `cni` plugin's settings — where the network config list
// comes from (inline `networks`, or the first file of `confDir`, or the
// built-in default), where the plugin binaries are, where results are
// cached, which network namespace is the node's, and how long one plugin
// may run.
//
// Thread safety: values.
#ifndef BERTH_PLUGINS_NETWORK_CNI_CNI_SETTINGS_H_
#define BERTH_PLUGINS_NETWORK_CNI_CNI_SETTINGS_H_

#include <chrono>
#include <string>
#include <vector>

#include "berth/status.h"

namespace berth::cni {

struct CniSettings {
  // A network config list as JSON text (the `networks` setting, given as a
  // mapping or as a JSON string); empty when not given.
  std::string networks_json;
  // A directory of *.conflist / *.conf / *.json files; the first by name is
  // used, read at each SetUp (as kubelet and containerd pick it up late).
  std::string conf_dir;
  // Searched in order for a plugin's `type`; also CNI_PATH.
  std::vector<std::string> bin_dirs = {"/usr/lib/cni", "/opt/cni/bin"};
  // Results are cached under <cacheDir>/results, as libcni does; the default
  // network's host-local keeps its leases under <cacheDir>/networks.
  // Default <data dir>/cni: per server or agent, as its pods are.
  std::string cache_dir;
  // When set, plugins run in this named network namespace
  // (`ip netns exec NAME`): the node's network lives there, not in the
  // agent's own namespace.
  std::string netns_of_node;
  // Sets up `lo` in every pod through the loopback plugin, as its own
  // attachment (network "cni-loopback", interface "lo"), like containerd.
  bool loopback = true;
  // One plugin invocation is killed after this long.
  std::chrono::seconds plugin_timeout{60};
};

// Parses the settings JSON ("{}" gives the defaults). Unknown keys, wrong
// types, both `networks` and `confDir`, or a `networks` that is not a
// valid network config list give Status::Invalid naming the setting.
// The cache defaults to <data_dir>/cni.
StatusOr<CniSettings> ParseCniSettings(const std::string& settings_json,
                                       const std::string& data_dir);

}  // namespace berth::cni

#endif  // BERTH_PLUGINS_NETWORK_CNI_CNI_SETTINGS_H_
