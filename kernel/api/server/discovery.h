// Discovery: the documents kubectl reads to learn which resources exist —
// aggregated discovery (apidiscovery.k8s.io v2 and v2beta1, which kubectl
// honours only under its exact Content-Type) and the legacy /api, /apis and
// per-group-version APIResourceList. Every document is encoded once, at
// construction, from the kind registry; requests only look them up.
//
// Thread safety: immutable after construction.
#ifndef BERTH_KERNEL_API_SERVER_DISCOVERY_H_
#define BERTH_KERNEL_API_SERVER_DISCOVERY_H_

#include <map>
#include <string>
#include <vector>

#include "berth/kind.h"
#include "kernel/api/server/connect_registry.h"
#include "kernel/api/server/version_priority.h"
#include "kernel/plugin/kind_registry.h"

namespace berth::api {

class Discovery {
 public:
  // `kinds` must stay valid while the Discovery is used.
  // `connect` (may be null) adds the plugins' connect subresources;
  // `handlers` (may be null; must outlive the Discovery) the action
  // subresources plugins serve for kinds they do not own.
  explicit Discovery(std::vector<const Kind*> kinds,
                     const ConnectRegistry* connect = nullptr,
                     const KindRegistry* handlers = nullptr);

  // Aggregated documents for /api (core only) and /apis (the rest), for
  // `version` "v2" or "v2beta1" (anything else is treated as v2beta1).
  const std::string& AggregatedCore(const std::string& version) const;
  const std::string& AggregatedGroups(const std::string& version) const;
  // Legacy documents. ApiVersions names the address the client used.
  std::string ApiVersions(const std::string& server_address) const;
  const std::string& ApiGroupList() const { return group_list_; }
  // /apis/<group>: one APIGroup; "" when the group is unknown.
  const std::string& ApiGroup(const std::string& group) const;
  // /api/v1 or /apis/<group>/<version>; "" when unknown.
  const std::string& ResourceList(const std::string& group,
                                  const std::string& version) const;
  // A hash of the whole discovery state, for ETags.
  const std::string& etag() const { return etag_; }

  static constexpr const char* kAggregatedContentTypeV2 =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
  static constexpr const char* kAggregatedContentTypeV2Beta1 =
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as="
      "APIGroupDiscoveryList";

 private:
  // The kind's own action subresources, then the handlers' for it.
  std::vector<ActionSubresource> Actions(const Kind& kind) const;
  std::string BuildAggregated(bool core, const std::string& version) const;
  std::string BuildApiGroupList() const;
  std::string BuildApiGroup(const std::string& group) const;
  std::string BuildResourceList(const std::string& group,
                                const std::string& version) const;

  // group -> version -> kinds, groups in registration order of first sight.
  std::vector<std::string> group_order_;
  // group -> version (in priority order, preferred last) -> kinds served
  // in it, in their own version or one they are also served in.
  using Versions =
      std::map<std::string, std::vector<const Kind*>, VersionPriorityLess>;
  std::map<std::string, Versions> groups_;
  // The encoded documents.
  std::string core_v2_, core_v2beta1_, groups_v2_, groups_v2beta1_;
  std::string group_list_;
  std::map<std::string, std::string> group_docs_;
  std::map<std::pair<std::string, std::string>, std::string> resource_lists_;
  std::string etag_;
  const ConnectRegistry* connect_ = nullptr;
  const KindRegistry* handlers_ = nullptr;
};

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_DISCOVERY_H_
