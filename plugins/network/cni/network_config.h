// NetworkConfig: a CNI network configuration list (CNI spec 1.0.0,
// "Configuration format"): its name, cniVersion and plugins, and the one
// config each plugin reads on stdin (the list's name and cniVersion, its
// prevResult and the runtimeConfig of the capabilities it declares), built
// as libcni builds it. A single-plugin .conf is a list of one, as libcni's
// ConfListFromConf makes it. The node's pod CIDR is written into IPAM
// ranges where a config says "podCIDR".
//
// Thread safety: values and pure functions.
#ifndef BERTH_PLUGINS_NETWORK_CNI_NETWORK_CONFIG_H_
#define BERTH_PLUGINS_NETWORK_CNI_NETWORK_CONFIG_H_

#include <string>
#include <string_view>
#include <vector>

#include "berth/status.h"

namespace berth::cni {

// The value of an IPAM `subnet` (in `ipam.ranges[][]` or `ipam.subnet`)
// that stands for the node's pod CIDR (SetNodePodCidr).
inline constexpr const char kPodCidrPlaceholder[] = "podCIDR";

struct NetworkConfig {
  std::string name;
  std::string cni_version;  // as written; "" reads as 0.1.0
  bool disable_check = false;
  std::vector<std::string> plugin_types;  // in ADD order
  std::string json;  // the list, compact JSON: what the cache keeps
};

// Parses a network config list, or a single plugin's config. `source`
// names where it came from, for messages. Invalid when the text is not a
// JSON object, has no name, no plugins, or a plugin without a plain
// `type` (no '/': it names a binary in the bin dirs).
StatusOr<NetworkConfig> ParseNetworkConfig(std::string_view text,
                                           const std::string& source);

// The first of `dir`'s *.conflist, *.conf and *.json files by name,
// parsed. NotFound when there is none (or the directory is missing);
// Invalid when that file is not a valid config.
StatusOr<NetworkConfig> LoadNetworkConfigDir(const std::string& dir);

// The list used when no settings name one: network "berth", a bridge
// "cni0" that is the pods' gateway and masquerades their traffic leaving
// the pod CIDR, host-local addresses from the node's pod CIDR (leases
// under `ipam_data_dir`), and portmap for hostPorts.
std::string DefaultNetworkConfig(const std::string& ipam_data_dir);

// The loopback plugin alone, network "cni-loopback".
std::string LoopbackNetworkConfig();

// `config` with every IPAM subnet "podCIDR" replaced by `pod_cidr`.
// Unavailable when the config has the placeholder and `pod_cidr` is empty
// (the node has no spec.podCIDR yet).
StatusOr<NetworkConfig> SubstitutePodCidr(const NetworkConfig& config,
                                          const std::string& pod_cidr);

// What plugin `index` of `config` reads on stdin: its own object plus the
// list's `name` and `cniVersion`, `prevResult` when `prev_result_json` is
// not empty, and `runtimeConfig` holding each capability the plugin
// declares true in `capabilities` and `capability_args_json` (an object)
// has. Internal when the inputs are not valid JSON.
StatusOr<std::string> PluginStdin(const NetworkConfig& config, size_t index,
                                  const std::string& prev_result_json,
                                  const std::string& capability_args_json);

// Compares dotted versions ("0.4.0" < "1.0.0"); "" reads as "0.1.0".
int CompareCniVersions(std::string_view a, std::string_view b);

}  // namespace berth::cni

#endif  // BERTH_PLUGINS_NETWORK_CNI_NETWORK_CONFIG_H_
