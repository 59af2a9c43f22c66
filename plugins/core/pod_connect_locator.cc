#include "pod_connect_locator.h"

#include <cctype>

namespace berth::core {
namespace {

const ResourceRef kPodsRef{"", "v1", "pods"};
const ResourceRef kNodesRef{"", "v1", "nodes"};

// RFC 3986 percent-encoding of a path segment or query component.
std::string Escape(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::vector<std::string> ContainerNames(const Json& pod) {
  std::vector<std::string> names;
  const Json* specs = Find(pod, {"spec", "containers"});
  if (specs && specs->IsArray()) {
    for (const Json& c : specs->GetArray())
      names.push_back(GetString(c, {"name"}));
  }
  return names;
}

bool HasContainer(const Json& pod, const std::string& name) {
  for (const char* list :
       {"containers", "initContainers", "ephemeralContainers"}) {
    const Json* specs = Find(pod, {"spec", list});
    if (!specs || !specs->IsArray()) continue;
    for (const Json& c : specs->GetArray()) {
      if (GetString(c, {"name"}) == name) return true;
    }
  }
  return false;
}

// The container the request names, else the pod's default one, as
// kube-apiserver picks it.
StatusOr<std::string> ContainerOf(const Json& pod,
                                  const ConnectRequest& request) {
  const std::string pod_name = GetString(pod, {"metadata", "name"});
  std::string container = request.Param("container").value_or("");
  if (container.empty()) {
    std::vector<std::string> names = ContainerNames(pod);
    if (names.size() == 1) return names[0];
    container = GetString(pod, {"metadata", "annotations",
                                "kubectl.kubernetes.io/default-container"});
    if (container.empty()) {
      std::string all;
      for (const std::string& n : names) all += (all.empty() ? "" : " ") + n;
      return Status::BadRequest("a container name must be specified for pod " +
                                pod_name + ", choose one of: [" + all + "]");
    }
  }
  if (!HasContainer(pod, container)) {
    return Status::BadRequest("container " + container +
                              " is not valid for pod " + pod_name);
  }
  return container;
}

}  // namespace

StatusOr<ConnectLocation> PodKubeletLocation(const Json& pod, const Json* node,
                                             const ConnectRequest& request) {
  const std::string pod_name = GetString(pod, {"metadata", "name"});
  const std::string node_name = GetString(pod, {"spec", "nodeName"});
  if (node_name.empty() || node == nullptr) {
    return Status::BadRequest("pod " + pod_name +
                              " does not have a host assigned");
  }
  ConnectLocation loc;
  loc.node = node_name;
  const Json* addresses = Find(*node, {"status", "addresses"});
  for (const char* type : {"InternalIP", "ExternalIP", "Hostname"}) {
    if (!loc.host.empty() || !addresses || !addresses->IsArray()) break;
    for (const Json& a : addresses->GetArray()) {
      if (GetString(a, {"type"}) == type &&
          !GetString(a, {"address"}).empty()) {
        loc.host = GetString(a, {"address"});
        break;
      }
    }
  }
  loc.port = static_cast<int>(GetInt(
      *node, {"status", "daemonEndpoints", "kubeletEndpoint", "Port"}, 0));
  if (loc.host.empty() || loc.port <= 0) {
    return Status::Unavailable("node " + node_name +
                               " publishes no kubelet address and port");
  }
  const std::string base =
      "/" + Escape(request.namespace_name) + "/" + Escape(request.name);
  std::string query;
  for (const auto& [key, value] : request.query) {
    if (key == "container") continue;
    query += (query.empty() ? "?" : "&") + Escape(key) + "=" + Escape(value);
  }
  if (request.subresource == "portforward") {
    loc.path = "/portForward" + base + query;
    return loc;
  }
  auto container = ContainerOf(pod, request);
  if (!container.ok()) return container.status();
  const std::string verb =
      request.subresource == "log" ? "containerLogs" : request.subresource;
  loc.path = "/" + verb + base + "/" + Escape(*container) + query;
  return loc;
}

std::vector<ConnectSubresource> PodConnectLocator::Subresources() const {
  return {{"log", ConnectProtocol::kStream, "text/plain"},
          {"exec", ConnectProtocol::kExec, ""},
          {"attach", ConnectProtocol::kExec, ""},
          {"portforward", ConnectProtocol::kPortForward, ""}};
}

StatusOr<ConnectLocation> PodConnectLocator::Locate(
    const ConnectRequest& request) {
  auto got = client_->Get(kPodsRef, request.namespace_name, request.name);
  if (!got.ok()) return got.status();
  auto pod = ParseJson(*got);
  if (!pod.ok()) return pod.status();
  const std::string node_name = GetString(*pod, {"spec", "nodeName"});
  if (node_name.empty()) return PodKubeletLocation(*pod, nullptr, request);
  auto node_text = client_->Get(kNodesRef, "", node_name);
  if (!node_text.ok()) {
    return Status::Unavailable(
        "node " + node_name + " of pod " + request.name +
        " cannot be read: " + node_text.status().message());
  }
  auto node = ParseJson(*node_text);
  if (!node.ok()) return node.status();
  return PodKubeletLocation(*pod, &*node, request);
}

}  // namespace berth::core
