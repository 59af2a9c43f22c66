// Resource paths: the REST path of a resource, a namespace's collection or
// one object, as Kubernetes lays them out (/api/v1/... for the core group,
// /apis/<group>/<version>/... otherwise).
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_CLIENT_RESOURCE_PATH_H_
#define BERTH_KERNEL_CLIENT_RESOURCE_PATH_H_

#include <string>

#include "berth/client.h"

namespace berth::client {

// "/api/v1/namespaces/default/pods/web/status". `ns` "" leaves out the
// namespace (cluster-scoped kinds, or a list across namespaces); `name` ""
// names the collection. Path segments are percent-encoded.
std::string ResourcePath(const ResourceRef& r, const std::string& ns,
                         const std::string& name = "",
                         const std::string& subresource = "");

// Appends `key=value` (value percent-encoded) to `path` with ? or &.
void AddQuery(std::string* path, const std::string& key,
              const std::string& value);

}  // namespace berth::client

#endif  // BERTH_KERNEL_CLIENT_RESOURCE_PATH_H_
