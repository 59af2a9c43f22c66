// CniNetwork: the `cni` pod network (berth/network.h) — pods attached by
// CNI plugin binaries exactly as a CNI runtime (libcni, containerd) drives
// them: the network config list's plugins ADDed in order, each getting the
// previous one's result as prevResult; the final result cached on disk per
// attachment; CHECK and DEL given the cached result (DEL in reverse order,
// with the config the attachment was made with); DEL after every failed
// ADD. CNI_ARGS carry K8S_POD_NAMESPACE, K8S_POD_NAME,
// K8S_POD_INFRA_CONTAINER_ID and K8S_POD_UID; hostPorts reach plugins that
// declare the portMappings capability as runtimeConfig.portMappings. The
// pod's `lo` is brought up by the loopback plugin as an attachment of its
// own (network "cni-loopback", interface "lo").
//
// Thread safety: calls for different sandboxes may run concurrently (the
// plugins lock what they share, e.g. host-local's leases); calls for one
// sandbox must be serialized by the caller, as network.h says.
#ifndef BERTH_PLUGINS_NETWORK_CNI_CNI_NETWORK_H_
#define BERTH_PLUGINS_NETWORK_CNI_CNI_NETWORK_H_

#include <mutex>
#include <string>
#include <vector>

#include "berth/network.h"
#include "berth/process.h"
#include "cni_invoker.h"
#include "cni_settings.h"
#include "network_config.h"
#include "result_cache.h"

namespace berth::cni {

class CniNetwork : public PodNetwork {
 public:
  // `runner` must outlive the network.
  CniNetwork(CniSettings settings, ProcessRunner& runner);

  std::string Name() const override { return "cni"; }
  // Remembers the node's pod CIDR for the "podCIDR" placeholder; Invalid
  // when it is not an IPv4 or IPv6 CIDR.
  Status SetNodePodCidr(const std::string& cidr) override;
  // ADDs the loopback attachment, then the network's. On failure every
  // plugin that ran is DELeted, and the Status (Internal, or Unavailable
  // while the pod CIDR is unknown) names the plugin, network and pod.
  StatusOr<PodNetworkStatus> SetUp(const PodNetworkRequest& req) override;
  // CHECKs every plugin of every attachment with its cached result.
  // NotFound when the sandbox has no cached attachment.
  Status Check(const PodNetworkRequest& req) override;
  // The addresses of the cached result; NotFound when not attached.
  StatusOr<PodNetworkStatus> Inspect(const PodNetworkRequest& req) override;
  // DELs the network's plugins in reverse order with the cached config and
  // result, then the loopback, and drops the cache. With no cache (SetUp
  // never finished) DEL still runs with the current config, which plugins
  // take as nothing to do when nothing is there; a missing netns is fine.
  // Fails (keeping the cache for a retry) when a plugin's DEL fails.
  Status TearDown(const PodNetworkRequest& req) override;

  // The network config list SetUp would use now, pod CIDR substituted.
  StatusOr<NetworkConfig> CurrentConfig() const;
  const ResultCache& cache() const { return cache_; }

 private:
  struct Attachment {
    NetworkConfig config;
    std::string ifname;
  };

  // The loopback attachment (when enabled) then the network's.
  StatusOr<std::vector<Attachment>> Attachments(
      const PodNetworkRequest& req) const;
  // ADDs every plugin of `a`; on failure DELs those that ran. Returns the
  // final result.
  StatusOr<std::string> AddAttachment(const Attachment& a, const CniRuntime& rt,
                                      const std::string& caps,
                                      const std::string& who) const;
  // DELs plugins [0, count) of `config` in reverse order, going on past a
  // failure; returns the first failure.
  Status DelPlugins(const NetworkConfig& config, size_t count,
                    const CniRuntime& rt, const std::string& caps,
                    const std::string& prev_result,
                    const std::string& who) const;
  // Tears down one attachment: from its cache entries when there are any,
  // else with `current` (when it could be built).
  Status TearDownAttachment(const StatusOr<NetworkConfig>& current,
                            const std::string& ifname,
                            const PodNetworkRequest& req) const;

  const CniSettings settings_;
  const CniInvoker invoker_;
  const ResultCache cache_;
  const NetworkConfig loopback_;
  mutable std::mutex mu_;
  std::string pod_cidr_;  // guarded by mu_
};

// The addresses (without prefix length) a CNI result gives the sandbox's
// interfaces, in result order, for any result version.
std::vector<std::string> ResultIps(const std::string& result_json);

}  // namespace berth::cni

#endif  // BERTH_PLUGINS_NETWORK_CNI_CNI_NETWORK_H_
