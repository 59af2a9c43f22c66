// ClusterDns: the plugin's running parts. It follows Services,
// EndpointSlices and Nodes through the host's shared informers; a sync
// thread rebuilds the ClusterZone the listeners answer from (a burst of
// changes costs one build) and keeps the kube-dns objects pods reach it
// by: the kube-system/kube-dns Service (ClusterIP settings.service_ip,
// ports dns/UDP and dns-tcp/TCP, no selector), created when missing, and
// this node's EndpointSlice for it (`kube-dns-<node>`, managed-by
// dns.berth.io) holding the node's address and the listening port. The
// service proxy then carries 10.96.0.10:53 to one of the nodes' listeners.
//
// Thread safety: Start and Stop from one thread; zone() from any thread.
#ifndef BERTH_PLUGINS_NETWORK_DNS_CLUSTER_DNS_H_
#define BERTH_PLUGINS_NETWORK_DNS_CLUSTER_DNS_H_

#include <memory>
#include <mutex>
#include <string>

#include "berth/host.h"
#include "cluster_zone.h"
#include "dns_responder.h"
#include "dns_server.h"
#include "dns_settings.h"
#include "forward_cache.h"
#include "plugins/common/coalescing_sync.h"
#include "upstream_forwarder.h"

namespace berth::dns {

// The managed-by label value on the EndpointSlices this plugin writes.
inline constexpr const char* kManagedBy = "dns.berth.io";

class ClusterDns {
 public:
  // `host` must outlive this object.
  ClusterDns(Host& host, const DnsSettings& settings);
  ~ClusterDns();

  // Starts the listeners (a failed bind is logged and leaves this node's
  // EndpointSlice out; the zone still follows the cluster), the informers
  // and the sync thread.
  void Start();
  // Stops everything and deletes this node's EndpointSlice.
  void Stop();

  // The zone answered from now; nullptr before the first build.
  std::shared_ptr<const ClusterZone> zone() const;
  // The port the listeners are bound to; 0 when they are not.
  int port() const { return listening_ ? server_->port() : 0; }

 private:
  // Rebuilds the zone; false when the caches are not ready.
  bool BuildZone();
  // Creates or updates the kube-dns Service and this node's slice; false
  // when a write failed (retried later).
  bool SyncKubeDns();
  std::string AdvertiseAddress() const;
  std::string SliceName() const;

  Host& host_;
  const DnsSettings settings_;
  std::unique_ptr<UpstreamForwarder> forwarder_;
  std::unique_ptr<ForwardCache> cache_;
  std::unique_ptr<DnsResponder> responder_;
  std::unique_ptr<DnsServer> server_;
  bool listening_ = false;

  Informer* services_ = nullptr;  // set while started
  Informer* slices_ = nullptr;
  Informer* nodes_ = nullptr;

  mutable std::mutex mu_;
  std::shared_ptr<const ClusterZone> zone_;  // guarded by mu_
  bool slice_written_ = false;               // sync thread only
  std::string service_warning_;              // sync thread only
  std::string slice_failure_;                // sync thread only
  // Last: its thread uses the members above.
  common::CoalescingSync loop_;
};

}  // namespace berth::dns

#endif  // BERTH_PLUGINS_NETWORK_DNS_CLUSTER_DNS_H_
