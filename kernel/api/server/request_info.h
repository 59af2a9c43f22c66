// RequestInfo: what a REST path names — the Kubernetes RequestInfoFactory
// in miniature. "/apis/apps/v1/namespaces/ns/deployments/web/scale" becomes
// group "apps", version "v1", namespace "ns", resource "deployments", name
// "web", subresource "scale". Paths outside /api and /apis are
// non-resource requests (/version, /healthz, /openapi/v3...).
//
// Thread safety: a value type.
#ifndef BERTH_KERNEL_API_SERVER_REQUEST_INFO_H_
#define BERTH_KERNEL_API_SERVER_REQUEST_INFO_H_

#include <string>
#include <string_view>
#include <vector>

namespace berth::api {

struct RequestInfo {
  bool is_resource_request = false;
  std::string path;
  std::vector<std::string> parts;  // path split on '/', no empty parts
  std::string api_prefix;          // "api" or "apis"
  std::string group;
  std::string version;
  std::string namespace_;
  std::string resource;
  std::string name;
  std::string subresource;
};

// Splits a URL path (no query) into its parts. Paths under /api and /apis
// with at least a version are resource requests (a path that stops at the
// group-version, such as "/apis/apps/v1", has an empty resource: that is
// discovery).
RequestInfo ParseRequestPath(std::string_view path);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_REQUEST_INFO_H_
