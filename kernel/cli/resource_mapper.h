// ResourceMapper: resolves what a user types or a manifest says to a
// resource the server serves, from the server's discovery documents:
// apiVersion + kind (manifests) or a plural, singular, kind or short name,
// optionally qualified by group ("deployments.apps"), as `kubectl get`
// accepts them.
//
// Thread safety: immutable after construction; safe to share.
#ifndef BERTH_KERNEL_CLI_RESOURCE_MAPPER_H_
#define BERTH_KERNEL_CLI_RESOURCE_MAPPER_H_

#include <string>
#include <vector>

#include "kernel/client/discovery_client.h"

namespace berth::cli {

class ResourceMapper {
 public:
  explicit ResourceMapper(std::vector<client::ApiResource> resources);

  // The resource serving `kind` in `api_version` ("v1", "apps/v1"), or
  // nullptr when the server has none.
  const client::ApiResource* ForKind(const std::string& api_version,
                                     const std::string& kind) const;

  // The resource `name` means ("po", "pods", "pod", "Pod",
  // "deployments.apps"), case-insensitively; the core group and preferred
  // versions win over other matches. nullptr when nothing matches.
  const client::ApiResource* ForName(const std::string& name) const;

 private:
  std::vector<client::ApiResource> resources_;
};

// kubectl's name for a resource's objects: "configmap", "deployment.apps".
std::string KindPrefix(const client::ApiResource& r);

// "pods", "deployments.apps": the resource as error messages name it.
std::string QualifiedResource(const client::ApiResource& r);

}  // namespace berth::cli

#endif  // BERTH_KERNEL_CLI_RESOURCE_MAPPER_H_
