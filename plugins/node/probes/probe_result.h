// Probe results: what one probe or lifecycle handler run gives, with the
// kubelet's words (pkg/probe, pkg/kubelet/prober). A "warning" (an HTTP
// redirect the prober did not follow) counts as success, as the kubelet
// counts it, but carries a message for the ProbeWarning event.
//
// Thread safety: values.
#ifndef BERTH_PLUGINS_NODE_PROBES_PROBE_RESULT_H_
#define BERTH_PLUGINS_NODE_PROBES_PROBE_RESULT_H_

#include <string>

namespace berth::node {

enum class ProbeType { kLiveness, kReadiness, kStartup };
enum class ProbeResult { kSuccess, kFailure, kUnknown };

// "Liveness", "Readiness", "Startup" (as events name them).
const char* ProbeTypeName(ProbeType type);

struct ProbeOutcome {
  ProbeResult result = ProbeResult::kUnknown;
  // The prober's output: "HTTP probe failed with statuscode: 500", an exec
  // probe's stdout+stderr, "dial tcp 10.0.0.5:80: connect: connection
  // refused"... For kUnknown: why the probe could not run.
  std::string output;
  bool warning = false;  // success with a ProbeWarning event
};

// The event a kubelet records for `outcome`, or "" when it records none
// (plain success): reason "Unhealthy" with "Liveness probe failed: <output>"
// for a failure, "Liveness probe errored: <output>" for kUnknown, reason
// "ProbeWarning" with "Readiness probe warning: <output>" for a warning.
struct ProbeEvent {
  std::string type;  // "Warning"
  std::string reason;
  std::string message;
};
ProbeEvent EventFor(ProbeType type, const ProbeOutcome& outcome);

}  // namespace berth::node

#endif  // BERTH_PLUGINS_NODE_PROBES_PROBE_RESULT_H_
