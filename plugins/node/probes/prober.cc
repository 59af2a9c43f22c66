#include "probes/prober.h"

#include <algorithm>

#include "env/expansion.h"

namespace berth::node {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
}

std::vector<std::string> StringList(const Json* v) {
  std::vector<std::string> out;
  if (!v || !v->IsArray()) return out;
  for (const auto& e : v->GetArray()) {
    if (e.IsString()) out.emplace_back(e.GetString(), e.GetStringLength());
  }
  return out;
}

}  // namespace

StatusOr<int> ResolveProbePort(const Json& port, const Json& container) {
  if (port.IsInt()) {
    const int p = port.GetInt();
    if (p <= 0 || p > 65535) {
      return Status::Invalid("invalid port number: " + std::to_string(p));
    }
    return p;
  }
  if (port.IsString()) {
    const std::string name = port.GetString();
    const Json* ports = Member(container, "ports");
    if (ports && ports->IsArray()) {
      for (const auto& p : ports->GetArray()) {
        if (GetString(p, {"name"}) == name) {
          return static_cast<int>(GetInt(p, {"containerPort"}));
        }
      }
    }
    // A number written as a string ("8080") is a port too.
    if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
          return c >= '0' && c <= '9';
        })) {
      return ResolveProbePort(Json(std::stoi(name)), container);
    }
    return Status::Invalid("couldn't find port: " + name + " in container " +
                           GetString(container, {"name"}));
  }
  return Status::Invalid("invalid port");
}

StatusOr<HttpGetRequest> BuildHttpGetRequest(
    const Json& http_get, const Json& container, const ProbeTarget& target,
    std::chrono::milliseconds timeout) {
  HttpGetRequest r;
  r.scheme = GetString(http_get, {"scheme"}, "HTTP");
  r.host = GetString(http_get, {"host"});
  if (r.host.empty())
    r.host = target.host_network || target.pod_ip.empty() ? "127.0.0.1"
                                                          : target.pod_ip;
  const Json* port = Member(http_get, "port");
  if (!port) return Status::Invalid("httpGet has no port");
  auto p = ResolveProbePort(*port, container);
  if (!p.ok()) return p.status();
  r.port = *p;
  r.path = GetString(http_get, {"path"}, "/");
  if (const Json* hs = Member(http_get, "httpHeaders"); hs && hs->IsArray()) {
    for (const auto& h : hs->GetArray()) {
      r.headers.emplace_back(GetString(h, {"name"}), GetString(h, {"value"}));
    }
  }
  r.timeout = timeout;
  return r;
}

ProbeOutcome Prober::Run(const Json& probe, const Json& container,
                         const ProbeTarget& target) const {
  int64_t timeout_s = GetInt(probe, {"timeoutSeconds"}, 1);
  if (timeout_s <= 0) timeout_s = 1;
  const std::chrono::seconds timeout(timeout_s);
  if (const Json* exec = Member(probe, "exec")) {
    // $(VAR) against the container's literal env values only (the
    // kubelet's ExpandContainerCommandOnlyStatic): valueFrom ones are "".
    EnvList static_env;
    if (const Json* env = Member(container, "env"); env && env->IsArray()) {
      for (const auto& e : env->GetArray()) {
        static_env.emplace_back(GetString(e, {"name"}),
                                GetString(e, {"value"}));
      }
    }
    const auto command =
        ExpandCommand(StringList(Member(*exec, "command")), static_env);
    ContainerRuntime& runtime = target.runtime ? *target.runtime : runtime_;
    auto result = runtime.ExecSync(target.container_id, command, timeout);
    if (!result.ok()) {
      return {ProbeResult::kUnknown, result.status().message(), false};
    }
    if (result->timed_out) {
      return {ProbeResult::kFailure,
              "command \"" + Join(command) + "\" timed out", false};
    }
    std::string output = result->stdout_data + result->stderr_data;
    return {
        result->exit_code == 0 ? ProbeResult::kSuccess : ProbeResult::kFailure,
        std::move(output), false};
  }
  if (const Json* http = Member(probe, "httpGet")) {
    auto request = BuildHttpGetRequest(*http, container, target, timeout);
    if (!request.ok()) {
      return {ProbeResult::kUnknown, request.status().message(), false};
    }
    return DoHttpProbe(*request);
  }
  if (const Json* tcp = Member(probe, "tcpSocket")) {
    const Json* port = Member(*tcp, "port");
    if (!port) return {ProbeResult::kUnknown, "tcpSocket has no port", false};
    auto p = ResolveProbePort(*port, container);
    if (!p.ok()) return {ProbeResult::kUnknown, p.status().message(), false};
    std::string host = GetString(*tcp, {"host"});
    if (host.empty()) {
      host = target.host_network || target.pod_ip.empty() ? "127.0.0.1"
                                                          : target.pod_ip;
    }
    return DoTcpProbe(host, *p, timeout);
  }
  if (Member(probe, "grpc")) {
    return {ProbeResult::kUnknown, "grpc probes are not supported by this node",
            false};
  }
  return {ProbeResult::kUnknown, "missing probe handler", false};
}

}  // namespace berth::node
