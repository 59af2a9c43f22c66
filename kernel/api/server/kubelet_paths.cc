#include "kernel/api/server/kubelet_paths.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <vector>

namespace berth::api {

StatusOr<KubeletTarget> ParseKubeletPath(const std::string& path) {
  const Status not_found = Status::NotFound("404 page not found");
  std::vector<std::string> segments;
  try {
    Poco::URI(path).getPathSegments(segments);
  } catch (const Poco::Exception&) {
    return not_found;
  }
  if (segments.size() < 3) return not_found;
  for (const std::string& s : segments) {
    if (s.empty()) return not_found;
  }
  KubeletTarget t;
  t.namespace_name = segments[1];
  t.name = segments[2];
  const std::string& verb = segments[0];
  const size_t n = segments.size();
  if (verb == "portForward" && (n == 3 || n == 4)) {
    t.subresource = "portforward";
    return t;
  }
  if (verb == "containerLogs" && n == 4) {
    t.subresource = "log";
  } else if ((verb == "exec" || verb == "attach") && (n == 4 || n == 5)) {
    t.subresource = verb;
  } else {
    return not_found;
  }
  t.container = segments.back();
  return t;
}

}  // namespace berth::api
