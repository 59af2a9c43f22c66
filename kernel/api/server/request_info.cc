#include "kernel/api/server/request_info.h"

namespace berth::api {

RequestInfo ParseRequestPath(std::string_view path) {
  RequestInfo info;
  info.path = std::string(path);
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = i;
    while (j < path.size() && path[j] != '/') ++j;
    if (j > i) info.parts.emplace_back(path.substr(i, j - i));
    i = j;
  }
  const auto& p = info.parts;
  if (p.empty() || (p[0] != "api" && p[0] != "apis")) return info;
  info.api_prefix = p[0];
  size_t k = 1;
  if (info.api_prefix == "apis") {
    if (p.size() < 3) return info;  // /apis or /apis/<group>: discovery
    info.group = p[1];
    k = 2;
  } else if (p.size() < 2) {
    return info;  // /api
  }
  info.version = p[k++];
  info.is_resource_request = true;
  // namespaces/<ns>/<resource>... is a namespaced request, except
  // namespaces/<name> and namespaces/<name>/<subresource> (status, finalize)
  // which address the Namespace object itself.
  if (k < p.size() && p[k] == "namespaces" && k + 2 < p.size()) {
    info.namespace_ = p[k + 1];
    k += 2;
    std::string_view next = p[k];
    if (next == "status" || next == "finalize") {
      info.resource = "namespaces";
      info.name = info.namespace_;
      info.namespace_.clear();
      info.subresource = std::string(next);
      return info;
    }
  }
  if (k < p.size()) info.resource = p[k++];
  if (k < p.size()) info.name = p[k++];
  if (k < p.size()) info.subresource = p[k++];
  return info;
}

}  // namespace berth::api
