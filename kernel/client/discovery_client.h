// Discovery from a remote server: every resource the API server serves, as
// /api/v1, /apis and each group version's APIResourceList describe it,
// with what a CLI needs to resolve names (singular, short names, kind).
//
// Thread safety: a stateless function; the transport is shared safely.
#ifndef BERTH_KERNEL_CLIENT_DISCOVERY_CLIENT_H_
#define BERTH_KERNEL_CLIENT_DISCOVERY_CLIENT_H_

#include <string>
#include <vector>

#include "berth/client.h"
#include "kernel/client/api_transport.h"

namespace berth::client {

struct ApiResource {
  ResourceRef ref;
  std::string kind;
  std::string singular;  // "pod"; discovery may leave it empty
  std::vector<std::string> short_names;
  std::vector<std::string> verbs;
  bool namespaced = true;
  bool preferred = true;  // the group's preferred version serves it
};

// Top-level resources (no subresources) of every group version the server
// lists, core first, groups in the server's order. Fails with the first
// failing request's Status.
StatusOr<std::vector<ApiResource>> DiscoverResources(ApiTransport& transport);

}  // namespace berth::client

#endif  // BERTH_KERNEL_CLIENT_DISCOVERY_CLIENT_H_
