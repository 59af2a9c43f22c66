// DnsResponder: turns one query into its reply. Names in the cluster zone
// (and reverse names of cluster addresses) are answered from the current
// ClusterZone, authoritatively; everything else goes to the upstream
// resolvers, through the ForwardCache when there is one. A UDP reply never
// exceeds what the query allows (512 bytes,
// or its EDNS0 size): what does not fit is left out and TC set.
//
// Thread safety: Respond may be called from many threads at once.
#ifndef BERTH_PLUGINS_NETWORK_DNS_DNS_RESPONDER_H_
#define BERTH_PLUGINS_NETWORK_DNS_DNS_RESPONDER_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "cluster_zone.h"
#include "forward_cache.h"
#include "upstream_forwarder.h"

namespace berth::dns {

class DnsResponder {
 public:
  using ZoneSource = std::function<std::shared_ptr<const ClusterZone>()>;

  // `zone` gives the zone to answer from (nullptr answers SERVFAIL, as
  // before the first sync); `forwarder` may be nullptr (other names get
  // SERVFAIL) and `cache` nullptr (every such name goes upstream); both
  // must outlive the responder.
  DnsResponder(ZoneSource zone, const UpstreamForwarder* forwarder,
               ForwardCache* cache = nullptr);

  // The reply to `query`, for UDP (size-limited) or TCP; "" when nothing
  // should be sent (not a query, or too short to carry an id).
  std::string Respond(std::string_view query, bool over_udp) const;

 private:
  ZoneSource zone_;
  const UpstreamForwarder* forwarder_;
  ForwardCache* cache_;
};

}  // namespace berth::dns

#endif  // BERTH_PLUGINS_NETWORK_DNS_DNS_RESPONDER_H_
