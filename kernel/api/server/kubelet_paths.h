// KubeletPaths: the kubelet API's paths for the connect subresources a node
// serves, and which subresource each one is, as kubelet's server routes
// them: /containerLogs/{ns}/{pod}/{container} is "log",
// /exec/{ns}/{pod}[/{uid}]/{container} "exec", /attach/... likewise
// "attach", /portForward/{ns}/{pod}[/{uid}] "portforward". The query is the
// same as on the API server's pods/<subresource> (command=, stdin=, follow=,
// tailLines=...), the container coming from the path.
//
// Thread safety: pure functions.
#ifndef BERTH_KERNEL_API_SERVER_KUBELET_PATHS_H_
#define BERTH_KERNEL_API_SERVER_KUBELET_PATHS_H_

#include <string>

#include "berth/status.h"

namespace berth::api {

struct KubeletTarget {
  std::string namespace_name;
  std::string name;
  std::string subresource;  // "log", "exec", "attach", "portforward"
  std::string container;    // empty for portforward
};

// The target of a kubelet path (without the query; segments are
// percent-decoded). NotFound for any other path, as kubelet answers 404.
StatusOr<KubeletTarget> ParseKubeletPath(const std::string& path);

}  // namespace berth::api

#endif  // BERTH_KERNEL_API_SERVER_KUBELET_PATHS_H_
