// Prober: runs one probe of a container once (pkg/kubelet/prober/prober.go
// runProbe): exec through ContainerRuntime::ExecSync with timeoutSeconds
// ($(VAR) in the command expanded from the container's literal env values),
// httpGet (host default the pod IP, 127.0.0.1 for hostNetwork pods; named
// ports resolved from the container's ports), tcpSocket. grpc is reported
// kUnknown ("grpc probes are not supported by this node").
//
// Thread safety: Run may be called from many threads at once.
#ifndef BERTH_PLUGINS_NODE_PROBES_PROBER_H_
#define BERTH_PLUGINS_NODE_PROBES_PROBER_H_

#include <chrono>
#include <string>

#include "berth/json.h"
#include "berth/runtime.h"
#include "berth/status.h"
#include "probes/http_get.h"
#include "probes/probe_result.h"

namespace berth::node {

// Where a container's probes and hooks go.
struct ProbeTarget {
  std::string container_id;  // for exec
  std::string pod_ip;        // for httpGet / tcpSocket without host
  bool host_network = false;
  // The runtime running the container (the pod's RuntimeClass), which
  // outlives the probes; nullptr: the node's default runtime.
  ContainerRuntime* runtime = nullptr;
};

// The port a probe or hook names: a number, or the name of one of the
// container's ports. Invalid "invalid port number: 0" / "couldn't find
// port: http in ..." otherwise, as the kubelet says.
StatusOr<int> ResolveProbePort(const Json& port, const Json& container);

// The request an httpGet action ({"scheme","host","port","path",
// "httpHeaders"}) makes; Invalid for a bad port.
StatusOr<HttpGetRequest> BuildHttpGetRequest(const Json& http_get,
                                             const Json& container,
                                             const ProbeTarget& target,
                                             std::chrono::milliseconds timeout);

class Prober {
 public:
  // `runtime` runs exec probes of targets that name none; it must outlive
  // the prober.
  explicit Prober(ContainerRuntime& runtime) : runtime_(runtime) {}

  // Runs `probe` (a v1.Probe: exec / httpGet / tcpSocket / grpc with
  // timeoutSeconds, default 1) against `container` once.
  ProbeOutcome Run(const Json& probe, const Json& container,
                   const ProbeTarget& target) const;

 private:
  ContainerRuntime& runtime_;
};

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_PROBES_PROBER_H_
